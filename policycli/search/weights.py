"""Every weight of the search, in one place: how much a field counts, how good each way of
matching is, and the levels that decide what is listed.

A term's *quality* in a policy is the best quality of any way it matched there (between 0 and 1);
its *rank* is that quality times the field's weight, plus EXTRA_FIELD for each further field
matching well. See rank.py for how terms combine and recall.py for the bag-of-words pass.
"""
from __future__ import annotations

# How much a match counts by where it is.
FIELD_WEIGHTS = {
    "title": 1.0,
    "id": 1.0,
    "phones": 0.9,
    "english": 0.9,
    "keywords": 0.95,
    "contacts": 0.9,
    "content": 0.85,
    "lead_units": 0.6,
    "derived": 0.9,  # terms of the field vocabulary found in the text at indexing
}
EXTRA_FIELD = 0.1  # rank bonus per further field that matches

# How good each way of matching is (quality of a match).
EXACT = 1.0  # the term as typed; a whole policy id; a phone number
ID_PREFIX = 0.9  # the first six letters or more of a policy id
SOUND = 0.9  # same folded pinyin, a whole word of the text (数据中兴)
SOUND_SHORT = 0.8  # the same, for a term of two characters
PINYIN = 0.9  # Latin letters read as the pinyin of a word of the text (shujuzhongxin)
MIXED = 0.95  # × the match of pinyin mixed with characters, read as characters (zhihui社区)
INITIALS = 0.8  # Latin letters read as pinyin initials (jsgz)
INITIALS_SHORT = 0.7  # the same, three letters
ENGLISH = 0.9  # × the weight of our English title (1) or summary (0.8)
ENGLISH_TITLE, ENGLISH_SUMMARY = 1.0, 0.8
GLOSS = 0.85  # an English phrase's Chinese term (glossary) in the text
TYPO = 0.9  # × (n-1)/n: one character wrong in a term of 4 to 8
WORDS = 0.85  # × share of the term covered by its pieces in one field
SPREAD = 0.8  # × share of the term covered by its pieces over all fields
SHORT_LATIN = 3  # Latin letters up to which a word matches only a whole word, in our English titles only
FUZZY = 0.8  # × rapidfuzz ratio, a near miss when nothing else matched well

# Pieces ("words" matching): how much what is found counts.
SOUND_CREDIT = 0.7  # a two-character piece that only sounds the same
RELATED_CREDIT = 0.9  # an everyday word for a term of the text (field vocabulary)
WEAK_SHARE = 0.4  # below this share a policy is not about the term
LONG = 5  # content characters beyond which what is not found counts less (questions)

# What a character of the query counts for.
FILLER_WEIGHT = 0.0  # question words (有没有, 哪些) and procedure words (时间, 材料)
GENERIC_WEIGHT = 0.2  # words nearly every policy uses (支持, 补贴)
LONE_WEIGHT = 0.4  # a lone character between words found, an everyday verb or numeral
SINGLE_WEIGHT = 0.2  # an unknown word of one character beside words found (厂 in 我们厂买了新机床)
MODIFIER, MODIFIER_WEIGHT = 3, 0.5  # unknown characters before an everyday word: how many, their weight
GENERIC_TERM = 0.25  # importance of a term made only of generic words

# What is listed.
MIN_QUALITY = 0.5  # combined quality a result needs
RELATIVE = 0.6  # of the best rank score
SUGGEST_QUALITY = 0.4  # near misses worth a "是否要找"
STRONG = 0.6  # a term's quality from which a policy counts as holding it (for rarity)
PARTIAL = 0.7  # below this quality a term was matched only in part: the result is approximate
COMMON_SHARE = 0.25  # a word held by this share of policies is common (产业, 建设): alone, no evidence against
# a word of the query no policy holds (precision.py)

# Recall pass (recall.py): evidence summed over the words a policy holds.
MIN_EVIDENCE = 3.5
FRAMED_EVIDENCE = 1.4  # a question of one topic word and everyday words: one word of three policies in twenty
RECALL_SOUND_CREDIT = 0.7
RECALL_RELATED_CREDIT = 0.8
LENGTH_BONUS, LONGEST = 0.25, 1.75  # a word of the texts counts 1.25 times more per character beyond two

# Semantic pass (semantic.py): how far the best cosine must stand out from the others.
SEMANTIC_MARGIN = 4.2  # standard deviations of the other policies' scores above their mean
SEMANTIC_LEAD = 0.01  # policies this close to the best are listed with it
