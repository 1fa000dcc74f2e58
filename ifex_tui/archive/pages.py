"""Pages of the alert list, newest first, that stay fast at a million alerts.

A page is the first rows of an *ordered index walk*, never a sort of every match: the
:class:`~ifex_tui.archive.plan.Plan` of the filters chooses the walk (the search hits, a
selected facet's values in ``alert_facets``, or ``alerts (sort_date, pk)``), bounds it by the
selected years and checks the other filters (exclusions and ALL as ``NOT EXISTS`` / ``EXISTS``)
row by row as the walk goes; the walk stops at the page size.  Continuing after the last row of
a page is a keyset condition on ``(sort_date, pk)``, so the millionth row costs what the first
does; only a leap (``offset``) pays for the rows it skips.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ifex_tui.archive.filters import Filters
from ifex_tui.archive.plan import Plan

PAGE_SIZE = 200
#: The most of a title a list row reads: more than any screen shows, and a title of megabytes
#: (a feed may hold one) is not copied into the page's sort, which would hold it several times
#: over (10 MB went past the 40 MiB the app lets SQLite hold).
TITLE_CHARS = 1000


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
    return Plan(conn, filters).walk(after, limit, offset, from_end)


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
        f"""SELECT a.pk, a.date, a.countries, substr(a.title, 1, ?), a.violations, a.sort_date
            FROM ({keys}) AS k JOIN alerts a ON a.pk = k.pk
            ORDER BY k.sort_date DESC, k.pk DESC""",
        [TITLE_CHARS, *params],
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
