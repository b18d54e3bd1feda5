"""Every item type validates its own structure and says exactly what is wrong."""
import pytest

from gramota.testbank.domain import (
    AcceptedText,
    ItemDraft,
    NumericAnswer,
    OptionDraft,
    prepare,
    presented_order,
    true_false,
    validate_item,
)


def problems(item: ItemDraft, competences=None) -> str:
    prepare(item)
    return "; ".join(validate_item(item, competences))


def test_every_type_has_a_valid_example():
    valid = [
        ItemDraft("single_choice", "Q", [OptionDraft("a", 1), OptionDraft("b", 0)]),
        ItemDraft("multiple_choice", "Q", [OptionDraft("a", 0.5), OptionDraft("b", 0.5), OptionDraft("c", -1)]),
        true_false("Q", True),
        ItemDraft("ordering", "Q", [OptionDraft("first"), OptionDraft("second"), OptionDraft("third")]),
        ItemDraft("matching", "Q", [OptionDraft("a", target="1"), OptionDraft("b", target="2")]),
        ItemDraft("short_answer", "Q", accepted=[AcceptedText("Москва"), AcceptedText("г. Москва", 0.5)]),
        ItemDraft("numeric", "Q", numeric=[NumericAnswer(3.14, 0.01)]),
    ]
    assert [problems(i) for i in valid] == [""] * 7


@pytest.mark.parametrize("item, expected", [
    (ItemDraft("single_choice", "Q", [OptionDraft("a", 1), OptionDraft("b", 1)]), "exactly one correct option, got 2"),
    (ItemDraft("multiple_choice", "Q", [OptionDraft("a", 0.5), OptionDraft("b", 0.2)]), "add up to 100%, got 70%"),
    (ItemDraft("multiple_choice", "Q", [OptionDraft("a", 0), OptionDraft("b", -0.5)]), "at least one option with a positive"),
    (ItemDraft("single_choice", "Q", [OptionDraft("a", 1)]), "needs 2 to 20 options, got 1"),
    (ItemDraft("single_choice", "Q", [OptionDraft("a", 1), OptionDraft("a", 0)]), "two options have the same text"),
    (ItemDraft("multiple_choice", "Q", [OptionDraft("a", 1.5), OptionDraft("b", 0)]), "between -100% and 100%"),
    (ItemDraft("true_false", "Q", [OptionDraft("Да", 1, id="yes"), OptionDraft("Нет", 0, id="no")]),
     'ids "true" and "false"'),
    (ItemDraft("true_false", "Q", [OptionDraft("", 1, id="true"), OptionDraft("", 1, id="false")]),
     "exactly one of true/false"),
    (ItemDraft("ordering", "Q", [OptionDraft("only")]), "an ordering question needs 2 to 20 options, got 1"),
    (ItemDraft("ordering", "Q", [OptionDraft("a"), OptionDraft("")]), "an option has empty text"),
    (ItemDraft("matching", "Q", [OptionDraft("a", target="1"), OptionDraft("b")]), "'b' has none"),
    (ItemDraft("matching", "Q", [OptionDraft("a", target="1"), OptionDraft("b", target="1")]), "at least 2 different targets"),
    (ItemDraft("short_answer", "Q"), "at least one accepted text"),
    (ItemDraft("short_answer", "Q", accepted=[AcceptedText("Ёлка"), AcceptedText("елка!")]), "the same answer"),
    (ItemDraft("short_answer", "Q", accepted=[AcceptedText("a", 0.5)]), "worth 100%"),
    (ItemDraft("short_answer", "Q", [OptionDraft("x")], accepted=[AcceptedText("a")]), "has no options"),
    (ItemDraft("numeric", "Q"), "at least one accepted value"),
    (ItemDraft("numeric", "Q", numeric=[NumericAnswer(1, -1)]), "tolerance cannot be negative"),
    (ItemDraft("numeric", "Q", numeric=[NumericAnswer(float("nan"))]), "finite numbers"),
    (ItemDraft("numeric", "Q", numeric=[NumericAnswer(1, 0, 0.5)]), "worth 100%"),
    (ItemDraft("numeric", "Q", accepted=[AcceptedText("a")], numeric=[NumericAnswer(1)]), "accepted texts belong"),
    (ItemDraft("single_choice", " ", [OptionDraft("a", 1), OptionDraft("b", 0)]), "question text is empty"),
    (ItemDraft("single_choice", "Q", [OptionDraft("a", 1), OptionDraft("b", 0)], difficulty=6), "difficulty must be 1 to 5"),
    (ItemDraft("essay", "Q"), "unsupported item type 'essay'"),
])
def test_problems_are_named(item, expected):
    assert expected in problems(item)


def test_unknown_competence_is_named():
    item = ItemDraft("single_choice", "Q", [OptionDraft("a", 1), OptionDraft("b", 0)], competence="digcomp/9.9")
    assert "unknown competence 'digcomp/9.9'" in problems(item, {"digcomp/1.1"})


def test_true_false_options_are_true_and_false():
    item = true_false("Q", False)
    prepare(item)
    assert [(o.id, o.weight) for o in item.options] == [("true", 0.0), ("false", 1.0)]


def test_ordering_and_matching_ids_are_stable_and_do_not_reveal_the_answer():
    first = ItemDraft("ordering", "Q", [OptionDraft(t) for t in ("раз", "два", "три", "четыре")])
    again = ItemDraft("ordering", "Q (edited)", [OptionDraft(t) for t in ("раз", "два", "три", "четыре")])
    prepare(first)
    prepare(again)
    ids = [o.id for o in first.options]
    assert ids == [o.id for o in again.options]
    assert ids != sorted(ids) or ids != [f"o{i}" for i in range(1, 5)]
    shown = presented_order("item-1", ids)
    assert sorted(shown) == sorted(ids) and shown != ids
    assert presented_order("item-1", ids) == shown


def test_the_api_names_every_item_type_the_contract_has():
    from typing import get_args

    from gramota.gateway.routes.bank import ItemType
    from gramota.shared.item_types import NAMES

    assert set(get_args(ItemType)) == set(NAMES)
