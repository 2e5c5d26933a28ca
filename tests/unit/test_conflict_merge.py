"""The field-by-field merge of a pending platform write with a newer QuickBooks copy."""

from __future__ import annotations

from typing import Any

import pytest

from qbwc_server.sync.conflicts import carried, merge

BASE = {"name": "Ada", "email": "a@old", "phone": "1", "qb_version": "5", "balance": "0.00",
        "lines": [{"item": {"name": "Consulting", "qb_id": "8"}, "quantity": "2.00",
                   "amount": "300.00", "qb_line_id": "L1"}]}


@pytest.mark.parametrize(("platform", "quickbooks", "expected"), [
    # only QuickBooks changed a field: its value stays, nothing is the platform's
    ({"name": "Ada", "email": "a@old"}, {**BASE, "phone": "2"},
     ({"phone": "2", "email": "a@old"}, ["phone"], [], [])),
    # each changed its own field: both kept
    ({"name": "Ada", "email": "a@new"}, {**BASE, "phone": "2"},
     ({"phone": "2", "email": "a@new"}, ["phone"], ["email"], [])),
    # both changed the same field: the platform's pending write wins, reported as both
    ({"name": "Ada", "email": "a@new"}, {**BASE, "email": "a@qb"},
     ({"email": "a@new"}, [], [], ["email"])),
    # a field the platform leaves empty is not part of its write
    ({"name": "Ada", "phone": None}, {**BASE, "phone": "2"},
     ({"phone": "2"}, ["phone"], [], [])),
    # lines stated with less detail and numbers written another way are no change
    ({"name": "Ada", "lines": [{"item": {"name": "Consulting"}, "quantity": "2"}]},
     {**BASE, "qb_version": "6", "balance": "10.00"},
     ({"lines": BASE["lines"]}, [], [], [])),
    # a different line list is the platform's change
    ({"name": "Ada", "lines": [{"item": {"name": "Consulting"}, "quantity": "3"}]},
     {**BASE, "phone": "2"},
     ({"lines": [{"item": {"name": "Consulting"}, "quantity": "3"}]}, ["phone"], ["lines"],
      [])),
])
def test_merge(platform: dict[str, Any], quickbooks: dict[str, Any],
               expected: tuple[dict[str, Any], list[str], list[str], list[str]]) -> None:
    values, theirs, ours, both = expected
    result = merge(BASE, {"external_id": "C-1", **platform}, quickbooks)
    assert {field: result.record[field] for field in values} == values
    assert result.record["external_id"] == "C-1"
    assert result.record["qb_version"] == quickbooks["qb_version"]
    assert (list(result.quickbooks), list(result.platform), list(result.both)) == (
        theirs, ours, both)


def test_without_a_base_every_stated_field_is_the_platforms() -> None:
    result = merge({}, {"name": "Ada", "email": "a@new", "phone": None}, {**BASE, "phone": "2"})
    assert (result.record["email"], result.record["phone"]) == ("a@new", "2")
    assert result.both == ("email", "name")
    assert "phone" in result.quickbooks


@pytest.mark.parametrize(("base", "platform", "quickbooks", "expected"), [
    # the write's change is there; a later QuickBooks edit of another field does not matter
    (BASE, {"name": "Ada", "email": "a@new", "phone": "1"},
     {**BASE, "email": "a@new", "phone": "2"}, True),
    # the write's change is not there (the Mod never ran)
    (BASE, {"name": "Ada", "email": "a@new"}, {**BASE, "phone": "2"}, False),
    # QuickBooks changed the written field again after the write
    (BASE, {"name": "Ada", "email": "a@new"}, {**BASE, "email": "a@qb"}, False),
    # without a base every stated field is the write's
    ({}, {"name": "Ada", "phone": "1"}, {**BASE, "phone": "2"}, False),
    # fields QuickBooks maintains are never part of the write
    (BASE, {"name": "Ada", "qb_version": "4", "balance": "9.00"}, BASE, True),
])
def test_whether_quickbooks_holds_the_write(base: dict[str, Any], platform: dict[str, Any],
                                            quickbooks: dict[str, Any], expected: bool) -> None:
    assert carried(base, platform, quickbooks) is expected
