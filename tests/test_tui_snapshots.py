"""SVG snapshots of the app at 120x40 (and 80x24): first screen, filtered, help, empty, no match.

Update them deliberately with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and look
at the SVGs before committing.  The archive path (the only per-run text) is the app's
sub_title, which no header shows, so the pictures do not depend on where tmp_path is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_helpers import SIZE, build_archive, settle

from ifex_tui import paths
from ifex_tui.archive import schema
from ifex_tui.tui.app import IfexApp


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_archive(tmp_path_factory.mktemp("snapshots") / "samples.db")


def keys(*pressed: str):
    """A ``run_before`` that waits for the first screen, presses ``pressed`` and waits again."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot.app, pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot.app, pilot)

    return run_before


def test_first_screen(snap_compare, sample_db: Path) -> None:
    assert snap_compare(IfexApp(sample_db), terminal_size=SIZE, run_before=keys())


def test_filtered_by_country_and_year(snap_compare, sample_db: Path) -> None:
    pressed = ("1", "f", *"mex", "enter", "2", "f", *"2011", "enter", "4", "j")
    assert snap_compare(IfexApp(sample_db), terminal_size=SIZE, run_before=keys(*pressed))


def test_help_screen(snap_compare, sample_db: Path) -> None:
    assert snap_compare(IfexApp(sample_db), terminal_size=SIZE, run_before=keys("question_mark"))


def test_empty_archive(snap_compare) -> None:
    db = paths.archive_path()  # the default archive: the hint needs no --db with a tmp path
    schema.connect(db).close()
    assert snap_compare(IfexApp(db), terminal_size=SIZE, run_before=keys())


def test_no_matches(snap_compare, sample_db: Path) -> None:
    pressed = ("slash", *"zzyzx", "enter")
    assert snap_compare(IfexApp(sample_db), terminal_size=SIZE, run_before=keys(*pressed))


def test_small_window_with_exclusion_and_all(snap_compare, sample_db: Path) -> None:
    """80x24: six dimensions reachable, a country excluded, violations matched all at once."""
    pressed = ("1", "f", *"iraq", "enter", "e", "3", "f", *"kill", "enter", "f", *"att", "enter",
               "a", "4")
    assert snap_compare(IfexApp(sample_db), terminal_size=(80, 24), run_before=keys(*pressed))


def test_find_box_open(snap_compare, sample_db: Path) -> None:
    """The find box over the countries pane; "burma" finds Myanmar by its other name."""
    pressed = ("1", "f", *"burma")

    async def run_before(pilot: Pilot) -> None:
        await keys(*pressed)(pilot)
        pilot.app.screen.query_one("#find").cursor_blink = False  # the same picture every run

    assert snap_compare(IfexApp(sample_db), terminal_size=SIZE, run_before=run_before)
