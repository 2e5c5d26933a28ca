"""Generate ``qbxml/data/schema130.json`` from Intuit's qbXML 13.0 "sample data" reference.

Intuit's ``qbxmlops130.xml`` lists every request and response as a skeleton whose elements
appear in the order QuickBooks requires, each annotated by a trailing comment such as
``<!-- opt, may rep, max length = 41 for QBD|QBCA|QBUK|QBAU, v8.0 -->``. Choices are marked by
``BEGIN OR`` / ``OR`` / ``END OR`` comments, enumerations by a preceding
``<!-- X may have one of the following values: ... -->`` comment and attributes by
``<!-- 'iterator' is optional and may have ... -->`` comments before the element.

This script turns the in-scope requests, their responses and the ``...Ret`` aggregates those
responses carry into a small JSON table that :mod:`qbxml.schema` reads at run time. Elements
marked ``not in QBD`` (other editions only) are left out; the QBD column of ``max length`` is
kept. An element without its own ``vX.Y`` annotation inherits its parent's version (1.0 at the
top). ``IDTYPE`` values get the 36-character limit of ``qbxmltypes130.xsd``.

Run ``python tools/gen_qbxml_schema.py`` after changing the scope; a test re-runs
:func:`generate` and compares the result with the committed file.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
# Kept with the test data: a test re-runs the generator on it.
OPS_PATH = ROOT / "tests" / "fixtures" / "qbxmlops" / "qbxmlops130.xml"
OUTPUT_PATH = ROOT / "qbxml" / "data" / "schema130.json"

#: The requests this project sends; their ``...Rs`` and ``...Ret`` aggregates come along.
REQUESTS = (
    "HostQueryRq",
    "CompanyQueryRq",
    "PreferencesQueryRq",
    "AccountQueryRq",
    "ItemQueryRq",
    "CustomerAddRq",
    "CustomerModRq",
    "CustomerQueryRq",
    "InvoiceAddRq",
    "InvoiceModRq",
    "InvoiceQueryRq",
    "ReceivePaymentAddRq",
    "ReceivePaymentQueryRq",
    "DepositAddRq",
    "DepositQueryRq",
    "EstimateAddRq",
    "CreditMemoAddRq",
    "TxnDelRq",
    "ListDelRq",
    "TxnVoidRq",
    "TxnDeletedQueryRq",
    "ListDeletedQueryRq",
    "DataExtDefAddRq",
    "DataExtAddRq",
)

#: Intuit type names -> the names used in the table.
TYPES = {
    "STRTYPE": "string",
    "IDTYPE": "id",
    "AMTTYPE": "amount",
    "PRICETYPE": "price",
    "QUANTYPE": "quantity",
    "PERCENTTYPE": "percent",
    "BOOLTYPE": "bool",
    "DATETYPE": "date",
    "DATETIMETYPE": "datetime",
    "GUIDTYPE": "guid",
    "ENUMTYPE": "enum",
    "INTTYPE": "int",
    "FLOATTYPE": "float",
    "TIMEINTERVALTYPE": "interval",
}
ID_MAX_LENGTH = 36  # qbxmltypes130.xsd: IDTYPE maxLength
VERSION_RE = re.compile(r"^v(\d+)\.(\d+)$")
MAX_LENGTH_RE = re.compile(r"^max length = (\d+)(?: for (.+))?$")
VALUES_RE = re.compile(r"may have one of the following values: (.*)$")
ATTRIBUTE_RE = re.compile(r"^'(\w+)' is (optional|required)")
#: When query attributes appeared. ``qbxmlops130.xml`` gives attributes no version, so these
#: come from Intuit's onscreen reference (e.g. InvoiceQuery: ``metaData`` 4.0, ``iterator`` and
#: ``iteratorID`` 5.0). An attribute is never older than its element; unlisted ones are as old.
ATTRIBUTE_VERSIONS = {"metaData": "4.0", "iterator": "5.0", "iteratorID": "5.0"}


def _tokens(comment: str) -> list[str]:
    return [token.strip() for token in comment.split(",")]


def _values(text: str) -> tuple[list[str], str | None]:
    """Parse ``A [DEFAULT], B, C`` into the values and the default."""
    values: list[str] = []
    default = None
    for raw in text.split(","):
        value = raw.strip()
        if value.upper().endswith("[DEFAULT]"):
            value = value[: -len("[DEFAULT]")].strip()
            default = value
        values.append(value)
    return values, default


def _version_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def _excludes_qbd(token: str) -> bool:
    """True for ``not in ...`` annotations that list QuickBooks Desktop."""
    return token.startswith("not in ") and "QBD" in token.removeprefix("not in ").split("|")


def _later(version: str, token: str) -> str:
    """The later of ``version`` and a ``vX.Y`` token (other tokens leave it unchanged)."""
    match = VERSION_RE.match(token)
    if match is None:
        return version
    candidate = f"{match.group(1)}.{match.group(2)}"
    return max(version, candidate, key=_version_key)


def _annotation(element: etree._Element) -> str:
    """The comment on the element's own line: first child of a container, else next sibling."""
    for candidate in (next(iter(element), None), element.getnext()):
        if (
            isinstance(candidate, etree._Comment)
            and candidate.sourceline == element.sourceline
        ):
            return (candidate.text or "").strip()
    return ""


