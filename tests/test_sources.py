"""Reporting organisations reconciled like countries: every name of a member counts as one
source, shown under one name, in new archives, in archives brought forward from schema 3,
and again when the user's table changes; unmatched names are kept as written.

Expected counts come from the feeds read with the json module and the hand-written
``conftest.SOURCE_NAMES``, never from the code under test.  ``tests/data/archive-schema3.sql``
is an archive as the code before schema 4 made it (``tests/data/make_archive_schema3.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from conftest import (
    DATA,
    Invoke,
    import_json,
    item,
    load_items,
    snapshot,
    source_name,
    source_of,
    stats_json,
)
from test_bitmaps import assert_bitmaps_exact

from ifex_tui import paths
from ifex_tui.archive import bitmap_counts, countries, ingest, schema, sources

HERE = Path(__file__).parent / "data"
SCHEMA3_FEED = HERE / "archive-schema3.feed.json"
CPJ = "CPJ"
RSF = "RSF"


def _expected(items: list[dict]) -> Counter:
    return Counter(name for i in items if (name := source_of(i)))


def _sources(stats: dict) -> Counter:
    return Counter({s["name"]: s["alerts"] for s in stats["sources"]})


def _stored_counts(archive: Path) -> Counter:
    conn = sqlite3.connect(archive)
    try:
        return Counter(dict(conn.execute(
            "SELECT value, sum(n) FROM facet_counts WHERE kind = 'source' GROUP BY value"
        )))
    finally:
        conn.close()


def _user_file(text: str) -> Path:
    path = paths.sources_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _schema3(path: Path) -> Path:
    """The schema-3 archive of tests/data, loaded from its SQL text into ``path``."""
    conn = sqlite3.connect(path)
    conn.executescript((HERE / "archive-schema3.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


# --- the table ----------------------------------------------------------------------------------


def test_names_match_exactly_after_folding_never_by_similarity() -> None:
    names = sources.table()
    assert names.problem is None
    for written in ["CPJ", "cpj", "C.P.J.", "Committee to Protect Journalists",
                    "committee  to protect journalists", "The Committee to Protect Journalists",
                    "Committee to Protect Journalists (CPJ)", "Comité pour la protection des journalistes",
                    "CPJ", "Ｃｏｍｍｉｔｔｅｅ to Protect Journalists"]:
        assert names.canonical(written) == CPJ, written
    for written in ["RSF", "Reporters sans frontières", "Reporters sans frontieres",
                    "REPORTERS SANS FRONTIÈRES", "Reporteros sin Fronteras", "Reporter ohne Grenzen"]:
        assert names.canonical(written) == RSF, written
    assert names.canonical("HRNJ Uganda") == names.canonical("HRNJ-Uganda") == "HRNJ-Uganda"
    assert names.canonical("Human Rights Network for Journalists - Uganda") == "HRNJ-Uganda"
    assert names.canonical("Center for Media Freedom & Responsibility") == "CMFR"
    # near misses, other organisations and ambiguous names are kept as written
    for written in ["Committee to Protect Journalist", "CPJJ", "Reporters Without Borders (Paris)",
                    "PEN", "Artículo 19", "The Zanzibar Press Club", "MISA Zimbabwe"]:
        assert names.canonical(written) == written, written
    assert {"pen", "articulo 19"} <= names.ambiguous


def test_a_find_knows_every_name_of_a_source() -> None:
    names = sources.table()
    assert names.named_by("Committee to Protect Journalists") == ([CPJ], [CPJ])
    assert names.named_by("reporters sans") == ([], [RSF])
    exact, starting = names.named_by("pen")
    assert exact == [] and {"PEN America", "PEN International"} <= set(starting)
    assert names.named_by(" - ") == ([], [])


def test_the_built_in_table_ships_in_the_package_and_names_every_sample_source() -> None:
    shipped = resources.files("ifex_tui.archive") / "data" / "sources.toml"
    text = shipped.read_text(encoding="utf-8")
    assert "https://ifex.org/members/committee-to-protect-journalists-cpj/" in text  # its sources
    names = sources.table()
    written = {i["_ifex"]["source"] for i in load_items(DATA / "cpj-sample.feed.json")
               + load_items(DATA / "ifex-digest-sample.feed.json") if i["_ifex"].get("source")}
    assert len(written) == 35
    assert {w: names.canonical(w) for w in written} == {w: source_name(w) for w in written}
    assert {"pen", "articulo 19"} == set(sources.build(sources.builtin()).ambiguous)


def test_a_user_entry_extends_renames_adds_and_takes_names() -> None:
    builtin = sources.builtin()
    yours = [
        sources.Entry("CPJ", ("CPJ Americas",)),  # extends
        sources.Entry("Reporters sans frontières (RSF)"),  # known: shown under the user's name
        sources.Entry("Zanzibar Press Club", ("ZPC",)),  # a new organisation
        sources.Entry("Centre for Investigative Journalism", ("CIJ",)),  # takes CIJ
        sources.Entry("Foo Watch", ("FW",)),
        sources.Entry("Bar Watch", ("FW",)),  # FW given twice: ambiguous
    ]
    names = sources.build(builtin, yours)
    assert names.canonical("CPJ Americas") == names.canonical("CPJ") == CPJ
    assert names.canonical("Reporteros sin Fronteras") == names.canonical("RSF") == (
        "Reporters sans frontières (RSF)")
    assert names.canonical("The Zanzibar Press Club") == names.canonical("zpc") == "Zanzibar Press Club"
    assert names.canonical("CIJ") == "Centre for Investigative Journalism"
    assert names.canonical("CIJ Malaysia") == names.canonical("Centre for Independent Journalism") == (
        "Centre for Independent Journalism")  # the rest of the built-in entry, under its full name
    assert names.canonical("FW") == "FW"


@pytest.mark.parametrize(("text", "said"), [
    ('[[source]]\nname = "A"\naliases = ["B"\n', "line 3 (the end of the file): Unclosed array"),
    ('[[source]]\nname = "A\n', "line 2, column 10: Illegal character"),
    ('[[source]]\nname = "A"\n\n[[source]]\naliases = ["B"]\n', "line 4: source 2, name: missing"),
    ('[[source]]\nname = "A"\naliases = "B"\n', "line 3: source 1, aliases: must be a list"),
    ('[[source]]\nname = 12\n', "line 2: source 1, name: must be text in quotes, not a number"),
    ('[[source]]\nname = "!!!"\n', "line 2: source 1, name: '!!!' has no letters or digits"),
    ('[[source]]\nname = ""\n', "line 2: source 1, name: is empty"),
    ('[[source]]\nname = "  "\n', "line 2: source 1, name: is empty"),
    ('[[source]]\nname = "A"\naliases = ["..."]\n',
     "line 3: source 1, aliases: alias 1 '...' has no letters or digits"),
    ('[[source]]\nname = "A"\naliases = ["B", ""]\n', "line 3: source 1, aliases: alias 2 is empty"),
    ('[[source]]\nname = "A"\naliases = ["B", 3]\n',
     "line 3: source 1, aliases: alias 2 must be text in quotes, not a number"),
    ('[[source]]\nname = "A"\nalias = ["B"]\n', "line 3: source 1, alias: unknown field"),
    ('[[sources]]\nname = "A"\n', "line 1: unknown key 'sources'"),
])
def test_a_file_that_cannot_be_used_is_one_line_and_the_built_in_table(text: str, said: str) -> None:
    path = _user_file(text)
    names = sources.table()
    assert names.problem is not None and "\n" not in names.problem
    assert names.problem.startswith(f"{path}: ") and said in names.problem, names.problem
    assert names.problem.endswith("only the built-in table of sources is used")
    assert names.canonical("CPJ") == CPJ and names.canonical("B") == "B"


def test_a_user_file_over_a_megabyte_is_one_line_and_the_built_in_table(
    cli: Invoke, imported: Path, sample_items
) -> None:
    entry = '[[source]]\nname = "Zanzibar Press Club"\naliases = ["CPJ"]\n'
    path = _user_file(entry + "# padding\n" * 100_001)
    size = path.stat().st_size
    assert size > 1_000_000
    result = cli("stats", "--json")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"ifex-tui: note: {path}: is {size:,} bytes, more than the 1,000,000 a table of sources "
        "may have; only the built-in table of sources is used"
    ]
    assert _sources(json.loads(result.stdout)) == _expected(sample_items)  # CPJ is CPJ's
    refused = cli("reconcile")
    assert refused.exit_code == 2 and f"{path}: is {size:,} bytes" in refused.stderr
    path.write_text(entry, encoding="utf-8")  # the same entry in a small file is used
    assert sources.table().canonical("CPJ") == "Zanzibar Press Club"


@pytest.mark.parametrize("field", ["name", "aliases"])
def test_a_name_over_200_characters_is_one_line_and_the_built_in_table(cli: Invoke, field: str) -> None:
    long = "Z" * 201
    text = (f'[[source]]\nname = "{long}"\n' if field == "name"
            else f'[[source]]\nname = "Z"\naliases = ["{"Z" * 200}", "{long}"]\n')
    path = _user_file(text)
    line = 2 if field == "name" else 3
    said = (f"{path}: line {line}: source 1, {field}: {'' if field == 'name' else 'alias 2 '}"
            "is 201 characters long; a name is at most 200")
    names = sources.table()
    assert names.problems == (f"{said}; only the built-in table of sources is used",)
    assert names.canonical("Z") == "Z"
    result = cli("reconcile")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ifex-tui: error: {said}; nothing reconciled")


CLASHING = """[[source]]
name = "CPJ"
aliases = ["CPJ Americas"]

