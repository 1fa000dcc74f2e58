"""The stored facet bitmaps stay exactly what ``alert_facets`` and ``alerts`` say, through
imports (new, updated, unchanged, a value that disappears), the migration that adds them,
and a reader that keeps one copy per archive state; and the counts under a search (its hits
made a bitmap from FTS5) are those of the alerts FTS5 finds, whatever the query, the search
before it or the import that landed since.

The reference is rebuilt here from the facet rows with the standard library, not by the code
under test; the counts read through the bitmaps are checked against the sample feeds in
``test_filters_plan.py``.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from conftest import Invoke, item

from ifex_tui.archive import bitmap_counts, bitmaps, queries, schema
from ifex_tui.archive.filters import DIMENSIONS, NONE_UNSTORED, Filters

_ASCII = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _pks(blob: bytes) -> set[int]:
    digits = bin(int.from_bytes(blob, "little"))[2:][::-1]
    return {pk for pk, digit in enumerate(digits) if digit == "1"}


def _key(kind: str, value) -> tuple:
    return (kind, int(value)) if kind == "year" else (kind, str(value).translate(_ASCII))


def stored_bitmaps(conn: sqlite3.Connection) -> dict[tuple, set[int]]:
    found: dict[tuple, set[int]] = {}
    for kind, value, blob in conn.execute("SELECT kind, value, bits FROM facet_bitmaps"):
        key = _key(kind, value)
        assert key not in found, f"two rows for {key}"
        found[key] = _pks(blob)
        assert found[key], f"an empty bitmap is kept for {key}"
    return found


def reference_bitmaps(conn: sqlite3.Connection) -> dict[tuple, set[int]]:
    want: dict[tuple, set[int]] = {}
    for kind, value, pk in conn.execute("SELECT kind, value, alert FROM alert_facets"):
        want.setdefault(_key(kind, value), set()).add(pk)
    for year, pk in conn.execute("SELECT year, pk FROM alerts"):
        want.setdefault(("year", year or 0), set()).add(pk)
    everything = {pk for (pk,) in conn.execute("SELECT pk FROM alerts")}
    if everything:
        want[("all", "")] = everything
    return want


def assert_bitmaps_exact(archive: Path) -> None:
    """Every stored bitmap is the set of alerts holding its value, and nothing else is stored."""
    conn = sqlite3.connect(archive)
    try:
        assert stored_bitmaps(conn) == reference_bitmaps(conn)
    finally:
        conn.close()


def _feed(write_feed, items: list[dict], name: str) -> Path:
    return write_feed.jsonfeed(items, name=name)


def _alert(item_id: str, countries, violations, year: int | None = 2012, **ifex) -> dict:
    fields = {"_ifex": {"country": countries, "violations": violations, **ifex}}
    if year is None:
        fields["date_published"] = None
    else:
        fields["date_published"] = f"{year}-05-01T00:00:00Z"
    return item(item_id, **fields)


def test_imports_keep_the_bitmaps_exact(cli: Invoke, write_feed, archive: Path) -> None:
    first = [
        _alert("a", ["Mexico"], ["Killed"], 2010, source="RSF"),
        _alert("b", ["Mexico", "Iraq"], ["Detained", "Tortured"], 2011, region="Americas"),
        _alert("c", ["Iraq"], [], None),
        _alert("d", ["Brazil"], ["attacked"], 2009),  # the only 2009 alert, the only Brazil
        _alert("e", ["Atlantis"], ["Killed"], 2012, source="PEN"),
    ]
    assert cli("import", _feed(write_feed, first, "one.json"), "--db", archive).exit_code == 0
    assert_bitmaps_exact(archive)
    conn = sqlite3.connect(archive)
    before = stored_bitmaps(conn)
    conn.close()
    assert ("violation", "tortured") in before and ("year", 2009) in before

    second = [
        first[0],  # unchanged
        _alert("b", ["Iraq"], ["Detained", "Killed"], 2011, region="Americas"),  # Tortured gone
        _alert("c", ["Iraq"], ["Threatened"], 2013),  # undated becomes dated
        _alert("d", ["Mexico"], ["Attacked"], 2012),  # 2009 and Brazil disappear
        _alert("f", ["Iraq", "Mexico"], ["killed"], None, source="rsf"),  # new, spelt in lower case
    ]
    result = cli("import", _feed(write_feed, second, "two.json"), "--db", archive)
    assert result.exit_code == 0, result.output
    assert "1 new, 3 updated, 1 unchanged" in result.output
    assert_bitmaps_exact(archive)
    conn = sqlite3.connect(archive)
    after = stored_bitmaps(conn)
    conn.close()
    for gone in [("violation", "tortured"), ("year", 2009), ("country", "br")]:
        assert gone not in after
    assert ("year", 2013) in after and ("violation", "threatened") in after
    assert after[("all", "")] == before[("all", "")] | {max(after[("all", "")])}

    # a re-import that changes nothing leaves every bitmap as it was
    assert cli("import", _feed(write_feed, second, "three.json"), "--db", archive).exit_code == 0
    conn = sqlite3.connect(archive)
    assert stored_bitmaps(conn) == after
    conn.close()


def test_the_migration_adds_the_bitmaps_to_an_older_archive(tmp_path: Path, sample_archive_file: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(sample_archive_file, path)
    conn = sqlite3.connect(path)
    want = stored_bitmaps(conn)
    conn.executescript(
        """
        DROP TABLE facet_bitmaps; DROP TABLE source_names; DROP TABLE meta;
        -- until schema 4 a source facet row held its alert's source as written
        UPDATE alert_facets SET value = (SELECT source FROM alerts WHERE pk = alert)
         WHERE kind = 'source';
        DELETE FROM facet_counts WHERE kind = 'source';
        INSERT INTO facet_counts SELECT 'source', value, year, count(*) FROM alert_facets
         WHERE kind = 'source' GROUP BY value, year;
        DROP TABLE item_hashes; DROP TABLE alerts_fts; DROP VIEW alerts_fts_text;
        PRAGMA user_version = 2; PRAGMA application_id = 0;
        """
    )
    # until schema 5 the search index read its text from alerts.body_text
    sqlite_utils.Database(conn)["alerts"].enable_fts(
        schema.FTS_COLUMNS, tokenize=schema.FTS_TOKENIZE, create_triggers=False)
    conn.close()
    assert schema.identify(path) == "legacy"  # schema 2 exactly, from before the id
    conn = schema.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 5
        assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
        assert stored_bitmaps(conn) == reference_bitmaps(conn) == want
    finally:
        conn.close()
    assert schema.identify(path) == "ours"


def test_an_archive_at_schema_3_without_the_id_is_recognised(tmp_path: Path, sample_archive_file: Path) -> None:
    path = tmp_path / "legacy.db"
    shutil.copyfile(sample_archive_file, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.close()
    assert schema.identify(path) == "legacy"


def test_readers_share_one_copy_until_an_import_lands(cli: Invoke, write_feed, imported: Path) -> None:
    one, two = schema.connect(imported, readonly=True), schema.connect(imported, readonly=True)
    try:
        mexico = Filters(country=frozenset({"MX"}), violation=frozenset({"Killed"}))
        loaded = bitmap_counts.load(one)
        assert bitmap_counts.load(two) is loaded and bitmap_counts.load(one) is loaded
        total = queries.total(one, mexico)
        searched = Filters(search="zanzibarite")
        assert queries.total(one, searched) == 0
        new = {**_alert("new-mx", ["Mexico"], ["Killed"], 2015), "title": "Zanzibarite found"}
        feed = _feed(write_feed, [new], "more.json")
        assert cli("import", feed, "--db", imported).exit_code == 0
        reloaded = bitmap_counts.load(two)
        assert reloaded is not loaded and bitmap_counts.load(one) is reloaded
        assert queries.total(one, mexico) == queries.total(two, mexico) == total + 1
        assert {f.key: f.count for f in queries.facet(two, "year", mexico)}[2015] >= 1
        # a search's hits (AND-ed in as a bitmap) are those of the new state too
        assert queries.total(one, searched) == queries.total(two, searched) == 1
        assert [(f.key, f.count) for f in queries.facet(two, "country", searched)] == [("MX", 1)]
    finally:
        one.close()
        two.close()


# --- a search's hits, AND-ed in as a bitmap -----------------------------------------------------

#: Searches as typed, and the FTS5 query that finds the same alerts, for the reference.
SEARCHES = [
    ("radio", "radio"),  # a word in many alerts
    ('"dangerous assignment"', '"dangerous assignment"'),  # a phrase
    ("photograph*", "photograph*"),  # a prefix
    ("television NOT murder", "television NOT murder"),
    ("NEAR(journalist killed, 3)", "NEAR(journalist killed, 3)"),
    ("title: mexico", "title: mexico"),  # one column
    ("killed -Iraq", "killed NOT Iraq"),  # not FTS5: taken literally, minus as NOT
    ("Côte d'Ivoire", '"Côte" "d\'Ivoire"'),  # not FTS5: each word quoted
    ("zanzibarite", "zanzibarite"),  # no hits
]


def searched(conn: sqlite3.Connection, match: str) -> tuple[int, dict[str, dict]]:
    """The total and per-dimension counts of the alerts FTS5 finds for ``match``: a plain
    count, and the facet rows and years of the hits counted here (each alert once a key)."""
    hits = "SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?"
    [(total,)] = conn.execute("SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH ?", [match])
    held = {(kind, *_key(kind, value)[1:], pk) for kind, value, pk in conn.execute(
        f"SELECT kind, value, alert FROM alert_facets WHERE alert IN ({hits})", [match])}
    held |= {("year", year, pk) for pk, year in conn.execute(
        f"SELECT pk, coalesce(year, 0) FROM alerts WHERE pk IN ({hits})", [match])}
    counts: dict[str, dict] = {dimension: {} for dimension in DIMENSIONS}
    for kind, value, _ in held:
        counts[kind][value] = counts[kind].get(value, 0) + 1
    found = {pk for (pk,) in conn.execute(hits, [match])}
    for kind in NONE_UNSTORED:  # the hits holding no value of it: a row of the pane too
        if without := len(found - {pk for held_kind, _, pk in held if held_kind == kind}):
            counts[kind][""] = without
    return total, counts


def counted(conn: sqlite3.Connection, search: str) -> tuple[int, dict[str, dict]]:
    """The same through the app's reads: the total and each facet pane."""
    chosen = Filters().searching(search)
    return queries.total(conn, chosen), {
        dimension: {_key(dimension, f.key)[1]: f.count for f in queries.facet(conn, dimension, chosen)}
        for dimension in DIMENSIONS
    }


