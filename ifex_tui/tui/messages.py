"""Messages the browser's parts send up: what happened, never what to do."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ifex_tui.archive.filters import Filters
from ifex_tui.archive.queries import AlertRow, FacetCount


@dataclass
class FacetToggled(Message):
    """The user toggled a value in a facet pane (``key`` is a Filters key)."""

    dimension: str
    key: str | int


@dataclass
class FacetCleared(Message):
    """The user cleared one facet pane's selection."""

    dimension: str


@dataclass
class ListCounted(Message):
    """How many alerts match ``filters``, where the kept alert now sits, and its block."""

    filters: Filters
    total: int
    archive_total: int
    cursor: int
    rows: list[AlertRow]


@dataclass
class FacetsCounted(Message):
    """The facet counts for ``filters`` are in."""

    filters: Filters
    countries: list[FacetCount]
    years: list[FacetCount]


@dataclass
class BlockLoaded(Message):
    """A block of the alert list arrived (``generation`` says which list it belongs to)."""

    generation: int
    block: int
    rows: list[AlertRow]


@dataclass
class AlertHighlighted(Message):
    """The alert list's cursor rests on alert ``pk`` (None: the list is empty)."""

    pk: int | None


@dataclass
class AlertLoaded(Message):
    """The full record of the highlighted alert."""

    record: dict | None


@dataclass
class ArchiveChanged(Message):
    """Another process (an import) committed to the archive."""


@dataclass
class QueryFailed(Message):
    """A query could not run; ``message`` is for the user (a bad search, usually)."""

    message: str
