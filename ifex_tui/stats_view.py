"""Print ``stats`` for a person: a total, the date span, and the top values of each facet.

Kept apart from the CLI so Rich is imported only when a person, not a script, reads stats.
Every value from the archive goes through :func:`inert` and into ``Text``, never markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ifex_tui.safe_text import inert

TOP = 15


def _table(title: str, rows: list[tuple[str, int]], total: int) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, pad_edge=False)
    table.add_column(min_width=24, max_width=60, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right")
    for name, count in rows[:TOP]:
        table.add_row(Text(inert(name)), f"{count:,}")
    if len(rows) > TOP:
        table.add_row(Text(f"… {len(rows) - TOP} more", style="dim"), "")
    if not rows and total:
        table.add_row(Text("(none)", style="dim"), "")
    return table


class _Console(Console):
    """Leaves a closed pipe to the CLI, which ends quietly with status 0 (Rich would exit 1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def print_stats(result: dict, console: Console | None = None, matching: str = "") -> None:
    """``matching`` says which filters were applied (see ``queries.describe``)."""
    console = console or _Console()
    total = result["alerts"]
    span = f"{result['first_date']} to {result['last_date']}" if result["first_date"] else "no dates"
    console.print(Text(f"{total:,} alerts ({span})", style="bold"))
    if matching:
        console.print(Text(inert(f"matching {matching}"), style="dim"))
    if not total:
        return
    years = [(str(y["year"] or "Undated"), y["alerts"]) for y in result["years"]]
    sections = [
        ("Countries", [(c["name"], c["alerts"]) for c in result["countries"]]),
        ("Years", sorted(years, reverse=True)),
        *[
            (key.capitalize(), [(v["name"], v["alerts"]) for v in result[key]])
            for key in ("regions", "violations", "targets", "sources")
        ],
    ]
    for title, rows in sections:
        console.print()
        console.print(_table(title, rows, total))