def _walked(conn: sqlite3.Connection, search: str) -> set[int]:
    return {row.pk for row in queries.page(conn, Filters().searching(search), limit=10_000)}


def _hits(conn: sqlite3.Connection, match: str) -> set[int]:
    return {pk for (pk,) in conn.execute(
        "SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?", [match])}


@pytest.mark.parametrize(("search", "match"), SEARCHES, ids=[s for s, _ in SEARCHES])
def test_counts_under_a_search_are_those_of_its_fts5_hits(imported: Path, search: str, match: str) -> None:
    conn = schema.connect(imported, readonly=True)
    try:
        assert counted(conn, search) == searched(conn, match)
        assert _walked(conn, search) == _hits(conn, match)
        assert queries.total(conn, Filters(country=frozenset({"IQ"})).searching(search)) == len(
            _hits(conn, match) & {pk for (pk,) in conn.execute(
                "SELECT alert FROM alert_facets WHERE kind = 'country' AND value = 'IQ'")})
    finally:
        conn.close()


def test_the_list_of_a_search_holds_its_hits_in_list_order(imported: Path) -> None:
    """Every hit once, with its sort date, newest first."""
    conn = schema.connect(imported, readonly=True)
    try:
        for typed, match in SEARCHES:
            rows = queries.page(conn, Filters().searching(typed), limit=10_000)
            want = conn.execute(
                """SELECT sort_date, pk FROM alerts WHERE pk IN
                   (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?)
                   ORDER BY sort_date DESC, pk DESC""", [match]).fetchall()
            assert [(row.sort_date, row.pk) for row in rows] == want, typed
            assert queries.total(conn, Filters().searching(typed)) == len(want)
    finally:
        conn.close()


