"""Every read the CLI and the app make: counts, facets, pages of alerts, one alert, stats.

All of them take a connection and a :class:`Filters`, so ``ifex-tui stats --country MX`` and
the app's countries pane agree by construction, and all of them follow the filters'
:class:`~ifex_tui.archive.plan.Plan`, which decides once which table counts the matches
(``facet_counts``, the facet index, the search hits) and which index the pages walk.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from ifex_tui.archive import bitmap_counts, bodies, countries
from ifex_tui.archive.filters import (
    DIMENSIONS,
    FACETS,
    MULTI_VALUED,
    NONE,
    NONE_LABELS,
    NONE_UNSTORED,
    UNDATED,
    UNKNOWN_COUNTRY,
    Filters,
    clipped,
    folded,
)
from ifex_tui.archive.pages import PAGE_SIZE, AlertRow, page, page_keys
from ifex_tui.archive.plan import Plan, none_bits, year_runs
from ifex_tui.archive.search import SEARCH_HELP, SearchError, runnable
from ifex_tui.wording import counted

#: The app and the CLI read everything through this module.
__all__ = [
    "PAGE_SIZE",
    "SEARCH_HELP",
    "AlertRow",
    "FacetCount",
    "SearchError",
    "absent_values",
    "alert",
    "breakdown",
    "check_search",
    "describe",
    "facet",
    "iter_records",
    "label",
    "matching",
    "page",
    "position",
    "search_shown",
    "stats",
    "total",
    "year_series",
]


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet: its key (as in Filters), what to show, and how many alerts."""

    key: str | int
    label: str
    count: int


def country_label(key: str) -> str:
    """Display name of a country facet key."""
    if key == UNKNOWN_COUNTRY:
        return NONE_LABELS["country"]
    if key.startswith("?"):
        return key[1:]
    found = countries.lookup(key)
    return found.name if found else key


def label(dimension: str, key) -> str:
    if dimension == "country":
        return country_label(key)
    if dimension == "year":
        return NONE_LABELS["year"] if key == UNDATED else str(key)
    return NONE_LABELS[dimension] if key == NONE else key


def describe(filters: Filters, conn: sqlite3.Connection | None = None) -> str:
    """The filters in words, e.g. ``country Mexico or Philippines; violation Killed and
    Detained; years 2009-2012; not country Iraq; not undated; search "radio"``.

    Countries are named as the country table names them; with ``conn``, a region, violation,
    target or source is named as the archive spells it (``--violation killed`` is ``Killed``),
    when the archive has it.
    """
    def named(dimension: str, keys: frozenset, name=label) -> list[str]:
        if conn is not None and dimension in FACETS and dimension != "country":
            keys = frozenset(_spelled(conn, dimension, key) for key in keys)
        return _named(dimension, keys, name)

    parts = []
    for dimension in DIMENSIONS:
        if dimension == "year" and filters.values(dimension) == {UNDATED}:
            parts.append("undated")
        elif chosen := filters.values(dimension):
            joined = " and " if filters.matches_all(dimension) else " or "
            parts.append(f"{_plural(dimension, chosen)} {joined.join(named(dimension, chosen))}")
    for dimension in DIMENSIONS:
        if left_out := filters.excluded_values(dimension):
            if dimension == "year" and left_out == {UNDATED}:
                parts.append("not undated")
            else:
                names = named(dimension, left_out, excluded_label)
                parts.append(f"not {_plural(dimension, left_out)} {' or '.join(names)}")
    if filters.search:
        parts.append(f"search {search_shown(filters.search)}")
    if filters.marked is not None:
        parts.append(marked_shown(filters.marked))
    return "; ".join(parts)


def marked_shown(bits: int) -> str:
    """Marked alerts as a line of text names them: ``among 3 marked alerts`` (the count is of
    the marks, not of the alerts that match)."""
    return f"among {counted(bits.bit_count(), 'marked alert')}"


def search_shown(query: str) -> str:
    """A search as a line of text shows it: one plain word in quotes (``"radio"``), anything
    else as typed, so that words (``camera operator``) do not look like the phrase
    (``"camera operator"``), which finds far fewer alerts, and a prefix (``radi*``) does not
    look like the phrase ``"radi*"``, which finds none."""
    return f'"{query}"' if re.fullmatch(r"\w+", query) else query


def _spelled(conn: sqlite3.Connection, dimension: str, key: str) -> str:
    """``key`` as the archive spells the value (its busiest spelling), or as given."""
    found = conn.execute(
        "SELECT value FROM facet_counts WHERE kind = ? AND value = ? ORDER BY n DESC LIMIT 1",
        [dimension, key],
    ).fetchone()
    return found[0] if found else key


def _plural(dimension: str, keys: frozenset) -> str:
    return "years" if dimension == "year" and (len(keys) > 1 or UNDATED in keys) else dimension


def excluded_label(dimension: str, key) -> str:
    """A value's name in a list of exclusions: the alerts with no violation, target, source
    or region are ``none`` there, as the command line writes them (``not violation none``,
    not ``not violation No violation``); ``Unknown country`` and ``Undated`` read well."""
    if dimension not in ("year", "country") and key == NONE:
        return "none"
    return label(dimension, key)


