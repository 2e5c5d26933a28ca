"""Named faults: composable wrappers that make the Web Connector or QuickBooks misbehave.

Each fault wraps the SOAP channel or the QuickBooks object; several can be stacked.
A fault is written ``NAME`` or ``NAME:key=value,key=value`` (``--fault`` on the
command line); :data:`FAULTS` lists the names, their parameters and defaults.
Counting parameters (``nth``, ``times``) run over the life of the wrapped Web
Connector, so with several sessions the fault strikes once and later sessions show
whether the server recovers.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import cast
from xml.sax.saxutils import quoteattr

import attrs
from lxml import etree

from qbwc_server.simulator.channel import Channel
from qbwc_server.simulator.envelope import Answer, Value
from qbwc_server.simulator.errors import AnswerLost, SimulatedCrash
from qbwc_server.simulator.interface import QuickBooks, QuickBooksError, QuickBooksUnavailable
from qbwc_server.simulator.transcript import Transcript

PARSE_ERROR = ("0x80040400", "QuickBooks found an error when parsing the provided XML text stream.")
COULD_NOT_START = ("0x80040408", "Could not start QuickBooks.")
# Windows' E_OUTOFMEMORY, what the request processor reports when an answer does not fit.
OUT_OF_MEMORY = ("0x8007000E", "Not enough storage is available to complete this operation.")
# Intuit publishes no full text for these (protocol §10, §15); wording after consolibyte's table.
LOCK_MESSAGES = {
    3170: "There was an error when modifying a {obj}. "
          "QuickBooks error message: This list has been modified by another user.",
    3175: "There was an error when saving a {obj}. "
          "QuickBooks error message: The internals could not be locked.",
    3176: "There was an error when saving a {obj}. "
          "QuickBooks error message: Failed to acquire the lock.",
}


class FaultName(enum.StrEnum):
    DROP_ANSWER = "drop-answer"
    CRASH_AFTER_APPLY = "crash-after-apply"
    DUPLICATE = "duplicate"
    OUT_OF_ORDER = "out-of-order"
    HRESULT = "hresult"
    SLOW_QUICKBOOKS = "slow-quickbooks"
    LOCKED = "locked"
    CANNOT_OPEN = "cannot-open"
    PAGE_LIMIT = "page-limit"


@attrs.frozen(kw_only=True)
class FaultContext:
    """What wrappers may need besides the thing they wrap."""

    transcript: Transcript
    sleep: Callable[[float], None]


# -- wrappers around the SOAP channel -----------------------------------------


class _ChannelWrapper:
    def __init__(self, inner: Channel) -> None:
        self._inner = inner

    @property
    def transcript(self) -> Transcript:
        return self._inner.transcript

    def call(self, method: str, params: Mapping[str, Value]) -> Answer:
        return self._inner.call(method, params)


class DropAnswer(_ChannelWrapper):
    """The server handles the ``nth`` ``method`` call, but its HTTP answer is lost."""

    def __init__(self, inner: Channel, *, method: str, nth: int) -> None:
        super().__init__(inner)
        self._method, self._nth, self._seen = method, nth, 0

    def call(self, method: str, params: Mapping[str, Value]) -> Answer:
        answer = self._inner.call(method, params)
        if method == self._method:
            self._seen += 1
            if self._seen == self._nth:
                self.transcript.annotate_last("answer lost on the way back (fault drop-answer)",
                                              fault=FaultName.DROP_ANSWER)
                raise AnswerLost(f"{method}: the connection closed before the answer arrived")
        return answer


class Duplicate(_ChannelWrapper):
    """The ``nth`` ``method`` call reaches the server twice; the second answer is used."""

    def __init__(self, inner: Channel, *, method: str, nth: int) -> None:
        super().__init__(inner)
        self._method, self._nth, self._seen = method, nth, 0

    def call(self, method: str, params: Mapping[str, Value]) -> Answer:
        if method != self._method:
            return self._inner.call(method, params)
        self._seen += 1
        if self._seen != self._nth:
            return self._inner.call(method, params)
        self._inner.call(method, params)
        self.transcript.annotate_last("first delivery (fault duplicate)")
        answer = self._inner.call(method, params)
        self.transcript.annotate_last("second delivery (fault duplicate)",
                                      fault=FaultName.DUPLICATE)
        return answer


class OutOfOrder(_ChannelWrapper):
    """Injects a call where QBWC would not make one; its answer is ignored.

    Variants: ``receive-first`` sends receiveResponseXML (an answer nobody asked for)
    before the ``nth`` sendRequestXML; ``reauthenticate`` sends a second authenticate
    with the same credentials before the ``nth`` receiveResponseXML.
    """

    VARIANTS = {"receive-first": "sendRequestXML", "reauthenticate": "receiveResponseXML"}

    def __init__(self, inner: Channel, *, variant: str, nth: int) -> None:
        super().__init__(inner)
        if variant not in self.VARIANTS:
            raise ValueError(f"out-of-order variant must be one of {sorted(self.VARIANTS)}")
        self._variant, self._nth, self._seen = variant, nth, 0
        self._credentials: dict[str, Value] = {}

    def call(self, method: str, params: Mapping[str, Value]) -> Answer:
        if method == "authenticate":
            self._credentials = dict(params)
        if method == self.VARIANTS[self._variant]:
            self._seen += 1
            if self._seen == self._nth:
                self._inject(params)
        return self._inner.call(method, params)

    def _inject(self, params: Mapping[str, Value]) -> None:
        if self._variant == "receive-first":
            response = (
                '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs><CompanyQueryRs '
                'requestID="out-of-order" statusCode="0" statusSeverity="Info" '
                'statusMessage="Status OK"/></QBXMLMsgsRs></QBXML>'
            )
            self._inner.call(
                "receiveResponseXML",
                {"ticket": params.get("ticket", ""), "response": response, "hresult": "",
                 "message": ""},
            )
        else:
            self._inner.call("authenticate", self._credentials)
        self.transcript.annotate_last("injected out of order (fault out-of-order)",
                                      fault=FaultName.OUT_OF_ORDER)


# -- wrappers around QuickBooks ------------------------------------------------


class _QuickBooksWrapper:
    """Passes everything to ``inner``; :meth:`_fired` notes a strike on the current call."""

    name: FaultName

    def __init__(self, inner: QuickBooks, transcript: Transcript) -> None:
        self._inner = inner
        self._transcript = transcript

    def _fired(self, note: str) -> None:
        # QuickBooks works between two SOAP calls: the note goes on the call that brought
        # the request (or, for opening the file, on authenticate).
        self._transcript.annotate_last(f"{note} (fault {self.name})", fault=self.name)

    @property
    def country(self) -> str:
        return self._inner.country

    @property
    def qbxml_version(self) -> tuple[int, int]:
        return self._inner.qbxml_version

    def open(self, company_file: str) -> str:
        return self._inner.open(company_file)

    def hcp_response(self) -> str:
        return self._inner.hcp_response()

    def process(self, request_xml: str) -> str:
        return self._inner.process(request_xml)

    def close(self) -> None:
        self._inner.close()


class _Strikes:
    """Counts calls; true for calls nth .. nth+times-1 (times=0: from nth on, forever)."""

    def __init__(self, nth: int, times: int) -> None:
        self._nth, self._times, self._seen = nth, times, 0

    def hit(self) -> bool:
        self._seen += 1
        if self._seen < self._nth:
            return False
        return self._times == 0 or self._seen < self._nth + self._times


class CrashAfterApply(_QuickBooksWrapper):
    """QuickBooks applies the ``nth`` request, then QBWC dies before receiveResponseXML."""

    name = FaultName.CRASH_AFTER_APPLY

    def __init__(self, inner: QuickBooks, transcript: Transcript, *, nth: int) -> None:
        super().__init__(inner, transcript)
        self._strikes = _Strikes(nth, 1)

    def process(self, request_xml: str) -> str:
        response = self._inner.process(request_xml)
        if self._strikes.hit():
            self._fired("applied, then the Web Connector crashed")
            raise SimulatedCrash("the Web Connector crashed after QuickBooks applied a request")
        return response


class _FailsWithHresult(_QuickBooksWrapper):
    def __init__(
        self, inner: QuickBooks, transcript: Transcript, *, hresult: str, message: str, nth: int,
        times: int
    ) -> None:
        super().__init__(inner, transcript)
        self._hresult, self._message = hresult, message
        self._strikes = _Strikes(nth, times)


class HresultInstead(_FailsWithHresult):
    """The request processor fails with an HRESULT; the request is not applied."""

    name = FaultName.HRESULT

    def process(self, request_xml: str) -> str:
        if self._strikes.hit():
            self._fired(f"QuickBooks failed with {self._hresult}")
            raise QuickBooksError(self._hresult, self._message)
        return self._inner.process(request_xml)


class SlowQuickBooks(_QuickBooksWrapper):
    """Every request takes ``seconds`` longer (through the injected sleep)."""

    name = FaultName.SLOW_QUICKBOOKS

    def __init__(
        self, inner: QuickBooks, transcript: Transcript, *, seconds: float,
        sleep: Callable[[float], None]
    ) -> None:
        super().__init__(inner, transcript)
        self._seconds, self._sleep = seconds, sleep

    def process(self, request_xml: str) -> str:
        self._fired(f"QuickBooks took {self._seconds:g} s longer")
        self._sleep(self._seconds)
        return self._inner.process(request_xml)


class Locked(_QuickBooksWrapper):
    """Another user holds a lock: every ``*Rq`` gets its ``*Rs`` with a lock status, unapplied."""

    name = FaultName.LOCKED

    def __init__(
        self, inner: QuickBooks, transcript: Transcript, *, code: int, nth: int, times: int
    ) -> None:
        super().__init__(inner, transcript)
        if code not in LOCK_MESSAGES:
            raise ValueError(f"locked code must be one of {sorted(LOCK_MESSAGES)}")
        self._code = code
        self._strikes = _Strikes(nth, times)
        self._transcript = transcript

    def process(self, request_xml: str) -> str:
        if not self._strikes.hit():
            return self._inner.process(request_xml)
        self._fired(f"QuickBooks answered status {self._code} (locked) and applied nothing")
        return locked_response(request_xml, self._code)


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def locked_response(request_xml: str, code: int) -> str:
    """The qbXML answer QuickBooks gives when it cannot lock what each request touches.

    Raises:
        QuickBooksError: 0x80040400 when the request does not parse (as QuickBooks would).
    """
    try:
        root = etree.fromstring(request_xml.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise QuickBooksError(*PARSE_ERROR) from exc
    answers = []
    for rq in root.iterfind("QBXMLMsgsRq/*"):
        if not isinstance(rq.tag, str) or not rq.tag.endswith("Rq"):
            continue
        name = rq.tag[:-2]
        obj = name.removesuffix("Add").removesuffix("Mod").removesuffix("Query")
        attrs_text = f' requestID={quoteattr(rq.get("requestID"))}' if rq.get("requestID") else ""
        message = LOCK_MESSAGES[code].format(obj=obj or name)
        answers.append(
            f"<{name}Rs{attrs_text} statusCode=\"{code}\" statusSeverity=\"Error\" "
            f"statusMessage={quoteattr(message)} />"
        )
    return (
        '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>' + "".join(answers)
        + "</QBXMLMsgsRs></QBXML>"
    )


class PageLimit(_QuickBooksWrapper):
    """A query answer carrying more than ``records`` records fails with an HRESULT instead.

    Only messages of queries are judged: a query changes nothing, so failing it after the fact
    is honest, where failing a write QuickBooks already applied would be another fault.
    """

    name = FaultName.PAGE_LIMIT

    def __init__(self, inner: QuickBooks, transcript: Transcript, *, records: int, hresult: str,
                 message: str) -> None:
        super().__init__(inner, transcript)
        self._records, self._hresult, self._message = records, hresult, message

    def process(self, request_xml: str) -> str:
        response = self._inner.process(request_xml)
        if not _only_queries(request_xml):
            return response
        root = etree.fromstring(response.encode("utf-8"), _PARSER)
        carried = [ret for ret in root.iterfind("QBXMLMsgsRs/*/*") if str(ret.tag).endswith("Ret")]
        if len(carried) > self._records:
            self._fired(f"{len(carried)} records: QuickBooks failed with {self._hresult}")
            raise QuickBooksError(self._hresult, self._message)
        return response


def _only_queries(request_xml: str) -> bool:
    # The inner QuickBooks accepted the message, so it parses.
    root = etree.fromstring(request_xml.encode("utf-8"), _PARSER)
    return all(str(rq.tag).endswith("QueryRq") for rq in root.iterfind("QBXMLMsgsRq/*"))


class CannotOpen(_FailsWithHresult):
    """Opening the company file fails with an HRESULT (then QBWC calls connectionError)."""

    name = FaultName.CANNOT_OPEN

    def open(self, company_file: str) -> str:
        if self._strikes.hit():
            self._fired(f"QuickBooks could not open the company file: {self._hresult}")
            raise QuickBooksUnavailable(self._hresult, self._message)
        return self._inner.open(company_file)


# -- the registry ----------------------------------------------------------------

Wrap = Callable[[Channel, QuickBooks, "_Params", FaultContext], tuple[Channel, QuickBooks]]


@attrs.frozen(kw_only=True)
class FaultKind:
    """One entry of :data:`FAULTS`: what it does, its parameters with defaults, its wrapper."""

    summary: str
    defaults: Mapping[str, str]
    wrap: Wrap


class _Params:
    def __init__(self, name: str, given: Mapping[str, str], defaults: Mapping[str, str]) -> None:
        unknown = set(given) - set(defaults)
        if unknown:
            raise ValueError(
                f"fault {name} has no parameter(s) {sorted(unknown)}; it takes {sorted(defaults)}"
            )
        self._name = name
        self._values = {**defaults, **given}

    def text(self, key: str) -> str:
        return self._values[key]

    def number(self, key: str) -> int:
        try:
            return int(self._values[key], 0)
        except ValueError as exc:
            raise ValueError(f"fault {self._name}: {key} must be a whole number") from exc

    def seconds(self, key: str) -> float:
        try:
            return float(self._values[key])
        except ValueError as exc:
            raise ValueError(f"fault {self._name}: {key} must be a number of seconds") from exc


def _channel_only(make: Callable[[Channel, _Params], Channel]) -> Wrap:
    return lambda channel, quickbooks, params, _ctx: (make(channel, params), quickbooks)


def _quickbooks_only(make: Callable[[QuickBooks, _Params, FaultContext], QuickBooks]) -> Wrap:
    return lambda channel, quickbooks, params, ctx: (channel, make(quickbooks, params, ctx))


def _hresult_defaults(error: tuple[str, str]) -> dict[str, str]:
    return {"hresult": error[0], "message": error[1], "nth": "1", "times": "1"}


def _fails_with_hresult(make: Callable[..., _FailsWithHresult]) -> Wrap:
    return _quickbooks_only(lambda qb, p, ctx: make(
        qb, ctx.transcript, hresult=p.text("hresult"), message=p.text("message"),
        nth=p.number("nth"), times=p.number("times")))


FAULTS: dict[FaultName, FaultKind] = {
    FaultName.DROP_ANSWER: FaultKind(
        summary="the server handles the nth call of `method` but the HTTP answer is lost; "
                "the session errors out",
        defaults={"method": "receiveResponseXML", "nth": "1"},
        wrap=_channel_only(lambda ch, p: DropAnswer(ch, method=p.text("method"),
                                                    nth=p.number("nth"))),
    ),
    FaultName.CRASH_AFTER_APPLY: FaultKind(
        summary="QuickBooks applies the nth request, then the Web Connector crashes before "
                "receiveResponseXML",
        defaults={"nth": "1"},
        wrap=_quickbooks_only(lambda qb, p, ctx: CrashAfterApply(qb, ctx.transcript,
                                                                 nth=p.number("nth"))),
    ),
    FaultName.DUPLICATE: FaultKind(
        summary="the nth call of `method` reaches the server twice",
        defaults={"method": "receiveResponseXML", "nth": "1"},
        wrap=_channel_only(lambda ch, p: Duplicate(ch, method=p.text("method"),
                                                   nth=p.number("nth"))),
    ),
    FaultName.OUT_OF_ORDER: FaultKind(
        summary="an extra call out of sequence: receiveResponseXML before the nth "
                "sendRequestXML (receive-first) or authenticate before the nth "
                "receiveResponseXML (reauthenticate)",
        defaults={"variant": "receive-first", "nth": "1"},
        wrap=_channel_only(lambda ch, p: OutOfOrder(ch, variant=p.text("variant"),
                                                    nth=p.number("nth"))),
    ),
    FaultName.HRESULT: FaultKind(
        summary="QuickBooks fails `times` requests from the nth on with an HRESULT "
                "instead of a response",
        defaults=_hresult_defaults(PARSE_ERROR),
        wrap=_fails_with_hresult(HresultInstead),
    ),
    FaultName.SLOW_QUICKBOOKS: FaultKind(
        summary="QuickBooks takes `seconds` longer for every request",
        defaults={"seconds": "30"},
        wrap=_quickbooks_only(lambda qb, p, ctx: SlowQuickBooks(
            qb, ctx.transcript, seconds=p.seconds("seconds"), sleep=ctx.sleep)),
    ),
    FaultName.LOCKED: FaultKind(
        summary="another user holds a lock: `times` request messages from the nth on are "
                "answered with status `code` (3170/3175/3176) and not applied",
        defaults={"code": "3175", "nth": "1", "times": "1"},
        wrap=_quickbooks_only(lambda qb, p, ctx: Locked(
            qb, ctx.transcript, code=p.number("code"), nth=p.number("nth"),
            times=p.number("times"))),
    ),
    FaultName.PAGE_LIMIT: FaultKind(
        summary="QuickBooks fails any query answer of more than `records` records with an "
                "HRESULT (out of memory by default)",
        defaults={"records": "100", "hresult": OUT_OF_MEMORY[0], "message": OUT_OF_MEMORY[1]},
        wrap=_quickbooks_only(lambda qb, p, ctx: PageLimit(
            qb, ctx.transcript, records=p.number("records"), hresult=p.text("hresult"),
            message=p.text("message"))),
    ),
    FaultName.CANNOT_OPEN: FaultKind(
        summary="QuickBooks cannot open the company file `times` times from the nth open on; "
                "the Web Connector calls connectionError",
        defaults=_hresult_defaults(COULD_NOT_START),
        wrap=_fails_with_hresult(CannotOpen),
    ),
}


@attrs.frozen(kw_only=True)
class Fault:
    """A fault by name with its parameters, e.g. ``Fault.parse("drop-answer:nth=2")``."""

    name: FaultName
    params: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def parse(cls, text: str) -> Fault:
        """Read ``NAME`` or ``NAME:key=value,key=value``.

        Raises:
            ValueError: unknown name, malformed or unknown parameters.
        """
        name, _, rest = text.strip().partition(":")
        try:
            fault_name = FaultName(name)
        except ValueError as exc:
            raise ValueError(
                f"unknown fault {name!r}; known: {', '.join(f.value for f in FaultName)}"
            ) from exc
        params: dict[str, str] = {}
        for pair in filter(None, (part.strip() for part in rest.split(","))):
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise ValueError(f"fault parameter {pair!r} is not key=value")
            params[key.strip()] = value.strip()
        fault = cls(name=fault_name, params=params)
        # Wrappers only store what they wrap, so a dry run checks every value now.
        dry = FaultContext(transcript=Transcript(), sleep=lambda _: None)
        fault.apply(cast(Channel, None), cast(QuickBooks, None), dry)
        return fault

    def apply(
        self, channel: Channel, quickbooks: QuickBooks, context: FaultContext
    ) -> tuple[Channel, QuickBooks]:
        kind = FAULTS[self.name]
        return kind.wrap(channel, quickbooks, _Params(self.name, self.params, kind.defaults),
                         context)


def apply_faults(
    faults: Sequence[Fault], channel: Channel, quickbooks: QuickBooks, context: FaultContext
) -> tuple[Channel, QuickBooks]:
    """Wrap ``channel`` and ``quickbooks`` in every fault, first one innermost."""
    for fault in faults:
        channel, quickbooks = fault.apply(channel, quickbooks, context)
    return channel, quickbooks
