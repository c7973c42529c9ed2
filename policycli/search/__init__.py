"""search: ranked search over a catalog: the index of every searchable field, its sound keys
(pinyin), and ranking. Imports `dataset` only."""
