"""Storage the user does not control: other programs' databases, read-only files and folders,
full disks, a report that cannot be written, two imports at once, damaged pages, backups.

Everything runs on real files.  Permissions are real too: as root, the command runs with every
capability dropped (``setpriv``), so the kernel applies the file modes; a read-only folder
in-process is a read-only bind mount; a full disk is a small tmpfs.  Tests that need these
skip where the machine does not allow them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pty
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    CPJ_NAME,
    DATA,
    FeedWriter,
    Invoke,
    item,
    read_only_view,
    snapshot,
    stats_json,
)

from ifex_tui.archive import schema
from ifex_tui.archive.check import check
from ifex_tui.cli import prepare_demo

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _error_line(result) -> str:
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _command(*args: str | Path, unprivileged: bool = False) -> list[str]:
    cmd = [sys.executable, "-m", "ifex_tui", *map(str, args)]
    if unprivileged and IS_ROOT:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot drop capabilities")
        cmd = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--", *cmd]
    return cmd


def _run(*args: str | Path, unprivileged: bool = False, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(*args, unprivileged=unprivileged), capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=120, **kw,
    )


# --- 1. another program's database --------------------------------------------------------------


def _foreign_alerts(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alerts (id TEXT PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO alerts VALUES ('x', 'not ours')")
    conn.commit()
    conn.close()


def _foreign_wal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE alerts (id TEXT, level INTEGER)")
    conn.commit()
    conn.close()


def _foreign_app_id(path: Path, sample_archive_file: Path) -> None:
    """Our very tables, but another program's application id."""
    shutil.copyfile(sample_archive_file, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 305419896")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _ours_plus_a_table(path: Path, sample_archive_file: Path) -> None:
    """Today's schema without an id, and one more table: not exactly ours."""
    shutil.copyfile(sample_archive_file, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _empty_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")
    conn.commit()
    conn.close()
    assert path.stat().st_size > 0


FOREIGN = {
    "alerts-table": _foreign_alerts,
    "wal-alerts-table": _foreign_wal,
    "our-tables-other-app-id": _foreign_app_id,
    "our-tables-plus-one": _ours_plus_a_table,
    "empty-database": _empty_database,
}


@pytest.fixture(params=sorted(FOREIGN))
def foreign(request, archive: Path, sample_archive_file: Path) -> Path:
    maker = FOREIGN[request.param]
    if maker.__code__.co_argcount == 2:
        maker(archive, sample_archive_file)
    else:
        maker(archive)
    assert _listing(archive.parent) == ["archive.db"]
    return archive


def test_another_programs_database_is_refused_by_every_command_and_left_as_it_was(
    cli: Invoke, foreign: Path, write_feed: FeedWriter, tmp_path: Path
) -> None:
    before = _digest(foreign)
    feed = write_feed([item("x")])
    listing = _listing(foreign.parent)
    commands = [["stats"], ["stats", "--json"], ["export"], ["export", "--output", tmp_path / "o.json"],
                ["import", feed], ["import", "--dry-run", feed], ["check"],
                ["backup", tmp_path / "copy.db"]]
    for args in commands:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        line = _error_line(result)
        assert line.startswith(f"ifex-tui: error: {foreign}: not an ifex-tui archive: "), line
        assert line.endswith("left untouched"), line
        assert _digest(foreign) == before, args
        assert _listing(foreign.parent) == listing, args  # no -wal, -shm, lock or scratch file
    for opener in (lambda: schema.connect(foreign), lambda: schema.connect(foreign, readonly=True),
                   lambda: schema.prepare_for_reading(foreign, missing_ok=True)):
        with pytest.raises(schema.ArchiveError, match="not an ifex-tui archive"):
            opener()
    assert _digest(foreign) == before
    assert _listing(foreign.parent) == listing


def test_a_backup_never_overwrites_another_programs_file(cli: Invoke, imported: Path, tmp_path: Path):
    other = tmp_path / "other.db"
    _foreign_alerts(other)
    before = _digest(other)
    result = cli("backup", other)
    assert result.exit_code == 2
    assert "not an ifex-tui archive" in _error_line(result)
    assert _digest(other) == before


def test_an_archive_made_before_the_application_id_is_recognised_and_gets_it(
    cli: Invoke, imported: Path, write_feed: FeedWriter
) -> None:
    expected = stats_json(cli)
    conn = sqlite3.connect(imported)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the CLI runner's reader is still open
    conn.close()
    assert imported.read_bytes()[68:72] == b"\0\0\0\0"
    assert schema.identify(imported) == "legacy"
    assert stats_json(cli) == expected  # a reader that can write brings it forward
    conn = sqlite3.connect(imported)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    conn.close()
    assert schema.identify(imported) == "ours"
    assert cli("import", write_feed([item("new-one")])).exit_code == 0


def test_a_new_archive_carries_the_application_id(cli: Invoke, write_feed, archive: Path) -> None:
    assert cli("import", write_feed([item("a")])).exit_code == 0
    conn = sqlite3.connect(archive)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    conn.close()


# --- 2. read-only files and folders -------------------------------------------------------------


@pytest.fixture
def readonly_file(tmp_path: Path, sample_archive_file: Path) -> Iterator[Path]:
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = folder / "archive.db"
    shutil.copyfile(sample_archive_file, path)
    path.chmod(0o444)
    yield path
    path.chmod(0o644)


@pytest.fixture
def readonly_folder(tmp_path: Path, sample_archive_file: Path) -> Iterator[Path]:
    folder = tmp_path / "dvd"
    folder.mkdir()
    path = folder / "archive.db"
    shutil.copyfile(sample_archive_file, path)
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)


def _browse_without_writing(path: Path) -> None:
    """stats, export and check work as an unprivileged user, and nothing is written."""
    before, listing = _digest(path), _listing(path.parent)
    stats = _run("stats", "--json", "--db", path, unprivileged=True)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["alerts"] == 1403
    exported = _run("export", "--format", "json", "--country", "Iraq", "--db", path, unprivileged=True)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("[") and "Iraq" in exported.stdout
    checked = _run("check", "--db", path, unprivileged=True)
    assert checked.returncode == 0, checked.stderr
    assert "sound: 1,403 alerts" in checked.stdout
    assert _digest(path) == before
    assert _listing(path.parent) == listing


def test_a_read_only_file_can_be_browsed(readonly_file: Path) -> None:
    _browse_without_writing(readonly_file)


def test_an_archive_in_a_read_only_folder_can_be_browsed(readonly_folder: Path) -> None:
    _browse_without_writing(readonly_folder)


@pytest.mark.parametrize("where", ["readonly_file", "readonly_folder"])
def test_importing_into_a_read_only_archive_is_refused_naming_the_cause(
    request, where: str, write_feed: FeedWriter
) -> None:
    path = request.getfixturevalue(where)
    before, listing = _digest(path), _listing(path.parent)
    result = _run("import", write_feed([item("x")]), "--db", path, unprivileged=True)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    cause = path if where == "readonly_file" else f"{path.parent} (the folder of archive.db)"
    assert line == f"ifex-tui: error: read-only: {cause}; nothing was changed"
    assert (_digest(path), _listing(path.parent)) == (before, listing)


def test_an_old_archive_that_cannot_be_written_says_it_needs_bringing_forward(
    tmp_path: Path, sample_archive_file: Path
) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    path = folder / "archive.db"
    shutil.copyfile(sample_archive_file, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    folder.chmod(0o555)
    try:
        before = _digest(path)
        for command in (["stats"], ["export"]):
            result = _run(*command, "--db", path, unprivileged=True)
            assert result.returncode == 2
            [line] = result.stderr.splitlines()
            assert line.startswith(f"ifex-tui: error: {path}: this archive needs bringing forward")
            assert f"read-only: {folder}" in line
        assert _digest(path) == before
    finally:
        folder.chmod(0o755)


@pytest.fixture
def readonly_mount(tmp_path: Path, sample_archive_file: Path) -> Iterator[Path]:
    """The sample archive seen through a read-only bind mount (even root cannot write it)."""
    with read_only_view(sample_archive_file, tmp_path) as view:
        yield view


def test_reading_in_process_through_a_read_only_mount(readonly_mount: Path) -> None:
    before = _digest(readonly_mount)
    schema.prepare_for_reading(readonly_mount)  # current: nothing to do, nothing opened to write
    conn = schema.connect(readonly_mount, readonly=True)
    try:
        assert conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1403
    finally:
        conn.close()
    with pytest.raises(schema.ReadOnlyArchive, match="read-only: "):
        schema.connect(readonly_mount)
    assert _digest(readonly_mount) == before
    assert _listing(readonly_mount.parent) == ["archive.db"]


# --- 3. full disks ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs: a disk that fills up."""
    if not IS_ROOT:
        pytest.skip("mounting a tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", disk],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", disk], check=True)


def test_an_export_that_fills_the_disk_leaves_the_old_file(cli: Invoke, imported, small_disk):
    target = small_disk / "all.json"
    target.write_text("[]\n")
    result = cli("export", "--format", "json", "--output", target)
    assert result.exit_code == 2
    line = _error_line(result)
    assert str(target) in line and "No space left on device" in line
    assert target.read_text() == "[]\n"
    assert _listing(small_disk) == ["all.json"]  # no partial file
    target.unlink()
    assert cli("export", "--format", "json", "--output", target).exit_code == 2
    assert _listing(small_disk) == []


def test_an_export_is_renamed_into_place_whole(cli: Invoke, imported: Path, tmp_path: Path) -> None:
    target = tmp_path / "iraq.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    result = cli("export", "--format", "csv", "--country", "Iraq", "--output", target)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("id,")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if "iraq" in p.name) == [
        "iraq.csv", "iraq.csv.provenance.json"]  # no partial file left beside them


def test_a_first_import_that_fills_the_disk_leaves_no_file(cli: Invoke, small_disk: Path) -> None:
    path = small_disk / "archive.db"
    result = cli("import", DATA / CPJ_NAME, "--db", path)
    assert result.exit_code == 2
    line = _error_line(result)
    assert str(path) in line and "nothing was changed" in line
    assert _listing(small_disk) == []


def test_a_failed_or_dry_first_import_leaves_no_file(cli: Invoke, write_feed, archive: Path) -> None:
    assert cli("import", "--dry-run", DATA / CPJ_NAME).exit_code == 0
    assert cli("import", write_feed.raw("{", "broken.json")).exit_code == 2
    assert cli("import", "--strict", write_feed([item("a"), {"no": "id"}])).exit_code == 1
    assert _listing(archive.parent) == ["feeds"]


def test_the_log_is_truncated_after_an_import_while_a_reader_is_open(
    cli: Invoke, imported: Path, write_feed: FeedWriter
) -> None:
    reader = sqlite3.connect(imported)  # the app, say: its close would not checkpoint
    try:
        reader.execute("SELECT count(*) FROM alerts").fetchone()
        items = [item(f"w-{k}", content_text="word " * 200) for k in range(3000)]
        assert cli("import", write_feed.jsonl(items)).exit_code == 0
        wal = Path(f"{imported}-wal")
        assert wal.exists() and wal.stat().st_size == 0
        assert reader.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1403 + 3000
    finally:
        reader.close()


# --- 4. a report that cannot be written ---------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("as_json", [False, True])
def test_a_report_to_a_full_disk_says_the_import_landed(archive: Path, write_feed, as_json) -> None:
    feed = write_feed([item("a"), item("b"), {"no": "id"}])
    with open("/dev/full", "w") as full:
        result = subprocess.run(_command("import", feed, *(["--json"] if as_json else [])),
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 1  # as documented: some items rejected, the rest landed
    [line] = result.stderr.splitlines()
    assert line == (f"ifex-tui: imported into {archive}: 3 read, 2 new, 0 updated, 0 unchanged, "
                    "1 rejected; the report could not be written to standard output "
                    "(No space left on device)")
    assert len(snapshot(archive)["alerts"]) == 2


def test_a_report_to_a_closed_pipe_says_the_import_landed(archive: Path, write_feed) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read
    try:
        result = subprocess.run(_command("import", write_feed([item("a")])), stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert result.returncode == 0
    [line] = result.stderr.splitlines()
    assert line.startswith(f"ifex-tui: imported into {archive}: 1 read, 1 new")
    assert line.endswith("the report could not be written to standard output (Broken pipe)")
    assert len(snapshot(archive)["alerts"]) == 1


# --- 5. two imports at once ---------------------------------------------------------------------


def _small_items(n: int, prefix: str) -> list[dict]:
    return [item(f"{prefix}-{k}", content_text=f"Journalist detained, report {k}.",
                 _ifex={"country": "Mexico", "violations": ["Detained"]}) for k in range(n)]


def _read_until(fd: int, needle: str, timeout: float = 60) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while needle not in seen:
        assert time.monotonic() < deadline, f"never saw {needle!r}: {seen!r}"
        seen += os.read(fd, 4096).decode(errors="replace")
    return seen


def test_a_second_import_waits_for_the_first_says_so_on_a_terminal_and_lands(
    archive: Path, write_feed: FeedWriter, tmp_path: Path
) -> None:
    """The first import reads a pipe we hold open, so it holds the archive for as long as we
    like; the second, on a terminal, must say it waits for it, then land after it."""
    fifo = tmp_path / "slow.jsonl"
    os.mkfifo(fifo)
    small = write_feed.jsonl(_small_items(3, "small"))
    first = subprocess.Popen(_command("import", fifo), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    main_fd, term_fd = pty.openpty()
    second = None
    try:
        with open(fifo, "w", encoding="utf-8") as slow:
            lines = [json.dumps(i) + "\n" for i in _small_items(2000, "long")]
            slow.writelines(lines[:1000])
            slow.flush()
            lock = archive.with_name("archive.db.import-lock")
            deadline = time.monotonic() + 30
            while not lock.exists():
                assert time.monotonic() < deadline and first.poll() is None
                time.sleep(0.01)
            second = subprocess.Popen(_command("import", small), stdout=subprocess.PIPE,
                                      stderr=term_fd, stdin=subprocess.DEVNULL, text=True)
            said = _read_until(main_fd, "to finish")
            assert f"waiting for the import in progress into {archive} (pid {first.pid}" in said
            assert "slow.jsonl" in said
            assert second.poll() is None  # still waiting
            slow.writelines(lines[1000:])
        out1, err1 = first.communicate(timeout=60)
        out2, _ = second.communicate(timeout=60)
    finally:
        os.close(main_fd)
        os.close(term_fd)
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
    assert first.returncode == 0, err1
    assert "2,000 read, 2,000 new" in out1
    assert second.returncode == 0
    assert "3 read, 3 new" in out2
    ids = {alert_id for alert_id, _ in snapshot(archive)["alerts"]}
    assert len(ids) == 2003 and {"small-0", "small-2", "long-1999"} <= ids
    assert not archive.with_name("archive.db.import-lock").exists()


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")
def test_a_small_import_started_during_a_long_merge_is_not_lost(
    cli: Invoke, imported: Path, write_feed: FeedWriter
) -> None:
    from test_atomicity import _feed_offset

    big = write_feed.jsonl(_small_items(5000, "big"), "big.jsonl")
    # Make the big import's merge last: a trigger that burns time as its log row is written.
    conn = sqlite3.connect(imported)
    conn.execute(
        """CREATE TRIGGER slow_merge AFTER INSERT ON imports WHEN NEW.file LIKE '%big.jsonl'
           BEGIN SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL
               SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c); END"""
    )
    conn.commit()
    conn.close()
    first = subprocess.Popen(_command("import", big), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    size, deadline = big.stat().st_size, time.monotonic() + 60
    while (_feed_offset(first.pid, big) or 0) < size and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert first.poll() is None, "the big import ended before the small one started"
    second = subprocess.run(_command("import", write_feed([item("daily-1"), item("daily-2")])),
                            capture_output=True, text=True, timeout=120)  # not a terminal
    out1, err1 = first.communicate(timeout=120)
    assert first.returncode == 0, err1
    assert "5,000 read, 5,000 new" in out1
    assert second.returncode == 0, second.stderr
    assert second.stderr == ""  # waiting quietly: stderr is not a terminal
    assert "2 read, 2 new" in second.stdout
    ids = {alert_id for alert_id, _ in snapshot(imported)["alerts"]}
    assert {"daily-1", "daily-2", "big-0", "big-4999"} <= ids
    assert len(ids) == 1403 + 5002
    conn = sqlite3.connect(imported)
    order = [row[0] for row in conn.execute("SELECT file FROM imports ORDER BY pk")]
    conn.close()
    assert order[-2].endswith("big.jsonl") and order[-1].endswith(".json")  # after, not lost


# --- 6. damage ----------------------------------------------------------------------------------


@pytest.fixture
def damaged(tmp_path: Path, sample_archive_file: Path) -> Path:
    """The sample archive with random bytes over parts of the alert pages."""
    path = tmp_path / "damaged.db"
    shutil.copyfile(sample_archive_file, path)
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'alerts'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    noise = hashlib.sha256(b"damage").digest() * 40
    with path.open("r+b") as file:
        for page in (root, root + 7, root + 31, root + 63):
            file.seek((page - 1) * page_size + 200)
            file.write(noise[:1000])
    return path


def test_check_says_a_sound_archive_is_sound(cli: Invoke, imported: Path) -> None:
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"{imported}: sound: 1,403 alerts; SQLite's and the search index's "
                             "integrity checks found nothing wrong\n")


def test_check_on_a_terminal_says_what_it_is_doing_and_still_reports(imported: Path) -> None:
    """On a large archive each check takes minutes: a terminal is told which one runs (the
    line goes when the check ends); the verdict is unchanged."""
    main_fd, term_fd = pty.openpty()
    try:
        done = subprocess.run(_command("check", "--db", imported), stdout=subprocess.PIPE,
                              stderr=term_fd, stdin=subprocess.DEVNULL, text=True, timeout=120)
        os.close(term_fd)
        said = ""
        with contextlib.suppress(OSError):  # EIO once the terminal's last writer has gone
            while chunk := os.read(main_fd, 4096):
                said += chunk.decode(errors="replace")
    finally:
        os.close(main_fd)
    assert done.returncode == 0
    assert done.stdout.startswith(f"{imported}: sound: 1,403 alerts")
    assert "checking archive.db" in said and "Traceback" not in said


def test_check_names_each_step_as_it_starts(imported: Path) -> None:
    steps: list[str] = []
    assert check(imported, steps.append).ok
    assert steps == ["SQLite's integrity check", "the search index's integrity check"]


def test_check_says_what_is_wrong_and_what_to_do(cli: Invoke, damaged: Path) -> None:
    before = _digest(damaged)
    result = cli("check", "--db", damaged)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"{damaged}: damaged"
    assert lines[1].startswith("  SQLite finds damaged pages or indexes: ")
    assert lines[-1].startswith("  what to do: move it aside")
    assert "import your feeds again" in lines[-1] and "ifex-tui backup" in lines[-1]
    assert _digest(damaged) == before


@pytest.mark.parametrize("size", [200_000, 4_096])
def test_check_says_what_to_do_with_an_archive_too_damaged_to_open(
    cli: Invoke, imported: Path, tmp_path: Path, size: int
) -> None:
    """A truncated copy cannot even be opened: check says so and what to do (it used to send
    the user back to check)."""
    cut = tmp_path / "cut.db"
    cut.write_bytes(imported.read_bytes()[:size])
    result = cli("check", "--db", cut)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines == [f"{cut}: damaged", "  SQLite cannot open it: database disk image is malformed",
                     lines[2]] and lines[2].startswith("  what to do: move it aside")
    # the advice, followed: moved aside, the backup restored in its place, sound again
    cut.rename(tmp_path / "cut.db.damaged")
    assert cli("--db", imported, "backup", cut).exit_code == 0
    assert cli("check", "--db", cut).exit_code == 0


@pytest.mark.parametrize("table", ["alert_facets", "imports", "facet_bitmaps"])
def test_check_finds_a_table_another_program_dropped(
    cli: Invoke, imported: Path, table: str
) -> None:
    with sqlite3.connect(imported) as conn:
        conn.execute(f"DROP TABLE {table}")
    result = cli("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{imported}: damaged"
    assert lines[1].startswith("  parts of the archive are missing: ")
    assert f"table {table}" in lines[1]
    assert lines[-1].startswith("  what to do: move it aside")


@pytest.mark.parametrize("fmt", ["json", "jsonfeed", "csv"])
def test_an_export_that_cannot_read_the_archive_writes_nothing(
    cli: Invoke, imported: Path, fmt: str
) -> None:
    with sqlite3.connect(imported) as conn:
        conn.execute("DROP TABLE alert_facets")
    result = cli("export", "--format", fmt, "--country", "Iraq")
    assert result.exit_code == 2
    assert result.stdout == ""  # not a "[" and then an error
    assert result.stderr == f"ifex-tui: error: {imported}: no such table: alert_facets\n"


def test_check_finds_a_search_index_out_of_step(cli: Invoke, imported: Path) -> None:
    conn = sqlite3.connect(imported)
    conn.execute("UPDATE alerts SET title = 'changed behind the index' WHERE pk = 7")
    conn.commit()
    conn.close()
    result = cli("check")
    assert result.exit_code == 1
    assert "  the full-text search index does not match the alerts" in result.stderr


def test_stats_and_export_of_a_damaged_archive_are_one_line(cli: Invoke, damaged: Path) -> None:
    for args in (["export"], ["export", "--format", "csv"], ["stats", "--search", "journalist"]):
        result = cli(*args, "--db", damaged)
        if result.exit_code == 0:  # the damage is not on the pages this command reads
            continue
        assert result.exit_code == 2
        line = _error_line(result)
        assert line.startswith(f"ifex-tui: error: {damaged}: the archive is damaged (")
        assert line.endswith(f"run `ifex-tui check --db {damaged}` for what to do")
    assert cli("export", "--db", damaged).exit_code == 2


# --- 7. the demo archive ------------------------------------------------------------------------


def test_the_demo_sample_is_imported_once(cli: Invoke, tmp_path: Path) -> None:
    demo = tmp_path / "xdg-data" / "ifex-tui" / "demo.db"
    assert prepare_demo(demo) is True
    before = _digest(demo)
    assert prepare_demo(demo) is False  # already there: not even opened to write
    assert _digest(demo) == before
    assert stats_json(cli, "--db", demo)["alerts"] == 1403
    conn = sqlite3.connect(demo)
    assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 2
    conn.close()


# --- 8. backups ---------------------------------------------------------------------------------


def test_backup_and_restore(cli: Invoke, imported: Path, write_feed: FeedWriter, tmp_path) -> None:
    expected = stats_json(cli)
    copy = tmp_path / "backups" / "archive-copy.db"
    copy.parent.mkdir()
    result = cli("backup", copy)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"backed up 1,403 alerts from {imported} to {copy}\n"
    assert _listing(copy.parent) == ["archive-copy.db"]
    assert stats_json(cli, "--db", copy) == expected
    assert cli("check", "--db", copy).exit_code == 0

    assert cli("import", write_feed([item("after-the-backup")])).exit_code == 0
    assert stats_json(cli)["alerts"] == 1404
    restored = cli("--db", copy, "backup", imported)  # restore: the backup copied back
    assert restored.exit_code == 0, restored.output
    assert stats_json(cli) == expected
    assert cli("check").exit_code == 0


def test_backup_while_an_import_holds_the_archive(cli: Invoke, imported: Path, tmp_path) -> None:
    writer = sqlite3.connect(imported, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM alerts WHERE pk < 100")  # uncommitted: not in the backup
    try:
        assert cli("backup", tmp_path / "live.db").exit_code == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert stats_json(cli, "--db", tmp_path / "live.db")["alerts"] == 1403


def test_backup_refuses_the_archive_itself(cli: Invoke, imported: Path) -> None:
    before = _digest(imported)
    result = cli("backup", imported)
    assert result.exit_code == 2 and "is the archive itself" in _error_line(result)
    assert _digest(imported) == before
