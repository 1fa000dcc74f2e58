"""The command line's contract: exact JSON shapes, exit statuses, where the archive lives, errors.

Scripts depend on these shapes, so they are compared key for key, not just parsed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import CPJ_NAME, DIGEST_NAME, Invoke, import_json, item, stats_json

from ifex_tui.archive import schema
from ifex_tui.cli import prepare_demo

IMPORT_KEYS = {
    "read", "new", "updated", "unchanged", "rejected", "unrecognised_countries", "rejections",
    "warnings", "dry_run", "landed",
}
STATS_KEYS = {
    "alerts", "unit", "note", "countries", "years", "regions", "violations", "targets", "sources", "first_date",
    "last_date",
}


def _one_error_line(result) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ifex-tui: error: ")
    return lines[0]


# --- shapes -------------------------------------------------------------------------------------


def test_import_json_shape(cli: Invoke, write_feed) -> None:
    feed = write_feed([item("a", _ifex={"country": "Atlantis"}), {"title": "no id"}], "shape.json")
    result = cli("import", "--json", feed)
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 1  # one object, one line
    report = json.loads(result.stdout)
    assert set(report) == IMPORT_KEYS
    for key in ("read", "new", "updated", "unchanged", "rejected"):
        assert type(report[key]) is int
    assert report["unrecognised_countries"] == ["Atlantis"]
    assert report["rejections"] == [{
        "file": str(feed), "index": 1, "id": None, "field": "id",
        "reason": "missing (every item needs an id)", "where": "item 1",
    }]
    assert report["warnings"] == [] and report["dry_run"] is False and report["landed"] is True
    assert result.stderr == ""


def test_stats_json_shape(cli: Invoke, imported: Path) -> None:
    stats = stats_json(cli)
    assert set(stats) == STATS_KEYS
    assert type(stats["alerts"]) is int
    for country in stats["countries"]:
        assert set(country) == {"code", "name", "alerts"}
        assert country["code"] is None or (country["code"].isupper() and len(country["code"]) in (2, 4))
    assert {"year", "alerts"} == set(stats["years"][0])
    assert all(type(y["year"]) is int for y in stats["years"][:-1])
    for key in ("regions", "violations", "targets", "sources"):
        assert stats[key], key
        assert all(set(entry) == {"name", "alerts"} for entry in stats[key])
        counts = [entry["alerts"] for entry in stats[key]]
        assert counts == sorted(counts, reverse=True)
    assert stats["first_date"] == "1992-01-01"
    assert stats["unit"] == "alerts" and "counts once under each value" in stats["note"]


def test_stats_json_of_an_empty_selection(cli: Invoke, imported: Path) -> None:
    stats = stats_json(cli, "--country", "Atlantis")
    assert stats.pop("note")
    assert stats == {
        "alerts": 0, "unit": "alerts", "countries": [], "years": [], "regions": [], "violations": [], "targets": [],
        "sources": [], "first_date": None, "last_date": None,
    }


def test_stats_json_of_an_empty_archive(cli: Invoke, write_feed) -> None:
    import_json(cli, write_feed([]))
    assert stats_json(cli)["alerts"] == 0


def test_stats_for_a_person(cli: Invoke, imported: Path) -> None:
    result = cli("stats", "--country", "Iraq")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("185 alerts (")
    assert "Countries" in result.stdout and "Years" in result.stdout
    assert any(line.split() == ["Iraq", "185"] for line in lines)
    assert "\x1b" not in result.stdout  # not a terminal: no colour codes either


def test_import_human_report(cli: Invoke, write_feed, archive: Path) -> None:
    result = cli("import", write_feed([item("a"), item("b")]))
    assert result.exit_code == 0
    assert result.stdout == f"imported into {archive}: 2 read, 2 new, 0 updated, 0 unchanged, 0 rejected\n"


# --- exit statuses -------------------------------------------------------------------------------


def test_exit_statuses(cli: Invoke, write_feed, tmp_path: Path) -> None:
    assert cli("import", write_feed([item("ok")])).exit_code == 0
    assert cli("import", write_feed([item("ok2"), {"no": "id"}])).exit_code == 1
    assert cli("import", write_feed.raw("{", "bad.json")).exit_code == 2
    assert cli("import").exit_code == 2  # no FEED
    assert cli("import", "--no-such-option", write_feed([item("x")])).exit_code == 2
    assert cli("stats", "--year", "soon").exit_code == 2
    assert cli("export", "--format", "xml").exit_code == 2
    assert cli("stats", "--db", tmp_path / "none.db").exit_code == 2
    assert cli("no-such-command").exit_code == 2


def test_no_command_without_a_terminal_is_a_clear_error(cli: Invoke) -> None:
    result = cli()
    assert result.exit_code == 2
    assert "needs a terminal" in _one_error_line(result)


def test_demo_without_a_terminal_stops_before_writing_anything(cli: Invoke, tmp_path: Path) -> None:
    result = cli("demo")
    assert result.exit_code == 2 and "needs a terminal" in _one_error_line(result)
    assert not (tmp_path / "xdg-data" / "ifex-tui" / "demo.db").exists()


def test_the_demo_archive_holds_the_bundled_sample(cli: Invoke, tmp_path: Path) -> None:
    demo = tmp_path / "xdg-data" / "ifex-tui" / "demo.db"
    prepare_demo(demo)
    with sqlite3.connect(demo) as conn:
        log = conn.execute("SELECT file, sha256, finished FROM imports ORDER BY pk").fetchall()
    conn.close()
    first = demo.read_bytes()
    prepare_demo(demo)  # a second start changes nothing: not a byte, not a log row
    assert demo.read_bytes() == first
    assert [Path(file).name for file, _, _ in log] == [f"{CPJ_NAME}.gz", f"{DIGEST_NAME}.gz"]
    with sqlite3.connect(demo) as conn:
        assert conn.execute("SELECT file, sha256, finished FROM imports ORDER BY pk").fetchall() == log
    conn.close()
    assert stats_json(cli, "--db", demo)["alerts"] == 1403


def test_help_lists_the_commands(cli: Invoke) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("import", "stats", "export", "paths"):
        assert command in result.stdout
    assert cli("import", "-h").exit_code == 0


def test_every_command_and_option_is_in_the_help(cli: Invoke) -> None:
    """Each command's help names every option it takes (the modules a command uses load only
    when it runs, so its help must not depend on them), and stats names its --top default."""
    from typer.main import get_command

    from ifex_tui.cli import app

    commands = get_command(app).commands  # type: ignore[attr-defined]
    listed = cli("--help").stdout
    for name, command in commands.items():
        assert name in listed
        result = cli(name, "--help")
        assert result.exit_code == 0, name
        for option in (o for p in command.params for o in p.opts if o.startswith("-")):
            assert option in result.stdout, (name, option)
    assert "(default 15, or all with --values)" in " ".join(cli("stats", "--help").stdout.split())


# --- where the archive lives ----------------------------------------------------------------------


def test_archive_is_env_var_by_default(cli: Invoke, write_feed, archive: Path) -> None:
    cli("import", write_feed([item("env")]))
    assert archive.exists()
    assert stats_json(cli)["alerts"] == 1


def test_db_option_wins_over_env(cli: Invoke, write_feed, archive: Path, tmp_path: Path) -> None:
    other = tmp_path / "sub" / "dir" / "other.db"
    assert cli("import", "--db", other, write_feed([item("o")])).exit_code == 0
    assert other.exists() and not archive.exists()
    assert stats_json(cli, "--db", other)["alerts"] == 1
    assert cli("stats", "--json").exit_code == 2  # the env archive was never made


def test_default_archive_is_in_the_user_data_dir(cli: Invoke, write_feed, tmp_path, monkeypatch):
    monkeypatch.delenv("IFEX_TUI_DB")
    assert cli("import", write_feed([item("d")])).exit_code == 0
    assert (tmp_path / "xdg-data" / "ifex-tui" / "archive.db").exists()


def test_paths_command(cli: Invoke, archive: Path, tmp_path: Path) -> None:
    result = cli("paths")
    assert result.exit_code == 0
    assert f"archive: {archive}" in result.stdout
    assert f"demo archive: {tmp_path / 'xdg-data' / 'ifex-tui' / 'demo.db'}" in result.stdout
    assert f"config dir: {tmp_path / 'xdg-config' / 'ifex-tui'}" in result.stdout
    assert f"keymap: {tmp_path / 'xdg-config' / 'ifex-tui' / 'keymap.toml'} " in result.stdout
    assert f"archive: {tmp_path / 'x.db'}" in cli("paths", "--db", tmp_path / "x.db").stdout


# --- archives that cannot be used ---------------------------------------------------------------


def test_stats_without_an_archive(cli: Invoke, archive: Path) -> None:
    result = cli("stats")
    assert result.exit_code == 2
    assert "no archive here yet" in _one_error_line(result)
    assert not archive.exists()  # reading never creates one


@pytest.mark.parametrize("command", [["stats"], ["export", "-o", "OUT"], ["cite", "x"], ["check"],
                                     ["backup", "COPY"]])
def test_an_empty_file_is_no_archive_and_reading_it_writes_nothing(
    cli: Invoke, archive: Path, tmp_path: Path, command
) -> None:
    """A file made by ``touch`` (or an import that never began): every command that reads says
    so in one line, and leaves it as it was: no schema written into it, no -wal or -shm."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.touch()
    args = [str(tmp_path / "out" / a.lower()) if a in ("OUT", "COPY") else a for a in command]
    result = cli(*args)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert str(archive) in line and "not an ifex-tui archive yet: import a feed into it" in line
    assert archive.stat().st_size == 0
    assert sorted(archive.parent.iterdir()) == [archive]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["stats"], ["export"], ["import", "FEED"]])
