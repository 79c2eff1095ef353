"""Arabic written the ways readers type it: one folded form for search, on both engines.

The same word reaches the site in many spellings: with or without its vowel marks (tashkeel)
and the tatweel that stretches it, with hamza on its alef or not (أ إ آ ٱ for ا), with taa
marbuta or haa at its end (ة ه), with alef maqsura or yaa (ى ي), and with the definite article
attached (البشر, and وال بال كال فال لل). `fold()` brings them to one form; search applies it to
the text it indexes and to the query alike, so any spelling finds any other.

Folding never adds, removes or splits a word: a mark is removed only where it is attached to a
letter, and an article only where two letters or more remain. So the folded text has the same
words in the same places as the original, and FTS5's snippet(), which reads the original text,
marks the words the folded index matched (articles/search.py). `excerpt()` does the same in
Python where the database cannot (PostgreSQL's ts_headline only sees the original text).

The SQL function of the same name (articles/migrations/0015_arabic_search.py) does on
PostgreSQL what `fold()` does here; tests/test_arabic_search.py checks that they agree. Changing
one means changing the other, in a migration that indexes every article again.
"""

import re

# The Arabic block: text without any character from it is left as it is.
_ARABIC_BLOCK = re.compile("[\u0600-\u06ff]")
LETTERS = "\u0621-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
# Tashkeel and Quranic annotation marks (all combining marks), and the tatweel.
MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640"
LETTER_MAP = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"}

_MARK = re.compile(f"[{MARKS}]")
# Marks after a letter, then marks before one: those attached to a letter. (Maximal runs of marks
# keep their neighbours when another run goes, so the two passes remove what one pattern with
# both conditions would, at twice its speed.)
_MARKS_AFTER = re.compile(f"(?<=[{LETTERS}])[{MARKS}]+")
_MARKS_BEFORE = re.compile(f"[{MARKS}]+(?=[{LETTERS}])")
# The article, alone or after a conjunction or preposition, where two letters or more follow.
_ARTICLE = re.compile(f"(?<![{LETTERS}])(?:[وبكف]ال|ال|لل)(?=[{LETTERS}]{{2}})")
# A word as readers see it: letters and digits with their marks ("البَشَرُ" is one word).
_WORD = re.compile(f"(?:\\w|[{MARKS}])+")


def fold(text):
    """The form search compares: see the module's docstring. None stays None (SQL's NULL)."""
    if not text or not _ARABIC_BLOCK.search(text):
        return text
    for letter, replacement in LETTER_MAP.items():  # 10 times str.translate()'s speed here
        text = text.replace(letter, replacement)
    if _MARK.search(text):
        text = _MARKS_BEFORE.sub("", _MARKS_AFTER.sub("", text))
    return _ARTICLE.sub("", text)


def excerpt(text: str, words, *, start: str, stop: str, size: int, ellipsis: str = "…") -> str:
    """About `size` words of `text`, where most of `words` (folded) are, as written, with each
    word whose folded form begins with one of them between `start` and `stop`."""
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return ""
    folded = [w.casefold() for w in _WORD.findall(fold(text))]
    if len(folded) != len(spans):  # cannot happen (see above); if it did, fold word by word
        folded = [(fold(text[a:b]) or "").casefold() for a, b in spans]
    wanted = tuple(w.casefold() for w in words if w)
    hits = [bool(wanted) and word.startswith(wanted) for word in folded]
    first = _best_window(hits, size)
    last = min(first + size, len(spans)) - 1
    parts = [ellipsis] if first else []
    position = spans[first][0]
    for i in range(first, last + 1):
        a, b = spans[i]
        parts.append(text[position:a])
        parts.append(f"{start}{text[a:b]}{stop}" if hits[i] else text[a:b])
        position = b
    if last < len(spans) - 1:
        parts.append(ellipsis)
    return "".join(parts)


def _best_window(hits: list[bool], size: int) -> int:
    """Where the `size` words with the most hits begin (the first such place; 0 if none)."""
    best = count = sum(hits[:size])
    first = 0
    for i in range(size, len(hits)):
        count += hits[i] - hits[i - size]
        if count > best:
            best, first = count, i - size + 1
    if best and not hits[first]:  # start the snippet a few words before its first hit
        first = max(0, hits.index(True, first) - 3)
    return first
