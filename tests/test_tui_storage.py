"""The app on storage it does not control: a read-only mount, a damaged archive, another
program's database.  It browses what it can read, never writes, and says what is wrong in one
notification or one line instead of a traceback.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import read_only_view
from tui_helpers import browsing, build_archive, n_of, options, sample_items, settle, status

from ifex_tui.archive import schema
from ifex_tui.tui.app import run

TOTAL = len(sample_items())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def readonly_mount(tmp_path: Path) -> Iterator[Path]:
    """The sample archive seen through a read-only bind mount (even root cannot write it)."""
    with read_only_view(build_archive(tmp_path / "built.db"), tmp_path) as view:
        yield view


async def test_a_read_only_archive_is_browsed_and_left_as_it_was(readonly_mount: Path) -> None:
    before = _digest(readonly_mount)
    schema.prepare_for_reading(readonly_mount, missing_ok=True)  # what `ifex-tui --db` does first
    async with browsing(readonly_mount) as (app, pilot):
        assert status(app) == f"No filters {TOTAL:,} alerts"
        await pilot.press("1", "f", *"mex", "enter", "slash", *"killed", "enter", "4", "G")
        await settle(app, pilot)
        assert status(app).startswith("Country: Mexico Search: ")
    assert _digest(readonly_mount) == before
    assert sorted(p.name for p in readonly_mount.parent.iterdir()) == ["archive.db"]


def _damage_alert_pages(db: Path, every: int) -> None:
    """Write noise into every ``every``-th page after the alerts table's root (bytes on
    disk, as a failing disk or a bad copy leaves them)."""
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'alerts'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    noise = hashlib.sha256(b"damage").digest() * 40
    with db.open("r+b") as file:
        for page in range(root + 1, pages, every):
            file.seek((page - 1) * page_size + 100)
            file.write(noise[:1000])


async def test_damage_found_while_browsing_says_what_to_do(tmp_path: Path) -> None:
    db = build_archive(tmp_path / "damaged.db")
    async with browsing(db, notifications=True) as (app, pilot):
        _damage_alert_pages(db, every=1)  # every page the app has not read yet
        await pilot.press("4", "G", "k", "k", "slash", *"press", "enter")
        await settle(app, pilot)
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert messages, "the damage was not reported"
        assert any(
            "the archive is damaged" in m and f"ifex-tui check --db {db}" in m for m in messages
        ), messages
        await pilot.press("x", "1")
        await settle(app, pilot)
        assert app.focused.id == "countries"  # still answering keys


def test_another_programs_database_is_refused_before_the_app_opens(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE alerts (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO alerts (body) VALUES ('mine')")
    before = _digest(other)
    with pytest.raises(schema.ArchiveError, match="not an ifex-tui archive"):
        run(other)
    assert _digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


async def test_an_archive_copied_read_only_by_another_user_opens(tmp_path: Path) -> None:
    """0444 file in a writable folder: read without leaving -wal or -shm files behind."""
    db = build_archive(tmp_path / "shared.db")
    copy = tmp_path / "copy" / "shared.db"
    copy.parent.mkdir()
    shutil.copyfile(db, copy)
    copy.chmod(0o444)
    before = _digest(copy)
    schema.prepare_for_reading(copy, missing_ok=True)
    async with browsing(copy) as (app, pilot):
        await pilot.press("1", "f", *"iraq", "enter")
        await settle(app, pilot)
        iraq = sum(1 for i in sample_items() if (i.get("_ifex") or {}).get("country") == "Iraq")
        assert status(app) == f"Country: Iraq {n_of(iraq, TOTAL)}"
    assert _digest(copy) == before


def test_closing_the_reader_while_the_watcher_reads_does_not_crash(sample_archive_file: Path) -> None:
    """The app leaving (close on the UI thread) while the change watcher's worker reads: the
    close waits for the read rather than pulling the connection from under it (a crash of the
    whole process, seen as a lost pytest worker)."""
    import threading

    from ifex_tui.tui.reader import ArchiveReader

    for _ in range(20):
        reader = ArchiveReader(sample_archive_file)
        reader.changed()
        stop = threading.Event()

        def watch(reader=reader, stop=stop) -> None:
            while not stop.is_set():
                reader.changed()

        thread = threading.Thread(target=watch)
        thread.start()
        reader.close()
        stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()
        assert reader.changed() is None  # closed: the watcher has nothing to read


async def test_an_export_that_meets_damage_names_the_archive_not_the_file(tmp_path: Path) -> None:
    """The archive is damaged under an export: the failure says what to do about the archive
    (as any other read does), and no export file is left."""
    from tui_helpers import press, type_text, workers_done

    db = build_archive(tmp_path / "damaged.db")
    target = tmp_path / "out.csv"
    async with browsing(db, notifications=True) as (app, pilot):
        _damage_alert_pages(db, every=3)
        await press(app, pilot, "ctrl+e", "tab")
        await type_text(app, pilot, str(target))
        await press(app, pilot, "enter")
        await workers_done(app)
        await settle(app, pilot)
        failures = [n.message for n in app._notifications if n.title == "Export failed"]
        assert len(failures) == 1, [n.message for n in app._notifications]
        assert "the archive is damaged" in failures[0]
        assert f"ifex-tui check --db {db}" in failures[0]
        assert not failures[0].startswith(str(target))
    assert not target.exists()


async def test_keys_on_rows_that_cannot_be_read_do_not_hold_the_keys_after_them(
    tmp_path: Path,
) -> None:
    """Thirty page-downs into damaged rows, ``m j``, then ``j``: the damage is said, ``m`` has
    no alert to mark (the row under the cursor could not be read), and the keys after it
    still move the list (none waits for rows that will never come)."""
    from tui_helpers import burst, pane, press

    db = build_archive(tmp_path / "damaged.db")
    async with browsing(db, notifications=True) as (app, pilot):
        _damage_alert_pages(db, every=1)  # every page but those the first screen read
        alerts = pane(app, "alerts")
        page = alerts.scrollable_content_region.height - 1
        burst(app, "4", *["pagedown"] * 30, "m", "j")
        await settle(app, pilot)
        await press(app, pilot, "j")
        assert alerts.cursor == 30 * page + 2
        messages = [n.message for n in app._notifications]
        assert any("the archive is damaged" in m for m in messages), messages
        assert "No alert to mark." in messages
        assert app.screen.marks == 0


async def test_a_bug_in_a_worker_is_said_and_the_keys_after_it_still_act(
    sample_archive_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault put into the list's reads past its first screen (as a bug would be): the
    notification says it is a bug, ``m`` on the unread row has no alert to mark, and ``j``
    after it still moves the list."""
    from tui_helpers import burst, pane, press

    from ifex_tui.archive import queries

    real_page = queries.page

    def failing_page(conn, filters, **how):
        if how.get("offset", 0) > 0 or how.get("after") is not None:
            raise RuntimeError("injected fault")
        return real_page(conn, filters, **how)

    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        alerts = pane(app, "alerts")
        page = alerts.scrollable_content_region.height - 1
        monkeypatch.setattr(queries, "page", failing_page)
        burst(app, "4", *["pagedown"] * 30, "m", "j")
        await settle(app, pilot)
        await press(app, pilot, "j")
        assert alerts.cursor == 30 * page + 2
        messages = [n.message for n in app._notifications]
        assert any("RuntimeError: injected fault" in m and "This is a bug" in m
                   for m in messages), messages
        assert "No alert to mark." in messages
        assert app.screen.marks == 0


