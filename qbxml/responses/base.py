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
and the parsed values; the keyword-only ``__init__`` stays for everyone else. The small records
that come by the million (``Ref``, ``Address``) and :class:`QbDateTime` are named tuples
(:func:`xml_tuple`), built by one C call from a list of values.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple, Self, TypeAlias, TypeVar, cast

from lxml import etree

__all__ = [
    "QbDateTime",
    "RawPair",
    "RawValue",
    "Record",
    "build",
    "builder",
    "many",
    "one",
    "raw_value",
    "to_bool",
    "to_date",
    "to_datetime",
    "to_int",
    "to_money",
    "xml_record",
    "xml_tuple",
]

RawValue: TypeAlias = "str | tuple[tuple[str, RawValue], ...]"
"""An element kept as found: its text for a leaf, else its children as ``(name, value)`` pairs."""
RawPair: TypeAlias = "tuple[str, RawValue]"

TextConverter: TypeAlias = Callable[[str], object]
"""Turns the (non-empty) text of a leaf element into a value."""
Converter: TypeAlias = (
    "TextConverter | type[Record] | type[tuple[Any, ...]] | Callable[[etree._Element], RawValue]"
)
Spec: TypeAlias = "tuple[str, Converter | None, bool]"

R = TypeVar("R", bound="Record")

# How a child is read, as compiled by :func:`_compile` into ``_TABLE`` entries
# ``(key, convert, how)``: plain text has ``convert`` None, a text converter ``how`` 0.
_CONVERT, _DATETIME, _RECORD, _RAW, _MANY_TEXT, _MANY_RECORD = range(6)


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


class QbDateTime(NamedTuple):
    """A DATETIMETYPE value with the text QuickBooks sent.

    ``value`` is timezone-aware when the text carries an offset, naive otherwise, and None when
    the text is no date-time at all (a damaged company file can say ``garbage``): one such
    value must not make a whole answer unreadable, so the text is kept for the caller to
    judge (a watermark reports it and leaves it out). ``text`` is
    kept because QuickBooks reports wrong UTC offsets around DST: incremental syncs send back
    :attr:`local_text` (no offset) rather than a converted instant (``qbwc-protocol.md`` §9).

    A named tuple (immutable, hashable, built by one C call), so it also equals the plain
    tuple ``(value, text)``; compare it with other :class:`QbDateTime` values only.
    """

    value: datetime | None
    text: str

    @property
    def local_text(self) -> str:
        """The local wall-clock part, ``YYYY-MM-DDThh:mm:ss``, as QuickBooks filters expect."""
        return self.text[:19]


_new = object.__new__
_set_dict = object.__setattr__
_tuple_new = tuple.__new__
_fromisoformat = datetime.fromisoformat


def to_datetime(text: str) -> QbDateTime:
    """DATETIMETYPE ``YYYY-MM-DDThh:mm:ss[+-hh:mm]`` as :class:`QbDateTime` (value None when
    the text is no date-time)."""
    return _tuple_new(QbDateTime, (_datetime_or_none(text), text))


def _datetime_or_none(text: str) -> datetime | None:
    try:
        return _fromisoformat(text)
    except ValueError:
        return None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Record:
    """Base of every typed record: ``extra`` keeps the children this class does not type."""

    _XML: ClassVar[Mapping[str, Spec]] = {}
    _TABLE: ClassVar[dict[str, tuple[Any, Any, int]]] = {}
    _DEFAULTS: ClassVar[dict[str, object]] = {"extra": ()}
    _EXTRA: ClassVar[str] = "extra"

    extra: tuple[RawPair, ...] = ()

    @classmethod
    def from_element(cls, element: etree._Element) -> Self:
        """Build the record from its element (e.g. ``<CustomerRet>``), in one pass."""
        built: Self = _build(_plan(cls), element)
        return built

    @classmethod
    def from_children(cls, children: Iterable[etree._Element]) -> Self:
        """Build the record from sibling elements (the body of a ``TxnDelRs``, say)."""
        built: Self = _build(_plan(cls), list(children))  # any iterable, a generator too
        return built


_record_from_element = vars(Record)["from_element"].__func__


def _plan(cls: Any) -> tuple[Any, dict[str, tuple[Any, Any, int]], Any, object]:
    """What :func:`_build` needs of a class, read once: its table, defaults and ``extra`` key."""
    return (cls, cls._TABLE, cls._DEFAULTS, cls._EXTRA)


