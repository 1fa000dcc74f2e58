"""Pilot tests: the real app on real archives built from the samples, driven key by key.

Each test asserts what a researcher sees (the status line, the facet panes' options, the
alert rows, the detail text, the help screen), against numbers computed here from the sample
JSON with the standard library.  Waiting is for the app's workers, never a sleep; the one
bounded poll is for an import made by "another process" while the app is open.
"""

from __future__ import annotations

import _sqlite3
import asyncio
import ctypes
import gc
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from conftest import source_of
from textual.command import CommandPalette
from textual.widgets import Input
from tui_helpers import (
    CPJ,
    DIGEST,
    browsing,
    build_archive,
    burst,
    count_of,
    country_of,
    cursor_line,
    date_of,
    detail,
    detail_title,
    find_and_toggle,
    highlighted,
    lines,
    n_of,
    newest_first_dates,
    option_for,
    options,
    pane,
    press,
    sample_items,
    screen_text,
    settle,
    static_text,
    status,
    type_text,
    year_counts,
    year_of,
    year_series,
)

from ifex_tui.archive import schema
from ifex_tui.tui import app as app_module
from ifex_tui.tui.app import IfexApp
from ifex_tui.tui.screens.help import HelpScreen
from ifex_tui.tui.widgets.alert_detail import BODY_LIMIT

ITEMS = sample_items()
TOTAL = len(ITEMS)
MEXICO = [i for i in ITEMS if country_of(i) == "Mexico"]
PHILIPPINES = [i for i in ITEMS if country_of(i) == "Philippines"]
COUNTRY_COUNTS = Counter(country_of(i) for i in ITEMS if country_of(i))


