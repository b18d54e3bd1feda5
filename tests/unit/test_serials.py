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
