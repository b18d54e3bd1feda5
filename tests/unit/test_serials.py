"""Certificate serials: readable, with a check character that catches typos."""
import pytest

from gramota.certificates import serials


def test_new_serials_are_twelve_readable_symbols_and_valid():
    for _ in range(200):
        s = serials.new_serial()
        assert len(s) == 12 and set(s) <= set(serials.ALPHABET)
        assert serials.normalise(s) == s


def test_accepted_with_or_without_separators_in_any_case_and_with_lookalikes():
    s = serials.new_serial()
    shown = serials.display(s)
    assert shown.count("-") == 2
    assert serials.normalise(shown.lower()) == s
    assert serials.normalise(" ".join(shown.split("-"))) == s
    if "0" in s:
        assert serials.normalise(s.replace("0", "O")) == s


def test_every_single_symbol_typo_is_caught():
    s = serials.new_serial()
    for i in range(len(s)):
        for c in serials.ALPHABET:
            if c != s[i]:
                with pytest.raises(serials.InvalidSerial):
                    serials.normalise(s[:i] + c + s[i + 1:])


@pytest.mark.parametrize("text, reason", [("ABC", "12 characters"), ("ABCD-EFGH-IJK!", "cannot contain")])
def test_malformed_serials_say_what_is_wrong(text, reason):
    with pytest.raises(serials.InvalidSerial, match=reason):
        serials.normalise(text)


def test_cyrillic_lookalike_letters_typed_on_a_russian_layout_read_as_their_latin_twins():
    body = "T9FG" + "ABEK" + "MHP"          # every letter here has a Cyrillic twin
    s = body + serials.check_symbol(body)
    cyrillic = s.translate(str.maketrans("ABEKMHPT", "АВЕКМНРТ"))
    assert cyrillic != s and serials.normalise(serials.display(cyrillic)) == s
    assert serials.normalise(serials.display(cyrillic).lower()) == s     # «т9fg-…» in lower case too
    body = "C0X3YAAAAAA"
    assert serials.normalise("СОХЗУAAAAAA" + serials.check_symbol(body)) == body + serials.check_symbol(body)


def test_a_cyrillic_letter_without_a_latin_twin_is_still_refused():
    s = serials.new_serial()
    with pytest.raises(serials.InvalidSerial, match="cannot contain"):
        serials.normalise("Ж" + s[1:])
