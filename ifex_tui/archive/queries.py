"""Every read the CLI and the app make: counts, facets, pages of alerts, one alert, stats.

All of them take a connection and a :class:`Filters`, so ``ifex-tui stats --country MX`` and
the app's countries pane agree by construction.  Counts come from ``facet_counts`` when the
filters allow it (none, years only, or one value of one facet plus years) and from a
``GROUP BY`` over indexes otherwise; pages are keyset-paginated on ``(sort_date, pk)`` so the
millionth row costs what the first does.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ifex_tui.archive import countries
from ifex_tui.archive.filters import DIMENSIONS, UNDATED, UNKNOWN_COUNTRY, Filters
from ifex_tui.archive.pages import PAGE_SIZE, AlertRow, page, page_keys
from ifex_tui.archive.search import SEARCH_HELP, SearchError, search_hits

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
    "facet",
    "iter_records",
    "label",
    "page",
    "position",
    "stats",
    "total",
    "where",
]

_FACET_KINDS = {"country", "violation", "target", "region", "source"}


@dataclass(frozen=True)
class FacetCount:
    """One value of a facet: its key (as in Filters), what to show, and how many alerts."""

    key: str | int
    label: str
    count: int


def country_label(key: str) -> str:
    """Display name of a country facet key."""
    if key == UNKNOWN_COUNTRY:
        return "Unknown country"
    if key.startswith("?"):
        return key[1:]
    found = countries.lookup(key)
    return found.name if found else key


def label(dimension: str, key) -> str:
    if dimension == "country":
        return country_label(key)
    if dimension == "year":
        return "Undated" if key == UNDATED else str(key)
    return key


def where(conn: sqlite3.Connection, filters: Filters, alias: str = "a") -> tuple[str, list]:
    """The SQL condition (over ``alerts`` as ``alias``) and its parameters for ``filters``.

    Raises:
        SearchError: the search is not valid FTS5 syntax.
    """
    clauses, params = [], []
    years = sorted(filters.year)
    if years:
        dated = [y for y in years if y != UNDATED]
        parts = []
        if dated:
            parts.append(f"{alias}.year IN ({', '.join('?' * len(dated))})")
            params.extend(dated)
        if UNDATED in filters.year:
            parts.append(f"{alias}.year IS NULL")
        clauses.append(f"({' OR '.join(parts)})")
    for dimension in DIMENSIONS:
        values = sorted(filters.values(dimension)) if dimension in _FACET_KINDS else ()
        if values:
            clauses.append(
                f"{alias}.pk IN (SELECT alert FROM alert_facets WHERE kind = ? "
                f"AND value IN ({', '.join('?' * len(values))}))"
            )
            params.extend([dimension, *values])
    if filters.search:
        search_hits(conn, filters.search)
        clauses.append(f"{alias}.pk IN (SELECT pk FROM temp.search_hits)")
    return (" AND ".join(clauses) or "1"), params


def _run(conn: sqlite3.Connection, sql: str, params: list) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def _counted_by_table(filters: Filters) -> tuple[str, str] | None:
    """``(kind, value)`` in ``facet_counts`` that answers for these filters, if one does.

    The table can answer when, apart from years, at most one facet has exactly one value
    (several values could count an alert twice) and there is no search.
    """
    others = _facet_filters(filters)
    if others == []:
        return ("all", "")
    if others and len(others) == 1 and len(filters.values(others[0])) == 1:
        return (others[0], next(iter(filters.values(others[0]))))
    return None


def _facet_filters(filters: Filters) -> list[str] | None:
    """The facet dimensions filtered besides years, or None when a search is on (then only
    the search's hits can answer)."""
    return None if filters.search else [d for d in filters.active() if d != "year"]


def _year_clause(filters: Filters) -> tuple[str, list]:
    years = sorted(filters.year)
    if not years:
        return "", []
    return f" AND year IN ({', '.join('?' * len(years))})", years


def absent_values(conn: sqlite3.Connection, filters: Filters) -> list[tuple[str, str]]:
    """``(dimension, label)`` of each filter value that no alert in the archive has.

    A misspelt ``--violation Kiled`` would otherwise just count 0; the CLI says why.
    """
    absent = []
    for dimension in filters.active():
        kind = "all" if dimension == "year" else dimension
        for value in sorted(filters.values(dimension), key=str):
            sql, params = "SELECT 1 FROM facet_counts WHERE kind = ? AND value = ?", [kind, value]
            if dimension == "year":
                sql, params = "SELECT 1 FROM facet_counts WHERE kind = ? AND year = ?", [kind, value]
            if not _run(conn, sql + " LIMIT 1", params):
                absent.append((dimension, label(dimension, value)))
    return absent


def total(conn: sqlite3.Connection, filters: Filters) -> int:
    """How many alerts match ``filters``."""
    counted = _counted_by_table(filters)
    if counted:
        clause, params = _year_clause(filters)
        sql = f"SELECT coalesce(sum(n), 0) FROM facet_counts WHERE kind = ? AND value = ?{clause}"
        return _run(conn, sql, [*counted, *params])[0][0]
    if one := _one_facet(filters):
        sql, params = one
        return _run(conn, f"SELECT count(DISTINCT alert) FROM alert_facets WHERE {sql}", params)[0][0]
    table, condition, params = _matching(conn, filters)
    return _run(conn, f"SELECT count(*) FROM {table} WHERE {condition}", params)[0][0]


def _matching(conn: sqlite3.Connection, filters: Filters) -> tuple[str, str, list]:
    """The narrowest table holding every match (as ``a``) and the condition on it.

    A search counts over its materialised hits, which carry pk, sort date and year: reaching
    into the wide alert rows for hundreds of thousands of hits would cost seconds.
    """
    if filters.search:
        search_hits(conn, filters.search)
        condition, params = where(conn, filters.searching(""))
        return "temp.search_hits a", condition, params
    condition, params = where(conn, filters)
    return "alerts a", condition, params


def _one_facet(filters: Filters) -> tuple[str, list] | None:
    """A condition on ``alert_facets`` alone, when one facet (any number of values, OR-ed) and
    perhaps years are all that is filtered: its index then counts Mexico-or-Philippines
    without visiting a single alert row (an alert in both counts once, by DISTINCT)."""
    others = _facet_filters(filters)
    if others is None or len(others) != 1:
        return None
    values = sorted(filters.values(others[0]))
    sql = f"kind = ? AND value IN ({', '.join('?' * len(values))})"
    clause, years = _year_clause(filters)
    return sql + clause, [others[0], *values, *years]


def breakdown(conn: sqlite3.Connection, dimension: str, filters: Filters) -> list[FacetCount]:
    """Alerts per value of ``dimension`` among those matching ``filters``, largest first.

    An alert with two countries counts once under each.
    """
    rows = _breakdown_rows(conn, dimension, filters)
    result = [FacetCount(key, label(dimension, key), count) for key, count in rows if count]
    result.sort(key=lambda f: (-f.count, f.label.casefold()))
    return result


def _breakdown_rows(conn: sqlite3.Connection, dimension: str, filters: Filters) -> list[tuple]:
    counted = _counted_by_table(filters)
    if dimension == "year":
        if counted:
            # The year filter applies too: ``stats --year 2009`` lists 2009 alone.
            clause, params = _year_clause(filters)
            return _run(
                conn,
                f"SELECT year, sum(n) FROM facet_counts WHERE kind = ? AND value = ?{clause} "
                "GROUP BY year",
                [*counted, *params],
            )
        if one := _one_facet(filters):
            sql, params = one
            return _run(
                conn,
                f"SELECT year, count(DISTINCT alert) FROM alert_facets WHERE {sql} GROUP BY year",
                params,
            )
        table, condition, params = _matching(conn, filters)
        return _run(
            conn,
            f"SELECT coalesce(a.year, 0), count(*) FROM {table} WHERE {condition} GROUP BY 1",
            params,
        )
    if counted == ("all", ""):
        clause, params = _year_clause(filters)
        return _run(
            conn,
            f"SELECT value, sum(n) FROM facet_counts WHERE kind = ?{clause} GROUP BY value",
            [dimension, *params],
        )
    table, condition, params = _matching(conn, filters)
    return _run(
        conn,
        f"""SELECT f.value, count(*) FROM alert_facets f
            WHERE f.kind = ? AND f.alert IN (SELECT a.pk FROM {table} WHERE {condition})
            GROUP BY f.value""",
        [dimension, *params],
    )


def facet(conn: sqlite3.Connection, dimension: str, filters: Filters) -> list[FacetCount]:
    """A facet pane's values: counts under every *other* filter, selected values kept.

    Selecting Mexico must not hide the other countries' counts, so the dimension's own
    selection is left out of the query; a selected value that matches nothing under the other
    filters stays listed with 0 so it can be deselected.
    """
    counts = breakdown(conn, dimension, filters.without(dimension))
    present = {f.key for f in counts}
    missing = [FacetCount(k, label(dimension, k), 0) for k in filters.values(dimension) - present]
    return counts + sorted(missing, key=lambda f: f.label.casefold())


def position(conn: sqlite3.Connection, filters: Filters, pk: int) -> int | None:
    """The 0-based place of alert ``pk`` in the filtered list, or None if it is not in it.

    Lets the app keep the highlighted alert when the archive changes under it.
    """
    table, condition, params = _matching(conn, filters)
    found = _run(conn, f"SELECT a.sort_date FROM {table} WHERE {condition} AND a.pk = ?", [*params, pk])
    if not found:
        return None
    return _run(
        conn,
        f"SELECT count(*) FROM {table} WHERE {condition} AND (a.sort_date, a.pk) > (?, ?)",
        [*params, found[0][0], pk],
    )[0][0]


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
        "content_html": row["content_html"],
        "content_text": row["content_text"],
        "body_text": row["body_text"],
        "extensions": decoded["extensions"] or {},
        "pk": row["pk"],
    }