def _named(dimension: str, keys: frozenset, name=label) -> list[str]:
    """Labels (``name``) in a stable order, long ones cut short; consecutive years as one
    range (``2001-2005``)."""
    if dimension != "year":
        return sorted((clipped(name(dimension, k)) for k in keys), key=str.casefold)
    named = [f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in year_runs(keys)]
    return named + (["undated"] if UNDATED in keys else [])


def absent_values(conn: sqlite3.Connection, filters: Filters) -> list[tuple[str, str]]:
    """``(dimension, label)`` of each selected or excluded value that no alert in the archive has.

    A misspelt ``--violation Kiled`` would otherwise just count 0 (or ``--not-violation Kiled``
    exclude nothing); the CLI says why.  Years no alert has are one entry, as runs
    (``2017-2030``, ``1000-1991, 2017-9999``), not one per year.
    """
    absent = []
    for dimension in filters.active():
        chosen = filters.values(dimension) | filters.excluded_values(dimension)
        if dimension == "year":
            held = {y for (y,) in conn.execute("SELECT DISTINCT year FROM facet_counts WHERE kind = 'all'")}
            if dated := [y for y in chosen - held if y != UNDATED]:
                absent.append((dimension, _years_named(dated)))
            if UNDATED in chosen - held:
                absent.append((dimension, label(dimension, UNDATED)))
            continue
        for value in sorted(chosen, key=str):
            if dimension in NONE_UNSTORED and value == NONE:  # no rows: the bitmaps say
                if not none_bits(bitmap_counts.load(conn), dimension):
                    absent.append((dimension, label(dimension, value)))
                continue
            sql, params = "SELECT 1 FROM facet_counts WHERE kind = ? AND value = ?", [dimension, value]
            if not conn.execute(sql + " LIMIT 1", params).fetchall():
                absent.append((dimension, label(dimension, value)))
    return absent


#: How many runs of years a line names before it says how many more there are.
_RUNS_NAMED = 5


def _years_named(years: list[int]) -> str:
    """Years as runs, ``1000-1991, 1995, 2017-9999``; past a few runs, how many more years."""
    runs = year_runs(years)
    named = ", ".join(f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in runs[:_RUNS_NAMED])
    if left := sum(hi - lo + 1 for lo, hi in runs[_RUNS_NAMED:]):
        named += f" and {left:,} more year{'s' if left > 1 else ''}"
    return named


def check_search(conn: sqlite3.Connection, filters: Filters) -> None:
    """Raise ``SearchError`` if the search of ``filters`` cannot run, before anything is
    counted (the answer is kept: counting it then asks again for nothing)."""
    if filters.search:
        runnable(conn, filters.search)


def total(conn: sqlite3.Connection, filters: Filters) -> int:
    """How many alerts match ``filters``."""
    return Plan(conn, filters).total()


def matching(conn: sqlite3.Connection, filters: Filters) -> int:
    """The alerts matching ``filters`` as a bitmap of pks (see ``marked.py``)."""
    return Plan(conn, filters).matching()


def breakdown(conn: sqlite3.Connection, dimension: str, filters: Filters) -> list[FacetCount]:
    """Alerts per value of ``dimension`` among those matching ``filters``, largest first,
    the alerts holding no value of it as one more (``No violation``: every pane lists every
    value of the archive, and these can be chosen like any other).

    An alert with two countries counts once under each.
    """
    return _largest_first(Plan(conn, filters), dimension, none=True)


def _largest_first(plan: Plan, dimension: str, *, none: bool = False) -> list[FacetCount]:
    return _largest_first_of(dimension, plan.breakdown(dimension, none=none))


def _largest_first_of(dimension: str, found: list[tuple]) -> list[FacetCount]:
    rows = [FacetCount(key, label(dimension, key), n) for key, n in found if n]
    return sorted(rows, key=lambda f: (-f.count, f.label.casefold()))


def facet(conn: sqlite3.Connection, dimension: str, filters: Filters) -> list[FacetCount]:
    """A facet pane's values: counts under every *other* filter, chosen values kept.

    Selecting (or excluding) Mexico must not hide the other countries' counts, so the
    dimension's own selection, exclusion and ALL are left out of the query; a selected or
    excluded value that matches nothing under the other filters stays listed with 0 so it can
    be toggled back.  In a dimension an alert can hold several values of, the pane's own
    exclusions do apply to the other values (Censored counts the censored alerts not also
    Killed, what selecting it gives).
    """
    others = filters.without(dimension)
    left_out = filters.excluded_values(dimension)
    if left_out and dimension in MULTI_VALUED:
        # An alert can hold an excluded value and another: the other's count is of the
        # alerts that selecting it would give, the exclusion kept; the excluded values keep
        # the counts of what they leave out (one pass over the bitmaps for both).
        counts = _largest_first_of(dimension, Plan(conn, others).breakdown_leaving_out(
            dimension, left_out))
    else:
        counts = breakdown(conn, dimension, others)
    present = {folded(f.key) for f in counts}
    chosen = filters.values(dimension) | filters.excluded_values(dimension)
    missing = [FacetCount(k, label(dimension, k), 0) for k in chosen if folded(k) not in present]
    return counts + sorted(missing, key=lambda f: f.label.casefold())


