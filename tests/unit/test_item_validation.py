"""Every item type says exactly what is wrong with it."""
from gramota.testbank.domain import ItemDraft, OptionDraft, validate_item


def item(kind, *weights, text="Вопрос"):
    return ItemDraft(kind, text, [OptionDraft(f"вариант {i}", w) for i, w in enumerate(weights)])


def test_valid_items_have_no_problems():
    assert validate_item(item("single_choice", 1, 0, 0)) == []
    assert validate_item(item("multiple_choice", 0.5, 0.5, -1)) == []


def test_problems_are_named():
    assert "exactly one correct" in validate_item(item("single_choice", 1, 1))[0]
    assert "add up to 100%" in validate_item(item("multiple_choice", 0.5, 0.2, 0))[0]
    assert "2 to 20 options" in validate_item(item("single_choice", 1))[0]
    assert "question text is empty" in validate_item(item("single_choice", 1, 0, text=" "))
    assert "unsupported item type" in validate_item(item("essay", 1, 0))[0]
