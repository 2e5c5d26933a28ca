"""The machinery that turns one qbXML element into a frozen, typed record, in one pass.

Each record class is a frozen, keyword-only dataclass that also declares ``_XML``: a table from
child element name to ``(attribute, converter, repeated)``. :meth:`Record.from_element` walks
the children once, looks each name up in that table, converts the text (``Decimal`` for money,
``date``, :class:`QbDateTime`, ``bool``, ``int``, nested records) and keeps any child it does
not know, raw, in ``extra``: real QuickBooks output does not always match the XSD
(``qbwc-protocol.md`` section 7), so unknown children are kept, never fatal, and missing
"required" children simply stay ``None``.

Why not ``cls(**values)``: the generated frozen ``__init__`` calls ``object.__setattr__`` once per
field (60 for a customer), which dominated the profile of a 50,000-record response. The records
are therefore assembled by filling the instance ``__dict__`` in one step from the class defaults
and the parsed values; the keyword-only ``__init__`` stays for everyone else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Self, TypeAlias, TypeVar

from lxml import etree

__all__ = [
    "QbDateTime",
    "RawPair",
    "RawValue",
    "Record",
    "many",
    "one",
    "raw_value",
    "to_bool",
    "to_date",
    "to_datetime",
    "to_int",
    "to_money",
    "xml_record",
]

RawValue: TypeAlias = "str | tuple[tuple[str, RawValue], ...]"
"""An element kept as found: its text for a leaf, else its children as ``(name, value)`` pairs."""
RawPair: TypeAlias = "tuple[str, RawValue]"

TextConverter: TypeAlias = Callable[[str], object]
"""Turns the (non-empty) text of a leaf element into a value."""
Converter: TypeAlias = "TextConverter | type[Record] | Callable[[etree._Element], RawValue]"
Spec: TypeAlias = "tuple[str, Converter | None, bool]"

R = TypeVar("R", bound="Record")

# How a child is read, as compiled by :func:`xml_record` into ``_TABLE``.
_TEXT, _CONVERT, _RECORD, _RAW, _MANY_TEXT, _MANY_RECORD = range(6)


def one(attribute: str, converter: Converter | None = None) -> Spec:
    """Map a child element to ``attribute``.

    ``converter`` is ``None`` (keep the text as ``str``), a text converter such as
    :data:`to_money` (applied to non-empty text; empty text gives ``None``), a :class:`Record`
    subclass (the child is that nested record) or :func:`raw_value` (the child kept raw).
    """
    return (attribute, converter, False)


def many(attribute: str, converter: Converter | None = None) -> Spec:
    """Map a repeating child element to the tuple ``attribute``, in document order."""
    return (attribute, converter, True)


def raw_value(element: etree._Element) -> RawValue:
    """Keep an element we do not type: text for a leaf, ``(name, value)`` pairs otherwise."""
    if len(element) == 0:
        return element.text or ""
    return tuple((child.tag, raw_value(child)) for child in element)


# Text converters: C callables where possible, so reading a field costs no Python frame.
to_money: TextConverter = Decimal
"""AMTTYPE/PRICETYPE/QUANTYPE/PERCENTTYPE as ``Decimal``, never float."""
to_int: TextConverter = int
"""INTTYPE as ``int``."""
to_bool: TextConverter = "true".__eq__
"""BOOLTYPE: ``true`` is True, anything else False (empty text means unknown: ``None``)."""
to_date: TextConverter = date.fromisoformat
"""DATETYPE ``YYYY-MM-DD``."""


@dataclasses.dataclass(frozen=True, kw_only=True, slots=True)
class QbDateTime:
    """A DATETIMETYPE value with the text QuickBooks sent.

    ``value`` is timezone-aware when the text carries an offset, naive otherwise. ``text`` is
    kept because QuickBooks reports wrong UTC offsets around DST: incremental syncs send back
    :attr:`local_text` (no offset) rather than a converted instant (``qbwc-protocol.md`` §9).
    """

    value: datetime
    text: str

    @property
    def local_text(self) -> str:
        """The local wall-clock part, ``YYYY-MM-DDThh:mm:ss``, as QuickBooks filters expect."""
        return self.text[:19]


# The generated frozen __init__ takes keywords and calls object.__setattr__ per field: about
# 0.8 us a value. Filling the two slots through their descriptors costs a quarter of that.
_set_value: Callable[[QbDateTime, datetime], None] = vars(QbDateTime)["value"].__set__
_set_text: Callable[[QbDateTime, str], None] = vars(QbDateTime)["text"].__set__
_new = object.__new__
_set_dict = object.__setattr__


def to_datetime(text: str) -> QbDateTime:
    """DATETIMETYPE ``YYYY-MM-DDThh:mm:ss[+-hh:mm]`` as :class:`QbDateTime`."""
    stamp = _new(QbDateTime)
    _set_value(stamp, datetime.fromisoformat(text))
    _set_text(stamp, text)
    return stamp


@dataclasses.dataclass(frozen=True, kw_only=True)
class Record:
    """Base of every typed record: ``extra`` keeps the children this class does not type."""

    _XML: ClassVar[Mapping[str, Spec]] = {}
    _TABLE: ClassVar[dict[str, tuple[str, int, Any]]] = {}
    _DEFAULTS: ClassVar[dict[str, object]] = {"extra": ()}

    extra: tuple[RawPair, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Build the record from its element (e.g. ``<CustomerRet>``), in one pass."""
        return _build(cls, element)

    @classmethod
    def from_children(cls, children: Iterable[etree._Element]) -> Self:
        """Build the record from sibling elements (the body of a ``TxnDelRs``, say)."""
        return _build(cls, children)