def _count_text(pattern: str, items: list[dict] = ITEMS) -> int:
    """Items whose searchable text (title, body, tags, source) matches ``pattern``."""
    def text(item: dict) -> str:
        parts = [item["title"], item.get("summary") or "", item.get("content_text") or "",
                 " ".join(item.get("tags", [])), (item.get("_ifex") or {}).get("source") or ""]
        return " ".join(parts).casefold()

    return sum(1 for item in items if re.search(pattern, text(item)))


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both real samples, imported once for the module; the app only reads it."""
    return build_archive(tmp_path_factory.mktemp("tui") / "samples.db")


def browser(app: IfexApp):
    return pane(app, "alerts").screen


def alert_rows(app: IfexApp) -> list[str]:
    """The alert lines drawn in the list (blank lines below the last row left out)."""
    return [line for line in lines(pane(app, "alerts")) if line.strip()]


async def find(app, pilot, pane_key: str, typed: str) -> None:
    """Focus a facet pane, open its find box (f) and type ``typed``."""
    await press(app, pilot, pane_key, "f")
    await type_text(app, pilot, typed)


async def open_country(app, pilot, typed: str) -> None:
    """Focus the countries pane, find ``typed`` and toggle it with enter."""
    await find_and_toggle(app, pilot, "1", typed)


def _folded(name: str) -> str:
    """Case- and accent-free, as a reader alphabetises (Côte d'Ivoire among the Cs)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if c.isascii())


# -- the first screen ----------------------------------------------------------------------
async def test_first_screen_shows_every_pane_with_counts(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, _pilot):
        assert status(app) == f"No filters {TOTAL:,} alerts"

        countries = options(pane(app, "countries"))
        (top, top_count), = COUNTRY_COUNTS.most_common(1)
        assert countries[0].split()[0] == top and count_of(countries[0]) == top_count
        assert count_of(option_for(pane(app, "countries"), "Mexico")) == len(MEXICO)
        assert count_of(option_for(pane(app, "countries"), "Unknown country")) == sum(
            1 for i in ITEMS if not country_of(i)
        )
        assert not any("●" in o for o in countries)

        years = year_counts(ITEMS)
        drawn = [(o.split()[0], count_of(o)) for o in options(pane(app, "years"))]
        assert drawn == year_series(ITEMS)
        newest = max(y for y in years if y)
        assert lines(pane(app, "years"))[0].split()[0] == str(newest)  # years newest first

        expected_dates = newest_first_dates(ITEMS)
        rows = alert_rows(app)
        assert [r.split()[0] for r in rows] == expected_dates[: len(rows)]
        assert len(rows) == pane(app, "alerts").content_region.height  # the pane is full
        assert app.focused is pane(app, "alerts")
        newest_titles = {i["title"] for i in ITEMS if date_of(i) == expected_dates[0]}
        assert detail_title(app) in newest_titles
        assert cursor_line(pane(app, "alerts"))[0] == 0


# -- focus ---------------------------------------------------------------------------------
async def test_number_keys_and_tab_move_focus_between_panes(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "1")
        assert app.focused is pane(app, "countries")
        await press(app, pilot, "5")
        assert app.focused is pane(app, "detail")
        await press(app, pilot, "2")
        assert app.focused is pane(app, "years")
        await press(app, pilot, "tab")
        assert app.focused is pane(app, "topics")
        await press(app, pilot, "4")
        assert app.focused is pane(app, "alerts")
        await press(app, pilot, "3")
        assert app.focused is pane(app, "topics")

        order = ["countries", "years", "topics", "alerts", "detail"]
        await press(app, pilot, "1")
        for name in order[1:] + order[:1]:
            await press(app, pilot, "tab")
            assert app.focused is pane(app, name)
        for name in reversed(order):
            await press(app, pilot, "shift+tab")
            assert app.focused is pane(app, name)


# -- moving in the list ----------------------------------------------------------------------
async def test_list_keys_move_the_cursor_and_the_detail_follows(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        alerts = pane(app, "alerts")
        dates = newest_first_dates(ITEMS)

        def check(index: int) -> None:
            y, line = cursor_line(alerts)
            assert y == index - alerts.scroll_offset.y
            assert line.split()[0] == dates[index]
            title = detail_title(app)
            assert title in {i["title"] for i in ITEMS if date_of(i) == dates[index]}
            shown = line[28:].split("…")[0].strip()  # the title cell, cut where it was truncated
            assert title.startswith(shown[:30])
            assert alerts.cursor == index
            assert alerts.border_subtitle == f"{index + 1:,} / {TOTAL:,}"

        check(0)
        for keys, index in [("j", 1), ("j", 2), ("down", 3), ("k", 2), ("up", 1), ("up", 0),
                            ("up", 0)]:
            await press(app, pilot, keys)
            check(index)

        page = alerts.scrollable_content_region.height - 1
        await press(app, pilot, "pagedown")
        check(page)
        await press(app, pilot, "pagedown")
        check(2 * page)
        await press(app, pilot, "pageup")
        check(page)

        await press(app, pilot, "G")
        check(TOTAL - 1)
        assert "undated" in detail(app)
        await press(app, pilot, "k")
        check(TOTAL - 2)
        await press(app, pilot, "g")
        check(0)


async def test_enter_reads_the_alert_in_the_detail_pane_and_escape_returns(
    sample_db: Path,
) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "G")  # the last row: an undated digest item
        title = detail_title(app)
        await press(app, pilot, "enter")
        detail_pane = pane(app, "detail")
        assert app.focused is detail_pane
        assert detail_title(app) == title
        assert title in {i["title"] for i in ITEMS if not i.get("date_published")}
        await press(app, pilot, "escape")
        assert app.focused is pane(app, "alerts")
        assert pane(app, "alerts").cursor == TOTAL - 1


# -- finding in a facet pane ------------------------------------------------------------------
async def test_f_opens_a_find_that_jumps_to_the_first_match(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await find(app, pilot, "1", "mex")
        countries = pane(app, "countries")
        assert highlighted(countries).split()[0] == "Mexico"
        box = browser(app).query_one("#find")
        assert box.visible and app.focused is box and box.value == "mex"
        assert box.border_title == "Find in Countries"
        assert status(app) == f"No filters {TOTAL:,} alerts"  # finding filters nothing


async def test_a_find_reads_spaces_and_letters_that_are_commands_elsewhere(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await find(app, pilot, "1", "south a")  # "South Africa": the space is part of the name
        assert highlighted(pane(app, "countries")).split()[:2] == ["South", "Africa"]
        await press(app, pilot, "escape")  # ends the find: nothing selected, focus back
        assert app.focused is pane(app, "countries")
        await find(app, pilot, "1", "iraq")  # q (quit) is text in a find, like x, e and a
        assert highlighted(pane(app, "countries")).split()[0] == "Iraq"
        assert app.is_running
        assert status(app) == f"No filters {TOTAL:,} alerts"


async def test_outside_a_find_letters_are_the_panes_commands(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await open_country(app, pilot, "mex")
        await press(app, pilot, "2", "j")  # j moves down in the years pane
        years = [o.split()[0] for o in options(pane(app, "years"))]
        assert highlighted(pane(app, "years")).split()[0] == years[1]
        await press(app, pilot, "1", "x")  # x clears every filter from any pane
        assert status(app) == f"No filters {TOTAL:,} alerts"


async def test_keys_typed_in_one_burst_reach_the_pane_they_were_meant_for(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        burst(app, "1", "f", "m", "e", "x", "enter")
        await settle(app, pilot)
        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"
        burst(app, "slash", *"killed", "enter", "j", "j")
        await settle(app, pilot)
        assert 'Search: "killed"' in status(app)
        assert browser(app).query_one("#search").value == "killed"  # no stray "jj" in it
        assert app.focused is pane(app, "alerts")  # the j's went to the list, as typed


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (("1", "f", *"mex", "enter", "f", *"pak", "enter"), "Country: Mexico, Pakistan"),
        (("1", "f", *"phi", "enter", "2", "f", *"2010", "enter"),
         "Country: Philippines Year: 2010"),
        (("2", "f", *"2011", "enter", "f", *"2012", "enter"), "Year: 2011, 2012"),
        (("slash", *"killed", "enter", "1", "f", *"pak", "enter"),
         'Country: Pakistan Search: "killed"'),
        (("1", "f", *"phi", "enter", "x", "f", *"mex", "enter"), "Country: Mexico"),
    ],
)
async def test_bursts_that_change_pane_and_toggle_land_in_order(
    sample_db: Path, keys: tuple[str, ...], expected: str
) -> None:
    async with browsing(sample_db) as (app, pilot):
        burst(app, *keys)
        await settle(app, pilot)
        assert status(app).startswith(expected + " ")


async def test_moves_typed_while_results_are_counted_apply_to_the_new_results(
    sample_db: Path,
) -> None:
    async with browsing(sample_db) as (app, pilot):
        burst(app, "1", "f", *"mex", "enter", "4", "G")
        await settle(app, pilot)
        alerts = pane(app, "alerts")
        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"
        assert app.focused is alerts and alerts.cursor == len(MEXICO) - 1
        burst(app, "slash", *"abc", "escape", "j", "j")  # escape hands the j's to the list
        await settle(app, pilot)
        assert alerts.cursor == len(MEXICO) - 1  # already at the end: j stays there
        burst(app, "g", "j", "j")
        await settle(app, pilot)
        assert alerts.cursor == 2


async def test_typing_a_year_in_the_years_pane_jumps_to_it(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await find(app, pilot, "2", "2011")
        option = highlighted(pane(app, "years"))
        assert option.split()[0] == "2011"
        assert count_of(option) == year_counts(ITEMS)[2011]


# -- toggling facets -----------------------------------------------------------------------
async def test_enter_on_a_country_filters_to_it_and_keeps_the_other_counts(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await open_country(app, pilot, "mex")

        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"
        rows = alert_rows(app)
        assert rows and all(r.split()[1] == "Mexico" for r in rows)
        assert [r.split()[0] for r in rows] == newest_first_dates(MEXICO)[: len(rows)]
        assert "Mexico" in detail(app)

        countries = pane(app, "countries")
        assert option_for(countries, "Mexico").startswith("● ")
        assert count_of(option_for(countries, "Mexico")) == len(MEXICO)
        assert [o for o in options(countries) if "●" in o] == [option_for(countries, "Mexico")]
        for name, count in COUNTRY_COUNTS.most_common(5):  # the others keep their counts
            if name != "Mexico":
                assert count_of(option_for(countries, name)) == count
        assert countries.border_subtitle.endswith("1 selected")

        # the years pane counts Mexico's alerts only
        drawn = [(o.split()[0], count_of(o)) for o in options(pane(app, "years"))]
        assert drawn == year_series(MEXICO, ITEMS)  # every year of the archive, 0 where none


async def test_space_toggles_the_highlighted_country(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        (top, top_count), = COUNTRY_COUNTS.most_common(1)
        await press(app, pilot, "1", "space")
        assert status(app) == f"Country: {top} {n_of(top_count, TOTAL)}"
        assert all(r.split()[1] == top for r in alert_rows(app))
        await press(app, pilot, "space")  # again: off
        assert status(app) == f"No filters {TOTAL:,} alerts"
        assert not any("●" in o for o in options(pane(app, "countries")))


async def test_two_countries_are_ored(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await open_country(app, pilot, "mex")
        await press(app, pilot, "f")
        await type_text(app, pilot, "phil")
        await press(app, pilot, "enter")

        both = len(MEXICO) + len(PHILIPPINES)
        assert status(app) == f"Country: Mexico, Philippines {n_of(both, TOTAL)}"
        rows = alert_rows(app)
        assert rows and all(r.split()[1] in ("Mexico", "Philippines") for r in rows)
        assert [r.split()[0] for r in rows] == newest_first_dates(MEXICO + PHILIPPINES)[: len(rows)]
        marked = sorted(o.split()[1] for o in options(pane(app, "countries")) if "●" in o)
        assert marked == ["Mexico", "Philippines"]
        assert pane(app, "countries").border_subtitle.endswith("2 selected")


async def test_country_and_year_are_anded_and_each_pane_counts_under_the_other(
    sample_db: Path,
) -> None:
    async with browsing(sample_db) as (app, pilot):
        await open_country(app, pilot, "mex")
        await find(app, pilot, "2", "2011")
        await press(app, pilot, "enter")

        both = [i for i in MEXICO if year_of(i) == 2011]
        assert status(app) == f"Country: Mexico Year: 2011 {n_of(len(both), TOTAL)}"
        rows = alert_rows(app)
        assert len(rows) == len(both)
        assert all(r.split()[1] == "Mexico" and r.startswith("2011-") for r in rows)
        assert detail_title(app) in {i["title"] for i in both}

        years = pane(app, "years")
        assert option_for(years, "2011").startswith("● ")
        assert count_of(option_for(years, "2011")) == len(both)
        assert count_of(option_for(years, "2010")) == year_counts(MEXICO)[2010]  # Mexico's 2010
        in_2011 = Counter(country_of(i) for i in ITEMS if year_of(i) == 2011 and country_of(i))
        countries = pane(app, "countries")
        assert count_of(option_for(countries, "Mexico")) == len(both)
        for name, count in in_2011.most_common(3):
            assert count_of(option_for(countries, name)) == count


# -- search ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "pattern"),
    [
        ("bbc", r"\bbbc\b"),
        ('"camera operator"', r"\bcamera operators?\b"),
        ("nigeri*", r"\bnigeri"),
    ],
    ids=["word", "phrase", "prefix"],
)
async def test_search_applies_on_enter(sample_db: Path, query: str, pattern: str) -> None:
    expected = _count_text(pattern)
    assert 0 < expected < TOTAL
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "slash")
        assert isinstance(app.focused, Input)
        await type_text(app, pilot, query)
        await press(app, pilot, "enter")

        shown = {"bbc": '"bbc"'}.get(query, query)  # one word quoted; a phrase, a prefix as typed
        assert status(app) == f"Search: {shown} {n_of(expected, TOTAL)}"
        assert app.focused is pane(app, "alerts")
        if expected < pane(app, "alerts").content_region.height:
            assert len(alert_rows(app)) == expected
        assert re.search(pattern, detail(app).casefold())


@pytest.mark.parametrize("query", ['"unclosed', "AND"])
async def test_a_search_syntax_error_is_a_gentle_message(sample_db: Path, query: str) -> None:
    async with browsing(sample_db, notifications=True) as (app, pilot):
        await open_country(app, pilot, "mex")
        await press(app, pilot, "slash")
        await type_text(app, pilot, query)
        await press(app, pilot, "enter")

        assert not app._notifications  # said on the box, which a notice would cover
        said = {'"unclosed': 'Not applied: a "phrase" has no closing quote',
                "AND": "Not applied: AND needs a word before it"}[query]
        shown = screen_text(app).splitlines()
        [top] = [n for n, line in enumerate(shown) if said in line]
        assert "FTS5 syntax" in shown[top + 2]  # and how to write one, under the box
        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"  # filters unchanged
        assert all(r.split()[1] == "Mexico" for r in alert_rows(app))
        box = browser(app).query_one("#search")
        assert box.visible and app.focused is box and box.value == query  # there to be mended
        await press(app, pilot, "escape")
        assert not box.visible
        await press(app, pilot, "slash")  # opened again: the problem was the last search's
        assert "Not applied" not in screen_text(app) and box.border_title == "Search"
        await press(app, pilot, "escape")
        await press(app, pilot, "4", "j")  # still alive and answering keys
        assert pane(app, "alerts").cursor == 1


def _sqlite_memory() -> tuple[int, int]:
    """SQLite's memory in use in this process, and its cap (0: none)."""
    lib = ctypes.CDLL(_sqlite3.__file__)
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    lib.sqlite3_hard_heap_limit64.restype = ctypes.c_int64
    lib.sqlite3_hard_heap_limit64.argtypes = [ctypes.c_int64]
    return lib.sqlite3_memory_used(), lib.sqlite3_hard_heap_limit64(-1)


async def test_a_search_too_broad_for_the_memory_sqlite_may_use_is_refused_in_words(
    tmp_path: Path,
) -> None:
    """In the app SQLite may hold only so much (``SQLITE_HEAP``); a prefix search past it, as
    ``a*`` is at a million alerts, is refused, and the app goes on.  Here alerts repeat three
    words starting with ``qu`` so that FTS5's merge for ``qu*`` takes megabytes, and the cap
    is set half a megabyte above what the app holds without it."""
    feed = tmp_path / "repeats.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [
        {"id": f"r-{n}", "title": f"{'Radio' if n % 2 else 'Press'} report {n}",
         "date_published": "2012-05-01T00:00:00Z",
         "content_text": "quux quuz quuy " * 400 if n % 3 else "none"} for n in range(300)]}), "utf-8")
    archive = build_archive(tmp_path / "repeats.db", [feed])
    async with browsing(archive, notifications=True) as (app, pilot):
        assert _sqlite_memory()[1] == app_module.SQLITE_HEAP
        await press(app, pilot, "slash")
        await type_text(app, pilot, "radio")
        await press(app, pilot, "enter")  # the list's order and the counts' bitmaps read once
        assert status(app) == 'Search: "radio" 150 of 300 alerts'
        await press(app, pilot, "x")
        app_module._sqlite_heap_limit(_sqlite_memory()[0] + 500_000)
        await press(app, pilot, "slash")
        await type_text(app, pilot, "qu*")
        await press(app, pilot, "enter")
        assert "Not applied: 'qu*' stands for too many words: use a longer prefix" in screen_text(app)
        assert status(app) == "No filters 300 alerts"  # the filters unchanged
        app_module._sqlite_heap_limit(app_module.SQLITE_HEAP)
        await press(app, pilot, "ctrl+a", "ctrl+k")
        await type_text(app, pilot, "quux")
        await press(app, pilot, "enter")
        assert status(app) == 'Search: "quux" 200 of 300 alerts'  # and the app goes on
    assert _sqlite_memory()[1] == 0  # the next app in this process, or an import, has no cap


async def test_a_newline_is_an_enter(sample_db: Path) -> None:
    """What a terminal sends for enter typed before the app made it raw (``ctrl+j``)."""
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "1", "f")
        await type_text(app, pilot, "mexico")
        await press(app, pilot, "ctrl+j")
        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"


