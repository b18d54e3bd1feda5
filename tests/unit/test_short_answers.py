"""One rule for short answers, used by authoring (duplicate accepted texts) and scoring (an answer against the key):
the cases where the two used to judge differently."""
import pytest

from gramota.scoring.domain import ShortText, short_answer_credit
from gramota.shared.short_answers import normalise
from gramota.testbank.domain import AcceptedText, ItemDraft, validate_item


@pytest.mark.parametrize(("given", "key"), [
    ("Ёлка", "елка"),                                  # ё is е
    ("ЁЛКА", "ёлка"),                                  # case
    ("ＡＢＣ", "abc"),                                 # full-width letters (NFKC)
    ("ﬁlter", "filter"),                               # a ligature (NFKC)
    ("x²", "x2"),                                      # a superscript (NFKC)
    ("двухфакторная\u00a0аутентификация", "двухфакторная аутентификация"),  # a non-breaking space (NFKC)
    ("e\u0301", "\u00e9"),                          # a letter and a combining accent is the composed letter
    ("  Двухфакторная\t  аутентификация. ", "двухфакторная аутентификация"),  # spaces and a trailing full stop
    ("Ёлка, зелёная!", "елка зеленая"),                # punctuation between words
    ("«Госуслуги»", "госуслуги"),                      # quotes around the answer
    ("(ЕСИА)", "есиа"),                                # brackets around it
    ("кто–то", "кто-то"),                              # an en dash inside a word is a hyphen
    ("д’Артаньян", "д'артаньян"),                      # one apostrophe
])
def test_the_same_answer(given, key):
    assert normalise(given) == normalise(key)
    assert short_answer_credit([ShortText(key, 1.0)], given) == 1.0


@pytest.mark.parametrize(("given", "key"), [
    ("3.14", "314"),          # punctuation inside a number counts
    ("3.14", "3 14"),
    ("e-mail", "email"),      # inside a word
    ("e-mail", "e mail"),
    ("C++", "C"),             # symbols are not punctuation
    ("двухфакторнаяаутентификация", "двухфакторная аутентификация"),  # words stay words
])
def test_a_different_answer(given, key):
    assert normalise(given) != normalise(key)
    assert short_answer_credit([ShortText(key, 1.0)], given) == 0.0


def test_authoring_refuses_two_accepted_texts_scoring_would_take_as_one():
    item = ItemDraft(type="short_answer", text="Ёлочная игрушка?", competence="1.1",
                     accepted=[AcceptedText("«Ёлка»", 1.0), AcceptedText("елка.", 0.5)])
    assert any("the same" in p for p in validate_item(item, {"1.1"}))
    assert short_answer_credit([ShortText("«Ёлка»", 1.0)], "елка.") == 1.0


def test_authoring_keeps_texts_scoring_tells_apart():
    item = ItemDraft(type="short_answer", text="Число пи до сотых?", competence="1.1",
                     accepted=[AcceptedText("3.14", 1.0), AcceptedText("3,14", 1.0)])
    assert not validate_item(item, {"1.1"})


def test_an_answer_of_punctuation_only_is_empty_and_earns_nothing():
    assert normalise(" … !? ") == ""
    assert short_answer_credit([ShortText("да", 1.0)], "...") == 0.0
