"""Counts a researcher can publish: complete years, one dimension's values, a crosstab.

Every count is of *alerts* and comes from the filters' :class:`~ifex_tui.archive.plan.Plan`
(``facet_counts`` or the stored bitmaps, never the alert rows), so a crosstab of a million
alerts costs one big-integer AND and bit count per cell.  The values a list shows follow one
rule, whether it is a section of ``stats``, ``stats --values`` or a crosstab's rows and columns:

- years: every year from the first to the last matching one, 0 where none, oldest first, and
  undated alerts on a line of their own, last; chosen years (``--year 2003-2008``) are all
  shown, within the archive's span, and no other year is;
- any other dimension: every value a matching alert holds, busiest first, and the matching
  alerts holding none as one more value (``Unknown country``, ``No region``, ``No violation``,
  ``No target``, ``No source``: :data:`~ifex_tui.archive.filters.NONE_LABELS`), so every alert
  is counted somewhere; when values of it are chosen (``--country IQ --country SY``), those
  values, 0 included, and no other (an alert about Iraq and Mexico counts under Iraq and in
  the totals, with no Mexico column).

An alert with several values of a dimension counts once under each and once in each total
(:data:`RULE`); every output says so.  Nothing here imports Rich or Textual.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ifex_tui.archive import queries, sources
from ifex_tui.archive.filters import DIMENSIONS, UNDATED, UNKNOWN_COUNTRY, Filters, clipped, folded
from ifex_tui.archive.plan import Plan
from ifex_tui.archive.queries import FacetCount, label, year_series

#: What every count counts.
UNIT = "alerts"
#: How an alert with several values of a dimension is counted (text footers, JSON ``note``).
RULE = (
    "Counts are alerts. An alert with several values of a dimension (about Iraq and Syria, "
    "or both killed and detained) counts once under each value and once in every total, "
    "so a dimension's values can add up to more than its total."
)
#: Each dimension in the plural, as people write it (``--by countries`` works too).
PLURAL = {
    "country": "countries", "year": "years", "region": "regions",
    "violation": "violations", "target": "targets", "source": "sources",
}
_NAMES = {**{d: d for d in DIMENSIONS}, **{p: d for d, p in PLURAL.items()}}


def dimension(written: str) -> str:
    """The dimension named ``written`` (``country`` or ``countries``, any case).

    Raises:
        ValueError: with a message for the user.
    """
    found = _NAMES.get(written.strip().casefold())
    if found is None:
        raise ValueError(f"{written!r} is not a dimension: use one of {', '.join(DIMENSIONS)}")
    return found


def archive_years(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """The first and last dated year of the whole archive, or None if no alert is dated."""
    first, last = conn.execute(
        "SELECT min(year), max(year) FROM facet_counts WHERE kind = 'all' AND year <> ?", [UNDATED]
    ).fetchone()
    return None if first is None else (first, last)


def years(conn: sqlite3.Connection, filters: Filters, counts: Iterable[FacetCount]) -> list[FacetCount]:
    """Year counts made complete (see the module's docstring): oldest first, undated last."""
    counted = {f.key: f for f in counts if f.count}
    chosen, left_out = filters.values("year"), filters.excluded_values("year")
    span = archive_years(conn)
    asked = [y for y in chosen if y != UNDATED and span and span[0] <= y <= span[1]]
    if UNDATED in chosen:
        asked.append(UNDATED)
    shown = [*counted.values(), *(FacetCount(y, label("year", y), 0) for y in asked if y not in counted)]
    series = year_series(shown)  # every year between the first and last, newest first, undated last
    dated = [
        f for f in reversed(series)
        if f.key != UNDATED and (not chosen or f.key in chosen) and f.key not in left_out
    ]
    return dated + [f for f in series if f.key == UNDATED]


def listed(
    conn: sqlite3.Connection, filters: Filters, dimension: str, counts: Iterable[tuple]
) -> list[FacetCount]:
    """The values a list of ``dimension`` shows, from ``(key, alerts)`` pairs of the plan."""
    found = [FacetCount(key, label(dimension, key), n) for key, n in counts if n]
    if dimension == "year":
        return years(conn, filters, found)
    by_key = {folded(f.key): f for f in found}
    if chosen := {folded(key): key for key in filters.values(dimension)}:
        # the values asked for, 0 included, and not the others their alerts also hold
        by_key = {k: by_key.get(k) or FacetCount(key, label(dimension, key), 0) for k, key in chosen.items()}
    return sorted(by_key.values(), key=lambda f: (-f.count, f.label.casefold()))


def _code(key: str) -> str | None:
    return None if key == UNKNOWN_COUNTRY or key.startswith("?") else key


def entry(dimension: str, value: FacetCount) -> dict:
    """One value in JSON, shaped as in ``stats --json``: a year is a number (null: undated),
    a country has its code (null when it has none) and its name, anything else its name."""
    if dimension == "year":
        return {"year": None if value.key == UNDATED else value.key, "alerts": value.count}
    if dimension == "country":
        return {"code": _code(value.key), "name": value.label, "alerts": value.count}
    return {"name": value.label, "alerts": value.count}


def _cell_value(dimension: str, value: FacetCount):
    """A value as a crosstab's JSON names it: a year's number (null: undated), else its name."""
    if dimension == "year":
        return None if value.key == UNDATED else value.key
    return value.label


# --- the three things stats prints ------------------------------------------------------------


def stats(conn: sqlite3.Connection, filters: Filters) -> dict:
    """``stats --json``: the total, every dimension's values, years complete, and the rule."""
    result = queries.stats(conn, filters)
    counted = [FacetCount(y["year"] or UNDATED, label("year", y["year"] or UNDATED), y["alerts"]) for y in result["years"]]
    return {
        "alerts": result["alerts"],
        "unit": UNIT,
        "note": RULE,
        **{key: value for key, value in result.items() if key != "alerts"},
        "years": [entry("year", f) for f in years(conn, filters, counted)],
    }


def stats_csv(result: dict) -> Iterator[list]:
    """``stats --format csv``: one ``dimension, value, alerts`` row per value, the total first."""
    yield ["dimension", "value", UNIT]
    yield ["total", "", result["alerts"]]
    for dim in DIMENSIONS:
        for value in result[PLURAL[dim]]:
            if dim == "year":
                yield [dim, value["year"] or label("year", UNDATED), value["alerts"]]
            else:
                yield [dim, value["name"], value["alerts"]]


@dataclass(frozen=True)
class Values:
    """The values of one dimension among the matches, with their alerts (``stats --values``)."""

    dimension: str
    values: list[FacetCount]
    total: int

    def as_json(self) -> dict:
        return {
            "alerts": self.total, "unit": UNIT, "note": RULE, "dimension": self.dimension,
            "values": [entry(self.dimension, v) for v in self.values],
        }

    def csv_rows(self) -> Iterator[list]:
        """A header naming the dimension and ``alerts``, then one row per value (no total row:
        a script reading the values must meet only values)."""
        yield [self.dimension, UNIT]
        for value in self.values:
            yield [value.label, value.count]


def values(conn: sqlite3.Connection, filters: Filters, dimension: str) -> Values:
    plan = Plan(conn, filters)
    counts = plan.breakdown(dimension, none=True)
    return Values(dimension, listed(conn, filters, dimension, counts), plan.total())


@dataclass(frozen=True)
class Crosstab:
    """Alerts per value of ``rows`` and value of ``columns``: ``cells[i][j]`` holds the alerts
    with row value *i* and column value *j*.  A row's total (``rows[i].count``) counts each of
    its alerts once, as do a column's and the grand ``total``, so cells can add up to more (an
    alert about two countries) than their total, never less: the alerts with no value of a
    dimension are a row or column of their own (``No violation``)."""

    row_dimension: str
    column_dimension: str
    rows: list[FacetCount]
    columns: list[FacetCount]
    cells: list[list[int]]
    total: int

    def as_json(self) -> dict:
        def axis(dim: str, values: list[FacetCount]) -> dict:
            return {
                "dimension": dim,
                "values": [_cell_value(dim, v) for v in values],
                UNIT: [v.count for v in values],
            }

        return {
            "alerts": self.total, "unit": UNIT, "note": RULE,
            "rows": axis(self.row_dimension, self.rows),
            "columns": axis(self.column_dimension, self.columns),
            "cells": self.cells,
        }

    def csv_rows(self) -> Iterator[list]:
        """The table as a spreadsheet shows it: a header of column values, one row per row
        value, a total column and a total row (``total alerts``)."""
        total = f"total {UNIT}"
        yield [self.row_dimension, *(c.label for c in self.columns), total]
        for row, cells in zip(self.rows, self.cells, strict=True):
            yield [row.label, *cells, row.count]
        yield [total, *(c.count for c in self.columns), self.total]


def crosstab(conn: sqlite3.Connection, filters: Filters, rows: str, columns: str) -> Crosstab:
    """Alerts matching ``filters`` per value of ``rows`` and of ``columns`` (two dimensions)."""
    if rows == columns:
        raise ValueError(f"a crosstab needs two different dimensions, not {rows} twice")
    plan = Plan(conn, filters)
    table = plan.cross(rows, columns, none=True)
    row_values = listed(conn, filters, rows, [(key, n) for key, n, _ in table])
    column_values = listed(conn, filters, columns, plan.breakdown(columns, none=True))
    by_row = {folded(key): {folded(k): n for k, n in cells} for key, _, cells in table}
    cells = [
        [by_row.get(folded(r.key), {}).get(folded(c.key), 0) for c in column_values]
        for r in row_values
    ]
    return Crosstab(rows, columns, row_values, column_values, cells, plan.total())


# --- values no alert has ----------------------------------------------------------------------


def hint(conn: sqlite3.Connection, dimension: str, written: str, n: int = 3) -> str:
    """What to say after "no alert in the archive has ``dimension`` ``written``": the closest
    values the archive has (the member a source's other name stands for, values spelt alike,
    values containing what was written), or where to find them; long names cut short."""
    if dimension == "year":
        span = archive_years(conn)
        undated = conn.execute(
            "SELECT 1 FROM facet_counts WHERE kind = 'all' AND year = ? LIMIT 1", [UNDATED]
        ).fetchone()
        if span is None:
            return "no alert in it is dated"
        return f"its years run {span[0]}-{span[1]}" + (" and undated" if undated else "")
    known: dict[str, str] = {}
    for (value,) in conn.execute(
        "SELECT value FROM facet_counts WHERE kind = ? GROUP BY value ORDER BY sum(n) DESC, value",
        [dimension],
    ):
        name = label(dimension, value)
        known.setdefault(name.casefold(), name)
    wanted = written.strip().casefold()
    similar = difflib.get_close_matches(wanted, list(known), n=n, cutoff=0.6)
    if dimension == "source":  # another name of a member, or one spelt like it
        table = sources.table()
        members = [table.canonical(written), *table.close_to(written)]
        similar[:0] = [name.casefold() for name in members]
        similar = [name for name in similar if name in known]
    containing = [
        name for name in known
        if wanted and (wanted in name or re.search(rf"\b{re.escape(name)}\b", wanted))
    ]
    closest = list(dict.fromkeys([*similar, *containing]))[:n]
    if not closest:
        return f"ifex-tui stats --values {dimension} lists the archive's {PLURAL[dimension]}"
    return "closest: " + ", ".join(repr(clipped(known[name])) for name in closest)
