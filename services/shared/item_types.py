"""The item types of the bank, by name (as stored, in events and in the API) and as testbank.v1.ItemType values."""
from __future__ import annotations

from gramota.contracts.testbank.v1 import testbank_pb2

# every type the enum names, in its order: single_choice, multiple_choice, true_false, ordering, matching, ...
NAMES: tuple[str, ...] = tuple(n.removeprefix("ITEM_TYPE_").lower() for n in testbank_pb2.ItemType.keys()
                               if n != "ITEM_TYPE_UNSPECIFIED")
TYPE_TO_PB: dict[str, int] = {t: testbank_pb2.ItemType.Value("ITEM_TYPE_" + t.upper()) for t in NAMES}
PB_TO_TYPE: dict[int, str] = {v: k for k, v in TYPE_TO_PB.items()}


def type_name(value: int) -> str:
    """The name of a testbank.v1.ItemType value ("unspecified" for 0)."""
    return testbank_pb2.ItemType.Name(value).removeprefix("ITEM_TYPE_").lower()