async def test_escape_leaves_the_search_box_without_applying(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "slash")
        await type_text(app, pilot, "bbc")
        await press(app, pilot, "escape")
        assert app.focused is pane(app, "alerts")
        assert status(app) == f"No filters {TOTAL:,} alerts"
        assert not browser(app).query_one("#search").visible  # the box closed

        # with a search applied, escape from an edit keeps the applied search
        await press(app, pilot, "slash")
        await type_text(app, pilot, "bbc")
        await press(app, pilot, "enter")
        await press(app, pilot, "slash")
        await type_text(app, pilot, " OR cnn")
        await press(app, pilot, "escape")
        bbc = _count_text(r"\bbbc\b")
        assert status(app) == f'Search: "bbc" {n_of(bbc, TOTAL)}'
        assert browser(app).query_one("#search").value == "bbc"


async def test_escape_clears_the_focused_panes_selection_only(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await open_country(app, pilot, "mex")
        await find(app, pilot, "2", "2011")
        await press(app, pilot, "enter")
        await press(app, pilot, "1", "escape")
        in_2011 = year_counts(ITEMS)[2011]
        assert status(app) == f"Year: 2011 {n_of(in_2011, TOTAL)}"
        assert not any("●" in o for o in options(pane(app, "countries")))
        assert option_for(pane(app, "years"), "2011").startswith("● ")
        await press(app, pilot, "2", "escape")
        assert status(app) == f"No filters {TOTAL:,} alerts"


async def test_x_clears_every_filter_and_the_search(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await open_country(app, pilot, "mex")
        await find(app, pilot, "2", "2011")
        await press(app, pilot, "enter")
        await press(app, pilot, "slash")
        await type_text(app, pilot, "killed")
        await press(app, pilot, "enter")
        assert "Search:" in status(app)

        await press(app, pilot, "x")
        assert status(app) == f"No filters {TOTAL:,} alerts"
        facets = options(pane(app, "countries")) + options(pane(app, "years"))
        assert not any("●" in o for o in facets)
        assert [r.split()[0] for r in alert_rows(app)] == newest_first_dates(ITEMS)[
            : pane(app, "alerts").content_region.height
        ]
        assert browser(app).query_one("#search").value == ""
        assert not browser(app).query_one("#search").visible  # no empty box left open


# -- help, palette, theme, sort, quit ------------------------------------------------------
@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_every_key_and_escape_closes_it(sample_db: Path, key: str) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, key)
        assert isinstance(app.screen, HelpScreen)
        help_screen = app.screen
        text = "\n".join(static_text(w) for w in help_screen.query("Static"))
        for keys, what in [
            ("1", "Countries"), ("2", "Years"), ("3", "Third facet"), ("4", "Alerts"),
            ("5", "Detail"), ("tab", "Next pane"), ("shift+tab", "Previous pane"),
            ("/", "Search"), ("x", "Clear all"), ("? / f1", "Help"), ("q", "Quit"),
            ("ctrl+p", "Commands"), ("j / down", "Down"), ("k / up", "Up"),
            ("g / home", "First"), ("G / end", "Last"), ("pagedown", "Page down"),
            ("pageup", "Page up"), ("enter / space", "Toggle"), ("e", "Exclude"),
            ("a", "Any/all"), ("f", "Find"), ("d", "Dimension"), ("s", "Sort"),
            ("escape", "Clear pane"), ("escape", "Leave search"), ("enter", "Apply search"),
            ("enter", "Toggle found"), ("escape", "Cancel find"), ("z", "Zoom"),
            ("finding", "f in a facet pane"),
        ]:
            row = rf"^\s*{re.escape(keys)}\s+.*{re.escape(what)}"
            assert re.search(row, text, re.MULTILINE), (keys, what)
        assert "ifex-tui keys" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "Close help" in footer and "Dimension" not in footer  # the help's keys
        scroller = help_screen.query_one("#help")
        await press(app, pilot, "j", "j")
        assert scroller.scroll_y == 2  # j scrolls the help as it scrolls a pane
        await press(app, pilot, "G")
        assert scroller.scroll_y == scroller.max_scroll_y > 2
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, HelpScreen)
        assert status(app) == f"No filters {TOTAL:,} alerts"