[[source]]
name = "cpj"
aliases = ["Foo"]

[[source]]
name = "Foo Watch"
aliases = ["FW"]

[[source]]
name = "Bar Watch"
aliases = ["fw"]

[[source]]
name = "Zanzibar Press Club"
"""


def test_entries_giving_a_name_an_earlier_entry_gives_are_left_out_one_line_each(
    cli: Invoke, write_feed
) -> None:
    path = _user_file(CLASHING)
    expected = [
        f"{path}: line 6: source 2 ('cpj') left out: 'cpj' is already a name of source 1 ('CPJ', line 2)",
        f"{path}: line 15: source 4 ('Bar Watch') left out: 'fw' is already a name of source 3 "
        "('Foo Watch', line 10)",
    ]
    written = ["CPJ Americas", "cpj", "Foo", "FW", "fw", "Bar Watch", "zanzibar press club"]
    assert cli("import", write_feed([item(w, _ifex={"source": w}) for w in written])).exit_code == 0
    result = cli("stats", "--values", "source", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"ifex-tui: note: {line}" for line in expected]
    # the rest of the file is used: CPJ gains its alias, FW is Foo Watch's alone
    assert sorted(result.stdout.splitlines()[1:]) == sorted(
        ["CPJ,2", "Foo Watch,2", "Foo,1", "Bar Watch,1", "Zanzibar Press Club,1"])
    reconciled = cli("reconcile")
    assert reconciled.exit_code == 0
    assert reconciled.stderr.splitlines()[:2] == [f"ifex-tui: warning: {line}" for line in expected]


def test_many_entries_left_out_are_said_in_a_few_lines() -> None:
    path = _user_file("".join(f'[[source]]\nname = "Same {n % 2}"\n' for n in range(40)))
    names = sources.table()
    assert len(names.problems) == 11 and all(p.startswith(f"{path}: ") for p in names.problems)
    assert names.problems[-1] == f"{path}: … and 28 more sources left out, each giving a name an earlier source gives"
    assert names.canonical("same 0") == "Same 0" and names.canonical("SAME 1") == "Same 1"


# --- new archives -------------------------------------------------------------------------------


def test_cpj_counts_as_one_source_in_the_sample(cli: Invoke, imported: Path, sample_items) -> None:
    stats = _sources(stats_json(cli))
    assert stats == _expected(sample_items)
    written = Counter(i["_ifex"].get("source") for i in sample_items)
    assert stats[CPJ] == written["CPJ"] + written["Committee to Protect Journalists"] == 39 + 1043
    assert "Committee to Protect Journalists" not in stats
    # the alert keeps its source as written
    records = json.loads(cli("export", "--format", "json", "--source", CPJ).stdout)
    assert Counter(r["source"] for r in records) == {"Committee to Protect Journalists": 1043, "CPJ": 39}
    assert_bitmaps_exact(imported)


def test_unmatched_names_are_kept_as_written(cli: Invoke, write_feed, archive: Path) -> None:
    items = [item("a", _ifex={"source": "The Zanzibar Press Club"}),
             item("b", _ifex={"source": "PEN"}),
             item("c", _ifex={"source": "Zanzibar Press Club"}),
             item("d", _ifex={"source": "Reporteros sin Fronteras"})]
    assert cli("import", write_feed(items)).exit_code == 0
    assert _sources(stats_json(cli)) == {"The Zanzibar Press Club": 1, "PEN": 1,
                                         "Zanzibar Press Club": 1, RSF: 1}


# --- archives from before -----------------------------------------------------------------------


def test_an_archive_at_schema_3_is_brought_forward(cli: Invoke, archive: Path) -> None:
    _schema3(archive)
    items = load_items(SCHEMA3_FEED)
    written = Counter(i["_ifex"].get("source") for i in items)
    assert {"CPJ", "Committee to Protect Journalists", "RSF", "rsf"} <= set(written)
    assert schema.identify(archive) == "ours"

    stats = stats_json(cli)  # a reader: the archive is brought forward first
    assert _sources(stats) == _expected(items)
    assert _sources(stats)[CPJ] == (written["CPJ"] + written["Committee to Protect Journalists"]
                                    + written["Committee to Protect Journalists (CPJ)"])
    conn = sqlite3.connect(archive)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 5
        assert dict(conn.execute("SELECT written, name FROM source_names")) == {
            w: source_name(w) for w in written if w}
        assert Counter(r[0] for r in conn.execute("SELECT source FROM alerts")) == written
    finally:
        conn.close()
    assert _stored_counts(archive) == _expected(items)
    assert_bitmaps_exact(archive)

    result = cli("stats", "--source", CPJ)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"{_expected(items)[CPJ]} alerts")
    assert result.stdout.splitlines()[1] == f"matching source {CPJ}"
    check = cli("check")
    assert check.exit_code == 0 and "sound" in check.stdout, check.output
    # what the archive holds is what an import makes now: the same feed again changes nothing
    code, report = import_json(cli, SCHEMA3_FEED)
    assert code == 0 and (report["new"], report["updated"], report["unchanged"]) == (0, 0, len(items))
    assert report["warnings"] == []


def test_the_migration_gives_alerts_the_country_the_tables_now_know(
    cli: Invoke, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name (or a tag) no table matched when the alert was imported counts under its
    country once the tables know it: here "Atlantis" becomes Cape Verde."""
    resolve, from_tags = countries.resolve, countries.from_tags
    cape_verde = countries.lookup("CV")
    monkeypatch.setattr(countries, "resolve",
                        lambda w: [cape_verde] if w.strip() == "Atlantis" else resolve(w))
    monkeypatch.setattr(countries, "from_tags",
                        lambda tags: [cape_verde] if "Atlantis" in tags else from_tags(tags))
    _schema3(archive)
    items = load_items(SCHEMA3_FEED)

    def atlantis(i: dict) -> bool:
        country = i["_ifex"].get("country")
        named = country if isinstance(country, list) else [country]
        return "Atlantis" in named or (country is None and "Atlantis" in i.get("tags", []))

    stats = stats_json(cli)
    by_code = {c["code"]: c["alerts"] for c in stats["countries"]}
    assert by_code["CV"] == sum(atlantis(i) for i in items) == 3
    assert not any(c["name"] == "Atlantis" for c in stats["countries"])
    conn = sqlite3.connect(archive)
    try:
        stored = dict(conn.execute("SELECT id, region FROM alerts WHERE id LIKE 'synthetic:%'"))
    finally:
        conn.close()
    # a region from the new country where the feed wrote none and none was found
    assert stored["synthetic:rsf-lower"] == stored["synthetic:club"] == "Africa"
    assert stored["synthetic:pen"] == "Middle East & North Africa"  # from Iraq, as imported
    assert_bitmaps_exact(archive)
    code, report = import_json(cli, SCHEMA3_FEED)
    assert code == 0 and (report["new"], report["updated"]) == (0, 0)