def _build(cls: type[R], children: Iterable[etree._Element]) -> R:
    """The hot loop: one pass over the children, one table lookup and at most one call each.

    Every record of a 50,000-row response goes through here, nested records included, so the
    common cases are inlined rather than dispatched through per-field functions.
    """
    table = cls._TABLE
    state = cls._DEFAULTS.copy()
    extra: list[RawPair] | None = None
    lists: dict[str, list[object]] | None = None
    for child in children:
        entry = table.get(child.tag)
        if entry is None:
            if extra is None:
                extra = []
            extra.append((child.tag, raw_value(child)))
            continue
        name, how, convert = entry
        if how == _TEXT:
            state[name] = child.text
        elif how == _CONVERT:
            text = child.text
            state[name] = convert(text) if text else None
        elif how == _RECORD:
            state[name] = _build(convert, child)
        elif how == _RAW:
            state[name] = convert(child)
        else:  # repeated: collected in order, made a tuple below
            value = child.text if how == _MANY_TEXT else _build(convert, child)
            if lists is None:
                lists = {name: [value]}
            elif name in lists:
                lists[name].append(value)
            else:
                lists[name] = [value]
    if lists is not None:
        for name, values in lists.items():
            state[name] = tuple(values)
    if extra is not None:
        state["extra"] = tuple(extra)
    record = _new(cls)
    _set_dict(record, "__dict__", state)
    return record


def xml_record(cls: type[R]) -> type[R]:
    """Finish a record class: check its ``_XML`` table, compile it and precompute defaults."""
    defaults: dict[str, object] = {}
    for field in dataclasses.fields(cls):
        if field.default is dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{field.name} needs a default")
        defaults[field.name] = field.default
    unknown = {name for name, _convert, _many in cls._XML.values()} - defaults.keys()
    if unknown:
        raise TypeError(f"{cls.__name__}._XML names unknown fields {sorted(unknown)}")
    table: dict[str, tuple[str, int, Any]] = {}
    for tag, (name, convert, repeated) in cls._XML.items():
        if convert is None:
            how = _MANY_TEXT if repeated else _TEXT
        elif isinstance(convert, type) and issubclass(convert, Record):
            how = _MANY_RECORD if repeated else _RECORD
        elif repeated:
            raise TypeError(f"{cls.__name__}.{name}: many() takes text or a record class")
        else:
            how = _RAW if convert is raw_value else _CONVERT
        table[tag] = (name, how, convert)
    cls._TABLE = table
    cls._DEFAULTS = defaults
    return cls
