"""Messages the workers send up: what happened, and which request it answers.

Every answer carries the *generation* of the request it answers (the screen counts its
filter changes; the detail pane counts its loads), and a handler drops an answer whose
generation is not the current one.  Failures are answers too, so a slow failing query can
never undo a newer request.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ifex_tui.archive.queries import AlertRow, FacetCount


@dataclass
class ListCounted(Message):
    """How many alerts match, where the kept alert now sits, the block it is in, and that
    alert in full (so the list and the detail change in one frame)."""

    generation: int
    total: int
    archive_total: int
    year_peak: int
    cursor: int
    rows: list[AlertRow]
    record: dict | None


@dataclass
class SearchChecked(Message):
    """The request's search (if any) can run: what it counts will come, not a bad search."""

    generation: int


@dataclass
class FacetCounted(Message):
    """One dimension's counts under the other filters are in."""

    generation: int
    dimension: str
    counts: list[FacetCount]


@dataclass
class UniverseLoaded(Message):
    """Every value of every dimension in the archive, busiest first (what finds match)."""

    values: dict[str, list[FacetCount]]


@dataclass
class BlockLoaded(Message):
    """A block of the alert list arrived, with one of its alerts in full: the one the cursor
    waited for (if it was in this block when it was asked for), or the last, read ahead."""

    generation: int
    block: int
    rows: list[AlertRow]
    record: dict | None = None


@dataclass
class BlockFailed(Message):
    """A block of the alert list could not be read (a ``QueryFailed`` follows with why): its
    rows are known to be missing, so keys on them stop waiting."""

    generation: int
    block: int


@dataclass
class AlertLoaded(Message):
    """Full records read for the detail pane: the highlighted alert ``pk`` (None: only its
    neighbours, read ahead of the next keypress)."""

    generation: int
    pk: int | None
    records: dict[int, dict]


@dataclass
class ArchiveChanged(Message):
    """Another process (an import) committed to the archive, or (``file``) the archive's path
    names another file now, which the app reads from here on."""

    file: bool = False


@dataclass
class QueryFailed(Message):
    """A worker's query could not run.

    ``lane`` says which kind of request failed (``counts``, ``list``, ``detail``, ``watch``);
    ``bad_search`` is true only for a search that cannot run (not valid FTS5, or too broad),
    never for a locked or damaged archive; its ``message`` is then what is wrong with the
    search, which the search box shows.
    """

    lane: str
    generation: int
    message: str
    bad_search: bool = False


@dataclass
class CitationReady(Message):
    """Citations of ``count`` alerts (the highlighted one, or the marked), made in a worker,
    to copy and show."""

    text: str
    fmt: str
    count: int = 1


@dataclass
class ViewMatched(Message):
    """The alerts in view for request ``generation``, as a bitmap of pks (to mark them all)."""

    generation: int
    bits: int


@dataclass
class ExportProgress(Message):
    """An export being written has reached ``done`` of ``total`` alerts."""

    done: int
    total: int


@dataclass
class ExportDone(Message):
    """An export was written (``manifest``: where its provenance went, if beside it), or could
    not be (``failure``: one line naming the file)."""

    path: str
    count: int
    manifest: str | None
    failure: str | None = None



@dataclass
class LinkOpened(Message):
    """The system's browser was asked to open ``link``; ``opened`` is whether one could be."""

    link: str
    opened: bool
