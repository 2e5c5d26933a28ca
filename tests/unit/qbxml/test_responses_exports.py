"""The response side's public names are exported, importable and listed in order."""

from __future__ import annotations

import qbxml
import qbxml.responses


def test_responses_all_is_complete_and_importable() -> None:
    names = qbxml.responses.__all__
    assert len(names) == len(set(names))
    assert all(hasattr(qbxml.responses, name) for name in names)
    assert {"parse_response", "parse_hcp_response", "iter_responses", "iter_records"} <= set(names)


def test_package_reexports_the_response_api() -> None:
    for name in ("parse_response", "parse_hcp_response", "iter_responses", "iter_records",
                 "classify", "Action", "StatusInfo", "ResponseMessage", "Rs", "RsHeader"):
        assert name in qbxml.__all__
        assert getattr(qbxml, name) is not None
