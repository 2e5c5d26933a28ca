"""What a Web Connector run moved, in words on the sync history page."""

from __future__ import annotations

import pytest

from qbwc_server.pages.history import counts_in_words


@pytest.mark.parametrize(("counts", "words"), [
    ({"account": 13, "customer": 2}, "13 accounts, 2 customers"),
    ({"customer": 1}, "1 customer"),  # one is singular
    ({"item": 0, "invoice": 4}, "4 invoices"),  # nothing moved is not mentioned
    ({"credit_memo": 3}, "3 credit memos"),  # record types read as words
    ({}, ""),  # the page shows a dash
])
def test_counts_read_as_words(counts: dict[str, int], words: str) -> None:
    assert counts_in_words(counts) == words