async def test_palette_applies_a_country_clears_and_toggles_the_theme(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, "Country: Mexico")
        await press(app, pilot, "enter")
        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"
        assert option_for(pane(app, "countries"), "Mexico").startswith("● ")

        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, "Clear filters")
        await press(app, pilot, "enter")
        assert status(app) == f"No filters {TOTAL:,} alerts"

        before = app.theme
        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, "Toggle theme")
        await press(app, pilot, "enter")
        assert app.theme != before
        assert app.current_theme.dark != app.get_theme(before).dark


@pytest.mark.parametrize("closer", ["enter", "escape"])
async def test_keys_typed_right_after_the_palette_closes_act_on_the_list(
    sample_db: Path, closer: str
) -> None:
    """The palette closes on its own bindings, once the key has gone through its box: the
    keys typed right behind it used to be typed into it as it closed, and lost."""
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "4", "ctrl+p")
        await type_text(app, pilot, "Country: Mexico")
        burst(app, closer, "j", "j", "m")
        await settle(app, pilot)
        assert status(app).startswith("Country: Mexico " if closer == "enter" else "No filters ")
        assert cursor_line(pane(app, "alerts"))[0] == 2  # the third row, marked
        assert cursor_line(pane(app, "alerts"))[1].startswith("●")


async def test_palette_offers_years(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, "Year: 2011")
        await press(app, pilot, "enter")
        assert status(app) == f"Year: 2011 {n_of(year_counts(ITEMS)[2011], TOTAL)}"


