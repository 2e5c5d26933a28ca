"""The deletion query asks for every kind the pulls store, in QuickBooks' own type names."""

from __future__ import annotations

import pytest

from qbwc_server.sync.deletions import DeletionsStep
from qbwc_server.sync.pull import PullSpec
from qbwc_server.sync.steps import PULLS
from qbxml.responses import ItemRet
from qbxml.responses.kinds import RECORD_BUILDERS
from qbxml.schema import load_schema

_SCHEMA = load_schema()
_LIST_DEL_TYPES = _SCHEMA.field("ListDeletedQueryRq/ListDelType").values
_TXN_DEL_TYPES = _SCHEMA.field("TxnDeletedQueryRq/TxnDelType").values


@pytest.mark.parametrize("spec", PULLS, ids=lambda spec: spec.kind)
def test_every_pulled_kind_names_its_deletion_types(spec: PullSpec) -> None:
    allowed = _TXN_DEL_TYPES if spec.is_txn else _LIST_DEL_TYPES
    assert spec.deleted_as
    assert set(spec.deleted_as) <= set(allowed)


def _item_ret_tags() -> list[str]:
    """Every Ret element the item pull reads as an item."""
    sample = RECORD_BUILDERS["ItemServiceRet"]
    return sorted(tag for tag, build in RECORD_BUILDERS.items()
                  if build is sample or getattr(build, "__self__", None) is ItemRet)


@pytest.mark.parametrize("tag", _item_ret_tags())
def test_every_kind_of_pulled_item_is_in_the_deletion_query(tag: str) -> None:
    step = DeletionsStep(PULLS)
    assert step.list_types.get(tag.removesuffix("Ret")) == "item"


def test_the_item_kinds_found_are_all_of_them() -> None:
    # Guards the test above: it must see the assembly, fixed-asset and sales-tax-group items.
    assert {"ItemInventoryAssemblyRet", "ItemFixedAssetRet", "ItemSalesTaxGroupRet",
            "ItemServiceRet"} <= set(_item_ret_tags())