def _build(plan: tuple[Any, ...], children: Any) -> Any:
    """The hot loop: one pass over the children, one table lookup and at most one call each.

    Every record of a 50,000-row response goes through here, nested records included, so the
    common cases are inlined rather than dispatched through per-field functions, and the
    cheapest tests come first: plain text, then a text converter. ``cls`` is a :class:`Record`
    (state is a dict of fields, installed as the instance ``__dict__``) or a :func:`xml_tuple`
    class (state is a list of fields, made the tuple in one C call). Nested record classes come
    as their compiled :func:`_plan`, so no class attribute is looked up.

    ``children`` is an element or a list of elements: ``children[:]`` lists them in one C call,
    cheaper than creating lxml's child iterator for every (nested) record.
    """
    cls, table, defaults, extra_key = plan
    state = defaults.copy()
    extra: list[RawPair] | None = None
    lists: dict[Any, list[object]] | None = None
    for child in children[:]:
        try:
            key, convert, how = table[child.tag]
        except KeyError:
            if extra is None:
                extra = []
            extra.append((child.tag, raw_value(child)))
            continue
        if convert is None:
            state[key] = child.text
        elif not how:  # _CONVERT
            text = child.text
            state[key] = convert(text) if text else None
        elif how == _DATETIME:  # to_datetime(text), inlined: no Python frame per value
            text = child.text
            if text:
                try:
                    moment = _fromisoformat(text)
                except ValueError:  # damaged: kept as text (see QbDateTime)
                    moment = None
                state[key] = _tuple_new(QbDateTime, (moment, text))
            else:
                state[key] = None
        elif how == _RECORD:
            state[key] = _build(convert, child)
        elif how == _RAW:
            state[key] = convert(child)
        else:  # repeated: collected in order, made a tuple below
            value = child.text if how == _MANY_TEXT else _build(convert, child)
            if lists is None:
                lists = {key: [value]}
            elif key in lists:
                lists[key].append(value)
            else:
                lists[key] = [value]
    if lists is not None:
        for key, values in lists.items():
            state[key] = tuple(values)
    if extra is not None:
        state[extra_key] = tuple(extra)
    if type(state) is list:
        return _tuple_new(cls, state)
    record = _new(cls)
    _set_dict(record, "__dict__", state)
    return record


def _compile(
    owner: str, xml: Mapping[str, Spec], key: Mapping[str, object]
) -> dict[str, tuple[Any, Any, int]]:
    """Compile an ``_XML`` table: ``key`` maps each field name to its key in the state."""
    unknown = {name for name, _convert, _many in xml.values()} - key.keys()
    if unknown:
        raise TypeError(f"{owner}._XML names unknown fields {sorted(unknown)}")
    table: dict[str, tuple[Any, Any, int]] = {}
    for tag, (name, spec, repeated) in xml.items():
        how, convert = _CONVERT, cast(Any, spec)
        if convert is None:
            if repeated:
                how, convert = _MANY_TEXT, str  # any non-None marker: the text is kept as is
        elif isinstance(convert, type) and issubclass(convert, Record | tuple):
            how, convert = (_MANY_RECORD if repeated else _RECORD), _plan(convert)
        elif repeated:
            raise TypeError(f"{owner}.{name}: many() takes text or a record class")
        elif convert is raw_value:
            how = _RAW
        elif convert is to_datetime:
            how = _DATETIME
        table[tag] = (key[name], convert, how)
    return table


def xml_record(cls: type[R]) -> type[R]:
    """Finish a record class: check its ``_XML`` table, compile it and precompute defaults."""
    defaults: dict[str, object] = {}
    for field in dataclasses.fields(cls):
        if field.default is dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{field.name} needs a default")
        defaults[field.name] = field.default
    cls._TABLE = _compile(cls.__name__, cls._XML, {name: name for name in defaults})
    cls._DEFAULTS = defaults
    return cls


T = TypeVar("T", bound=tuple[Any, ...])


def xml_tuple(xml: Mapping[str, Spec]) -> Callable[[type[T]], type[T]]:
    """Finish a small nested record declared as a :class:`typing.NamedTuple`.

    Refs and addresses come by the million; as named tuples they are built by one C call and
    need no instance dict, at half the cost of a :class:`Record`. They stay immutable, hashable
    and typed, with the same attributes, ``extra`` included (their last field) - but, being
    tuples, they also equal a plain tuple of the same values.
    """

    def finish(cls: type[T]) -> type[T]:
        named: Any = cls  # a NamedTuple class: _fields, _field_defaults
        names: tuple[str, ...] = named._fields
        defaults: dict[str, object] = named._field_defaults
        if names[-1] != "extra" or defaults.keys() != set(names):
            raise TypeError(f"{cls.__name__}: every field needs a default, extra comes last")
        index = {name: position for position, name in enumerate(names)}
        named._XML = xml
        named._TABLE = _compile(cls.__name__, xml, index)
        named._DEFAULTS = [defaults[name] for name in names]
        named._EXTRA = len(names) - 1
        return cls

    return finish


def builder(cls: type[R]) -> Callable[[etree._Element], R]:
    """``cls.from_element`` as a C-level partial of :func:`_build` (no Python frame of its own),
    for the reader's dispatch table; a class that overrides ``from_element`` keeps its own."""
    if getattr(cls.from_element, "__func__", None) is not _record_from_element:
        return cls.from_element
    return functools.partial(_build, _plan(cls))


def build(cls: type[T], element: etree._Element) -> T:
    """Build a :func:`xml_tuple` record from its element."""
    built: T = _build(_plan(cls), element)
    return built