@pytest.mark.parametrize(("typed", "chip"), [
    ("usa", "Country: United States"), ("burma", "Country: Myanmar"),
    ("committee to", "Source: CPJ"),
])
async def test_the_palette_knows_what_a_find_knows(sample_db: Path, typed: str, chip: str) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, typed)
        await press(app, pilot, "enter")  # the first entry offered
        assert status(app).startswith(chip + " ")


async def test_s_sorts_countries_by_name_and_back(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        countries = pane(app, "countries")
        by_count = options(countries)
        await press(app, pilot, "1", "s")
        by_name = [o.split("  ")[1].strip() for o in options(countries)]
        assert len(by_name) == len(by_count)
        assert by_name == sorted(by_name, key=_folded)
        assert by_name[0].startswith("Afghanistan")
        assert countries.border_subtitle.endswith("by name")
        await press(app, pilot, "s")
        assert options(countries) == by_count


async def test_q_quits(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_start_up_objects_are_out_of_the_collectors_way_until_the_app_ends(
    sample_db: Path,
) -> None:
    """The widgets and tables start-up built are frozen while the app runs (a full collection
    over them paused keypresses), and given back when it ends (else every app a process runs,
    the tests' among them, would keep its cycles)."""
    gc.unfreeze()
    async with browsing(sample_db) as (app, _pilot):
        assert app.is_running and gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


async def test_ctrl_q_quits_even_from_the_search_box(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "slash")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


# -- untrusted text, live imports, empty and small ---------------------------------------
HOSTILE_TITLE = "[bold red]x[/] \u001b[2J cleared \u001b]52;c;aGk=\u0007 copied"


async def test_feed_text_is_inert(tmp_path: Path) -> None:
    feed = tmp_path / "hostile.feed.json"
    feed.write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "hostile",
        "items": [{
            "id": "hostile-1",
            "title": HOSTILE_TITLE,
            "content_text": "Body [link=https://evil.example]click[/link] \u001b[31mred\u001b[0m",
            "date_published": "2020-01-02T00:00:00Z",
            "_ifex": {"country": "Mexico", "violations": ["[blink]Killed[/]"]},
        }],
    }))
    db = build_archive(tmp_path / "hostile.db", [feed])
    async with browsing(db) as (app, _pilot):
        row = alert_rows(app)[0]
        assert "[bold red]x[/]" in row
        assert "\x1b" not in row and "\x07" not in row
        assert "\\x1b[2J" in row

        text = detail(app)
        assert text.startswith("[bold red]x[/] \\x1b[2J cleared \\x1b]52;c;aGk=\\x07 copied")
        assert "[link=https://evil.example]click[/link]" in text
        assert "\\x1b[31mred\\x1b[0m" in text
        assert "[blink]Killed[/]" in text
        shown = screen_text(app)
        assert "\x1b" not in shown and "\x07" not in shown
        assert "[bold red]x[/]" in shown


