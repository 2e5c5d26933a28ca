"""The hardened parser: encodings, BOMs, hostile and malformed documents."""

from __future__ import annotations

import io
import itertools

import pytest
from lxml import etree

from qbxml.errors import QbxmlParseError
from qbxml.parsing import GrowingTree, parse_xml, to_bytes
from qbxml.responses import CustomerRet, iter_records, parse_response

CP1252 = (
    '<?xml version="1.0" encoding="windows-1252"?>\n'
    "<QBXML><QBXMLMsgsRs><CustomerQueryRs requestID=\"1\" statusCode=\"0\" "
    'statusSeverity="Info"><CustomerRet><Name>Café €uro</Name></CustomerRet>'
    "</CustomerQueryRs></QBXMLMsgsRs></QBXML>"
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE QBXML [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0"><CustomerRet><Name>&lol4;</Name>
</CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE QBXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<QBXML><QBXMLMsgsRs><CustomerQueryRs statusCode="0"><CustomerRet><Name>&xxe;</Name>
</CustomerRet></CustomerQueryRs></QBXMLMsgsRs></QBXML>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE QBXML SYSTEM "http://example.invalid/qbxml.dtd">
<QBXML><QBXMLMsgsRs><HostQueryRs statusCode="0"/></QBXMLMsgsRs></QBXML>"""

HOSTILE = [
    pytest.param(BILLION_LAUGHS, id="billion-laughs"),
    pytest.param(XXE, id="xxe-file"),
    pytest.param(EXTERNAL_DTD, id="external-dtd-no-records"),
]


def _name(data: bytes | str) -> str | None:
    (rs,) = parse_response(data).responses
    (customer,) = rs.records
    assert isinstance(customer, CustomerRet)
    return customer.name


def test_windows_1252_from_bytes() -> None:
    assert _name(CP1252.encode("cp1252")) == "Café €uro"


def test_windows_1252_declaration_in_str() -> None:
    # lxml alone refuses a str with an encoding declaration.
    with pytest.raises(ValueError, match="encoding declaration"):
        etree.fromstring(CP1252)
    assert _name(CP1252) == "Café €uro"


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param(b"\xef\xbb\xbf", id="utf8-bom"),
        pytest.param(b"\r\n  \t", id="whitespace"),
        pytest.param(b"\xef\xbb\xbf\n ", id="bom-then-whitespace"),
    ],
)
def test_leading_bom_and_whitespace_bytes(prefix: bytes) -> None:
    assert _name(prefix + CP1252.encode("cp1252")) == "Café €uro"


def test_leading_bom_and_whitespace_str() -> None:
    assert _name("\ufeff\n  " + CP1252) == "Café €uro"


def test_to_bytes_leaves_clean_bytes_alone() -> None:
    data = b"<QBXML/>"
    assert to_bytes(data) is data
    assert to_bytes("<QBXML/>") == b"<QBXML/>"


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_documents_rejected_by_parse_response(data: bytes) -> None:
    with pytest.raises(QbxmlParseError, match="DOCTYPE"):
        parse_response(data)


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_documents_yield_nothing_when_streamed(data: bytes) -> None:
    seen: list[object] = []
    with pytest.raises(QbxmlParseError, match="DOCTYPE"):
        seen.extend(iter_records(io.BytesIO(data)))
    assert seen == []


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_documents_rejected_by_tree_parser(data: bytes) -> None:
    with pytest.raises(QbxmlParseError, match="DOCTYPE"):
        parse_xml(data)


def test_parse_xml_reads_a_plain_document() -> None:
    declared = "<?xml version='1.0' encoding='windows-1252'?>"
    root = parse_xml(declared + "<QBXML><!-- c --><A>é</A></QBXML>")
    assert root.tag == "QBXML"
    assert [child.tag for child in root] == ["A"]  # comments are dropped
    assert root[0].text == "é"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"<QBXML><QBXMLMsgsRs></QBXML>", id="mismatched-tag"),
        pytest.param(b"", id="empty"),
        pytest.param("", id="empty-str"),
        pytest.param(b"<QBXML>&undefined;</QBXML>", id="undefined-entity"),
        pytest.param(b'<?xml version="1.0" encoding="no-such-codec"?><QBXML/>', id="bad-codec"),
    ],
)
def test_malformed_xml_chains_the_lxml_error(data: bytes | str) -> None:
    with pytest.raises(QbxmlParseError, match="cannot parse qbXML") as caught:
        parse_response(data)
    assert isinstance(caught.value.__cause__, etree.LxmlError | ValueError | LookupError)


def test_malformed_xml_in_tree_parser_chains() -> None:
    with pytest.raises(QbxmlParseError) as caught:
        parse_xml(b"<QBXML>")
    assert isinstance(caught.value.__cause__, etree.XMLSyntaxError)


def test_growing_tree_reports_watched_starts_chunk_by_chunk() -> None:
    doc = b"<R><A>1</A><B><A>2</A></B><A>3</A></R>"
    tree = GrowingTree(doc, ["A"], chunk_size=8)
    assert tree.root is None
    steps = [[(e.tag, e.getparent().tag) for e in started] for started in tree]  # type: ignore[union-attr]
    assert len(steps) == len(doc) // 8 + 1
    assert [pair for step in steps for pair in step] == [("A", "R"), ("A", "B"), ("A", "R")]
    assert tree.root is not None
    assert [child.tag for child in tree.root] == ["A", "B", "A"]


def test_growing_tree_lets_the_caller_prune_complete_elements() -> None:
    doc = b"<R>" + b"".join(b"<A>%d</A>" % i for i in range(1000)) + b"</R>"
    tree = GrowingTree(io.BytesIO(doc), ["R"], chunk_size=100)
    root: etree._Element | None = None
    seen: list[str] = []
    widest = 0
    for started in tree:
        root = root if root is not None else (started[0] if started else None)
        if root is not None:
            widest = max(widest, len(root))
            complete = root[:-1]  # the last child may still be open
            seen.extend(child.text or "" for child in complete)
            del root[: len(complete)]
    assert tree.root is root is not None
    seen.extend(child.text or "" for child in root)
    assert seen == [str(i) for i in range(1000)]
    assert widest < 20  # pruned as it grew: never the whole document


def test_growing_tree_refuses_a_doctype_before_reporting_anything() -> None:
    reported: list[object] = []
    with pytest.raises(QbxmlParseError, match="DOCTYPE"):
        reported.extend(itertools.chain.from_iterable(GrowingTree(XXE, ["QBXML"], chunk_size=16)))
    assert reported == []