def iter_records(conn: sqlite3.Connection, filters: Filters, batch: int = 1000):
    """Every matching alert as a record, newest first, in batches walked like the list's pages
    (so exporting one country of a million alerts reads its index, not every row)."""
    after: tuple[str, int] | None = None
    while True:
        keys, params = page_keys(conn, filters, after, batch)
        rows = _dicts(conn.execute(
            f"""SELECT a.* FROM ({keys}) AS k JOIN alerts a ON a.pk = k.pk
                ORDER BY k.sort_date DESC, k.pk DESC""",
            params,
        ))
        if not rows:
            return
        yield from map(to_record, rows)
        after = (rows[-1]["sort_date"], rows[-1]["pk"])


def _dicts(cursor: sqlite3.Cursor) -> list[dict]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def stats(conn: sqlite3.Connection, filters: Filters) -> dict:
    """The ``stats --json`` shape for the alerts matching ``filters``."""
    def named(dimension: str) -> list[dict]:
        return [{"name": f.label, "alerts": f.count} for f in breakdown(conn, dimension, filters)]

    table, condition, params = _matching(conn, filters)
    first, last = _run(
        conn,
        f"SELECT min(nullif(a.sort_date, '')), max(nullif(a.sort_date, '')) FROM {table} "
        f"WHERE {condition}",
        params,
    )[0]
    years = breakdown(conn, "year", filters)
    return {
        "alerts": total(conn, filters),
        "countries": [
            {"code": None if f.key in (UNKNOWN_COUNTRY,) or f.key.startswith("?") else f.key,
             "name": f.label, "alerts": f.count}
            for f in breakdown(conn, "country", filters)
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
