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
    """Shows chips and the count; the screen sets them (attributes down)."""

    def show(self, filters: Filters, total: int | None, archive_total: int | None) -> None:
        text = Text()
        for chip in chips(filters):
            text.append(f" {inert(chip)} ", style="reverse")
            text.append(" ")
        if not filters.active() and not filters.search:
            text.append("No filters", style="dim")
            text.append("  ")
        if total is None:
            text.append("counting…", style="dim")
        else:
            text.append(count_line(total, archive_total or 0), style="bold")
        self.update(text)
