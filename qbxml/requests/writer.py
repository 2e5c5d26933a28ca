"""Write request objects as qbXML, in schema order, checked against the schema table.

QuickBooks rejects a whole message set for one misplaced element, so the writer never trusts
the order of attributes on a class: it walks :meth:`~qbxml.schema.Schema.children` and looks up
the attribute standing for each element. On the way it refuses what QuickBooks would refuse
(missing required elements, two branches of one choice, empty aggregates, fields or attributes
newer than the message version) so the caller learns about it before anything is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from qbxml.errors import InvalidFieldValueError, UnsupportedFieldError
from qbxml.requests.base import ELEMENT, XML_ATTRIBUTE, Request
from qbxml.requests.policy import BuildContext
from qbxml.requests.values import format_value
from qbxml.schema import FieldSpec, load_schema
from qbxml.text import escape

INDENT = "  "
_PAGING = ("Continue", "Stop")


def _spell(name: str) -> str:
    return name.replace("_", "").lower()


_MAPPINGS: dict[tuple[type, str], dict[str, str]] = {}


def _fields(obj: object, path: str) -> tuple[attrs.Attribute[Any], ...]:
    cls = type(obj)
    if not attrs.has(cls):
        raise InvalidFieldValueError(path, f"expected an attrs object, got {cls.__name__}")
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    return fields


def element_attributes(obj: object, path: str) -> dict[str, str]:
    """Map the elements of ``path`` (schema order) to the attributes of ``obj`` standing for them.

    Raises:
        InvalidFieldValueError: ``obj`` is not an attrs object.
    """
    key = (type(obj), path)
    if key not in _MAPPINGS:
        _MAPPINGS[key] = _element_attributes(obj, path)
    return _MAPPINGS[key]


def _element_attributes(obj: object, path: str) -> dict[str, str]:
    by_spelling = {_spell(name): name for name in load_schema().children(path)}
    found: dict[str, str] = {}
    for attribute in _fields(obj, path):
        if XML_ATTRIBUTE in attribute.metadata:
            continue
        name = attribute.metadata.get(ELEMENT) or by_spelling.get(_spell(attribute.name))
        if isinstance(name, str) and name in by_spelling.values():
            found[name] = attribute.name
    order = load_schema().children(path)
    return {name: found[name] for name in order if name in found}


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, tuple | list) and not value)


def _names(groups: Iterable[FieldSpec]) -> str:
    return " | ".join(spec.name for spec in groups)


class Writer:
    """Serialise requests into indented qbXML lines under one :class:`BuildContext`."""

    def __init__(self, context: BuildContext) -> None:
        """Write with ``context``'s policy and version; warnings go to the context."""
        self.context = context
        self.schema = load_schema()
        self._request: object = None

    def request(self, request: Request, request_id: str, depth: int) -> list[str]:
        """The lines of one ``...Rq`` element.

        Raises:
            QbxmlBuildError: The request cannot be sent as it is (see :mod:`qbxml.errors`).
        """
        spec = self.schema.field(request.RQ)
        if spec.version > self.context.version:
            raise UnsupportedFieldError(spec.path, str(spec.version), str(self.context.version))
        body = spec.name[:-2] if spec.name[:-2] in spec.children else None
        mapped = element_attributes(request, spec.path)
        used = set(mapped.values())
        if body is not None:
            used |= set(element_attributes(request, body).values())
        self._refuse_unplaced(request, spec.path, used)
        self._request = request  # its body is written flat from it: checked just above
        pairs = [
            (self.schema.field(f"{spec.path}/{name}"),
             request if name == body else getattr(request, mapped[name]))
            for name in spec.children
            if name == body or name in mapped
        ]
        head = f"{INDENT * depth}<{spec.name}{self._attributes(request, spec, request_id)}"
        lines = self._children(spec, pairs, depth + 1, allow_empty=True)
        if not lines:
            return [head + "/>"]
        return [head + ">", *lines, f"{INDENT * depth}</{spec.name}>"]

    def _refuse_unplaced(self, obj: object, path: str, used: set[str]) -> None:
        for attribute in _fields(obj, path):
            if attribute.name in used or XML_ATTRIBUTE in attribute.metadata:
                continue
            if not _is_empty(getattr(obj, attribute.name)):
                raise InvalidFieldValueError(
                    path, f"{type(obj).__name__}.{attribute.name} has no element here"
                )

    def _attributes(self, request: Request, spec: FieldSpec, request_id: str) -> str:
        values = {"requestID": request_id}
        for attribute in _fields(request, spec.path):
            name = attribute.metadata.get(XML_ATTRIBUTE)
            value = getattr(request, attribute.name)
            if name is None or value is None:
                continue
            attribute_spec = spec.attribute(name)
            where = f"{spec.path}@{name}"
            if attribute_spec is None:
                raise InvalidFieldValueError(where, f"{spec.name} does not take {name}")
            if attribute_spec.version > self.context.version:
                # Never dropped, whatever the policy: without its iterator a page request
                # means something else (the first page again), so the caller must choose.
                raise UnsupportedFieldError(
                    where, str(attribute_spec.version), str(self.context.version)
                )
            if attribute_spec.values and value not in attribute_spec.values:
                raise InvalidFieldValueError(
                    where, f"{value!r} is not one of {', '.join(attribute_spec.values)}"
                )
            values[name] = value
        if (values.get("iterator") in _PAGING) != ("iteratorID" in values):
            raise InvalidFieldValueError(
                f"{spec.path}@iteratorID", "goes with iterator Continue or Stop, and only with them"
            )
        return "".join(
            f' {attribute.name}="{escape(values[attribute.name])}"'
            for attribute in spec.attributes
            if attribute.name in values
        )

    def _children(
        self,
        spec: FieldSpec,
        pairs: list[tuple[FieldSpec, object]],
        depth: int,
        *,
        allow_empty: bool = False,
    ) -> list[str]:
        present = []
        for child, value in pairs:
            if _is_empty(value):
                continue
            if child.version > self.context.version:
                # A child is never older than its parent in the table (versions are inherited),
                # so a newer required child means a newer parent, refused or dropped above it.
                if self.context.policy.newer_fields == "refuse":
                    raise UnsupportedFieldError(
                        child.path, str(child.version), str(self.context.version)
                    )
                self.context.warn(child.path, "dropped", f"needs qbXML {child.version}")
                continue
            present.append((child, value))
        if not present and not allow_empty:
            raise InvalidFieldValueError(spec.path, "is empty; set at least one of its fields")
        self._check_structure(spec, [child for child, _ in present])
        lines: list[str] = []
        for child, value in present:
            if child.repeatable != isinstance(value, tuple | list):
                expected = "a tuple: it repeats" if child.repeatable else "one value"
                raise InvalidFieldValueError(child.path, f"expected {expected}")
            items = value if isinstance(value, tuple | list) else (value,)
            for item in items:
                lines.extend(self._element(child, item, depth))
        return lines

    def _element(self, spec: FieldSpec, value: object, depth: int) -> list[str]:
        pad = INDENT * depth
        if spec.type != "aggregate":
            text = format_value(spec, value, self.context)
            return [f"{pad}<{spec.name}>{text}</{spec.name}>"]
        mapped = element_attributes(value, spec.path)
        if value is not self._request:
            self._refuse_unplaced(value, spec.path, set(mapped.values()))
        pairs = [
            (self.schema.field(f"{spec.path}/{name}"), getattr(value, attribute))
            for name, attribute in mapped.items()
        ]
        return [f"{pad}<{spec.name}>", *self._children(spec, pairs, depth + 1),
                f"{pad}</{spec.name}>"]

    def _check_structure(self, spec: FieldSpec, present: list[FieldSpec]) -> None:
        """Refuse two branches of one choice, a missing required element or required choice."""
        repeating = {group.id for group in spec.groups if group.repeat}
        used: dict[int, set[int]] = {}
        for child in present:
            for group, branch in child.choice:
                used.setdefault(group, set()).add(branch)
        for group, branches in used.items():
            if len(branches) > 1 and group not in repeating:
                members = [child for child in present if any(g == group for g, _ in child.choice)]
                raise InvalidFieldValueError(
                    spec.path, f"choose one of the alternatives, not {_names(members)}"
                )

        def active(chain: tuple[tuple[int, int], ...]) -> bool:
            # Chosen branches; a repeating group (lines OR line groups) may have several.
            return all(branch in used.get(group, ()) for group, branch in chain)

        names = {child.name for child in present}
        for name in spec.children:
            child = self.schema.field(f"{spec.path}/{name}")
            if child.required and name not in names and active(child.choice):
                raise InvalidFieldValueError(child.path, "is required")
        for group_spec in spec.groups:
            if group_spec.required and group_spec.id not in used and active(group_spec.parent):
                members = [
                    self.schema.field(f"{spec.path}/{name}") for name in spec.children
                ]
                choices = [m for m in members if m.choice and m.choice[-1][0] == group_spec.id]
                raise InvalidFieldValueError(spec.path, f"needs one of {_names(choices)}")
