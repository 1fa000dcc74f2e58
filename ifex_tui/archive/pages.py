"""Pages of the alert list, newest first, that stay fast at a million alerts.

A page is the first rows of an *ordered index walk*, never a sort of every match: the walk
starts on the index that already holds the rows in list order and narrows most, one of

- ``alert_facets (kind, value, sort_date, alert)`` for a facet filter (one walk per selected
  value, merged: values of a dimension are OR-ed),
- the search hits table (``search_hits (sort_date, pk)``) for a full-text search,
- ``alerts (sort_date, pk)`` otherwise,

each walk bounded by the selected years as ``sort_date`` ranges.  The remaining filters are
checked row by row as the walk goes, and the walk stops at the page size.  Continuing after
the last row of a page is a keyset condition on ``(sort_date, pk)``, so the millionth row
costs what the first does; only a leap (``offset``) pays for the rows it skips.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ifex_tui.archive.filters import UNDATED, Filters
from ifex_tui.archive.search import search_hits

PAGE_SIZE = 200
FACET_DIMENSIONS = ("country", "region", "violation", "target", "source")


@dataclass(frozen=True)
class AlertRow:
    """What the alert list shows of one alert; ``cursor`` continues the list after it."""

    pk: int
    date: str | None
    countries: str
    title: str
    violations: str
    sort_date: str

    @property
    def cursor(self) -> tuple[str, int]:
        return (self.sort_date, self.pk)


def year_ranges(years: frozenset[int]) -> list[tuple[str, str] | None]:
    """The selected years as inclusive ``sort_date`` ranges, neighbouring years merged.

    No years is ``[None]`` (one unbounded walk); undated alerts have ``sort_date ''``.
    """
    if not years:
        return [None]
    runs: list[list[int]] = []
    for year in sorted(y for y in years if y != UNDATED):
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    ranges: list[tuple[str, str] | None] = [(f"{lo:04d}-", f"{hi:04d}-~") for lo, hi in runs]
    if UNDATED in years:
        ranges.append(("", ""))
    return ranges


def _walks(conn: sqlite3.Connection, filters: Filters) -> tuple[list[tuple[str, str, list]], list[str]]:
    """The ordered walks, as ``(FROM ... WHERE, pk column, parameters)`` over alias ``d``,
    and the facet dimensions they leave to be checked row by row."""
    facets = [d for d in FACET_DIMENSIONS if filters.values(d)]
    if filters.search:
        search_hits(conn, filters.search)
        return [("temp.search_hits d WHERE 1", "d.pk", [])], facets
    if facets:
        driver, rest = facets[0], facets[1:]
        walk = "alert_facets d WHERE d.kind = ? AND d.value = ?"
        return [(walk, "d.alert", [driver, value]) for value in sorted(filters.values(driver))], rest
    return [("alerts d WHERE 1", "d.pk", [])], []


def _row_checks(filters: Filters, dimensions: list[str], pk: str) -> tuple[str, list]:
    """Conditions on the walked alert for the facet filters the walk does not apply."""
    clauses, params = [], []
    for dimension in dimensions:
        values = sorted(filters.values(dimension))
        clauses.append(
            f" AND EXISTS (SELECT 1 FROM alert_facets x WHERE x.alert = {pk} AND x.kind = ? "
            f"AND x.value IN ({', '.join('?' * len(values))}))"
        )
        params.extend([dimension, *values])
    return "".join(clauses), params


def page_keys(
    conn: sqlite3.Connection,
    filters: Filters,
    after: tuple[str, int] | None = None,
    limit: int = PAGE_SIZE,
    *,
    offset: int = 0,
    from_end: bool = False,
) -> tuple[str, list]:
    """SQL (and parameters) selecting ``sort_date, pk`` of one page of matches.

    Continue a list with ``after`` (the last row's cursor); jump into it with ``offset``,
    counted from the end of the list with ``from_end`` (so "go to end" walks the index
    backwards a few rows instead of forwards past a million).  Callers join the keys to
    ``alerts`` and order them newest first.

    Raises:
        SearchError: the search is not valid FTS5 syntax.
    """
    order = "ASC" if from_end else "DESC"
    walks, unchecked = _walks(conn, filters)
    branches: list[tuple[str, list]] = []
    for walk, pk, walk_params in walks:
        checks, check_params = _row_checks(filters, unchecked, pk)
        for bounds in year_ranges(filters.year):
            sql, extra = f"SELECT d.sort_date, {pk} AS pk FROM {walk}", list(walk_params)
            if bounds is not None:
                sql += " AND d.sort_date BETWEEN ? AND ?"
                extra.extend(bounds)
            if after is not None:
                sql += f" AND (d.sort_date, {pk}) {'>' if from_end else '<'} (?, ?)"
                extra.extend(after)
            sql += f"{checks} ORDER BY d.sort_date {order}, {pk} {order} LIMIT ?"
            branches.append((sql, [*extra, *check_params]))
    if len(branches) == 1:
        sql, params = branches[0]
        return f"{sql} OFFSET ?", [*params, limit, offset]
    # several walks: each yields its first rows, the union is cut to the page
    union = " UNION ".join(f"SELECT * FROM ({sql})" for sql, _ in branches)
    keys = f"SELECT * FROM ({union}) ORDER BY sort_date {order}, pk {order} LIMIT ? OFFSET ?"
    return keys, [p for _, branch in branches for p in [*branch, limit + offset]] + [limit, offset]


def page(
    conn: sqlite3.Connection,
    filters: Filters,
    after: tuple[str, int] | None = None,
    limit: int = PAGE_SIZE,
    *,
    offset: int = 0,
    from_end: bool = False,
) -> list[AlertRow]:
    """Up to ``limit`` matching alerts as the list shows them, newest first (undated last);
    the arguments are those of :func:`page_keys`."""
    keys, params = page_keys(conn, filters, after, limit, offset=offset, from_end=from_end)
    rows = conn.execute(
        f"""SELECT a.pk, a.date, a.countries, a.title, a.violations, a.sort_date
            FROM ({keys}) AS k JOIN alerts a ON a.pk = k.pk
            ORDER BY k.sort_date DESC, k.pk DESC""",
        params,
    ).fetchall()
    return [
        AlertRow(
            pk=pk,
            date=date,
            countries=", ".join(c["name"] for c in json.loads(found)) or "Unknown country",
            title=title or "(untitled)",
            violations=", ".join(json.loads(violations)),
            sort_date=sort_date,
        )
        for pk, date, found, title, violations, sort_date in rows
    ]