async def test_a_citation_that_fails_is_said_each_time_it_is_asked_for(
    sample_archive_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault put into citing (as a bug would be): each ``y`` says so, not only the first
    (the same failure from several workers at once is said once)."""
    from tui_helpers import press, settle

    from ifex_tui.archive import cite

    def failing_records(conn, pks, names=None):
        raise RuntimeError("injected fault")

    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        monkeypatch.setattr(cite, "records_for", failing_records)
        for asked in (1, 2):
            await press(app, pilot, "4", "y")
            await settle(app, pilot)
            failures = [n.message for n in app._notifications if "injected fault" in n.message]
            assert len(failures) == asked


async def _until(app, pilot, shown, seconds: float = 6.0) -> None:
    """Wait for the watcher (it polls about once a second) to bring what ``shown`` tests."""
    import asyncio

    for _ in range(int(seconds / 0.2)):
        await settle(app, pilot)
        if shown():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"never shown; the status line: {status(app)}; the countries: "
                         f"{options(app.screen.query_one('#countries'))}")


@pytest.mark.parametrize("there", ["nothing", "an empty file"])
async def test_where_no_archive_is_yet_nothing_is_made_and_the_first_import_shows(
    tmp_path: Path, there: str
) -> None:
    """``ifex-tui --db PATH`` on a path with no archive (a typo, before the first import, or a
    file made by ``touch``): the app says how to import into it and writes nothing there; once
    an import lands, it shows the alerts."""
    import asyncio

    from tui_helpers import CPJ, lines, pane, press, sample_items

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    db = tmp_path / "later" / "archive.db"
    if there == "an empty file":
        db.parent.mkdir()
        db.touch()

    def untouched() -> bool:  # no archive, no -wal, not even the folder (or the file as made)
        if there == "nothing":
            return not db.parent.exists()
        return db.stat().st_size == 0 and sorted(db.parent.iterdir()) == [db]

    schema.prepare_for_reading(db, missing_ok=True)  # what `ifex-tui --db` does first
    async with browsing(db) as (app, pilot):
        shown = "\n".join(lines(pane(app, "alerts")))
        assert "No archive here yet (is the path right?):" in shown  # not "empty", not "gone"
        assert str(db) in shown.replace("\n", "") and "This archive is empty" not in shown
        assert status(app) == "No filters 0 alerts"
        assert untouched()
        await press(app, pilot, "ctrl+e")  # nothing to export: its command could not run
        assert not isinstance(app.screen, ExportDialog)
        assert untouched()
        await asyncio.to_thread(build_archive, db, [CPJ])
        cpj = len(sample_items([CPJ]))
        await _until(app, pilot, lambda: status(app) == f"No filters {cpj:,} alerts")


@pytest.mark.parametrize("seen", ["before the enter", "at the enter"])
async def test_an_export_chosen_in_a_file_that_was_replaced_writes_nothing(
    tmp_path: Path, seen: str
) -> None:
    """Marks are pks of the file they were made in: another file copied over it holds other
    alerts there (three marks exported as none, or as three others).  Replaced while the
    dialog was open, whether the watcher saw it before the enter or not, nothing is written."""
    import asyncio
    import shutil

    from tui_helpers import DIGEST, press, type_text, workers_done

    db = build_archive(tmp_path / "archive.db")
    other = build_archive(tmp_path / "other.db", [DIGEST])
    target = tmp_path / "marked.csv"
    async with browsing(db, notifications=True) as (app, pilot):
        for _ in range(2):  # the watcher's first two looks (it has read the archive's state)
            await asyncio.to_thread(app.screen.reader.changed)
        await press(app, pilot, "4", "m", "j", "m", "j", "m", "ctrl+e")  # three marked
        await press(app, pilot, "tab", "tab")
        await type_text(app, pilot, str(target))
        shutil.copyfile(other, db)  # cp other.db archive.db: the same file, other bytes
        if seen == "before the enter":
            await _until(app, pilot, lambda: any(
                n.title == "Archive replaced" for n in app._notifications))
        await press(app, pilot, "enter")
        await workers_done(app)
        await settle(app, pilot)
        said = [(n.title, n.message) for n in app._notifications]
        assert any("the alerts chosen were the old file's: nothing was written" in message
                   for _, message in said), said
    assert not target.exists() and not list(tmp_path.glob("marked.csv*"))


async def test_an_archive_replaced_while_browsing_is_the_one_shown_and_exported(
    tmp_path: Path,
) -> None:
    """Another archive moved over the one the app reads (a restore, a copy): the app says so
    and shows it, and an export writes what it shows."""
    import csv

    from tui_helpers import DIGEST, count_of, country_of, option_for, pane, press, sample_items

    db = build_archive(tmp_path / "archive.db")
    other = build_archive(tmp_path / "other.db", [DIGEST])
    digest = len(sample_items([DIGEST]))
    async with browsing(db, notifications=True) as (app, pilot):
        assert status(app) == f"No filters {TOTAL:,} alerts"
        await press(app, pilot, "4", "m", "j", "m", "v")  # two marked, and only those shown
        assert status(app) == f"Marked: 2 2 of {TOTAL:,} alerts"
        app.clear_notifications()
        other.replace(db)
        # the marks were pks of the old file: there they are other alerts, and go
        await _until(app, pilot, lambda: status(app) == f"No filters {digest:,} alerts")
        await pilot.pause(2.5)  # the watcher looks twice more: the change is said once
        await settle(app, pilot)
        assert [n.title for n in app._notifications] == ["Archive replaced"]
        said = next(iter(app._notifications)).message
        assert str(db) in said and "The 2 marked alerts of the file that was there are no " \
            "longer marked." in said
        counts = {name: count_of(option_for(pane(app, "countries"), name))
                  for name in ("Mexico", "Somalia")}
        assert counts == {name: sum(1 for i in sample_items([DIGEST]) if country_of(i) == name)
                          for name in counts}
        await press(app, pilot, "ctrl+e")
        assert not app.screen.query("#export-what")  # nothing marked to offer
        app.screen.query_one("#export-path").value = str(tmp_path / "shown.csv")
        await press(app, pilot, "enter")
        await settle(app, pilot)
    with (tmp_path / "shown.csv").open(newline="", encoding="utf-8") as file:
        assert len(list(csv.DictReader(file))) == digest


async def test_an_archive_replaced_by_one_that_looks_the_same_is_counted_anew(
    tmp_path: Path,
) -> None:
    """Two archives imported alike (the same counts of imports, alerts and bitmaps, which is
    what tells one file's states apart): what was kept of the first does not count the
    second (it listed a Mexico the new archive does not have, and ``e`` left it out)."""
    import json

    from tui_helpers import pane, press

    def two_of(country: str) -> Path:
        feed = tmp_path / f"{country}.json"
        feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
            {"id": f"a{n}", "title": "T", "date_published": "2012-01-01T00:00:00Z",
             "_ifex": {"country": country}} for n in range(2)]}))
        return build_archive(tmp_path / f"{country}.db", [feed])

    db, other = two_of("Mexico"), two_of("Chile")
    async with browsing(db) as (app, pilot):
        countries = pane(app, "countries")
        assert [o.split() for o in options(countries)] == [["Mexico", "2"]]
        other.replace(db)
        await _until(app, pilot, lambda: [o.split() for o in options(countries)] == [["Chile", "2"]])
        await press(app, pilot, "1", "e")
        assert status(app) == "Country: not Chile 0 of 2 alerts"


async def test_an_archive_deleted_while_browsing_is_said_and_not_exported_as_empty(
    tmp_path: Path,
) -> None:
    """The archive's file deleted under the app: a notice says so, the screen keeps what it
    read, and an export fails saying why (it wrote an empty file, having read nothing)."""
    from tui_helpers import press

    db = build_archive(tmp_path / "archive.db")
    async with browsing(db, notifications=True) as (app, pilot):
        for leftover in tmp_path.glob("archive.db*"):
            leftover.unlink()
        await _until(app, pilot, lambda: any("the archive is gone" in n.message
                                             for n in app._notifications))
        assert status(app) == f"No filters {TOTAL:,} alerts"
        await press(app, pilot, "ctrl+e")
        app.screen.query_one("#export-path").value = str(tmp_path / "out.csv")
        await press(app, pilot, "enter")
        await settle(app, pilot)
        failed = [n.message for n in app._notifications if n.title == "Export failed"]
        assert failed and "the archive is gone" in failed[0]
    assert not (tmp_path / "out.csv").exists()


async def test_another_archive_copied_over_the_one_read_is_read_anew(tmp_path: Path) -> None:
    """``cp other.db archive.db`` under the app writes other bytes into the file it reads
    (the same file): what its connections read then looks damaged, so they are opened again
    and the new archive is shown (it said "damaged" until the app was started again)."""
    from tui_helpers import DIGEST, press

    db = build_archive(tmp_path / "archive.db")
    other = build_archive(tmp_path / "other.db", [DIGEST])
    digest = len(sample_items([DIGEST]))
    async with browsing(db, notifications=True) as (app, pilot):
        await press(app, pilot, "4", "G")  # pages read: the connections hold the old file
        shutil.copyfile(other, db)
        for leftover in tmp_path.glob("archive.db-*"):
            leftover.unlink()
        await press(app, pilot, "g", "x", "1", "j", "space", "escape")
        await _until(app, pilot, lambda: status(app) == f"No filters {digest:,} alerts")
        assert not [n.message for n in app._notifications if "damaged" in n.message]


async def test_another_archive_copied_over_the_one_read_is_noticed_without_a_read(
    tmp_path: Path,
) -> None:
    """``cp other.db archive.db`` while nothing is read: the watcher sees the archive's state
    move with no commit, and the new archive is shown from its first alert (the old one stayed
    on screen while an export wrote the new one's alerts); the old one copied back at once is
    seen too (the watcher had no state to compare with for two looks after a change)."""
    from tui_helpers import DIGEST, pane, press

    db = build_archive(tmp_path / "archive.db")
    first = shutil.copyfile(db, tmp_path / "first.db")
    other = build_archive(tmp_path / "other.db", [DIGEST])
    digest = len(sample_items([DIGEST]))
    async with browsing(db, notifications=True) as (app, pilot):
        await press(app, pilot, "4", "j", "j")
        shutil.copyfile(other, db)
        await _until(app, pilot, lambda: status(app) == f"No filters {digest:,} alerts")
        assert [n.title for n in app._notifications] == ["Archive replaced"]
        assert pane(app, "alerts").cursor == 0  # another archive: its first alert, not row 3
        shutil.copyfile(first, db)  # back again at once: another change, seen as well
        await _until(app, pilot, lambda: status(app) == f"No filters {TOTAL:,} alerts")
