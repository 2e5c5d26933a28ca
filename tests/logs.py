"""What a hostile or refused request may leave in the log: one line, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterable


def assert_no_traceback(records: Iterable[logging.LogRecord]) -> None:
    for record in records:
        assert record.exc_info is None, record.getMessage()
        assert "Traceback" not in record.getMessage()
