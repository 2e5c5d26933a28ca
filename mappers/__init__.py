"""Canonical platform records and their mapping to qbXML and QuickBooks Online JSON. Pure."""

from __future__ import annotations

__all__: list[str] = []