async def test_an_import_while_open_refreshes_and_keeps_the_highlighted_alert(
    tmp_path: Path,
) -> None:
    db = build_archive(tmp_path / "live.db", [DIGEST])
    digest, cpj = sample_items([DIGEST]), sample_items([CPJ])
    async with browsing(db, notifications=True) as (app, pilot):
        before = f"No filters {len(digest):,} alerts"
        assert status(app) == before
        await press(app, pilot, "j", "j", "j", "j", "j")
        kept = detail_title(app)
        kept_date = cursor_line(pane(app, "alerts"))[1].split()[0]
        kept_pk = pane(app, "alerts").highlighted.pk
        newer = sum(1 for i in cpj + digest if date_of(i) > kept_date and date_of(i) != "undated")
        assert newer > 5  # the CPJ import lands alerts above the highlighted one

        await asyncio.to_thread(build_archive, db, [CPJ])  # "another process" imports
        for _ in range(25):  # the watcher polls about once a second: wait up to 5 s
            await pilot.pause(0.2)
            if status(app) != before:
                break
        await settle(app, pilot)

        assert status(app) == f"No filters {len(digest) + len(cpj):,} alerts"
        alerts = pane(app, "alerts")
        assert alerts.highlighted.pk == kept_pk
        assert detail_title(app) == kept
        assert alerts.cursor >= newer  # it moved down with its alert
        _, line = cursor_line(alerts)  # and is drawn, scrolled into view
        assert line.split()[0] == kept_date
        assert kept.startswith(line[28:].split("…")[0].strip()[:30])
        drawn = {o.split()[0]: count_of(o) for o in options(pane(app, "years"))}
        assert drawn["2011"] == year_counts(ITEMS)[2011]
        assert count_of(option_for(pane(app, "countries"), "Mexico")) == len(MEXICO)
        # an import is a commit the watcher sees, not another archive copied in
        assert "Archive replaced" not in [n.title for n in app._notifications]


async def test_an_import_while_open_refreshes_a_search(tmp_path: Path) -> None:
    db = build_archive(tmp_path / "live-search.db", [DIGEST])
    digest, cpj = sample_items([DIGEST]), sample_items([CPJ])
    word, pattern = "cpj", r"\bcpj\b"
    before, after = _count_text(pattern, digest), _count_text(pattern, digest + cpj)
    assert 0 < before < after
    async with browsing(db) as (app, pilot):
        await press(app, pilot, "slash")
        await type_text(app, pilot, word)
        await press(app, pilot, "enter")
        shown = f'Search: "{word}" {n_of(before, len(digest))}'
        assert status(app) == shown

        await asyncio.to_thread(build_archive, db, [CPJ])
        for _ in range(25):  # the watcher polls about once a second: wait up to 5 s
            await pilot.pause(0.2)
            if status(app) != shown:
                break
        await settle(app, pilot)
        assert status(app) == f'Search: "{word}" {n_of(after, len(digest) + len(cpj))}'
        await press(app, pilot, "G")  # the last rows are fetched fresh too
        assert re.search(pattern, detail(app).casefold())