# --- the user's table changes -------------------------------------------------------------------


def test_a_new_alias_is_reconciled_by_the_next_import(cli: Invoke, write_feed, archive: Path) -> None:
    first = [item("a", _ifex={"source": "ZPC"}), item("b", _ifex={"source": "Zanzibar Press Club"}),
             item("c", _ifex={"source": "CPJ"}), item("d", date_published=None,
                                                     _ifex={"source": "C.P.J. Americas"})]
    assert cli("import", write_feed(first)).exit_code == 0
    assert _sources(stats_json(cli)) == {"ZPC": 1, "Zanzibar Press Club": 1, CPJ: 1,
                                         "C.P.J. Americas": 1}
    reader = schema.connect(archive, readonly=True)
    try:
        assert sources.notes(reader) == []
        loaded = bitmap_counts.load(reader)
        _user_file('[[source]]\nname = "Zanzibar Press Club"\naliases = ["ZPC"]\n\n'
                   f'[[source]]\nname = "{CPJ}"\naliases = ["C.P.J. Americas"]\n')
        assert sources.notes(reader) == [sources.STALE] == sources.archive_notes(archive)
        assert _sources(stats_json(cli)) == {"ZPC": 1, "Zanzibar Press Club": 1, CPJ: 1,
                                             "C.P.J. Americas": 1}  # readers never write

        code, report = import_json(cli, write_feed([item("e", _ifex={"source": "zpc"})]))
        assert code == 0 and report["new"] == 1
        assert report["warnings"] == ["the table of source names has changed since this archive "
                                      "was reconciled: 2 alerts now counted under another name"]
        assert _sources(stats_json(cli)) == {"Zanzibar Press Club": 3, CPJ: 2}
        assert sources.notes(reader) == [] == sources.archive_notes(archive)
        assert bitmap_counts.load(reader) is not loaded
        assert_bitmaps_exact(archive)
    finally:
        reader.close()


