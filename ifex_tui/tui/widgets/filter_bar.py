"""The status line: the active filters as chips, and how many alerts match."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ifex_tui.archive.filters import DIMENSIONS, Filters
from ifex_tui.archive.queries import label
from ifex_tui.safe_text import inert

_NAMES = {"country": "Country", "year": "Year", "region": "Region", "violation": "Violation",
          "target": "Target", "source": "Source"}
MAX_VALUES_SHOWN = 4


def chips(filters: Filters) -> list[str]:
    """One chip per active dimension, e.g. ``Country: Mexico, Philippines``."""
    result = []
    for dimension in DIMENSIONS:
        values = filters.values(dimension)
        if not values:
            continue
        names = sorted((label(dimension, v) for v in values), key=str.casefold)
        if dimension == "year":
            names = sorted(names)
        shown = ", ".join(names[:MAX_VALUES_SHOWN])
        if len(names) > MAX_VALUES_SHOWN:
            shown += f" +{len(names) - MAX_VALUES_SHOWN}"
        result.append(f"{_NAMES[dimension]}: {shown}")
    if filters.search:
        result.append(f'Search: "{filters.search}"')
    return result


def count_line(total: int, archive_total: int) -> str:
    noun = "alert" if archive_total == 1 else "alerts"
    if total == archive_total:
        return f"{total:,} {noun}"
    return f"{total:,} of {archive_total:,} {noun}"


class FilterBar(Static):
    """Shows chips and the count; the screen sets them (attributes down).

    One line, always: when the chips do not fit, they are cut with an ellipsis so the count,
    the one thing a researcher must always see, stays whole at the right.
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.filters, self.total, self.archive_total = Filters(), None, None

    def show(self, filters: Filters, total: int | None, archive_total: int | None) -> None:
        self.filters, self.total, self.archive_total = filters, total, archive_total
        self.refresh()

    def render(self) -> Text:
        filters, total = self.filters, self.total
        left = Text(no_wrap=True, overflow="ellipsis")
        for chip in chips(filters):
            left.append(f" {inert(chip)} ", style="reverse")
            left.append(" ")
        if not filters.active() and not filters.search:
            left.append("No filters", style="dim")
        if total is None:
            right = Text("counting…", style="dim")
        else:
            right = Text(count_line(total, self.archive_total or 0), style="bold")
        room = max(0, self.content_size.width - right.cell_len - 2)
        left.truncate(room, overflow="ellipsis")
        return Text.assemble(left, " " * (room - left.cell_len + 2), right, no_wrap=True)