async def test_an_empty_archive_says_how_to_import(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    schema.connect(db).close()
    async with browsing(db) as (app, pilot):
        text = "\n".join(lines(pane(app, "alerts")))
        assert "This archive is empty" in text
        assert "ifex-tui demo" in text
        command = f"ifex-tui import FEED.json --db {db}"  # this archive, not the default
        assert command.replace(" ", "") in text.replace(" ", "").replace("\n", "")
        assert status(app) == "No filters 0 alerts"
        assert options(pane(app, "countries")) == []
        await press(app, pilot, "j", "G", "pagedown", "1", "enter", "space", "x")  # nothing breaks
        assert "This archive is empty" in "\n".join(lines(pane(app, "alerts")))


async def test_no_match_says_so_and_how_to_clear(sample_db: Path) -> None:
    assert _count_text(r"\bzzyzx\b") == 0
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "slash")
        await type_text(app, pilot, "zzyzx")
        await press(app, pilot, "enter")
        text = "\n".join(lines(pane(app, "alerts")))
        assert "No alerts match" in text and "x to clear" in text
        assert status(app) == f'Search: "zzyzx" {n_of(0, TOTAL)}'
        assert "No alert selected" in detail(app)
        await press(app, pilot, "x")
        assert status(app) == f"No filters {TOTAL:,} alerts"


async def test_a_small_window_still_works(sample_db: Path) -> None:
    async with browsing(sample_db, size=(80, 24)) as (app, pilot):
        for name in ("countries", "years", "topics", "alerts", "detail"):
            region = pane(app, name).region
            assert region.width >= 20 and region.height >= 3, (name, region)
            assert region.right <= 80 and region.bottom <= 24
        rows = alert_rows(app)
        assert len(rows) >= 5
        assert [r.split()[0] for r in rows] == newest_first_dates(ITEMS)[: len(rows)]
        titles = [r[21:].split("…")[0].strip() for r in rows]
        assert all(len(t) >= 20 for t in titles), rows  # titles stay readable
        newest = sorted((y for y in year_counts(ITEMS) if y), reverse=True)
        years = lines(pane(app, "years"))
        assert [y.split()[0] for y in years] == [str(y) for y in newest[: len(years)]]
        assert lines(pane(app, "countries"))[0].split()[0] == COUNTRY_COUNTS.most_common(1)[0][0]
        assert status(app) == f"No filters {TOTAL:,} alerts"

        await open_country(app, pilot, "mex")
        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"
        assert all(r.split()[1] == "Mexico" for r in alert_rows(app))
        await press(app, pilot, "4", "j", "j")
        assert detail_title(app) in {i["title"] for i in MEXICO}


async def test_the_mouse_selects_rows_and_toggles_countries(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        dates = newest_first_dates(ITEMS)
        await pilot.click("#alerts", offset=(20, 4))  # the border is line 0: row 3
        await settle(app, pilot)
        y, line = cursor_line(pane(app, "alerts"))
        assert y == 3 and line.split()[0] == dates[3]
        assert detail_title(app) in {i["title"] for i in ITEMS if date_of(i) == dates[3]}

        (top, top_count), = COUNTRY_COUNTS.most_common(1)
        await pilot.click("#countries", offset=(8, 1))  # the first country
        await settle(app, pilot)
        assert status(app) == f"Country: {top} {n_of(top_count, TOTAL)}"


def _one_alert_archive(folder: Path, **fields) -> Path:
    """An archive of one alert with ``fields`` (a title and a body)."""
    feed = folder / "one.feed.json"
    feed.write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "one-1", "date_published": "2021-03-04T00:00:00Z", **fields}],
    }))
    return build_archive(folder / "one.db", [feed])


async def test_a_huge_html_body_says_how_much_was_not_read_in_the_detail(tmp_path: Path) -> None:
    """Past the HTML read for text, the text's own last line says so; the detail, which shows
    the start of a long text, shows that line too."""
    html = "<p>A paragraph of an enormous alert.</p>" * 60_000  # 2.4 MB: read to its 20,000th tag
    db = _one_alert_archive(tmp_path, title="A huge alert", content_html=html)
    async with browsing(db) as (app, _pilot):
        text = detail(app)
        assert "more characters; `ifex-tui export` writes it in full]" in text
        read = 20_000 // 2 * len("<p>A paragraph of an enormous alert.</p>") - len("</p>")
        assert text.rstrip().endswith(f"[{len(html) - read:,} more characters of this body's "
                                      "HTML were not read: export the alert for all of it]")


async def test_a_very_long_body_opens_with_a_note(tmp_path: Path) -> None:
    body = ("All work and no play. " * 100_000)[: 2_000_000]
    db = _one_alert_archive(tmp_path, title="A very long alert", content_text=body)
    async with browsing(db) as (app, pilot):
        assert detail_title(app) == "A very long alert"
        text = detail(app)
        assert f"{len(body) - BODY_LIMIT:,} more characters" in text
        assert len(text) < BODY_LIMIT + 5_000
        await press(app, pilot, "5", "G")  # the detail pane scrolls to the note
        assert "more characters" in screen_text(app)
        await press(app, pilot, "g")
        assert "more characters" not in screen_text(app)
        assert "A very long alert" in screen_text(app)


