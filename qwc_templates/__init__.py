"""Templates for the ``.qwc`` files handed to the Web Connector."""

from __future__ import annotations

from importlib import resources


def load(name: str = "default.qwc") -> str:
    """The text of a bundled ``.qwc`` template."""
    return (resources.files(__name__) / name).read_text(encoding="utf-8")