def test_reconcile_moves_a_name_to_another_organisation(cli: Invoke, write_feed, archive: Path) -> None:
    """WiPC leaves PEN International while "PEN International" stays: the value is split
    by each alert's source as written (the slow path), counts and bitmaps made again."""
    items = [item(f"w{n}", _ifex={"source": "WiPC"}) for n in range(3)] + [
        item(f"p{n}", date_published=f"201{n}-01-01T00:00:00Z", _ifex={"source": "PEN International"})
        for n in range(4)] + [item("i", _ifex={"source": "International PEN"})]
    assert cli("import", write_feed(items)).exit_code == 0
    assert _sources(stats_json(cli)) == {"PEN International": 8}
    # a name the table does not know is a new organisation, and takes the names it lists
    _user_file('[[source]]\nname = "Writers in Prison"\naliases = ["WiPC"]\n')
    reader = schema.connect(archive, readonly=True)
    try:
        loaded = bitmap_counts.load(reader)
        assert ingest.reconcile(archive) == 3
        assert bitmap_counts.load(reader) is not loaded  # a reader sees the new state
        assert _sources(stats_json(cli)) == {"PEN International": 5, "Writers in Prison": 3}
        assert_bitmaps_exact(archive)
        assert ingest.reconcile(archive) == 0 and sources.notes(reader) == []
    finally:
        reader.close()