def year_series(counts: list[FacetCount]) -> list[FacetCount]:
    """Year counts with every year between the first and last dated one (0 where none),
    newest first, and the undated entry (if any) last."""
    by_year = {f.key: f for f in counts}
    dated = [year for year in by_year if year != UNDATED]
    series = [
        by_year.get(year) or FacetCount(year, label("year", year), 0)
        for year in range(max(dated, default=0), min(dated, default=1) - 1, -1)
    ]
    return series + ([by_year[UNDATED]] if UNDATED in by_year else [])


def position(conn: sqlite3.Connection, filters: Filters, pk: int) -> int | None:
    """The 0-based place of alert ``pk`` in the filtered list, or None if it is not in it.

    Lets the app keep the highlighted alert when the archive changes under it.
    """
    return Plan(conn, filters).position(pk)


def alert(conn: sqlite3.Connection, pk: int) -> dict | None:
    """One alert in full, with list fields decoded, as export and the detail pane show it."""
    rows = _dicts(conn.execute("SELECT * FROM alerts WHERE pk = ?", (pk,)))
    return to_record(rows[0]) if rows else None


_JSON_FIELDS = ("tags", "authors", "countries", "violations", "targets", "extensions")


def to_record(row: dict) -> dict:
    """An ``alerts`` row as the public record (the ``export --format json`` shape)."""
    decoded = {key: json.loads(row[key]) if row[key] else None for key in _JSON_FIELDS}
    return {
        "id": row["id"],
        "url": row["url"] or row["external_url"],
        "external_url": row["external_url"],
        "title": row["title"],
        "date": row["date"],
        "published": row["published"],
        "modified": row["modified"],
        "year": row["year"],
        "countries": [
            {"code": c["code"], "name": c["name"], "written": c.get("written")}
            for c in decoded["countries"] or []
        ],
        "region": row["region"],
        "violations": decoded["violations"] or [],
        "targets": decoded["targets"] or [],
        "source": row["source"],
        "alert_type": row["alert_type"],
        "tags": decoded["tags"] or [],
        "authors": decoded["authors"] or [],
        "language": row["language"],
        "summary": row["summary"],
        "content_html": bodies.inflate(row["content_html"]),
        "content_text": row["content_text"],
        "body_text": bodies.alert_body(row["body_text"], row["content_text"], row["content_html"]),
        "extensions": decoded["extensions"] or {},
        "pk": row["pk"],
    }


def iter_records(conn: sqlite3.Connection, filters: Filters, batch: int = 1000):
    """Every matching alert as a record, newest first, in batches walked like the list's pages
    (so exporting one country of a million alerts reads its index, not every row).

    A batch's keys are read in order first, then its rows by pk, unsorted: sorting the rows
    themselves would copy every body (and a title of megabytes) into SQLite's sorter, past
    the memory the app lets SQLite hold."""
    after: tuple[str, int] | None = None
    while True:
        keys, params = page_keys(conn, filters, after, batch)
        order = conn.execute(
            f"SELECT k.sort_date, k.pk FROM ({keys}) AS k ORDER BY k.sort_date DESC, k.pk DESC",
            params,
        ).fetchall()
        if not order:
            return
        pks = [pk for _, pk in order]
        rows = {row["pk"]: row for row in _dicts(conn.execute(
            "SELECT * FROM alerts WHERE pk IN (SELECT value FROM json_each(?))",
            [json.dumps(pks)],
        ))}
        yield from (to_record(rows[pk]) for pk in pks if pk in rows)
        after = order[-1]


def _dicts(cursor: sqlite3.Cursor) -> list[dict]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def stats(conn: sqlite3.Connection, filters: Filters) -> dict:
    """The ``stats --json`` shape for the alerts matching ``filters``."""
    plan = Plan(conn, filters)

    def counted(dimension: str) -> list[FacetCount]:
        return _largest_first(plan, dimension, none=True)

    def named(dimension: str) -> list[dict]:
        return [{"name": f.label, "alerts": f.count} for f in counted(dimension)]

    total = plan.total()
    # no match: no walk for the dates (a check no row passes would walk every alert)
    first, last = plan.dates() if total else (None, None)
    years = counted("year")
    return {
        "alerts": total,
        "countries": [
            {"code": None if f.key in (UNKNOWN_COUNTRY,) or f.key.startswith("?") else f.key,
             "name": f.label, "alerts": f.count}
            for f in counted("country")
        ],
        "years": [
            {"year": None if f.key == UNDATED else f.key, "alerts": f.count}
            for f in sorted(years, key=lambda f: f.key or 10**6)
        ],
        "regions": named("region"),
        "violations": named("violation"),
        "targets": named("target"),
        "sources": named("source"),
        "first_date": first,
        "last_date": last,
    }
