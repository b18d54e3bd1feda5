"""How short answers are compared, in authoring (two accepted texts of an item that are the same answer) and in
scoring (a candidate's answer against the accepted texts): one rule, here.

Two texts are the same answer when they are equal after
1. Unicode NFKC: compatibility forms become the plain letters and digits (full-width ＡＢＣ, the ligature ﬁ, a
   non-breaking space, a superscript ²) and a letter with a combining accent the composed letter;
2. case folding, and ё read as е;
3. every dash made one hyphen (‐ ‑ ‒ – — ― −) and every apostrophe one (’ ‘ ʼ → ');
4. splitting at spaces, trimming each word of the punctuation at its ends (a comma or full stop after it, quotes or
   brackets around it) and joining the words with one space.

So punctuation between words or at the ends does not matter («Ёлка, зелёная!» is "елка зеленая"), while
punctuation inside a word or a number does: 3.14 is not 314, e-mail is not email, C++ is not C.
"""
from __future__ import annotations

import unicodedata

_SAME = str.maketrans({**dict.fromkeys("‐‑‒–—―−", "-"), **dict.fromkeys("’‘ʼ", "'"), "ё": "е"})


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _trimmed(word: str) -> str:
    start, end = 0, len(word)
    while start < end and _is_punctuation(word[start]):
        start += 1
    while end > start and _is_punctuation(word[end - 1]):
        end -= 1
    return word[start:end]


def normalise(text: str) -> str:
    """The answer's normal form (see the module's rule); empty when it holds no word."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_SAME)
    return " ".join(w for w in map(_trimmed, text.split()) if w)
