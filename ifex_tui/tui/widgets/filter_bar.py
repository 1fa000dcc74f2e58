"""The status line: the active filters as chips, and how many alerts match."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ifex_tui.archive.filters import DIMENSIONS, Filters
from ifex_tui.archive.queries import excluded_label, label, search_shown
from ifex_tui.safe_text import inert
from ifex_tui.tui.widgets.facet_list import NAMES

MAX_VALUES_SHOWN = 4


def _names(dimension: str, keys: frozenset, name=label) -> str:
    names = sorted((name(dimension, k) for k in keys), key=str.casefold)
    shown = ", ".join(names[:MAX_VALUES_SHOWN])
    if len(names) > MAX_VALUES_SHOWN:
        shown += f" +{len(names) - MAX_VALUES_SHOWN}"
    return shown


def chips(filters: Filters, *, named: bool = True) -> list[str]:
    """One chip per active dimension: ``Country: Mexico, Philippines``, ``Country: not Iraq``,
    ``Violations: all of Killed, Detained``, ``Country: Mexico; not Iraq``, ``Violation: not
    none``, then ``Search: "radio"`` and ``Marked: 12``.  Not ``named`` (where the names leave
    no room), a dimension's chip is its values alone (``Mexico, Philippines``) and the search
    and the marks come first: no pane shows them."""
    result = []
    for dimension in DIMENSIONS:
        chosen, excluded = filters.values(dimension), filters.excluded_values(dimension)
        if not chosen and not excluded:
            continue
        singular, plural = NAMES[dimension]
        parts = []
        if chosen and filters.matches_all(dimension) and len(chosen) > 1:
            singular = plural
            parts.append(f"all of {_names(dimension, chosen)}")
        elif chosen:
            parts.append(_names(dimension, chosen))
        if excluded:
            parts.append(f"not {_names(dimension, excluded, excluded_label)}")
        result.append(f"{singular}: {'; '.join(parts)}" if named else "; ".join(parts))
    unseen = []
    if filters.search:
        unseen.append(f"Search: {search_shown(filters.search)}")
    if filters.marked is not None:
        unseen.append(f"Marked: {filters.marked.bit_count():,}")
    return result + unseen if named else unseen + result


def count_line(total: int, archive_total: int) -> str:
    noun = "alert" if archive_total == 1 else "alerts"
    if total == archive_total:
        return f"{total:,} {noun}"
    return f"{total:,} of {archive_total:,} {noun}"


class FilterBar(Static):
    """Shows chips and the count; the screen sets them (attributes down).

    One line, always (the panes never move as filters come and go): when the chips do not fit,
    they show their values without the dimensions' names, the search first, and if even those
    do not fit, those that do and how many more there are (``+2 more``), so that the count,
    the one thing a researcher must always see, stays whole at the right.
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.filters, self.total, self.archive_total = Filters(), None, None
        self.failed = False

    def show(self, filters: Filters, total: int | None, archive_total: int | None) -> None:
        self.filters, self.total, self.archive_total = filters, total, archive_total
        self.failed = False
        self.refresh()

    def show_failure(self) -> None:
        """The count for these filters could not be made (the notification says why)."""
        self.failed = True
        self.refresh()

    def render(self) -> Text:
        total = self.total
        if self.failed:
            right = Text("not counted: archive error", style="bold red")
        elif total is None:
            right = Text("counting…", style="dim")
        else:
            right = Text(count_line(total, self.archive_total or 0), style="bold")
        room = max(0, self.content_size.width - right.cell_len - 2)
        if self.filters.empty:
            left = Text("No filters", style="dim")
        else:
            left = _fitted(chips(self.filters), room) or _first_fitting(
                chips(self.filters, named=False), room)
        left.truncate(room, overflow="ellipsis")
        return Text.assemble(left, " " * (room - left.cell_len + 2), right, no_wrap=True)


def _line(shown: list[str]) -> Text:
    """The chips, a space apart."""
    line = Text(no_wrap=True, overflow="ellipsis")
    for index, chip in enumerate(shown):
        if index:
            line.append(" ")
        line.append(f" {inert(chip)} ", style="reverse")
    return line


def _fitted(shown: list[str], room: int) -> Text | None:
    """The chips ``shown`` in ``room`` columns, or None where they do not fit."""
    line = _line(shown)
    return line if line.cell_len <= room else None


def _first_fitting(shown: list[str], room: int) -> Text:
    """As many of the chips ``shown`` as fit whole in ``room`` columns and ``+N more`` for the
    others (the first cut short, if even it does not fit with that)."""
    for kept in range(len(shown), 0, -1):
        more = f" +{len(shown) - kept} more" if kept < len(shown) else ""
        line = _line(shown[:kept])
        if line.cell_len + len(more) <= room or kept == 1:
            line.truncate(max(1, room - len(more)), overflow="ellipsis")
            return line.append(more, style="dim")
    return Text()