def _preceding_comments(element: etree._Element) -> Iterator[str]:
    node = element.getprevious()
    while node is not None and isinstance(node, etree._Comment):
        yield (node.text or "").strip()
        node = node.getprevious()


def _enum(element: etree._Element) -> tuple[list[str], str | None]:
    prefix = f"{element.tag} may have one of the following values:"
    for text in _preceding_comments(element):
        if text.startswith(prefix):
            return _values(text.removeprefix(prefix))
    raise ValueError(f"no values listed for enum {element.tag} (line {element.sourceline})")


def _attributes(element: etree._Element, version: str) -> list[dict[str, Any]]:
    """The element's attributes; ``version`` (the element's) is left out where it applies."""
    comments = list(_preceding_comments(element))
    result = []
    for name in element.attrib:
        spec: dict[str, Any] = {"name": name}
        introduced = _later(version, "v" + ATTRIBUTE_VERSIONS.get(name, version))
        if introduced != version:
            spec["version"] = introduced
        for text in comments:
            match = ATTRIBUTE_RE.match(text)
            if match and match.group(1) == name:
                if match.group(2) == "required":
                    spec["required"] = True
                values = VALUES_RE.search(text)
                if values:
                    spec["values"], default = _values(values.group(1))
                    if default is not None:
                        spec["default"] = default
        result.append(spec)
    return result


def _node(element: etree._Element, parent_version: str) -> dict[str, Any] | None:
    """Describe one element and its subtree, or None when QuickBooks Desktop lacks it."""
    node: dict[str, Any] = {"name": element.tag}
    version = parent_version
    required = True
    for note in _tokens(_annotation(element)):
        if note == "opt":
            required = False
        elif note in ("may rep", "rep (1 or more)"):
            node["repeat"] = True
        elif _excludes_qbd(note):
            return None
        elif VERSION_RE.match(note):
            version = _later(version, note)
        elif match := MAX_LENGTH_RE.match(note):
            editions = match.group(2)
            if editions is None or "QBD" in editions.split("|"):
                node["max_length"] = int(match.group(1))
        elif note.startswith("min value = "):
            node["min_value"] = note.removeprefix("min value = ")
        elif note.startswith("max value = "):
            node["max_value"] = note.removeprefix("max value = ")
    node["version"] = version
    if required:
        node["required"] = True
    attributes = _attributes(element, version)
    if attributes:
        node["attributes"] = attributes
    children = [child for child in element if isinstance(child.tag, str)]
    if children or not (element.text or "").strip():
        node["type"] = "aggregate"
        node.update(_children(element, version))
    else:
        node["type"] = TYPES[(element.text or "").strip()]
        if node["type"] == "enum":
            node["values"], default = _enum(element)
            if default is not None:
                node["default"] = default
        elif node["type"] == "id":
            node.setdefault("max_length", ID_MAX_LENGTH)
    return node


def _children(element: etree._Element, version: str) -> dict[str, Any]:
    """Walk an aggregate's children, tracking ``BEGIN OR`` / ``OR`` / ``END OR`` groups.

    A group comment may carry its own annotations before ``BEGIN OR`` (``v11.0, BEGIN OR: ...``);
    they apply to every member. "You may have 0 or more A OR B" is a repeating choice (members
    may interleave), "1 or more" a required repeating one, "You may have" a required one.
    """
    children: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    stack: list[list[int]] = []  # [group id, branch index] from outermost to innermost
    # (version, in QBD, repeating) of each open group; members inherit all three.
    scopes: list[tuple[str, bool, bool]] = [(version, True, False)]
    for child in element:
        if isinstance(child, etree._Comment):
            text = (child.text or "").strip()
            if "BEGIN OR:" in text:
                prefix, _, phrase = text.partition("BEGIN OR:")
                group_version, in_qbd, _ = scopes[-1]
                for token in _tokens(prefix):
                    group_version = _later(group_version, token)
                    in_qbd = in_qbd and not _excludes_qbd(token)
                group: dict[str, Any] = {"id": len(groups)}
                phrase = phrase.strip()
                if phrase.startswith("You may have 1 or more") or not (
                    phrase.startswith(("You may optionally", "You may have 0 or more"))
                ):
                    group["required"] = True
                if " or more " in phrase:
                    group["repeat"] = True
                if stack:
                    group["parent"] = [list(pair) for pair in stack]
                groups.append(group)
                stack.append([group["id"], 0])
                scopes.append((group_version, in_qbd, bool(group.get("repeat"))))
            elif text == "OR":
                stack[-1][1] += 1
            elif text == "END OR":
                stack.pop()
                scopes.pop()
            continue
        scope_version, in_qbd, repeating = scopes[-1]
        node = _node(child, scope_version) if in_qbd else None
        if node is None:
            continue
        if repeating:
            node["repeat"] = True
        if stack:
            node["choice"] = [list(pair) for pair in stack]
        children.append(node)
    result: dict[str, Any] = {"children": children}
    if groups:
        result["groups"] = groups
    return result