def test_a_broken_user_file_is_said_at_import_and_the_built_in_table_used(
    cli: Invoke, write_feed, archive: Path
) -> None:
    path = _user_file('[[source]]\nname = "Zanzibar Press Club\n')
    code, report = import_json(cli, write_feed([item("a", _ifex={"source": "CPJ"})]))
    assert code == 0
    [said] = report["warnings"]
    assert said.startswith(f"{path}: line 2") and "only the built-in table" in said
    assert _sources(stats_json(cli)) == {CPJ: 1}


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["CPJ", "cpj", "Committee to Protect Journalists",
                                   "Committee to Protect Journalists (CPJ)"])
def test_a_source_filter_takes_any_name_of_the_member(
    cli: Invoke, imported: Path, sample_items, typed: str
) -> None:
    result = cli("stats", "--json", "--source", typed)
    assert result.exit_code == 0 and "no alert" not in result.stderr
    assert json.loads(result.stdout)["alerts"] == _expected(sample_items)[CPJ]


def test_the_reconcile_command_counts_again_after_the_user_file_changes(
    cli: Invoke, write_feed, archive: Path
) -> None:
    items = [item(f"w{n}", _ifex={"source": "WiPC"}) for n in range(3)] + [
        item("p", _ifex={"source": "PEN International"})]
    assert cli("import", write_feed(items)).exit_code == 0
    where = _user_file('[[source]]\nname = "Writers in Prison"\naliases = ["WiPC"]\n')
    assert str(where) in cli("paths").stdout
    stale = cli("stats", "--json")
    assert "reconcile" in stale.stderr  # the archive was counted under the older table
    result = cli("reconcile")
    assert result.exit_code == 0 and "3 alerts now counted under another name" in result.stderr
    fresh = cli("stats", "--json")
    assert "reconcile" not in fresh.stderr
    assert _sources(json.loads(fresh.stdout)) == {"PEN International": 1, "Writers in Prison": 3}
    assert json.loads(cli("stats", "--json", "--source", "WiPC").stdout)["alerts"] == 3


