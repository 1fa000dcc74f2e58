"""The detail pane as a reader sees it: wrapped to its width, following the list at any
typing speed, up to date after an import; and the footer, whose keys a click presses."""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

from tui_helpers import (
    browsing,
    build_archive,
    burst,
    cursor_line,
    detail_title,
    newest_first_dates,
    options,
    pane,
    press,
    screen_text,
    settle,
    status,
    typed,
)

from ifex_tui.tui.records import RecordCache

WORDS = " ".join(f"word{n:03d}" for n in range(400))


def _feed(path: Path, items: list[dict]) -> Path:
    path.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}))
    return path


def _item(n: int, title: str, body: str = WORDS) -> dict:
    return {"id": f"alert-{n}", "title": title, "content_text": body,
            "date_published": f"2020-01-{n:02d}T00:00:00Z"}


def _lines(widget) -> list[str]:
    """The pane's rows as drawn, right spaces dropped."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.scrollable_content_region.height)]


async def test_the_detail_wraps_at_its_width_and_again_when_zoomed(tmp_path: Path) -> None:
    db = build_archive(tmp_path / "wrap.db", [_feed(tmp_path / "f.json", [_item(1, "Wrapped")])])
    async with browsing(db, size=(80, 24)) as (app, pilot):
        detail = pane(app, "detail")
        width = detail.scrollable_content_region.width
        narrow = [line for line in _lines(detail) if "word" in line]
        assert narrow and all(len(line) <= width for line in narrow)
        assert max(len(line) for line in narrow) > width - 12  # filled, not cut short

        await press(app, pilot, "5", "z")  # the detail fills the screen
        wide = [line for line in _lines(detail) if "word" in line]
        assert detail.scrollable_content_region.width > width
        assert max(len(line) for line in wide) > width  # rewrapped to the new width
        assert wide[0].split()[0] == "word000"

        first = _lines(detail)[0]
        await press(app, pilot, "j", "j")  # j scrolls the text
        assert _lines(detail)[0] != first
        await press(app, pilot, "G")
        assert "word399" in "\n".join(_lines(detail))


async def test_an_alert_with_a_title_of_megabytes_is_listed_shown_and_exported(
    tmp_path: Path,
) -> None:
    """A feed may hold a 10 MB title: under a filter that lists it, the list (which sorts its
    page) and the export (which reads whole rows) stay within the memory the app lets SQLite
    hold, and the detail shows the alert."""
    huge = "A" * 10_000_000
    items = [_item(1, huge), _item(2, "Small")]
    db = build_archive(tmp_path / "huge.db", [_feed(tmp_path / "f.json", items)])
    async with browsing(db, notifications=True) as (app, pilot):
        await press(app, pilot, "2", "space")  # 2020, the one year: a filter the list walks
        assert status(app) == "Year: 2020 2 alerts"
        rows = [line for line in screen_text(app).splitlines() if "2020-01-0" in line]
        assert len(rows) == 2 and "Small" in rows[0] and "AAAA" in rows[1]
        await press(app, pilot, "4", "j")
        assert detail_title(app).startswith("AAAA")
        shown = _lines(pane(app, "detail"))  # the first lines: the title cut, the fields seen
        assert any("the title goes on for 9,999,000 more characters" in line for line in shown)
        assert any(line.strip().startswith("Date") for line in shown)
        await press(app, pilot, "ctrl+e")  # CSV of the alerts in view
        app.screen.query_one("#export-path").value = str(tmp_path / "huge.csv")
        await press(app, pilot, "enter")
        await settle(app, pilot)
        assert not [n.message for n in app._notifications if n.severity == "error"]
    limit = csv.field_size_limit(len(huge) + 1)  # Python's own reader stops at 128 KiB a cell
    try:
        with (tmp_path / "huge.csv").open(newline="", encoding="utf-8") as file:
            assert [row["title"] for row in csv.DictReader(file)] == ["Small", huge]
    finally:
        csv.field_size_limit(limit)


async def test_a_burst_of_moves_ends_on_the_alert_the_list_shows(tmp_path: Path) -> None:
    items = [_item(n, f"Alert number {n}") for n in range(1, 29)]
    db = build_archive(tmp_path / "moves.db", [_feed(tmp_path / "f.json", items)])
    dates = newest_first_dates(items)
    async with browsing(db) as (app, pilot):
        await press(app, pilot, "4")
        burst(app, *"jjjjjjjjjjk", "G", "k", "k")  # 9 down, then the end, two up
        await settle(app, pilot)
        alerts = pane(app, "alerts")
        assert alerts.cursor == len(items) - 3
        _, line = cursor_line(alerts)
        assert line.split()[0] == dates[len(items) - 3] == "2020-01-03"
        assert detail_title(app) == "Alert number 3"
        assert "Alert number 3" in screen_text(app)


async def test_a_link_copied_after_a_burst_of_moves_is_the_link_of_the_alert_shown(
    tmp_path: Path,
) -> None:
    """Ten page-downs, to the detail, ``c``, in one burst and one by one: the link copied is
    the one of the alert the list ends on (its record is read after the moves)."""
    from datetime import date, timedelta

    items = [{"id": f"alert-{n}", "title": f"Alert number {n}", "content_text": "text",
              "url": f"https://example.org/alert/{n}",
              "date_published": f"{date(2000, 1, 1) + timedelta(days=n)}T00:00:00Z"}
             for n in range(1, 401)]
    db = build_archive(tmp_path / "links.db", [_feed(tmp_path / "f.json", items)])
    keys = ("4", *["pagedown"] * 10, "5", "c")
    copied = []
    for fast in (True, False):
        async with browsing(db) as (app, pilot):
            await typed(app, pilot, keys, fast)
            shown = len(items) - pane(app, "alerts").cursor
            assert detail_title(app) == f"Alert number {shown}"
            copied.append((app.clipboard, shown))
    assert copied[0] == copied[1]
    assert copied[0][0] == f"https://example.org/alert/{copied[0][1]}"


async def test_an_import_that_changes_the_highlighted_alert_shows_its_new_text(
    tmp_path: Path,
) -> None:
    feed = _feed(tmp_path / "f.json", [_item(1, "First wording"), _item(2, "Older")])
    db = build_archive(tmp_path / "changed.db", [feed])
    async with browsing(db) as (app, pilot):
        assert detail_title(app) == "Older"  # 2020-01-02, the newest
        _feed(feed, [_item(1, "First wording"), _item(2, "Corrected wording", "New body")])
        await asyncio.to_thread(build_archive, db, [feed])  # "another process" imports
        for _ in range(25):  # the watcher polls about once a second
            await pilot.pause(0.2)
            if detail_title(app) != "Older":
                break
        await settle(app, pilot)
        assert detail_title(app) == "Corrected wording"
        assert "New body" in screen_text(app)


async def test_a_click_on_a_footer_key_presses_it(sample_archive_file: Path) -> None:
    async with browsing(sample_archive_file) as (app, pilot):
        footer = screen_text(app).splitlines()[-1]
        assert "/ Search" in footer and "? Help" in footer
        await pilot.click("#footer", offset=(footer.index("/ Search") + 3, 0))
        await settle(app, pilot)
        assert app.screen.query_one("#search").has_class("-open")
        assert app.focused.id == "search"


async def test_the_footer_shows_the_focused_panes_keys(sample_archive_file: Path) -> None:
    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "1")
        assert "e Exclude" in screen_text(app).splitlines()[-1]
        await press(app, pilot, "4")
        footer = screen_text(app).splitlines()[-1]
        assert "Exclude" not in footer and "Read" in footer


def test_the_kept_alerts_stay_under_their_budget() -> None:
    """One hostile alert can be megabytes: the cache drops the oldest to stay in budget."""
    cache = RecordCache(budget=100_000)
    cache.add({pk: {"pk": pk, "body_text": "x" * 30_000} for pk in range(1, 4)})
    assert all(pk in cache for pk in (1, 2, 3))
    cache.get(1)  # used: kept ahead of 2
    cache.add({4: {"pk": 4, "body_text": "x" * 30_000}})
    assert 2 not in cache and all(pk in cache for pk in (1, 3, 4))
    cache.add({5: {"pk": 5, "body_text": "x" * 1_000_000}})  # bigger than the budget alone
    assert 5 in cache and all(pk not in cache for pk in (1, 3, 4))
    cache.clear()
    assert 5 not in cache


async def test_a_slow_answer_is_announced_and_a_fast_one_is_not(
    sample_archive_file: Path,
) -> None:
    """The screen changes once when the answer is quick; when the archive is slow to answer
    (here its counting lane is busy), the new chip, "counting…" and the dimmed rows say so."""
    from ifex_tui.tui.screens.browser import PENDING_AFTER

    async with browsing(sample_archive_file) as (app, pilot):
        total = status(app).split()[-2]
        lane = app.screen.reader.connect("counts")
        lane.__enter__()  # another query holds the lane: the answer waits
        try:
            await pilot.press("1", "space")  # Iraq, the busiest
            await pilot.pause(PENDING_AFTER * 3)
            assert status(app).startswith("Country: Iraq") and status(app).endswith("counting…")
            assert pane(app, "alerts").has_class("-loading")  # drawn dimmed
            assert "counting…" in pane(app, "countries").border_subtitle
        finally:
            lane.__exit__(None, None, None)
        await settle(app, pilot)
        assert status(app).startswith("Country: Iraq") and status(app).endswith(f"of {total} alerts")
        assert not pane(app, "alerts").has_class("-loading")
        assert "counting…" not in pane(app, "countries").border_subtitle


async def test_enter_on_a_zoomed_list_reads_the_alert_zoomed_and_escape_comes_back(
    sample_archive_file: Path,
) -> None:
    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "4", "z", "j", "enter")
        assert app.screen.maximized is pane(app, "detail") and app.focused is pane(app, "detail")
        assert pane(app, "detail").region.width > 100  # on screen, the whole width
        await press(app, pilot, "escape")  # the zoom ends, as everywhere
        assert app.screen.maximized is None and app.focused is pane(app, "detail")
        await press(app, pilot, "escape", "j")  # back to the list, which j moves
        assert app.focused is pane(app, "alerts") and pane(app, "alerts").cursor == 2


async def test_a_smaller_window_keeps_the_highlighted_row_in_view(sample_archive_file: Path) -> None:
    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "4", "G")
        alerts = pane(app, "alerts")
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        y, line = cursor_line(alerts)
        assert 0 <= y < alerts.scrollable_content_region.height
        assert line.split()[0] == "undated"  # the last alert, drawn


async def test_a_count_never_runs_into_its_name(tmp_path: Path) -> None:
    """Counts of seven digits and more (a million alerts) keep a space from a name cut to the
    pane's width."""
    items = [_item(1, "One") | {"_ifex": {"country": "Mexico"}}]
    db = build_archive(tmp_path / "wide.db", [_feed(tmp_path / "f.json", items)])
    async with browsing(db) as (app, pilot):
        countries = pane(app, "countries")
        big = [type(f)(f.key, "Bosnia and Herzegovina and more", 1_234_567) for f in countries.counts]
        countries.universe = big
        countries.show(big, app.screen.filters)  # as a million alerts would count it
        await settle(app, pilot)
        line = options(countries)[0]
        assert line.rstrip().endswith(" 1,234,567") and "…" in line  # cut, then a space


async def test_a_zoomed_pane_keeps_the_status_line_and_its_keys(sample_archive_file: Path) -> None:
    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "1", "z")
        lines = screen_text(app).splitlines()
        assert app.screen.maximized is pane(app, "countries")
        assert lines[-2].split()[:2] == ["No", "filters"] and "alerts" in lines[-2]  # the filters
        assert "Exclude" in lines[-1] and "Help" in lines[-1]  # the zoomed pane's keys

