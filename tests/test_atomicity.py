"""One import is one transaction: a failure or a kill at any moment leaves the archive as before.

Failures are real, not mocked: a feed whose container breaks after thousands of good items,
SQLite triggers that raise inside the merge, and a subprocess killed with SIGKILL while it
stages and while it merges a 150,000-item feed.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA, FeedWriter, Invoke, item, snapshot, stats_json
from test_bitmaps import assert_bitmaps_exact

from ifex_tui.archive import schema

BIG = 150_000


def _check(archive: Path) -> None:
    """The archive opens, SQLite (and FTS5) find nothing wrong with it, and the facet bitmaps
    are exactly the facet rows'."""
    conn = sqlite3.connect(archive)
    schema.register_functions(conn)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO alerts_fts (alerts_fts) VALUES ('integrity-check')")
        alerts = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
        counted = conn.execute("SELECT sum(n) FROM facet_counts WHERE kind = 'all'").fetchone()[0]
        assert counted == alerts
    finally:
        conn.close()
    assert_bitmaps_exact(archive)


def _refused(cli: Invoke, archive: Path, *args) -> str:
    before = snapshot(archive)
    result = cli("import", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    assert snapshot(archive) == before
    _check(archive)
    return line


def _good_items(n: int, prefix: str = "g") -> list[dict]:
    return [item(f"{prefix}-{k}", _ifex={"country": "Mexico", "violations": ["Detained"]})
            for k in range(n)]


def test_sample_archive_is_sound(imported: Path) -> None:
    _check(imported)


def test_container_breaking_after_5000_good_items(cli, write_feed: FeedWriter, imported) -> None:
    text = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": _good_items(5000)})
    broken = write_feed.raw(text[:-2] + ', {"id": "x", }]}', "breaks-late.json")
    assert "breaks-late.json" in _refused(cli, imported, broken)
    assert stats_json(cli)["alerts"] == 1403


def test_json_lines_breaking_at_line_5001(cli, write_feed: FeedWriter, imported) -> None:
    lines = [json.dumps(i) for i in _good_items(5000)] + ["{oops"]
    feed = write_feed.raw("\n".join(lines) + "\n", "late.jsonl")
    assert "line 5001" in _refused(cli, imported, feed)


def test_gzip_cut_after_thousands_of_items(cli, write_feed: FeedWriter, imported) -> None:
    import gzip

    packed = gzip.compress(write_feed.jsonl(_good_items(5000)).read_bytes())
    feed = write_feed.raw(packed[: len(packed) * 3 // 4], "cut.jsonl.gz")
    assert "cut.jsonl.gz" in _refused(cli, imported, feed)


def _add_trigger(archive: Path, sql: str) -> None:
    conn = sqlite3.connect(archive)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


TRIGGERS = {
    "facet insert": "CREATE TRIGGER boom BEFORE INSERT ON alert_facets WHEN NEW.value = 'BOOM' "
                    "BEGIN SELECT RAISE(ABORT, 'boom'); END",
    "alert update": "CREATE TRIGGER boom BEFORE UPDATE ON alerts WHEN NEW.title = 'BOOM' "
                    "BEGIN SELECT RAISE(ABORT, 'boom'); END",
    "import log (last step)": "CREATE TRIGGER boom BEFORE INSERT ON imports "
                              "BEGIN SELECT RAISE(ABORT, 'boom'); END",
}


@pytest.mark.parametrize("where", TRIGGERS)
def test_failure_inside_the_merge_rolls_everything_back(cli, write_feed, imported, where) -> None:
    _add_trigger(imported, TRIGGERS[where])
    feed = write_feed([
        *_good_items(3000),
        item("cpj-killed:2011-11-06:gelson-domingos-da-silva", title="BOOM"),
        item("boom", _ifex={"country": "Mexico", "violations": ["BOOM"]}),
    ])
    line = _refused(cli, imported, feed)
    assert line == f"ifex-tui: error: {imported}: import failed, nothing was changed (boom)"
    _add_trigger(imported, "DROP TRIGGER boom")
    result = cli("import", feed)
    assert result.exit_code == 0, result.output
    assert stats_json(cli)["alerts"] == 1403 + 3001
    _check(imported)


def test_strict_refusal_and_dry_run_leave_the_archive_sound(cli, write_feed, imported) -> None:
    feed = write_feed([*_good_items(3000), {"no": "id"}])
    for option in ("--strict", "--dry-run"):
        before = snapshot(imported)
        assert cli("import", option, feed).exit_code == 1
        assert snapshot(imported) == before
    _check(imported)


# --- SIGKILL ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated JSON Lines feed of 150,000 small alerts (about 30 MB)."""
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    countries = ("Mexico", "Philippines", "Iraq", "Burma", "Zaire", "USA", "Atlantis")
    with path.open("w", encoding="utf-8") as out:
        for k in range(BIG):
            out.write(json.dumps({
                "id": f"big-{k}", "title": f"Generated alert {k}",
                "date_published": f"{1995 + k % 30}-{1 + k % 12:02d}-{1 + k % 28:02d}T12:00:00Z",
                "content_text": f"Journalist detained, report {k % 997}.",
                "_ifex": {"country": countries[k % len(countries)], "violations": ["Detained"],
                          "source": "Generator"},
            }) + "\n")
    return path


def _start_import(feed: Path, archive: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "ifex_tui", "import", str(feed), "--db", str(archive)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )


def _feed_offset(pid: int, feed: Path) -> int | None:
    """How far the importer has read into ``feed`` (from /proc), or None if not open yet."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == str(feed):
                    info = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
                    return int(info.split("pos:")[1].split()[0])
            except OSError:
                continue
    except OSError:
        return None
    return None


def _signal_when(process: subprocess.Popen, ready: Callable[[], bool], sig: int,
                 timeout: float = 60) -> tuple[bytes, bytes]:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never reached the point to signal it at"
        time.sleep(0.01)
    os.kill(process.pid, sig)
    return process.communicate(timeout=120)


def _kill_when(process: subprocess.Popen, ready: Callable[[], bool], timeout: float = 60) -> None:
    _signal_when(process, ready, signal.SIGKILL, timeout)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")
def test_sigkill_mid_import_loses_nothing_and_adds_nothing(cli, imported: Path, big_feed: Path):
    before = snapshot(imported)
    sample_ids = {i["id"] for f in DATA.glob("*.feed.json")
                  for i in json.loads(f.read_text(encoding="utf-8"))["items"]}
    wal = Path(f"{imported}-wal")

    # 1. Killed while staging: a third of the feed read, the archive not yet touched.
    size = big_feed.stat().st_size
    staging = _start_import(big_feed, imported)
    _kill_when(staging, lambda: (_feed_offset(staging.pid, big_feed) or 0) > size // 3)
    assert snapshot(imported) == before
    _check(imported)

    # 2. Killed while merging: the whole feed staged, the archive's log growing.
    merging = _start_import(big_feed, imported)
    _kill_when(merging, lambda: wal.exists() and wal.stat().st_size > 4 << 20)
    assert snapshot(imported) == before
    _check(imported)
    ids = {row[0] for row in sqlite3.connect(imported).execute("SELECT id FROM alerts")}
    assert ids == sample_ids

    # 3. Run again: it completes, and the archive holds both.
    final = _start_import(big_feed, imported)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert f"{BIG:,} read, {BIG:,} new" in out.decode()
    _check(imported)
    stats = stats_json(cli)
    assert stats["alerts"] == 1403 + BIG
    assert {"code": None, "name": "Atlantis", "alerts": BIG // 7 + (BIG % 7 > 6)} in stats["countries"]


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_mid_import_says_nothing_was_changed(imported: Path, big_feed: Path) -> None:
    """Ctrl-C while the feed is read, and while the archive is written: one line saying the
    archive was not changed (not SQLite's words for an interrupt in one of our functions),
    exit 130, and the archive as it was."""
    before = snapshot(imported)
    size = big_feed.stat().st_size
    wal = Path(f"{imported}-wal")
    for ready in (lambda p: (_feed_offset(p.pid, big_feed) or 0) > size // 3,
                  lambda p: wal.exists() and wal.stat().st_size > 4 << 20):
        process = _start_import(big_feed, imported)
        _, err = _signal_when(process, lambda p=process, r=ready: r(p), signal.SIGINT)
        lines = err.decode().strip().splitlines()
        assert process.returncode == 130, err
        assert lines[-1] == f"ifex-tui: error: {imported}: import interrupted, nothing was changed"
        assert "user-defined function" not in err.decode()
        assert snapshot(imported) == before
        _check(imported)
