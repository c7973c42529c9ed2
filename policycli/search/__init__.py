"""search: find the policies a person means from what they type, as a pipeline:

  analyse.py   the query folded (NFKC, traditional to simplified: scripts.py), cut into terms,
               each character weighed (plainwords.py), phone numbers and amounts (amounts.py)
  matchers/    one module per way of matching a term: official words, sounds and pinyin,
               English, pieces and related terms, near misses
  places.py    the district a list is of, read out of a query (and the lists of the place named)
  weighing.py  the terms weighed by an index's texts (pinyin syllables joined, English glossed)
  rank.py      the matches combined with the weights of weights.py, cut off where relevance
               ends; then the bag-of-words pass (recall.py) and, with the optional extra, the
               semantic pass (semantic.py); results (results.py) name the signal that found them
               results the query's own words speak against dropped (precision.py: what a
               term says is read by said.py; asked.py: amounts, levels, times asked)
  index.py     the index of every list or library, read from the cache or built and cached;
               what it holds (blob.py): fields end to end, word edges (words.py), sound keys
               (phonetics); building.py builds it, with keywords derived from the text with our
               word lists (lexicon.py)

Imports `dataset` and `phonetics` only."""
