"""The list of a search or of marked alerts, paged from their bitmap in list order
(``list_order.py``): every page at every depth, from either end, is the slice of the list a
plain SQL sort gives; positions and dates agree; a cursor from an older state and an import
landing under an open connection are followed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import Invoke, item

from ifex_tui.archive import bitmaps, queries, schema
from ifex_tui.archive.filters import Filters

PHILIPPINES = ("EXISTS (SELECT 1 FROM alert_facets f WHERE f.alert = a.pk AND f.kind = 'country'"
               " AND f.value = 'PH')")
RADIO = "a.pk IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH 'radio')"


@pytest.fixture
def conn(imported: Path):
    connection = schema.connect(imported, readonly=True)
    yield connection
    connection.close()


def _every_third(conn: sqlite3.Connection) -> int:
    return bitmaps.bits_of(pk for (pk,) in conn.execute("SELECT pk FROM alerts WHERE pk % 3 = 0"))


#: name: (filters, the SQL condition on ``alerts a`` choosing the same alerts)
CASES = {
    "a search": (lambda conn: Filters().searching("radio"), RADIO),
    "a search and a country": (lambda conn: Filters(country=frozenset({"PH"})).searching("radio"),
                               f"{RADIO} AND {PHILIPPINES}"),
    "a search, undated left out": (
        lambda conn: Filters(excluded=frozenset({("year", 0)})).searching("radio"),
        f"{RADIO} AND a.sort_date > ''"),
    "marks": (lambda conn: Filters().marking(_every_third(conn)), "a.pk % 3 = 0"),
    "every alert marked": (
        lambda conn: Filters().marking(bitmaps.bits_of(pk for (pk,) in conn.execute("SELECT pk FROM alerts"))),
        "1"),
    "marks and a search": (lambda conn: Filters().marking(_every_third(conn)).searching("radio"),
                           f"a.pk % 3 = 0 AND {RADIO}"),
}


def _listed(conn: sqlite3.Connection, where: str) -> list[tuple[str, int]]:
    return conn.execute(
        f"SELECT sort_date, pk FROM alerts a WHERE {where} ORDER BY sort_date DESC, pk DESC"
    ).fetchall()


def _keys(rows) -> list[tuple[str, int]]:
    return [row.cursor for row in rows]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_pages_are_the_list_at_every_depth_from_either_end(conn, case: str) -> None:
    make, where = CASES[case]
    filters = make(conn)
    listed = _listed(conn, where)
    assert len(listed) > 20, "the case must span several pages"
    assert queries.total(conn, filters) == len(listed)
    pages = len(listed) // 7 + 2  # enough, and a bound should a cursor not move on
    walked, after = [], None  # page after page, on the cursor of the last row
    for _ in range(pages):
        rows = queries.page(conn, filters, after=after, limit=7)
        walked += _keys(rows)
        after = rows[-1].cursor if rows else after
    assert walked == listed
    backwards, after = [], None  # from the end, on the cursor of the page's newest row
    for _ in range(pages):
        rows = queries.page(conn, filters, after=after, limit=7, from_end=True)
        backwards = _keys(rows) + backwards
        after = rows[0].cursor if rows else after
    assert backwards == listed
    for offset in (0, 1, 13, len(listed) - 3, len(listed), len(listed) + 5):
        assert _keys(queries.page(conn, filters, offset=offset, limit=5)) == listed[offset:offset + 5]
        end = max(len(listed) - offset, 0)
        assert _keys(queries.page(conn, filters, offset=offset, limit=5, from_end=True)) == \
            listed[max(end - 5, 0):end]
    cursor = listed[10]
    assert _keys(queries.page(conn, filters, after=cursor, offset=2, limit=4)) == listed[13:17]
    assert _keys(queries.page(conn, filters, after=cursor, offset=2, limit=4, from_end=True)) == \
        listed[4:8]


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_positions_and_dates_are_those_of_the_list(conn, case: str) -> None:
    make, where = CASES[case]
    filters = make(conn)
    listed = _listed(conn, where)
    for at in (0, 1, len(listed) // 2, len(listed) - 1):
        assert queries.position(conn, filters, listed[at][1]) == at
    chosen = {pk for _, pk in listed}
    for (pk,) in conn.execute("SELECT pk FROM alerts"):
        if pk not in chosen:  # an alert outside the set
            assert queries.position(conn, filters, pk) is None
            break
    assert queries.position(conn, filters, 10**9) is None  # no such alert
    dated = [date for date, _ in listed if date]
    stats = queries.stats(conn, filters)
    assert (stats["first_date"], stats["last_date"]) == (min(dated), max(dated))


def test_marks_of_undated_alerts_only_have_no_dates(conn) -> None:
    undated = [pk for (pk,) in conn.execute("SELECT pk FROM alerts WHERE sort_date = ''")]
    assert undated, "the sample holds undated alerts"
    filters = Filters().marking(bitmaps.bits_of(undated))
    stats = queries.stats(conn, filters)
    assert stats["alerts"] == len(undated)
    assert (stats["first_date"], stats["last_date"]) == (None, None)


def test_a_cursor_on_an_alert_the_archive_does_not_hold_continues_where_it_would_stand(conn) -> None:
    filters = Filters().searching("radio")
    listed = _listed(conn, RADIO)
    date, _ = listed[20]
    ghost = (date, 10**9)  # sorts just ahead of every alert of that date
    expected = [key for key in listed if key < ghost][:5]
    assert _keys(queries.page(conn, filters, after=ghost, limit=5)) == expected
    newer = [key for key in listed if key > ghost][-5:]
    assert _keys(queries.page(conn, filters, after=ghost, limit=5, from_end=True)) == newer


def test_an_import_landing_under_an_open_connection_shows_in_its_next_page(
    cli: Invoke, imported: Path, conn, write_feed
) -> None:
    filters = Filters().searching("radio")
    before = queries.page(conn, filters, limit=3)
    feed = write_feed([item("radio-new", title="Radio station raided",
                            date_published="2025-01-02T00:00:00Z")])
    assert cli("import", feed).exit_code == 0
    after = queries.page(conn, filters, limit=3)
    assert after[0].title == "Radio station raided"
    assert [row.pk for row in after[1:]] == [row.pk for row in before[:2]]
    assert queries.position(conn, filters, before[0].pk) == 1


def _statements(conn: sqlite3.Connection, starting: str) -> list[str]:
    """Collect the statements ``conn`` runs that start with ``starting`` (from now on)."""
    seen: list[str] = []
    conn.set_trace_callback(lambda sql: seen.append(sql) if sql.lstrip().startswith(starting) else None)
    return seen


def test_a_search_is_checked_once_per_archive_not_per_page(imported: Path) -> None:
    """FTS5 checks a prefix query by merging every matching word's lists (24 MB and tens of
    ms at a million alerts), so the check is not run again for every page and pane."""
    first, second = (schema.connect(imported, readonly=True) for _ in range(2))
    try:
        checks = _statements(first, "SELECT 1 FROM alerts_fts")
        filters = Filters().searching("journ*")
        rows = queries.page(first, filters, limit=5)
        queries.page(first, filters, after=rows[-1].cursor, limit=5)
        queries.facet(first, "country", filters)
        assert len(checks) == 1
        later = _statements(second, "SELECT 1 FROM alerts_fts")
        assert queries.total(second, filters) == queries.total(first, filters)
        assert later == []  # another connection to the same archive asks no more
    finally:
        first.close()
        second.close()
