"""Print ``stats`` for a person: a total and each dimension's values, one dimension's values, or
a crosstab of two, each ending with the line that says what the counts count.

Kept apart from the CLI so Rich is imported only when a person, not a script, reads stats.
Every value from the archive goes through :func:`inert` and into ``Text``, never markup.
Lists longer than ``top`` say how many more values there are (``--top 0`` shows them all);
years are never cut.  A value longer than ``NAME_WIDTH`` cells is cut with an ellipsis (a
feed can name a source in ten thousand characters); CSV and JSON keep every value whole.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ifex_tui.archive.counting import PLURAL, RULE, Crosstab, Values
from ifex_tui.archive.filters import NAME_WIDTH, TOP
from ifex_tui.safe_text import inert
from ifex_tui.wording import counted


def _name(label: str) -> str:
    """A value as a line of text shows it: inert, and at most ``NAME_WIDTH`` cells."""
    text = inert(label)
    if cell_len(text) <= NAME_WIDTH:
        return text
    return set_cell_size(text, NAME_WIDTH - 1).rstrip() + "…"


class _Console(Console):
    """Leaves a closed pipe to the CLI, which ends quietly with status 0 (Rich would exit 1)."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def _shown(count: int, top: int | None, default: int | None = TOP) -> int:
    """How many of ``count`` values to show: ``top``, else ``default`` (None or 0: all)."""
    limit = default if top is None else top
    return count if not limit else min(limit, count)


def _more(left: int, what: str = "") -> Text:
    return Text(f"… and {left:,} more{' ' + what if what else ''} (--top 0 for all)", style="dim")


def _noun(dimension: str, count: int) -> str:
    """``country`` for one, ``countries`` for more."""
    return dimension if count == 1 else PLURAL[dimension]


def _table(title: str, rows: list[tuple[str, int]], total: int, shown: int) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, pad_edge=False)
    table.add_column(min_width=24, max_width=60, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right")
    for name, count in rows[:shown]:
        table.add_row(Text(_name(name)), f"{count:,}")
    if len(rows) > shown:
        table.add_row(_more(len(rows) - shown), "")
    if not rows and total:
        table.add_row(Text("(none)", style="dim"), "")
    return table


def _head(console: Console, total: int, what: str, matching: str) -> None:
    console.print(Text(f"{counted(total, 'alert')}{what}", style="bold"))
    if matching:
        console.print(Text(inert(f"matching {matching}"), style="dim"))


def _foot(console: Console) -> None:
    console.print()
    console.print(Text(RULE, style="dim"), soft_wrap=True)


def print_stats(
    result: dict, console: Console | None = None, matching: str = "", top: int | None = None
) -> None:
    """``matching`` says which filters were applied (see ``queries.describe``)."""
    console = console or _Console()
    total = result["alerts"]
    span = f"{result['first_date']} to {result['last_date']}" if result["first_date"] else "no dates"
    _head(console, total, f" ({span})", matching)
    if not total:
        return
    years = [(str(y["year"] or "Undated"), y["alerts"]) for y in result["years"]]
    sections = [
        ("Countries", [(c["name"], c["alerts"]) for c in result["countries"]]),
        ("Years", years),
        *[
            (key.capitalize(), [(v["name"], v["alerts"]) for v in result[key]])
            for key in ("regions", "violations", "targets", "sources")
        ],
    ]
    for title, rows in sections:
        console.print()
        shown = len(rows) if title == "Years" else _shown(len(rows), top)
        console.print(_table(title, rows, total, shown))
    _foot(console)


def print_values(
    result: Values, console: Console | None = None, matching: str = "", top: int | None = None
) -> None:
    """One value per line with its alerts: every value unless ``top`` is given."""
    console = console or _Console()
    _head(console, result.total, f" by {result.dimension}", matching)
    rows = [(_name(v.label), f"{v.count:,}") for v in result.values]
    shown = len(rows) if result.dimension == "year" else _shown(len(rows), top, None)
    console.print()
    _aligned(console, rows[:shown], numbers_from=1)
    if len(rows) > shown:
        console.print(_more(len(rows) - shown, _noun(result.dimension, len(rows) - shown)))
    if not rows:
        console.print(Text("(none)", style="dim"))
    _foot(console)


def print_crosstab(
    result: Crosstab, console: Console | None = None, matching: str = "", top: int | None = None
) -> None:
    """An aligned table, rows by columns, with a total column and a total row; wider than the
    terminal if it must be (never wrapped, never cropped), so a pipe or a file gets it whole."""
    console = console or _Console()
    rows_dim, columns_dim = result.row_dimension, result.column_dimension
    _head(console, result.total, f" by {rows_dim} and {columns_dim}", matching)
    n_rows = len(result.rows) if rows_dim == "year" else _shown(len(result.rows), top)
    n_columns = len(result.columns) if columns_dim == "year" else _shown(len(result.columns), top)
    columns = result.columns[:n_columns]
    lines = [[rows_dim, *(_name(c.label) for c in columns), "Total"]]
    for row, cells in zip(result.rows[:n_rows], result.cells, strict=False):
        lines.append([_name(row.label), *(f"{n:,}" for n in cells[:n_columns]), f"{row.count:,}"])
    lines.append(["Total", *(f"{c.count:,}" for c in columns), f"{result.total:,}"])
    console.print()
    _aligned(console, lines, numbers_from=1, bold=(0, len(lines) - 1))
    for left, dim in ((len(result.rows) - n_rows, rows_dim), (len(result.columns) - n_columns, columns_dim)):
        if left:
            console.print(_more(left, f"{_noun(dim, left)}, counted in the totals"))
    _foot(console)


def _aligned(
    console: Console, lines: list, numbers_from: int, bold: tuple[int, ...] = ()
) -> None:
    """``lines`` as columns two spaces apart: text left-aligned, numbers (from column
    ``numbers_from`` on) right-aligned; printed whole whatever the console's width."""
    if not lines:
        return
    widths = [max(cell_len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for index, line in enumerate(lines):
        cells = [
            cell + " " * (widths[i] - cell_len(cell)) if i < numbers_from
            else " " * (widths[i] - cell_len(cell)) + cell
            for i, cell in enumerate(line)
        ]
        text = Text("  ".join(cells).rstrip(), style="bold" if index in bold else "")
        console.print(text, soft_wrap=True)
