"""Counts in words, as every message of the command line and the app writes them."""

from __future__ import annotations


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 alert``, ``1,403 alerts`` (``nouns``: the plural when it is not ``noun + "s"``)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
