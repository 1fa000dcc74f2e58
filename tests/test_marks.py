"""Marked alerts: a filter of their own in the plan, ``--id`` on the command line, and the app's
marks (m, M, v, Y, the export dialog's "marked alerts").

Expected rows and counts come from SQL written here against the archive's plain tables (and
FTS5's own MATCH), never from the plan; the app is read as a user sees it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shlex
import sqlite3
from pathlib import Path

import pytest
from conftest import Invoke
from tui_helpers import (
    browsing,
    find_and_toggle,
    lines,
    press,
    settle,
    status,
    type_text,
    typed,
    workers_done,
)

from ifex_tui.archive import bitmaps, marked, provenance, queries, schema
from ifex_tui.archive.filters import Filters

SHOBA = "cpj-killed:undated:shoba"
GELSON = "cpj-killed:2011-11-06:gelson-domingos-da-silva"


def _reference(conn: sqlite3.Connection, pks: set[int], where: str = "1", params=()) -> list[int]:
    """The pks among ``pks`` meeting ``where`` (over ``alerts a``), in list order."""
    rows = conn.execute(
        f"SELECT a.pk FROM alerts a WHERE {where} ORDER BY a.sort_date DESC, a.pk DESC", params
    ).fetchall()
    return [pk for (pk,) in rows if pk in pks]


def _pages(conn: sqlite3.Connection, filters: Filters) -> list[int]:
    return [row.pk for row in queries.page(conn, filters, limit=100_000)]


@pytest.fixture
def conn(sample_archive_file: Path):
    conn = schema.connect(sample_archive_file, readonly=True)
    yield conn
    conn.close()


IRAQ = ("EXISTS (SELECT 1 FROM alert_facets f WHERE f.alert = a.pk AND f.kind = 'country'"
        " AND f.value = 'IQ')")
JOURNALIST = "a.pk IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH 'journalist')"


@pytest.mark.parametrize("step", [1, 3, 50])  # most alerts marked (a walk of the marks or not)
@pytest.mark.parametrize(("other", "where"), [
    (Filters(), "1"),
    (Filters(country=frozenset({"IQ"})), IRAQ),
    (Filters().searching("journalist"), JOURNALIST),
    (Filters(country=frozenset({"IQ"})).searching("journalist"), f"{IRAQ} AND {JOURNALIST}"),
    (Filters(excluded=frozenset({("year", 0)})), "a.sort_date > ''"),
])
def test_marked_alerts_are_a_filter_anded_with_the_others(conn, other, where, step) -> None:
    every = [pk for (pk,) in conn.execute("SELECT pk FROM alerts ORDER BY pk")]
    pks = set(every[::step]) - {every[1]} | {max(every) + 1000}  # one the archive does not hold
    filters = other.marking(bitmaps.bits_of(pks))
    expected = _reference(conn, pks, where)
    assert _pages(conn, filters) == expected
    assert queries.total(conn, filters) == len(expected)
    by_year: dict[int, int] = {}
    for (year,) in conn.execute(
        f"SELECT coalesce(a.year, 0) FROM alerts a WHERE {where} AND a.pk IN ({', '.join(map(str, pks))})"
    ):
        by_year[year] = by_year.get(year, 0) + 1
    assert {f.key: f.count for f in queries.breakdown(conn, "year", filters)} == by_year
    if expected:
        last = expected[-1]
        assert queries.position(conn, filters, last) == len(expected) - 1
    assert queries.position(conn, filters, every[1]) is None  # not marked
    assert queries.matching(conn, filters) == bitmaps.bits_of(expected)


def test_a_choice_of_no_alert_matches_nothing_and_no_choice_matches_all(conn) -> None:
    assert queries.total(conn, Filters().marking(0)) == 0
    assert _pages(conn, Filters().marking(0)) == []
    everything = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    assert queries.total(conn, Filters().marking(None)) == everything


def test_members_and_bits_are_inverse() -> None:
    pks = {0, 1, 7, 8, 9, 63, 64, 1000, 123_457}
    assert list(marked.members(bitmaps.bits_of(pks))) == sorted(pks)
    assert list(marked.members(0)) == []


# -- the command line -------------------------------------------------------------------------
def test_id_chooses_alerts_for_stats_and_export_and_names_the_unknown(
    cli: Invoke, imported: Path
) -> None:
    result = cli("stats", "--json", "--id", SHOBA, "--id", GELSON, "--id", "no-such-alert")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["alerts"] == 2
    assert "no alert in the archive has the id 'no-such-alert'" in result.stderr
    exported = json.loads(cli("export", "--id", GELSON, "--id", SHOBA).stdout)
    assert [record["id"] for record in exported] == [GELSON, SHOBA]  # newest first, undated last
    both = json.loads(cli("export", "--id", GELSON, "--id", SHOBA, "--year", "undated").stdout)
    assert [record["id"] for record in both] == [SHOBA]


def test_an_export_of_chosen_alerts_records_their_ids_and_the_command_makes_it_again(
    cli: Invoke, imported: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    assert cli("export", "--format", "csv", "-o", first, "--id", SHOBA, "--id", GELSON).exit_code == 0
    made = json.loads((tmp_path / "first.csv.provenance.json").read_text("utf-8"))
    argv = shlex.split(made["command"])
    assert argv.count("--id") == 2 and SHOBA in argv and GELSON in argv
    again = tmp_path / "again.csv"
    assert cli(*argv[1:], "--output", again).exit_code == 0
    assert again.read_text("utf-8") == first.read_text("utf-8")
    assert made["rows"] == 2


def test_many_chosen_alerts_are_listed_in_a_file_the_recorded_command_reads(
    cli: Invoke, imported: Path, tmp_path: Path
) -> None:
    conn = schema.connect(imported, readonly=True)
    ids = [row[0] for row in conn.execute("SELECT id FROM alerts ORDER BY pk LIMIT 150")]
    conn.close()
    listing = tmp_path / "chosen.txt"
    listing.write_text("\n".join(ids) + "\n\n", "utf-8")
    first = tmp_path / "first.csv"
    result = cli("export", "--format", "csv", "-o", first, "--ids", listing, "--not-year", "undated")
    assert result.exit_code == 0, result.output
    made = json.loads((tmp_path / "first.csv.provenance.json").read_text("utf-8"))
    argv = shlex.split(made["command"])
    assert argv[argv.index("--ids") + 1] == f"{first}.ids.txt" and "--id" not in argv
    assert sorted((tmp_path / "first.csv.ids.txt").read_text("utf-8").split()) == sorted(ids)
    listed = (tmp_path / "first.csv.ids.txt").read_bytes()
    assert made["ids_sha256"] == hashlib.sha256(listed).hexdigest()
    again = tmp_path / "again.csv"
    assert cli(*argv[1:], "--output", again).exit_code == 0
    assert again.read_text("utf-8") == first.read_text("utf-8")
    rows = list(csv.DictReader(first.open(encoding="utf-8")))
    assert {row["id"] for row in rows} <= set(ids) and all(row["date"] for row in rows)
    missing = cli("stats", "--ids", tmp_path / "nowhere.txt")
    assert missing.exit_code == 2 and "--ids" in missing.stderr and "nowhere.txt" in missing.stderr


# -- the app ----------------------------------------------------------------------------------
def _marked_rows(app) -> list[str]:
    return [line for line in lines(app.screen.query_one("#alerts")) if line.startswith("●")]


async def test_marks_in_the_app_mark_filter_cite_and_export(
    sample_archive_file: Path, tmp_path: Path, monkeypatch
) -> None:
    from ifex_tui.tui.screens.export_dialog import ExportDialog

    monkeypatch.chdir(tmp_path)
    conn = schema.connect(sample_archive_file, readonly=True)
    everything = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    iraq = conn.execute(
        "SELECT count(DISTINCT alert) FROM alert_facets WHERE kind = 'country' AND value = 'IQ'"
    ).fetchone()[0]
    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        alerts = app.screen.query_one("#alerts")
        await press(app, pilot, "4", "m", "j", "j", "m")  # the first and the third alert
        first, third = alerts.row(0), alerts.row(2)
        assert len(_marked_rows(app)) == 2
        assert "2 marked" in str(alerts.border_subtitle)
        assert "● marked" in str(app.screen.query_one("#detail").border_subtitle)  # the third's
        await press(app, pilot, "j")
        assert not str(app.screen.query_one("#detail").border_subtitle)

        await press(app, pilot, "v")  # the Marked filter
        assert "Marked: 2" in status(app) and f"2 of {everything:,} alerts" in status(app)
        assert [alerts.row(0).pk, alerts.row(1).pk] == [first.pk, third.pk]

        await press(app, pilot, "Y")  # citations of both, in list order
        await settle(app, pilot)
        cited = app.clipboard.splitlines()
        assert len(cited) == 2 and first.title in cited[0] and third.title in cited[1]
        assert any(n.title == "2 citations copied (text)" for n in app._notifications)

        await press(app, pilot, "m")  # unmarked under the Marked filter: it leaves the view
        assert f"1 of {everything:,} alerts" in status(app) and alerts.row(0).pk == third.pk
        await press(app, pilot, "v")
        assert status(app).endswith(f"{everything:,} alerts") and "Marked" not in status(app)

        await find_and_toggle(app, pilot, "1", "iraq")  # M marks every alert in view
        await press(app, pilot, "4", "M")
        await settle(app, pilot)
        marks = app.screen.marks.bit_count()
        third_in_iraq = conn.execute(
            "SELECT 1 FROM alert_facets WHERE alert = ? AND kind = 'country' AND value = 'IQ'",
            [third.pk]).fetchone() is not None
        assert marks == iraq + (0 if third_in_iraq else 1)
        assert f"{marks:,} marked" in str(alerts.border_subtitle)

        await press(app, pilot, "Y")  # all copied; the notice shows the first few, fits the screen
        await settle(app, pilot)
        assert len(app.clipboard.splitlines()) == marks
        [notice] = [n for n in app._notifications if n.title == f"{marks:,} citations copied (text)"]
        *first, tail = notice.message.splitlines()
        assert sum(map(len, first)) <= 600
        assert app.clipboard.startswith("\n".join(first))
        assert tail == f"… {marks - len(first):,} more lines, copied with these"

        target = tmp_path / "marked.csv"  # the dialog's "marked alerts", whatever the filters
        await press(app, pilot, "x", "ctrl+e")
        assert isinstance(app.screen, ExportDialog)
        assert "The marked alerts: " + f"{marks:,}" in " ".join(
            str(o.prompt) for o in app.screen.query_one("#export-what").options)
        await press(app, pilot, "tab", "tab")  # marked (first when there are marks); CSV; the file
        await type_text(app, pilot, str(target))
        await press(app, pilot, "enter")
        await workers_done(app)
        await settle(app, pilot)
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert len(rows) == marks
        made = json.loads((tmp_path / "marked.csv.provenance.json").read_text("utf-8"))
        assert marks > provenance.INLINE_IDS  # too many for a command line: listed beside it
        argv = shlex.split(made["command"])
        assert "--id" not in argv and argv[argv.index("--ids") + 1] == f"{target}.ids.txt"
        listed = (tmp_path / "marked.csv.ids.txt").read_text("utf-8").split()
        assert sorted(listed) == sorted(row["id"] for row in rows)

        await find_and_toggle(app, pilot, "1", "iraq")
        await press(app, pilot, "4", "M")  # every alert in view is marked: M unmarks them
        await settle(app, pilot)
        assert app.screen.marks.bit_count() == marks - iraq
    conn.close()


async def test_u_takes_back_the_changes_of_the_marks_one_by_one(sample_archive_file: Path) -> None:
    """``m`` twice, ``M`` (every alert in view), then ``u`` four times: back to two marks, one,
    none, then "nothing to undo"; "Clear marks" is taken back the same way."""
    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        await find_and_toggle(app, pilot, "1", "iraq")
        await press(app, pilot, "4", "m", "j", "m", "M")
        await settle(app, pilot)
        in_view = app.screen.alert_list.total
        counts = [app.screen.marks.bit_count()]
        for _ in range(4):
            await press(app, pilot, "u")
            counts.append(app.screen.marks.bit_count())
        assert counts == [in_view, 2, 1, 0, 0]
        assert list(app._notifications)[-1].message == "No change of the marks to undo."

        await press(app, pilot, "M")
        await settle(app, pilot)
        app.screen.action_clear_marks()  # the palette's "Clear marks"
        await settle(app, pilot)
        assert app.screen.marks == 0
        await press(app, pilot, "u")
        assert app.screen.marks.bit_count() == in_view
        assert f"{in_view:,} marked" in str(app.screen.alert_list.border_subtitle)


async def test_v_and_Y_without_marks_say_how_to_mark(sample_archive_file: Path) -> None:
    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        await press(app, pilot, "4", "v", "Y")
        said = [n.message for n in app._notifications]
        assert said.count("No alert is marked: m marks the highlighted alert, M every alert in view.") == 2
        assert "Marked" not in status(app)


async def test_q_warns_before_marks_are_forgotten_and_clear_marks_says_so(
    sample_archive_file: Path,
) -> None:
    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        await press(app, pilot, "4", "m", "j", "m", "v", "q")  # two marks: q only warns
        assert app.is_running
        assert "2 marked alerts are forgotten" in list(app._notifications)[-1].message
        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, "Clear marks")
        await press(app, pilot, "enter")
        assert list(app._notifications)[-1].message == "Unmarked 2 alerts."
        # the Marked filter with no marks left says what to do
        assert lines(app.screen.query_one("#alerts"))[1] == "No alert is marked."
        await press(app, pilot, "q")  # nothing to lose: q quits at once
        assert not app.is_running


async def test_only_the_key_right_after_the_quit_warning_confirms_it(
    sample_archive_file: Path,
) -> None:
    """``q j q``: the ``j`` says "keep working", so the second ``q`` warns again; then ``q``
    quits."""
    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        await press(app, pilot, "4", "m", "q", "j", "q")
        assert app.is_running
        assert "Press q again to quit" in list(app._notifications)[-1].message
        await press(app, pilot, "q")
        assert not app.is_running


async def test_a_burst_in_the_export_dialog_acts_in_the_order_typed(sample_archive_file: Path) -> None:
    from tui_helpers import burst

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "4", "m", "ctrl+e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        burst(app, "up", "tab", "down", "down", "down", "tab")  # in view; Markdown; to the file
        await settle(app, pilot)
        assert not dialog.exporting_marked and dialog.fmt == "markdown"
        assert dialog.focused is dialog.query_one("#export-path")
        assert dialog.query_one("#export-path").value.endswith(".md")


async def test_the_export_dialog_counts_one_alert_in_the_singular(sample_archive_file: Path) -> None:
    from textual.widgets import Static

    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "4", "m", "v", "ctrl+e", "down")  # the alerts in view: 1
        title = app.screen.query_one("#export-title", Static)
        assert str(title.render()).startswith("Export 1 alert (")


@pytest.mark.parametrize("fast", [True, False], ids=["burst", "one by one"])
async def test_shift_tab_in_the_export_dialog_acts_before_the_keys_after_it(
    sample_archive_file: Path, fast: bool
) -> None:
    """``tab shift+tab down``: to the formats, back to the alerts chosen, down there (the
    formats stay CSV); in a burst, ``down`` moved the formats before ``shift+tab`` acted."""
    from tui_helpers import typed

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "4", "m", "ctrl+e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await typed(app, pilot, ("tab", "shift+tab", "down"), fast)
        assert dialog.fmt == "csv" and not dialog.exporting_marked
        assert dialog.focused is dialog.query_one("#export-what")


@pytest.mark.parametrize("fast", [True, False], ids=["burst", "one by one"])
async def test_the_export_dialogs_list_keys_act_in_the_order_typed(
    sample_archive_file: Path, fast: bool
) -> None:
    """``end tab ctrl+u``: the last format, to the file, clear it; the box stays empty (the
    list's own ``end`` acted after the keys behind it and proposed the file again).  In the
    file box ``home`` is the box's: ``x`` typed after it goes first."""
    from tui_helpers import typed

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "ctrl+e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await typed(app, pilot, ("end", "tab", "ctrl+u"), fast)
        assert dialog.fmt == "bibtex" and dialog.query_one("#export-path").value == ""
        await press(app, pilot, "escape", "ctrl+e")
        dialog = app.screen
        proposed = dialog.query_one("#export-path").value
        await typed(app, pilot, ("tab", "home", "x"), fast)
        assert dialog.query_one("#export-path").value == "x" + proposed


async def test_a_format_change_then_ctrl_u_in_the_file_box_leaves_it_empty(
    sample_archive_file: Path,
) -> None:
    """``tab down tab ctrl+u`` (to the formats, JSON, to the file, clear it), in one burst and
    one by one: the box is empty both ways (the list's own answer to the move, coming after
    the burst, proposed the file again over what was typed)."""

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    keys = ("tab", "down", "tab", "ctrl+u")
    ends = []
    for fast in (True, False):
        async with browsing(sample_archive_file) as (app, pilot):
            await press(app, pilot, "4", "m", "ctrl+e")
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            await typed(app, pilot, keys, fast)
            ends.append((dialog.fmt, dialog.query_one("#export-path").value))
    assert ends[0] == ends[1] == ("json", "")


async def test_keys_after_ctrl_e_in_a_burst_go_to_the_dialog_it_opens(
    sample_archive_file: Path,
) -> None:
    """A search, ``ctrl+e`` (which waits for the search's count), then the dialog's keys, in
    one burst and one by one: the keys choose in the dialog both ways, not in the list."""

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    keys = ("slash", *"journalist", "enter", "M", "j", "ctrl+e", "down", "tab", "down", "tab",
            "ctrl+u", *"x.json")
    ends = []
    for fast in (True, False):
        async with browsing(sample_archive_file) as (app, pilot):
            await typed(app, pilot, keys, fast)
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            ends.append((dialog.exporting_marked, dialog.fmt,
                         dialog.query_one("#export-path").value, app.screen_stack[-2].marks.bit_count()))
    assert ends[0] == ends[1]
    assert ends[0][:3] == (False, "json", "x.json")


async def test_a_burst_after_M_acts_as_typed_slowly(sample_archive_file: Path) -> None:
    """``M j m v`` in one burst: every alert in view marked, then the second one unmarked,
    then only the marked shown (M's answer comes from a worker; the keys after it wait)."""
    from tui_helpers import burst

    async with browsing(sample_archive_file) as (app, pilot):
        await find_and_toggle(app, pilot, "1", "iraq")
        await press(app, pilot, "4")
        in_view = app.screen.alert_list.total
        burst(app, "M", "j", "m", "v")
        await settle(app, pilot)
        assert app.screen.marks.bit_count() == in_view - 1
        assert f"Marked: {in_view - 1:,}" in status(app)


@pytest.mark.parametrize("per_lookup", [marked.IDS_PER_LOOKUP, 7])
def test_the_ids_of_marks_are_every_held_alerts_sorted_whatever_the_lookups(
    conn, monkeypatch: pytest.MonkeyPatch, per_lookup: int
) -> None:
    """(Looked up a slice of the marks at a time: SQLite in the app may hold only so much.)"""
    monkeypatch.setattr(marked, "IDS_PER_LOOKUP", per_lookup)
    every = conn.execute("SELECT pk, id FROM alerts").fetchall()
    chosen = [(pk, alert_id) for pk, alert_id in every if pk % 2]
    bits = bitmaps.bits_of([pk for pk, _ in chosen] + [max(pk for pk, _ in every) + 5])
    expected = [row[0] for row in conn.execute(
        "SELECT id FROM alerts WHERE pk % 2 ORDER BY id")]
    assert marked.ids_of(conn, bits) == expected == sorted(alert_id for _, alert_id in chosen)


async def test_the_next_export_is_proposed_in_the_folder_of_the_last(
    sample_archive_file: Path, tmp_path: Path
) -> None:
    """One set exported in several formats: the folder is typed once."""
    folder = tmp_path / "paper"
    folder.mkdir()
    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        await press(app, pilot, "ctrl+e")
        first = app.screen.query_one("#export-path").value
        assert Path(first).parent == Path.cwd()  # the folder the app started in, at first
        app.screen.query_one("#export-path").value = str(folder / "alerts.csv")
        await press(app, pilot, "enter")
        await settle(app, pilot)
        assert (folder / "alerts.csv").exists()
        await press(app, pilot, "ctrl+e", "down")  # JSON
        proposed = Path(app.screen.query_one("#export-path").value)
        assert proposed.parent == folder and proposed.suffix == ".json"


async def test_a_folder_typed_as_the_export_file_is_refused(
    sample_archive_file: Path, tmp_path: Path
) -> None:
    """``new/`` is a folder's name (a Path reads it as the file ``new``): the dialog says so
    and writes nothing."""
    from textual.widgets import Static

    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "ctrl+e")
        app.screen.query_one("#export-path").value = f"{tmp_path}/new/"
        await press(app, pilot, "enter")
        await settle(app, pilot)
        hint = str(app.screen.query_one("#export-hint", Static).render())
        assert f"{tmp_path}/new/: is a folder, not a file" in hint
    assert list(tmp_path.iterdir()) == []