async def test_filters_too_many_for_the_status_line_show_their_values_and_the_count(
    sample_db: Path,
) -> None:
    """At 80 columns the chips' names leave no room for five filters and a search: the
    values show (they were cut after the third chip), and the count stays whole."""
    async with browsing(sample_db, size=(80, 24)) as (app, pilot):
        await find_and_toggle(app, pilot, "1", "iraq")
        await find_and_toggle(app, pilot, "2", "2006")
        await find_and_toggle(app, pilot, "3", "killed")
        await press(app, pilot, "d")  # targets
        await find_and_toggle(app, pilot, "3", "journalist")
        await press(app, pilot, "d")  # sources
        await find_and_toggle(app, pilot, "3", "cpj")
        iraq_2006 = [i for i in ITEMS if country_of(i) == "Iraq" and year_of(i) == 2006]
        wanted = sum(1 for i in iraq_2006 if "Killed" in i["_ifex"].get("violations", [])
                     and "Journalist" in i["_ifex"].get("targets", []) and source_of(i) == "CPJ")
        assert 0 < wanted < TOTAL
        assert status(app) == f"Iraq 2006 Killed Journalist CPJ {n_of(wanted, TOTAL)}"
        await press(app, pilot, "slash")
        await type_text(app, pilot, "iraq")
        await press(app, pilot, "enter")
        # the search first: no pane shows it
        assert status(app) == f'Search: "iraq" Iraq 2006 Killed Journalist CPJ {n_of(wanted, TOTAL)}'
        await pilot.resize_terminal(60, 20)
        await settle(app, pilot)  # those that fit whole, and how many more
        assert status(app) == f'Search: "iraq" Iraq 2006 +3 more {n_of(wanted, TOTAL)}'


async def test_an_enter_typed_with_the_palette_text_chooses_among_what_matches_it(
    sample_db: Path,
) -> None:
    """Typed in one burst, the enter came before the palette had searched the text, and chose
    the first entry offered with nothing typed: "Clear filters", every filter gone."""
    async with browsing(sample_db) as (app, pilot):
        await find_and_toggle(app, pilot, "1", "mexico")
        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"
        await press(app, pilot, "ctrl+p")
        burst(app, *"Atlantis", "enter")  # matches nothing: the enter does nothing
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        await press(app, pilot, "escape")
        for _ in range(100):  # the palette closes in a moment (its own worker, then the pop)
            if not isinstance(app.screen, CommandPalette):
                break
            await pilot.pause(0.02)
        assert status(app) == f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"
        await press(app, pilot, "ctrl+p")
        burst(app, *"Year: 2011", "enter", "j")
        await settle(app, pilot)
        in_2011 = sum(1 for i in MEXICO if year_of(i) == 2011)
        assert status(app) == f"Country: Mexico Year: 2011 {n_of(in_2011, TOTAL)}"


async def test_a_60_column_list_gives_the_title_the_country_s_room(sample_db: Path) -> None:
    """At 60 columns a row had ten characters of title beside the country; the title names the
    country mostly, and the detail shows it."""
    async with browsing(sample_db, size=(60, 20)) as (app, _pilot):
        rows = alert_rows(app)
        assert [r.split()[0] for r in rows] == newest_first_dates(ITEMS)[: len(rows)]
        shown = [r[11:].split("…")[0].rstrip() for r in rows]  # after the date: the title
        titles = {i["title"] for i in ITEMS}
        assert all(any(t.startswith(s) for t in titles) for s in shown), rows
        assert all(len(s) >= 20 for s in shown), rows


@pytest.mark.parametrize(("keys", "chips"), [
    (("ctrl+p", *"Year: 2011", "enter", "slash", *"radio", "enter"),  # then a search
     'Country: Iraq Year: 2011 Search: "radio" '),
    (("ctrl+p", *"Country: Mexico", "enter", "ctrl+p", *"Year: 2011", "enter", "4", "j", "m"),
     "Country: Iraq, Mexico Year: 2011 "),
    (("ctrl+p", *"Clear filters", "enter", "slash", *"killed", "enter"),  # order matters here
     'Search: "killed" '),
])
async def test_keys_after_a_palette_entry_end_as_typed_slowly(
    sample_db: Path, keys, chips: str
) -> None:
    """A filter typed after a palette entry, or a second palette, in one burst: the entry's
    filters were those of when the palette listed it (the search after it was lost), and a
    second palette listed nothing while the first one's counts came (its text was typed on)."""
    async with browsing(sample_db) as (app, pilot):
        await find_and_toggle(app, pilot, "1", "iraq")
        for key in keys:  # slowly: each key answered before the next
            await press(app, pilot, key)
        slowly = (status(app), cursor_line(pane(app, "alerts"))[1])
        assert slowly[0].startswith(chips)  # what the keys do, typed slowly
        await press(app, pilot, "x", "u", "1", "g")  # back as at the start
        await find_and_toggle(app, pilot, "1", "iraq")
        burst(app, *keys)
        await settle(app, pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert (status(app), cursor_line(pane(app, "alerts"))[1]) == slowly


async def test_the_palette_offers_a_value_named_as_typed_first(sample_db: Path) -> None:
    """``journalist`` is the target Journalist, not the source JED, whose other name (which a
    find knows) begins so."""
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, "journalist")
        await press(app, pilot, "enter")
        assert status(app).startswith("Target: Journalist ")