def test_a_file_that_is_not_a_database(cli: Invoke, archive: Path, write_feed, command) -> None:
    archive.write_text("just some notes\n" * 100)
    args = [str(write_feed([item("x")])) if a == "FEED" else a for a in command]
    result = cli(*args)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert str(archive) in line and "not a usable archive" in line
    assert archive.read_text() == "just some notes\n" * 100


@pytest.mark.parametrize("command", [["stats"], ["export"]])
def test_an_empty_or_foreign_sqlite_database_is_not_an_archive(cli, archive: Path, command) -> None:
    conn = sqlite3.connect(archive)
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()
    result = cli(*command)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert line == (f"ifex-tui: error: {archive}: not an ifex-tui archive: "
                    "its tables (notes) are not an ifex-tui archive's; left untouched")


def test_an_archive_from_a_newer_version(cli: Invoke, write_feed, archive: Path) -> None:
    cli("import", write_feed([item("x")]))
    conn = sqlite3.connect(archive)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    for args in (["stats"], ["import", str(write_feed([item("y")]))]):
        result = cli(*args)
        assert result.exit_code == 2
        line = _one_error_line(result)
        assert str(archive) in line and "newer" in line


def test_opening_an_archive_applies_missing_migrations(write_feed, archive: Path, cli) -> None:
    """A file at schema 0 (what SQLite makes) is brought forward by the same path."""
    sqlite3.connect(archive).close()
    assert cli("import", write_feed([item("m")])).exit_code == 0
    conn = sqlite3.connect(archive)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    finally:
        conn.close()


