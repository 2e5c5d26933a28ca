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
from typing import ClassVar, Self, TypeAlias, TypeVar, cast

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

Converter: TypeAlias = Callable[[etree._Element], object]
Spec: TypeAlias = tuple[str, Converter | None, bool]

R = TypeVar("R", bound="Record")


def one(attribute: str, converter: Converter | None = None) -> Spec:
    """Map a child element to ``attribute``; ``None`` keeps the text as ``str``."""
    return (attribute, converter, False)


def many(attribute: str, converter: Converter | None = None) -> Spec:
    """Map a repeating child element to the tuple ``attribute``, in document order."""
    return (attribute, converter, True)


def raw_value(element: etree._Element) -> RawValue:
    """Keep an element we do not type: text for a leaf, ``(name, value)`` pairs otherwise."""
    if len(element) == 0:
        return element.text or ""
    return tuple((child.tag, raw_value(child)) for child in element)


def to_money(element: etree._Element) -> Decimal | None:
    """AMTTYPE/PRICETYPE/QUANTYPE/PERCENTTYPE as ``Decimal``, never float."""
    text = element.text
    return Decimal(text) if text else None


def to_int(element: etree._Element) -> int | None:
    """INTTYPE as ``int``."""
    text = element.text
    return int(text) if text else None


def to_bool(element: etree._Element) -> bool | None:
    """BOOLTYPE: ``true``/``false``, empty means unknown."""
    text = element.text
    return text == "true" if text else None


def to_date(element: etree._Element) -> date | None:
    """DATETYPE ``YYYY-MM-DD``."""
    text = element.text
    return date.fromisoformat(text) if text else None


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


def to_datetime(element: etree._Element) -> QbDateTime | None:
    """DATETIMETYPE ``YYYY-MM-DDThh:mm:ss[+-hh:mm]`` as :class:`QbDateTime`."""
    text = element.text
    return QbDateTime(value=datetime.fromisoformat(text), text=text) if text else None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Record:
    """Base of every typed record: ``extra`` keeps the children this class does not type."""

    _XML: ClassVar[Mapping[str, Spec]] = {}
    _DEFAULTS: ClassVar[Mapping[str, object]] = {"extra": ()}
    _REPEATED: ClassVar[tuple[str, ...]] = ()

    extra: tuple[RawPair, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Build the record from its element (e.g. ``<CustomerRet>``), in one pass."""
        return cls.from_children(element)

    @classmethod
    def from_children(cls, children: Iterable[etree._Element]) -> Self:
        """Build the record from sibling elements (the body of a ``TxnDelRs``, say)."""
        spec = cls._XML
        values: dict[str, object] = {}
        extra: list[RawPair] = []
        for child in children:
            entry = spec.get(child.tag)
            if entry is None:
                extra.append((child.tag, raw_value(child)))
                continue
            name, convert, repeated = entry
            value = child.text if convert is None else convert(child)
            if repeated:
                bucket = values.get(name)
                if bucket is None:
                    values[name] = [value]
                else:
                    bucket.append(value)  # type: ignore[attr-defined]
            else:
                values[name] = value
        for name in cls._REPEATED:
            if name in values:
                values[name] = tuple(cast(list[object], values[name]))
        if extra:
            values["extra"] = tuple(extra)
        record = object.__new__(cls)
        state = dict(cls._DEFAULTS)
        state.update(values)
        object.__setattr__(record, "__dict__", state)
        return record


def xml_record(cls: type[R]) -> type[R]:
    """Finish a record class: check its ``_XML`` table and precompute its defaults."""
    fields = dataclasses.fields(cls)
    defaults: dict[str, object] = {}
    for field in fields:
        if field.default is dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{field.name} needs a default")
        defaults[field.name] = field.default
    unknown = {name for name, _convert, _many in cls._XML.values()} - defaults.keys()
    if unknown:
        raise TypeError(f"{cls.__name__}._XML names unknown fields {sorted(unknown)}")
    cls._DEFAULTS = defaults
    cls._REPEATED = tuple(sorted({name for name, _c, rep in cls._XML.values() if rep}))
    return cls
