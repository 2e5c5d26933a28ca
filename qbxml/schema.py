"""The qbXML 13.0 element table: child order, types, max lengths and versions.

The table (``qbxml/data/schema130.json``) is generated from Intuit's ``qbxmlops130.xml`` by
``tools/gen_qbxml_schema.py``; nothing here is typed by hand. QuickBooks rejects a whole message
set when elements are out of order (``qbwc-protocol.md`` section 7), so both the request
builder and the simulated QuickBooks emit children in the order :meth:`Schema.children` gives.

Paths are element names joined by ``/``. Roots are the in-scope requests (``CustomerAddRq``),
their responses (``CustomerAddRs``) and the shared ``...Ret`` aggregates (``CustomerRet``). The
body of an Add/Mod request is also a root of its own, so ``CustomerAdd/Name`` and
``CustomerAddRq/CustomerAdd/Name`` name the same field; ``CustomerAddRs/CustomerRet/Name``
follows the response's reference to ``CustomerRet``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from attrs import frozen

from qbxml.versions import Version


@frozen(kw_only=True)
class ChoiceGroup:
    """A ``BEGIN OR`` group of an aggregate: its members are exclusive alternatives.

    Attributes:
        id: Number of the group within its aggregate.
        required: One branch must be present (``You may have``, not ``may optionally``).
        repeat: Members may repeat and interleave (``0 or more A OR B``).
        parent: The (group, branch) pairs this group sits inside, outermost first.
    """

    id: int
    required: bool = False
    repeat: bool = False
    parent: tuple[tuple[int, int], ...] = ()


@frozen(kw_only=True)
class AttributeSpec:
    """An XML attribute of an element (``requestID``, ``iterator``, ``onError`` ...).

    ``version`` is the qbXML version that introduced it: ``iterator`` came with 5.0, so
    QuickBooks refuses a 4.1 query that carries it, however old the query element is.
    """

    name: str
    version: Version
    required: bool = False
    values: tuple[str, ...] = ()
    default: str | None = None


@frozen(kw_only=True)
class FieldSpec:
    """One element of the table.

    Attributes:
        name: Element name.
        path: Canonical path: Add/Mod bodies (``CustomerAdd/Name``) and ``...Ret`` aggregates
            (``CustomerRet/Name``) count as roots.
        type: ``aggregate``, ``string``, ``id``, ``amount``, ``price``, ``quantity``,
            ``percent``, ``bool``, ``date``, ``datetime``, ``guid``, ``enum``, ``int``,
            ``float`` or ``interval``.
        version: The qbXML version that introduced it (inherited from its parent if unstated).
        required: Present whenever its parent is (or, inside a choice, its branch is).
        repeatable: May occur more than once.
        max_length: QuickBooks Desktop's limit in characters, if Intuit gives one.
        values: Allowed values of an enum.
        default: Default enum value QuickBooks assumes.
        min_value: Smallest allowed number, if stated.
        max_value: Largest allowed number, if stated.
        choice: (group, branch) pairs of the parent's choice groups, outermost first.
        children: Child element names in schema order.
        groups: The choice groups among the children.
        attributes: XML attributes of the element.
        ref: A response child stored as its own root (``CustomerRet`` under ``CustomerAddRs``).
    """

    name: str
    path: str
    type: str
    version: Version
    required: bool = False
    repeatable: bool = False
    max_length: int | None = None
    values: tuple[str, ...] = ()
    default: str | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choice: tuple[tuple[int, int], ...] = ()
    children: tuple[str, ...] = ()
    groups: tuple[ChoiceGroup, ...] = ()
    attributes: tuple[AttributeSpec, ...] = ()
    ref: bool = False

    def attribute(self, name: str) -> AttributeSpec | None:
        """The attribute called ``name``, or None if the element has none by that name."""
        return next((spec for spec in self.attributes if spec.name == name), None)

    def takes_attribute(self, name: str, version: Version) -> bool:
        """Whether a message of qbXML ``version`` may give this element attribute ``name``."""
        spec = self.attribute(name)
        return spec is not None and spec.version <= version


def _pairs(raw: list[list[int]]) -> tuple[tuple[int, int], ...]:
    return tuple((group, branch) for group, branch in raw)


def _number(raw: str | None) -> Decimal | None:
    return None if raw is None else Decimal(raw)


class Schema:
    """Read-only index over the generated table."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        """Index ``table`` (the parsed JSON written by ``tools/gen_qbxml_schema.py``)."""
        self.version = Version.parse(table["qbxml_version"])
        self._fields: dict[str, FieldSpec] = {}
        self._bodies: dict[str, str] = {}  # "CustomerAddRq/CustomerAdd" -> "CustomerAdd"
        self._roots = tuple(table["roots"])
        for name, node in table["roots"].items():
            self._add(node, name)

    def _add(self, node: Mapping[str, Any], path: str) -> None:
        head, _, rest = path.partition("/")
        if head.endswith("Rq") and rest == head[:-2]:
            self._bodies[path] = rest
            path = rest
        children = node.get("children", [])
        self._fields[path] = FieldSpec(
            name=node["name"],
            path=path,
            type=node["type"],
            version=Version.parse(node["version"]),
            required=node.get("required", False),
            repeatable=node.get("repeat", False),
            max_length=node.get("max_length"),
            values=tuple(node.get("values", ())),
            default=node.get("default"),
            min_value=_number(node.get("min_value")),
            max_value=_number(node.get("max_value")),
            choice=_pairs(node.get("choice", [])),
            children=tuple(child["name"] for child in children),
            groups=tuple(
                ChoiceGroup(
                    id=group["id"],
                    required=group.get("required", False),
                    repeat=group.get("repeat", False),
                    parent=_pairs(group.get("parent", [])),
                )
                for group in node.get("groups", [])
            ),
            attributes=tuple(
                AttributeSpec(
                    name=attribute["name"],
                    version=Version.parse(attribute.get("version", node["version"])),
                    required=attribute.get("required", False),
                    values=tuple(attribute.get("values", ())),
                    default=attribute.get("default"),
                )
                for attribute in node.get("attributes", [])
            ),
            ref=node.get("ref", False),
        )
        for child in children:
            self._add(child, f"{path}/{child['name']}")

    def roots(self) -> tuple[str, ...]:
        """Names of the top-level entries (requests, responses, shared ``...Ret``)."""
        return self._roots

    def field(self, path: str) -> FieldSpec:
        """The element at ``path`` (e.g. ``"CustomerAdd/Name"``, ``"CustomerRet"``).

        Raises:
            KeyError: No such element in the table.
        """
        names = path.split("/")
        current = names[0]
        for name in names[1:]:
            spec = self._fields.get(current)
            if spec is not None and spec.ref:
                current = spec.name
            current = f"{current}/{name}"
            current = self._bodies.get(current, current)
        spec = self._fields.get(current)
        if spec is None:
            raise KeyError(path)
        if spec.ref:
            return self._fields[spec.name]
        return spec

    def children(self, path: str) -> tuple[str, ...]:
        """Child element names of ``path`` in the order QuickBooks requires.

        Raises:
            KeyError: No such element in the table.
        """
        return self.field(path).children

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        try:
            self.field(path)
        except KeyError:
            return False
        return True


@cache
def load_schema() -> Schema:
    """The qbXML 13.0 table shipped in ``qbxml/data`` (read once, on first use)."""
    text = resources.files("qbxml").joinpath("data/schema130.json").read_text(encoding="utf-8")
    return Schema(json.loads(text))