def test_an_archive_at_schema_1_is_migrated_on_open(cli: Invoke, imported: Path) -> None:
    """Version 1 declared ``alert_facets.year`` between key columns; opening brings it forward."""
    before = stats_json(cli)
    conn = sqlite3.connect(imported, isolation_level=None)
    conn.executescript(
        """
        BEGIN;
        CREATE TABLE old_facets (kind TEXT NOT NULL, value TEXT NOT NULL COLLATE NOCASE,
            sort_date TEXT NOT NULL, year INTEGER NOT NULL, alert INTEGER NOT NULL,
            PRIMARY KEY (kind, value, sort_date, alert)) WITHOUT ROWID;
        INSERT INTO old_facets SELECT kind, value, sort_date, year, alert FROM alert_facets;
        DROP TABLE alert_facets;
        ALTER TABLE old_facets RENAME TO alert_facets;
        CREATE INDEX alert_facets_alert ON alert_facets (alert);
        PRAGMA user_version = 1;
        COMMIT;
        """
    )
    conn.close()
    assert stats_json(cli) == before  # a reader: the archive is brought forward first
    conn = sqlite3.connect(imported)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(alert_facets)")]
        assert columns == ["kind", "value", "sort_date", "alert", "year"]
    finally:
        conn.close()


def test_export_to_a_folder_that_does_not_exist(cli: Invoke, imported: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.csv"
    result = cli("export", "--format", "csv", "--output", target)
    assert result.exit_code == 2
    assert str(target) in _one_error_line(result)
    assert not target.exists()


def test_export_under_a_file_says_that_it_is_a_file(cli: Invoke, imported: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("mine\n", encoding="utf-8")
    target = tmp_path / "notes.csv" / "out.csv"
    result = cli("export", "--format", "csv", "--output", target)
    assert result.exit_code == 2
    assert _one_error_line(result).endswith(f"{target}: notes.csv is a file, not a folder")
    assert (tmp_path / "notes.csv").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_export_never_writes_to_a_pipe_or_replaces_it(cli: Invoke, imported: Path, tmp_path: Path) -> None:
    """Writing to a named pipe blocked until something read it (the app could not quit), and
    a device file was replaced by the export: neither is a file of ours to write."""
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    result = cli("export", "--format", "csv", "--output", pipe)
    assert result.exit_code == 2
    assert _one_error_line(result).endswith(f"{pipe}: is not a plain file (a device, a pipe, a "
                                            "socket): an export never replaces one; choose "
                                            "another file")
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="a /proc file system")
def test_export_where_no_file_can_be_made_names_the_file_asked_for(
    cli: Invoke, imported: Path
) -> None:
    """/proc takes no new file, though it looks writable: the export says so of the file asked
    for (it named a temporary file of its own), before writing anything."""
    result = cli("export", "--format", "csv", "--output", "/proc/out.csv")
    assert result.exit_code == 2
    assert _one_error_line(result).startswith("ifex-tui: error: /proc/out.csv: its folder takes "
                                              "no new file (")


def test_import_never_turns_another_programs_database_into_an_archive(
    cli: Invoke, write_feed, archive: Path
) -> None:
    conn = sqlite3.connect(archive)
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()
    result = cli("import", write_feed([item("x")]))
    assert result.exit_code == 2
    assert "its tables (notes) are not an ifex-tui archive's" in _one_error_line(result)
    conn = sqlite3.connect(archive)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not even WAL


def test_db_given_before_the_command_is_the_one_used(cli: Invoke, write_feed, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    assert cli("--db", str(other), "import", write_feed([item("x"), item("y")])).exit_code == 0
    assert stats_json(cli, "--db", other)["alerts"] == 2
    result = cli("--db", str(other), "stats", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["alerts"] == 2


def test_filter_values_no_alert_has_are_named_on_stderr(cli: Invoke, imported: Path) -> None:
    result = cli("stats", "--json", "--violation", "Kiled", "--country", "Mexico")
    assert result.exit_code == 0 and json.loads(result.stdout)["alerts"] == 0
    assert result.stderr.splitlines() == [
        "ifex-tui: note: no alert in the archive has violation 'Kiled'; closest: 'Killed'"
    ]


def test_excluded_values_no_alert_has_are_named_too(cli: Invoke, imported: Path) -> None:
    result = cli("stats", "--json", "--not-violation", "Kiled", "--not-year", "1950")
    assert result.exit_code == 0 and json.loads(result.stdout)["alerts"] == 1043 + 360
    assert result.stderr.splitlines() == [
        "ifex-tui: note: no alert in the archive has year '1950'; its years run 1992-2016 and undated",
        "ifex-tui: note: no alert in the archive has violation 'Kiled'; closest: 'Killed'",
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--all-violations"], "--all-violations needs --violation values"),
        (["--country", "IQ", "--all-countries", "--all-targets"], "--all-targets needs --target values"),
        (["--country", "Iraq", "--not-country", "IQ"], "country 'Iraq' is both chosen"),
        (["--year", "2009-2011", "--not-year", "2010"], "year '2010' is both chosen"),
        (["--violation", "Killed", "--not-violation", "killed"], "violation 'killed' is both chosen"),
        (["--not-year", "20x9"], "not a year or range of years"),
    ],
)
@pytest.mark.parametrize("command", ["stats", "export"])
def test_contradictory_exclusion_and_all_options_are_one_line(
    cli: Invoke, imported: Path, command: str, options: list[str], message: str
) -> None:
    result = cli(command, *options)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in _one_error_line(result)


def _locked_at(monkeypatch: pytest.MonkeyPatch, archive: Path, statement: str) -> list:
    """Have another connection hold the archive exclusively from the command's first statement
    containing ``statement`` (for a search: the probe of its FTS5 syntax) on.

    The archive is put in rollback-journal mode first (in WAL a writer never blocks readers),
    and the command's connection waits 0 ms instead of 10 s for the lock.
    """
    conn = sqlite3.connect(archive)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    holders: list[sqlite3.Connection] = []
    opened = schema.connect

    def connect_then_lock(path: Path, **kwargs):
        connection = opened(path, **kwargs)
        connection.execute("PRAGMA busy_timeout = 0")

        def lock(sql: str) -> None:
            if statement in sql and not holders:
                holder = sqlite3.connect(path, isolation_level=None)
                holder.execute("BEGIN EXCLUSIVE")
                holders.append(holder)

        connection.set_trace_callback(lock)
        return connection

    monkeypatch.setattr(schema, "connect", connect_then_lock)
    return holders


@pytest.mark.parametrize(
    ("args", "statement"),
    [(["stats", "--search", "radio"], "SELECT 1 FROM alerts_fts"),
     (["stats", "--not-country", "IQ", "--json"], "SELECT"),
     (["export", "--search", "radio"], "SELECT 1 FROM alerts_fts"),
     (["export", "--violation", "Killed", "--all-violations"], "SELECT")],
)
def test_a_locked_archive_is_one_line_not_a_search_error(
    cli: Invoke, imported: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], statement: str
) -> None:
    holders = _locked_at(monkeypatch, imported, statement)
    try:
        result = cli(*args)
    finally:
        for holder in holders:
            holder.close()
    assert holders, "the lock was never taken"
    assert result.exit_code == 2 and result.stdout == ""
    assert _one_error_line(result) == f"ifex-tui: error: {imported}: database is locked"


def test_stats_for_a_person_says_what_was_matched(cli: Invoke, imported: Path) -> None:
    result = cli("stats", "--violation", "killed", "--violation", "Detained", "--all-violations",
                 "--not-country", "IQ", "--not-year", "undated")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "0 alerts (no dates)"  # no sample alert is both killed and detained
    # as the archive spells the values (--violation killed is Killed)
    assert lines[1] == "matching violation Detained and Killed; not country Iraq; not undated"
    assert cli("stats").stdout.splitlines()[1] == ""  # nothing filtered: no such line
    shown = cli("stats", "--not-violation", "none", "--not-country", "IQ", "--not-country", "none")
    assert shown.stdout.splitlines()[1] == (
        "matching not country Iraq or Unknown country; not violation none")


@pytest.mark.parametrize(("command", "option", "what"), [
    ("stats", "--country", "give a country (none for the alerts without one)"),
    ("export", "--not-year", "give a year (undated for the alerts without one)"),
    ("export", "--source", "give a source (none for the alerts without one)"),
    ("stats", "--id", "give an alert's id, as export writes it"),
    ("export", "--ids", "give the file that lists the ids"),
    ("stats", "--search", "give words to search for, or leave --search out"),
    ("stats", "--format", "give one of text, csv, json"),
])
def test_an_empty_filter_value_is_refused_not_dropped(
    cli: Invoke, imported: Path, tmp_path: Path, command: str, option: str, what: str
) -> None:
    """``--country "$C"`` with ``C`` unset: one line naming the option, and nothing written
    (dropped, it exported the whole archive)."""
    out = tmp_path / "all.csv"
    extra = ["--format", "csv", "-o", str(out)] if command == "export" else []
    result = cli(command, option, " ", *extra)
    assert result.exit_code == 2
    assert _one_error_line(result) == f"ifex-tui: error: {option} is empty: {what}"
    assert not out.exists()


def test_cite_refuses_an_empty_id(cli: Invoke, imported: Path) -> None:
    result = cli("cite", " ")
    assert result.exit_code == 2
    assert _one_error_line(result) == (
        "ifex-tui: error: an id is empty: give each alert's id, as export writes it")
