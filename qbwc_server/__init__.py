"""qbwc-server: keeps a business platform and QuickBooks in sync."""

from __future__ import annotations

__version__ = "0.1.0"
