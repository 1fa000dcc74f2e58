"""Hygiene: feed text never drives the terminal, the data layer stays free of UI libraries,
the command works without a terminal, and the bundled sample is the real one.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import DATA, FeedWriter, Invoke, export_json, import_json, item

from ifex_tui.safe_text import inert

# ESC, BEL, every other C0 control but newline and tab, DEL, C1 (U+0080-U+009F), bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

OSC52 = "\u001b]52;c;cm0gLXJmIH4K\u0007"
CLEAR = "\u001b[2J"
CSI_C1 = "\u009b31m"
MARKUP = "[bold red]x[/]"
BIDI = "\u202eevil"


def _hostile(k: int) -> dict:
    nasty = f"{OSC52}{CLEAR}{CSI_C1}{MARKUP}{BIDI}"
    return item(
        f"hostile-{k}{CLEAR}", title=f"Title {k} {nasty}", summary=nasty, content_text=nasty,
        tags=[f"tag{nasty}"],
        _ifex={"country": f"Nowhere{nasty}", "violations": [f"Killed{CLEAR}"],
               "targets": [f"Journalist{BIDI}"], "source": f"Source {nasty}", "region": nasty},
    )


@pytest.fixture
def hostile_feed(write_feed: FeedWriter) -> Path:
    return write_feed([_hostile(0), _hostile(1), {"id": f"bad{CLEAR}", "date_published": f"x{OSC52}"}],
                      f"hostile{CLEAR}.json")


def _assert_inert(text: str) -> None:
    assert not RAW_CONTROL.search(text), repr(RAW_CONTROL.search(text))


def test_import_report_shows_no_raw_controls(cli: Invoke, hostile_feed: Path) -> None:
    result = cli("import", hostile_feed)
    assert result.exit_code == 1
    _assert_inert(result.output)
    assert "unrecognised countries (kept as written): Nowhere\\x1b]52;c;" in result.stdout
    assert MARKUP in result.stdout  # shown literally, never interpreted
    assert "rejected" in result.stdout and "\\x1b[2J" in result.stdout


def test_import_json_is_valid_and_escapes_controls(cli: Invoke, hostile_feed: Path) -> None:
    result = cli("import", "--json", hostile_feed)
    _assert_inert(result.stdout)
    report = json.loads(result.stdout)
    assert report["unrecognised_countries"] == [f"Nowhere{OSC52}{CLEAR}{CSI_C1}{MARKUP}{BIDI}"]
    assert report["rejections"][0]["id"] == f"bad{CLEAR}"


def test_stats_for_a_person_shows_no_raw_controls(cli: Invoke, hostile_feed: Path) -> None:
    cli("import", hostile_feed)
    result = cli("stats")
    assert result.exit_code == 0
    _assert_inert(result.output)
    assert "[bold red]x[/]" in result.stdout
    assert "Nowhere\\x1b]52;c;" in result.stdout


def test_stats_and_export_json_are_valid_and_escaped(cli: Invoke, hostile_feed: Path) -> None:
    cli("import", hostile_feed)
    for args in (["stats", "--json"], ["export", "--format", "json"], ["export", "--format", "jsonfeed"]):
        result = cli(*args)
        assert result.exit_code == 0
        _assert_inert(result.stdout)
        json.loads(result.stdout)
    [record] = export_json(cli, "--search", "Title AND 0")
    assert record["title"] == f"Title 0 {OSC52}{CLEAR}{CSI_C1}{MARKUP}{BIDI}"  # data kept exactly


def test_csv_export_shows_no_raw_controls(cli: Invoke, hostile_feed: Path, tmp_path: Path) -> None:
    cli("import", hostile_feed)
    result = cli("export", "--format", "csv")
    assert result.exit_code == 0
    _assert_inert(result.stdout)
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 2 and all(MARKUP in row["title"] for row in rows)
    target = tmp_path / "out.csv"
    cli("export", "--format", "csv", "--output", target)
    _assert_inert(target.read_text(encoding="utf-8"))


def test_error_messages_show_no_raw_controls(cli: Invoke, write_feed: FeedWriter) -> None:
    result = cli("import", write_feed.raw("{", f"broken{OSC52}.json"))
    assert result.exit_code == 2
    _assert_inert(result.output)


def test_inert_keeps_ordinary_text() -> None:
    assert inert("Côte d'Ivoire — “quoted” 日本語 ✓") == "Côte d'Ivoire — “quoted” 日本語 ✓"
    assert inert("a\nb\tc") == "a b c"
    assert inert("a\r\nb\tc", multiline=True) == "a\nb    c"
    assert inert(f"x{CLEAR}") == "x\\x1b[2J"
    assert inert("\u009b") == "\\x9b" and inert(BIDI) == "\\u202eevil"
    assert inert(None) == ""


# --- the data layer and the command line import no UI they don't need -----------------------


def _modules_after(imports: str) -> set[str]:
    code = f"import sys; {imports}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


def test_data_layer_imports_neither_textual_nor_rich() -> None:
    loaded = _modules_after(
        "import ifex_tui.archive.ingest, ifex_tui.archive.queries, ifex_tui.archive.export, "
        "ifex_tui.archive.feed, ifex_tui.archive.filters, ifex_tui.safe_text, ifex_tui.paths"
    )
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_cli_does_not_import_textual() -> None:
    loaded = _modules_after("import ifex_tui.cli")
    assert "textual" not in loaded


def test_an_import_loads_no_numpy() -> None:
    """numpy (about 70 ms to load) counts for readers; an import, timed against a bare
    sqlite3 script, never needs it."""
    loaded = _modules_after("import ifex_tui.cli, ifex_tui.archive.ingest")
    assert "numpy" not in loaded
    assert "numpy" in _modules_after("import ifex_tui.archive.queries")


def test_help_works_without_a_terminal() -> None:
    for args in (["--help"], ["import", "--help"], ["stats", "-h"]):
        result = subprocess.run(
            [sys.executable, "-m", "ifex_tui", *args], stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=60, check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "Usage:" in result.stdout
        assert "\x1b" not in result.stdout


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "ifex-tui"
    result = subprocess.run([script, "--help"], stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0 and "import" in result.stdout


# --- the bundled sample ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cpj-sample.feed.json", "ifex-digest-sample.feed.json"])
def test_bundled_gzip_copies_hold_the_data_folder_items(name: str) -> None:
    bundled = Path(__file__).parent.parent / "ifex_tui" / "sample" / f"{name}.gz"
    packed = json.loads(gzip.decompress(bundled.read_bytes()))
    plain = json.loads((DATA / name).read_text(encoding="utf-8"))
    assert packed["items"] == plain["items"]
    assert packed["version"] == plain["version"]


def _years_line(items: list[dict]) -> str:
    years = Counter(int(i["date_published"][:4]) for i in items if i.get("date_published"))
    return ", ".join(f"{year}: {count}" for year, count in sorted(years.items()))


def test_data_readme_describes_what_the_samples_hold() -> None:
    """The provenance page's figures are the samples' own (read with the stdlib)."""
    readme = " ".join((DATA / "README.md").read_text(encoding="utf-8").split())
    cpj = json.loads((DATA / "cpj-sample.feed.json").read_text(encoding="utf-8"))["items"]
    digest = json.loads((DATA / "ifex-digest-sample.feed.json").read_text(encoding="utf-8"))["items"]
    dated = sorted(i["date_published"][:10] for i in cpj if i.get("date_published"))
    assert "`cpj-sample.feed.json` is a JSON Feed 1.1" in readme
    assert "`ifex-digest-sample.feed.json` is a JSON Feed 1.1" in readme
    assert f"| items | **{len(cpj)}** (" in readme and f"| items | **{len(digest)}** from 14" in readme
    assert f"| dated | {len(dated)}, from **{dated[0]}** to **{dated[-1]}** |" in readme
    assert f"| undated | {len(cpj) - len(dated)}." in readme
    assert _years_line(cpj) in readme and _years_line(digest) in readme
    countries = len({i["_ifex"]["country"] for i in cpj})
    assert f"| countries | **{countries}**, as CPJ writes them" in readme
    no_country = sum(1 for i in digest if not i["_ifex"].get("country"))
    assert f"{no_country} items without a country" in readme


def test_sample_feeds_import_cleanly_each_alone(cli: Invoke, sample_feeds, tmp_path) -> None:
    for n, feed in enumerate(sample_feeds):
        code, report = import_json(cli, "--db", tmp_path / f"{n}.db", feed)
        assert (code, report["rejected"], report["warnings"]) == (0, 0, [])


BIG_ITEMS = [
    {"id": f"p{i}", "title": "t" * 50, "content_text": "word " * 250, "date_published": "2010-01-01"}
    for i in range(8000)
]


@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux `script` for a tty")
def test_a_large_import_shows_progress_in_a_terminal(tmp_path) -> None:
    feed = tmp_path / "big.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": BIG_ITEMS}))
    assert feed.stat().st_size > 8 << 20
    command = f"{sys.executable} -m ifex_tui import {feed} --db {tmp_path / 'a.db'}"
    shown = subprocess.run(
        ["script", "-qec", command, "/dev/null"], capture_output=True, text=True, check=True
    ).stdout
    assert "big.json" in shown and "MB" in shown and "writing the archive" in shown
    assert "8,000 new" in shown


def test_a_large_import_is_quiet_without_a_terminal(tmp_path) -> None:
    feed = tmp_path / "big.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": BIG_ITEMS}))
    result = subprocess.run(
        [sys.executable, "-m", "ifex_tui", "import", str(feed), "--db", str(tmp_path / "a.db")],
        capture_output=True, text=True, check=True,
    )
    assert result.stderr == ""
    assert "8,000 new" in result.stdout