def _strip_versions(node: dict[str, Any]) -> dict[str, Any]:
    return {
        key: [_strip_versions(child) for child in value] if key == "children" else value
        for key, value in node.items()
        if key != "version"
    }


def generate(ops_path: Path = OPS_PATH) -> dict[str, Any]:
    """Build the schema table from Intuit's ops reference.

    Args:
        ops_path: Path to ``qbxmlops130.xml``.

    Returns:
        The table: ``{"source", "qbxml_version", "roots": {name: node}}``.

    Raises:
        ValueError: The reference lacks an in-scope request, or one ``...Ret`` aggregate
            differs between two responses.
    """
    tree = etree.parse(str(ops_path), etree.XMLParser(huge_tree=True))
    root = tree.getroot()
    messages_rq = root.find("QBXMLMsgsRq")
    messages_rs = root.find("QBXMLMsgsRs")
    if messages_rq is None or messages_rs is None:
        raise ValueError(f"{ops_path} has no QBXMLMsgsRq/QBXMLMsgsRs")
    roots: dict[str, Any] = {}
    envelope = {"name": "QBXMLMsgsRq", "type": "aggregate", "version": "1.0",
                "attributes": _attributes(messages_rq, "1.0"), "children": []}
    roots["QBXMLMsgsRq"] = envelope
    shared: dict[str, dict[str, Any]] = {}
    for rq_name in REQUESTS:
        rs_name = rq_name[:-2] + "Rs"
        elements = {}
        for container, name in ((messages_rq, rq_name), (messages_rs, rs_name)):
            element = container.find(name)
            if element is None:
                raise ValueError(f"{ops_path} has no {name}")
            node = _node(element, "1.0")
            assert node is not None, name  # every in-scope request exists in QBD
            node.pop("required", None)
            roots[name] = node
            elements[name] = element
        _share_rets(roots[rs_name], elements[rs_name], shared)
    roots.update(sorted(shared.items()))
    return {"source": "qbxmlops130.xml", "qbxml_version": "13.0", "roots": roots}


def _share_rets(
    response: dict[str, Any], element: etree._Element, shared: dict[str, dict[str, Any]]
) -> None:
    """Move a response's ``...Ret`` and ``ErrorRecovery`` children to shared roots.

    The same ``CustomerRet`` comes back from CustomerAdd, CustomerMod and CustomerQuery; it is
    stored once (versions counted from the Ret itself) and the response keeps a ``ref``.
    """
    for node in response["children"]:
        if node["name"].endswith("Ret") or node["name"] == "ErrorRecovery":
            child = element.find(node["name"])
            assert child is not None, node["name"]  # the node was built from this element
            ret = _node(child, "1.0")
            assert ret is not None, node["name"]  # its response just kept it
            for key in ("required", "repeat", "choice"):
                ret.pop(key, None)
            _add_shared(shared, ret)
            node["ref"] = True
            for key in ("attributes", "children", "groups"):
                node.pop(key, None)


def _add_shared(shared: dict[str, dict[str, Any]], ret: dict[str, Any]) -> None:
    previous = shared.get(ret["name"])
    if previous is None:
        shared[ret["name"]] = ret
    elif _strip_versions(previous) != _strip_versions(ret):
        raise ValueError(f"{ret['name']} differs between responses")


def render(table: dict[str, Any]) -> str:
    """Serialise the table: one root per line, stable key order, so diffs stay readable."""
    lines = [
        "{",
        f'"source": {json.dumps(table["source"])},',
        f'"qbxml_version": {json.dumps(table["qbxml_version"])},',
        '"roots": {',
    ]
    items = list(table["roots"].items())
    for index, (name, node) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        lines.append(f"{json.dumps(name)}: {json.dumps(node, separators=(',', ':'))}{comma}")
    lines.extend(["}", "}", ""])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: write the table (default ``qbxml/data/schema130.json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=Path, default=OPS_PATH)
    parser.add_argument("--output", type=Path, default=OUTPUT_PATH)
    args = parser.parse_args(argv)
    args.output.write_text(render(generate(args.ops)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