@pytest.mark.parametrize("chunk", [1 << 18, 97], ids=["one range", "ranges of 97"])
def test_the_hits_bitmap_is_exact(imported: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """(Read in ranges of rowids, up to the last alert's.)"""
    monkeypatch.setattr(bitmap_counts, "_CHUNK", chunk)
    conn = schema.connect(imported, readonly=True)
    try:
        for _, match in SEARCHES:
            assert _pks(bitmaps.as_blob(bitmap_counts._fts_bits(conn, match))) == _hits(conn, match), match
    finally:
        conn.close()


def test_search_counts_follow_imports_and_alternating_searches(cli: Invoke, write_feed, imported: Path) -> None:
    """The hits' bitmap is kept for the newest search and archive state only: another search,
    another connection or an import that lands makes it again."""
    first = [
        {**_alert("z1", ["Mexico"], ["Killed"], 2010), "title": "Zanzibarite radio mast"},
        {**_alert("z2", ["Iraq"], ["Detained"], 2011), "title": "Zanzibarite found"},
    ]
    assert cli("import", _feed(write_feed, first, "z-one.json"), "--db", imported).exit_code == 0
    one, two = schema.connect(imported, readonly=True), schema.connect(imported, readonly=True)
    try:
        chosen = SEARCHES[:3] + SEARCHES[-1:]
        before = {search: searched(one, match) for search, match in chosen}
        assert before["zanzibarite"][0] == 2
        for conn in (one, two, one):  # each search evicts the one before it
            for search, _ in chosen:
                assert counted(conn, search) == before[search], search
        # the list's table follows its own search, the bitmap its own
        assert _walked(one, "radio") == _hits(one, "radio")
        assert counted(one, "zanzibarite") == before["zanzibarite"]
        assert _walked(one, "zanzibarite") == _hits(one, "zanzibarite")
        assert counted(one, "radio") == before["radio"]

        second = [
            {**_alert("z1", ["Mexico"], ["Killed"], 2010), "title": "Quiet mast"},  # no longer found
            {**_alert("z3", ["Brazil"], ["Attacked"], 2012), "title": "Zanzibarite radio"},
        ]
        result = cli("import", _feed(write_feed, second, "z-two.json"), "--db", imported)
        assert result.exit_code == 0, result.output
        after = {search: searched(one, match) for search, match in chosen}
        # as many hits as before, other alerts: only a fresh bitmap counts them right
        assert after["zanzibarite"][0] == before["zanzibarite"][0]
        assert after["zanzibarite"] != before["zanzibarite"]
        for conn in (two, one):
            for search, _ in [*chosen, *reversed(chosen)]:
                assert counted(conn, search) == after[search], search
            assert _walked(conn, "zanzibarite") == _hits(conn, "zanzibarite")
    finally:
        one.close()
        two.close()
