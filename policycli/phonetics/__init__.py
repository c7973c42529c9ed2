"""phonetics: how Chinese text sounds, below both search and contacts so that both fold alike:
toneless pinyin, syllables folded where people confuse them (zh/z, n/l, ing/in), sound and
initials strings aligned with a text, typed pinyin read as syllables. Imports nothing of the
package; pypinyin only when a text is transcribed."""
