"""``export``: the JSON record shape, CSV rows, and a JSON Feed that imports back unchanged."""

from __future__ import annotations

import csv
import io
import json
import shlex
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import Invoke, export_json, import_json, item, stats_json

RECORD_KEYS = {
    "id", "url", "title", "date", "year", "countries", "region", "violations", "targets",
    "source", "alert_type", "tags", "authors", "summary", "body_text", "extensions",
}
CSV_HEADER = [
    "id", "date", "year", "title", "countries", "country_codes", "region", "violations",
    "targets", "source", "alert_type", "tags", "authors", "url", "summary", "body_text",
]


def _csv(cli: Invoke, *args) -> list[dict]:
    result = cli("export", "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout, newline="")))


def test_json_record_shape(cli: Invoke, imported: Path) -> None:
    records = export_json(cli, "--search", "Gelson")
    [record] = records
    assert set(record) >= RECORD_KEYS
    assert "pk" not in record
    assert record["id"] == "cpj-killed:2011-11-06:gelson-domingos-da-silva"
    assert (record["date"], record["year"]) == ("2011-11-06", 2011)
    assert record["countries"] == [{"code": "BR", "name": "Brazil", "written": "Brazil"}]
    assert all(set(c) >= {"code", "name"} for c in record["countries"])
    assert record["region"] == "Americas"
    assert record["violations"] == ["Killed"] and record["targets"] == ["Journalist"]
    assert record["source"] == "Committee to Protect Journalists"
    assert record["alert_type"] == "Alert"
    assert record["tags"][0] == "Killed"
    assert record["authors"] == [{"name": "Committee to Protect Journalists", "url": "https://cpj.org/"}]
    assert record["body_text"].startswith("Gelson Domingos da Silva (camera operator")
    assert record["extensions"] == {}


def test_json_export_of_nothing_is_an_empty_array(cli: Invoke, imported: Path) -> None:
    result = cli("export", "--country", "Atlantis")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_csv_header_and_joined_lists(cli: Invoke, write_feed) -> None:
    feed = write_feed([item(
        "c", title='Title, with "quotes"', tags=["one", "two"], content_text="line 1\nline 2",
        authors=[{"name": "A"}, {"name": "B"}],
        _ifex={"country": ["Mexico", "Atlantis"], "violations": ["Killed", "Threatened"],
               "targets": ["Journalist", "Blogger"], "source": "CPJ"},
    )])
    import_json(cli, feed)
    result = cli("export", "--format", "csv")
    assert result.stdout.splitlines()[0] == ",".join(CSV_HEADER)
    [row] = _csv(cli)
    assert list(row) == CSV_HEADER
    assert row["title"] == 'Title, with "quotes"'
    assert row["countries"] == "Mexico; Atlantis"
    assert row["country_codes"] == "MX; "
    assert row["violations"] == "Killed; Threatened"
    assert row["targets"] == "Journalist; Blogger"
    assert row["tags"] == "one; two"
    assert row["authors"] == "A; B"
    assert row["body_text"] == "line 1\nline 2"
    assert (row["date"], row["year"], row["region"]) == ("2012-05-01", "2012", "Americas")


def test_csv_has_one_row_per_alert(cli: Invoke, imported: Path, sample_items) -> None:
    rows = _csv(cli)
    assert len(rows) == len(sample_items) == 1403
    assert {r["id"] for r in rows} == {i["id"] for i in sample_items}
    undated = [r for r in rows if not r["date"]]
    assert len(undated) == 36 and all(r["year"] == "" for r in undated)


def test_output_file(cli: Invoke, imported: Path, tmp_path: Path) -> None:
    target = tmp_path / "iraq.json"
    result = cli("export", "--country", "Iraq", "--output", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"wrote 185 alerts to {target} (how: {target}.provenance.json)\n"
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 185


def test_filters_apply_to_every_format(cli: Invoke, imported: Path) -> None:
    options = ["--country", "MX", "--year", "2009-2011"]
    expected = stats_json(cli, *options)["alerts"]
    assert len(export_json(cli, *options)) == expected
    assert len(_csv(cli, *options)) == expected
    feed = json.loads(cli("export", "--format", "jsonfeed", *options).stdout)
    assert len(feed["items"]) == expected


def test_jsonfeed_round_trip_into_an_empty_archive(cli: Invoke, imported: Path, tmp_path) -> None:
    exported = tmp_path / "export.feed.json"
    assert cli("export", "--format", "jsonfeed", "--output", exported).exit_code == 0
    feed = json.loads(exported.read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert len(feed["items"]) == 1403
    assert all("_ifex" in i for i in feed["items"])
    fresh = tmp_path / "fresh.db"
    code, report = import_json(cli, "--db", fresh, exported)
    assert (code, report["new"], report["rejected"], report["warnings"]) == (0, 1403, 0, [])
    assert stats_json(cli, "--db", fresh) == stats_json(cli)
    for options in (["--region", "Africa"], ["--country", "unknown"], ["--year", "undated"],
                    ["--search", "radio"]):
        assert stats_json(cli, "--db", fresh, *options) == stats_json(cli, *options)
    [gelson] = export_json(cli, "--db", fresh, "--search", "Gelson")
    assert gelson["id"] == "cpj-killed:2011-11-06:gelson-domingos-da-silva"
    assert export_json(cli, "--db", fresh) == export_json(cli)  # every field of every alert


def test_jsonfeed_reimported_into_the_same_archive_changes_nothing(cli, imported, tmp_path) -> None:
    exported = tmp_path / "again.feed.json"
    cli("export", "--format", "jsonfeed", "--output", exported)
    code, report = import_json(cli, exported)
    assert (code, report["new"], report["updated"], report["unchanged"]) == (0, 0, 0, 1403)


def test_jsonfeed_keeps_what_was_written(cli: Invoke, write_feed, tmp_path) -> None:
    original = item(
        "w", url="https://example.org/w", date_published="2019-12-31T23:30:00-05:00",
        date_modified="2020-01-01T00:00:00Z", tags="one tag", author={"name": "Old style"},
        _ifex={"country": ["Burma", "Atlantis"], "severity": "high"}, _other={"k": [1, 2]},
    )
    import_json(cli, write_feed([original]))
    [exported] = json.loads(cli("export", "--format", "jsonfeed").stdout)["items"]
    assert exported["date_published"] == "2019-12-31T23:30:00-05:00"
    assert exported["date_modified"] == "2020-01-01T00:00:00Z"
    assert exported["_ifex"]["country"] == ["Burma", "Atlantis"]
    assert exported["_ifex"]["severity"] == "high"
    assert exported["_other"] == {"k": [1, 2]}
    assert exported["tags"] == ["one tag"]
    assert exported["authors"] == [{"name": "Old style"}]
    before = export_json(cli)
    fresh = tmp_path / "fresh.db"
    feed = tmp_path / "w.feed.json"
    cli("export", "--format", "jsonfeed", "--output", feed)
    import_json(cli, "--db", fresh, feed)
    after = export_json(cli, "--db", fresh)
    assert after == before


def _strict(text: str):
    def refuse(token: str):
        raise AssertionError(f"{token} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_an_infinite_number_from_an_older_archive_exports_as_json(
    cli: Invoke, write_feed, archive: Path, tmp_path
) -> None:
    """An earlier version stored ``1e400`` from JSON Lines as infinity: export stays JSON."""
    import_json(cli, write_feed([item("old", _ifex={"country": "Iraq"})]))
    with sqlite3.connect(archive) as conn:
        conn.execute("""UPDATE alerts SET extensions = '{"_x": Infinity, "_ifex": {"n": [-Infinity]}}'""")
    conn.close()
    [record] = _strict(cli("export", "--format", "json").stdout)
    assert record["extensions"] == {"_x": "Infinity", "_ifex": {"n": ["-Infinity"]}}
    exported = tmp_path / "old.feed.json"
    assert cli("export", "--format", "jsonfeed", "--output", exported).exit_code == 0
    [feed_item] = _strict(exported.read_text(encoding="utf-8"))["items"]
    assert (feed_item["_x"], feed_item["_ifex"]["n"]) == ("Infinity", ["-Infinity"])
    fresh = tmp_path / "fresh.db"
    assert import_json(cli, "--db", fresh, exported)[0] == 0
    assert stats_json(cli, "--db", fresh) == stats_json(cli)


FORMULAS = ['=HYPERLINK("https://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=1+1"]


def test_csv_cells_a_spreadsheet_would_evaluate_are_neutralised(cli: Invoke, write_feed) -> None:
    items = [item(f"f{n}", title=formula, _ifex={"source": formula})
             for n, formula in enumerate(FORMULAS)]
    import_json(cli, write_feed([*items, item("ok", title="Journalist killed in Iraq - update")]))
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout))}
    for n, formula in enumerate(FORMULAS[:4]):
        assert rows[f"f{n}"]["title"] == "'" + formula
        assert rows[f"f{n}"]["source"] == "'" + formula
    for row in rows.values():  # no cell starts like a formula, after a tab or a line break either
        for cell in row.values():
            assert not cell.lstrip(" \t\r\n").startswith(("=", "+", "-", "@")), cell
    assert rows["ok"]["title"] == "Journalist killed in Iraq - update"  # the rest as it was
    raw = {r["id"]: r for r in csv.DictReader(io.StringIO(cli("export", "--format", "csv", "--raw").stdout))}
    assert [raw[f"f{n}"]["title"] for n in range(4)] == FORMULAS[:4]  # --raw: as they are


@pytest.mark.parametrize("options", [
    ["--country", "Iraq", "--country", "SY", "--violation", "Killed"],
    ["--not-country", "Iraq", "--year", "2010-2012", "--all-violations", "--violation", "Killed",
     "--violation", "Detained"],
    ["--search", '"camera operator"', "--source", "Committee to Protect Journalists"],
    ["--year", "undated", "--region", "none"],
    ["--raw", "--country", "Iraq"],
])
def test_an_export_says_how_it_was_made_and_the_command_makes_it_again(
    cli: Invoke, imported: Path, tmp_path: Path, options: list[str]
) -> None:
    first = tmp_path / "first.csv"
    result = cli("export", "--format", "csv", "--output", first, *options)
    assert result.exit_code == 0, result.output
    made = json.loads((tmp_path / "first.csv.provenance.json").read_text("utf-8"))
    assert made["archive"] == str(imported.resolve()) and made["format"] == "csv"
    assert made["snapshot"]["alerts"] == stats_json(cli)["alerts"]
    assert made["snapshot"]["last_import_sha256"] and made["ifex_tui_version"]
    rows = list(csv.DictReader(io.StringIO(first.read_text("utf-8"))))
    assert made["rows"] == len(rows)
    again = tmp_path / "again.csv"
    argv = shlex.split(made["command"])
    assert argv[:2] == ["ifex-tui", "export"]
    assert ("--raw" in argv) == ("--raw" in options)  # it changes the file: it is recorded
    assert cli(*argv[1:], "--output", again).exit_code == 0  # the recorded command, as typed
    assert list(csv.DictReader(io.StringIO(again.read_text("utf-8")))) == rows


def test_a_json_feed_carries_its_provenance_and_still_imports(
    cli: Invoke, imported: Path, tmp_path: Path
) -> None:
    feed = json.loads(cli("export", "--format", "jsonfeed", "--country", "SY").stdout)
    made = feed["_ifex_export"]
    assert made["rows"] == len(feed["items"]) and "--country SY" in made["command"]
    path = tmp_path / "syria.feed.json"
    path.write_text(json.dumps(feed), "utf-8")
    code, report = import_json(cli, path, "--db", tmp_path / "other.db")
    assert (code, report["new"]) == (0, len(feed["items"]))


def test_manifest_writes_the_provenance_of_an_export_to_stdout(
    cli: Invoke, imported: Path, tmp_path: Path
) -> None:
    where = tmp_path / "how.json"
    result = cli("export", "--format", "ris", "--country", "SY", "--manifest", where)
    assert result.exit_code == 0 and result.stdout.startswith("TY  - ")
    assert json.loads(where.read_text("utf-8"))["command"].endswith("--format ris --country SY")


def test_markdown_export_has_its_provenance_and_shows_feed_text_literally(
    cli: Invoke, write_feed, archive: Path
) -> None:
    hostile = "**bold** [link](https://evil.example) <b>x</b>"
    body = "# not a heading\n- not a list\n1. not a number\nplain (text). ok"
    import_json(cli, write_feed([item("m", title=hostile, content_text=body,
                                      _ifex={"country": "Mexico", "source": "CPJ"})]))
    out = cli("export", "--format", "markdown").stdout
    front, rest = out.split("\n---\n", 1)
    assert front.startswith("---\n") and "command: " in front and "rows: 1" in front
    assert "## \\*\\*bold\\*\\* \\[link\\](https://evil.example) \\<b\\>x\\</b\\>" in rest
    assert "\\# not a heading\n\\- not a list\n1\\. not a number\nplain (text). ok" in rest
    assert "- **Countries:** Mexico" in rest and "- **Link:** none" in rest


def test_an_export_never_replaces_a_database_or_its_log(
    cli: Invoke, imported: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    log = imported.with_name(imported.name + "-wal")
    kept = {path: path.read_bytes() for path in (imported, other)}
    (tmp_path / "sub").mkdir()
    for options in (["--output", imported], ["--output", tmp_path / "x.csv", "--manifest", imported],
                    ["--output", other], ["--output", log],
                    ["--output", tmp_path / "sub" / ".." / imported.name]):
        result = cli("export", "--format", "csv", "--country", "Iraq", *options)
        assert result.exit_code == 2, (options, result.output)
        assert result.stderr.count("\n") == 1 and "never replaces" in result.stderr
    for path, data in kept.items():
        assert path.read_bytes() == data
    assert not (log.exists() and log.read_bytes().startswith(b"id,"))  # SQLite's, if any
    assert not (tmp_path / "x.csv").exists()
    assert stats_json(cli)["alerts"] > 0  # the archive still reads


def test_an_export_and_its_manifest_are_written_both_or_neither(
    cli: Invoke, imported: Path, tmp_path: Path
) -> None:
    target = tmp_path / "iraq.csv"
    result = cli("export", "--format", "csv", "--output", target, "--manifest", target)
    assert result.exit_code == 2 and "same file" in result.stderr
    assert not target.exists()
    target.write_text("an older export\n", "utf-8")
    (tmp_path / "iraq.csv.provenance.json").mkdir()  # the manifest cannot be written
    result = cli("export", "--format", "csv", "--country", "Iraq", "--output", target)
    assert result.exit_code == 2 and "iraq.csv.provenance.json" in result.stderr
    assert target.read_text("utf-8") == "an older export\n"  # not replaced without its manifest


@pytest.mark.skipif(sys.platform != "linux", reason="a file size limit stands in for a full disk")
def test_an_export_that_does_not_fit_leaves_no_provenance_behind(
    imported: Path, tmp_path: Path
) -> None:
    """A full disk, as a file size limit (RLIMIT_FSIZE) the export exceeds and its provenance
    does not: the installed command, in a process of its own.  Neither file is left."""
    import resource
    import signal
    import subprocess

    archive = tmp_path / "plain.db"  # no write-ahead log: a reader needs no -shm file
    archive.write_bytes(imported.read_bytes())
    with sqlite3.connect(archive) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    target = tmp_path / "one.csv"

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (600, 600))

    result = subprocess.run(
        [Path(sys.executable).parent / "ifex-tui", "export", "--db", archive, "--format", "csv",
         "--id", "cpj-killed:2016-08-20:ali-ghani", "--output", target],
        preexec_fn=limited, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and result.stderr.startswith(f"ifex-tui: error: {target}: ")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("one")) == []


@pytest.mark.parametrize(("given", "said"), [
    (["-o", ""], "--output is empty: give the file to write"),
    (["--manifest", ""], "--manifest is empty: give the file to write"),
    (["-o", "."], ".: is a folder, not a file"),
    (["-o", "{tmp}/new.csv/"], "{tmp}/new.csv/: is a folder, not a file"),
    (["--manifest", "{tmp}/how/"], "{tmp}/how/: is a folder, not a file"),
])
def test_a_folder_or_nothing_given_as_the_file_is_refused_before_anything_is_written(
    cli: Invoke, imported: Path, tmp_path: Path, given: list[str], said: str
) -> None:
    """``new.csv/`` (a Path reads it as the file ``new.csv``), ``.`` or '' (a traceback): one
    line, exit 2, nothing on stdout and no file."""
    result = cli("export", "--format", "csv", *(g.format(tmp=tmp_path) for g in given))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"ifex-tui: error: {said.format(tmp=tmp_path)}\n"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("archive.db")] == []