def test_reconcile_refuses_a_user_file_that_cannot_be_used(cli: Invoke, write_feed, archive: Path) -> None:
    """A broken sources.toml would count the archive under the built-in table alone, throwing
    the user's table away: reconcile says where the file is wrong and changes nothing."""
    items = [item(f"w{n}", _ifex={"source": "WiPC"}) for n in range(3)] + [
        item("p", _ifex={"source": "PEN International"})]
    assert cli("import", write_feed(items)).exit_code == 0
    path = _user_file('[[source]]\nname = "Writers in Prison"\naliases = ["WiPC"]\n')
    assert cli("reconcile").exit_code == 0
    counted = {"PEN International": 1, "Writers in Prison": 3}
    assert _sources(stats_json(cli)) == counted
    path.write_text('[[source]]\nname = "Writers in Prison"\naliases = "WiPC"\n', encoding="utf-8")
    before = snapshot(archive)
    result = cli("reconcile")
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"ifex-tui: error: {path}: line 3: source 1, aliases: "), line
    assert "nothing reconciled" in line
    assert snapshot(archive) == before
    assert _sources(stats_json(cli)) == counted


def test_an_import_with_a_broken_user_file_moves_nothing_already_counted(
    cli: Invoke, write_feed, archive: Path
) -> None:
    """The user's table counted WiPC on its own; a later typo in the file must not undo that."""
    _user_file('[[source]]\nname = "Writers in Prison"\naliases = ["WiPC"]\n')
    items = [item(f"w{n}", _ifex={"source": "WiPC"}) for n in range(3)]
    assert cli("import", write_feed(items)).exit_code == 0
    assert _sources(stats_json(cli)) == {"Writers in Prison": 3}
    _user_file('[[source]]\nname = "Writers in Prison\n')  # broken
    code, report = import_json(cli, write_feed([item("c", _ifex={"source": "CPJ"})]))
    assert code == 0 and any("only the built-in table" in w for w in report["warnings"])
    assert _sources(stats_json(cli)) == {"Writers in Prison": 3, CPJ: 1}
