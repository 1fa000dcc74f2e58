"""Helpers for the app's tests: archives from the real samples, waiting, and reading the screen.

Expected numbers come from the sample JSON read with the standard library (``sample_items``,
``country_of``, ``year_of``), never from the app; what the app shows is read back the way a
user sees it: the status line, the rendered lines of the panes, the detail text, the screen.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from rich.console import Console
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import OptionList
from textual.worker import WorkerCancelled

from ifex_tui.archive.feed import FeedSource
from ifex_tui.archive.ingest import import_feeds

DATA = Path(__file__).parent.parent / "data"
CPJ = DATA / "cpj-sample.feed.json"
DIGEST = DATA / "ifex-digest-sample.feed.json"
SAMPLES = (CPJ, DIGEST)
SIZE = (120, 40)


# -- archives and the independent reference ------------------------------------------------
def build_archive(path: Path, feeds: Iterable[Path] = SAMPLES) -> Path:
    """Import ``feeds`` into the archive at ``path`` with the real importer."""
    report = import_feeds(path, [FeedSource(feed.name, feed) for feed in feeds])
    assert report.landed and not report.rejected, report
    return path


def sample_items(feeds: Iterable[Path] = SAMPLES) -> list[dict]:
    """Every item of the feeds, as the stdlib reads them."""
    return [item for feed in feeds for item in json.loads(feed.read_text("utf-8"))["items"]]


def country_of(item: dict) -> str | None:
    return (item.get("_ifex") or {}).get("country")


def year_of(item: dict) -> int | None:
    published = item.get("date_published")
    return int(published[:4]) if published else None


def date_of(item: dict) -> str:
    """The date column of the list: ``YYYY-MM-DD`` or ``undated``."""
    published = item.get("date_published")
    return published[:10] if published else "undated"


def newest_first_dates(items: Iterable[dict]) -> list[str]:
    """The list's date column, row by row: newest first, undated last."""
    dated = sorted((date_of(i) for i in items if i.get("date_published")), reverse=True)
    return dated + ["undated"] * sum(1 for i in items if not i.get("date_published"))


def year_counts(items: Iterable[dict]) -> Counter:
    return Counter(year_of(i) for i in items)


def year_series(items: Iterable[dict], archive: Iterable[dict] | None = None) -> list[tuple[str, int]]:
    """The years pane as it should read: every year of the archive's span (``archive``, by
    default ``items``), newest first, with the count among ``items`` (0 where none), then
    Undated if any alert of the archive is."""
    counts = year_counts(items)
    span = year_counts(items if archive is None else archive)
    dated = [y for y in span if y is not None]
    rows = [(str(y), counts.get(y, 0)) for y in range(max(dated), min(dated) - 1, -1)] if dated else []
    return rows + ([("Undated", counts.get(None, 0))] if None in span else [])


def n_of(count: int, total: int) -> str:
    return f"{count:,} of {total:,} alerts"


# -- waiting ---------------------------------------------------------------------------------
async def workers_done(app: App) -> None:
    """Wait for the running workers.  A worker a newer one of its exclusive group replaced
    (the archive watch, started every second, when the last one was slow on a loaded
    machine) ends cancelled: that is its normal end, not a failure of the test."""
    while True:
        try:
            await app.workers.wait_for_complete([w for w in app.workers if not w.is_cancelled])
            return
        except WorkerCancelled:
            continue


async def settle(app: App, pilot: Pilot, rounds: int = 30) -> None:
    """Let the chained queries finish: counts, then list blocks, hidden dimensions, detail.

    Each round waits for the running workers, then lets the app handle what they posted
    (which may start the next query); it stops once two rounds in a row leave no worker
    running (a loaded machine can take a round longer to hand a message on).
    """
    idle = 0
    for _ in range(rounds):
        await workers_done(app)
        await pilot.pause()
        idle = idle + 1 if all(worker.is_finished for worker in app.workers) else 0
        if idle == 2:
            return


@asynccontextmanager
async def browsing(
    archive: Path, size: tuple[int, int] = SIZE, **options
) -> AsyncIterator[tuple[App, Pilot]]:
    """The real app on ``archive``, its first screen settled (``options`` go to run_test)."""
    from ifex_tui.tui.app import IfexApp

    app = IfexApp(archive)
    async with app.run_test(size=size, **options) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def press(app: App, pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(app, pilot)


async def type_text(app: App, pilot: Pilot, text: str) -> None:
    """Type ``text`` key by key, each key handled before the next, as a terminal sends them:
    under its key name with its character (``pilot.press`` loses the character of a key
    whose Unicode name has a hyphen, ``«`` say, which no terminal does)."""
    for char in text:
        app.post_message(events.Key(_character_to_key(char), char))
        await pilot.pause()
    await settle(app, pilot)


_CHARACTERS = {"slash": "/", "enter": "\r", "space": " ", "quotation_mark": '"',
               "escape": "\x1b"}


def burst(app: App, *keys: str) -> None:
    """Queue every key before any is handled, as a paste or a fast typist's terminal does
    (a single character is sent under its key name, ``/`` as ``slash``, as a terminal's is)."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, _CHARACTERS.get(key)))


async def typed(app: App, pilot: Pilot, keys: tuple[str, ...], fast: bool) -> None:
    """Type ``keys`` in one burst (then let the app settle), or one by one, each settled: a
    burst must end as the same keys one by one."""
    if fast:
        burst(app, *keys)
        await settle(app, pilot)
    else:
        for key in keys:
            await press(app, pilot, key)


async def find_and_toggle(app: App, pilot: Pilot, pane_key: str, typed: str) -> None:
    """Focus a facet pane (its number key), find ``typed`` (f) and toggle it (enter)."""
    await press(app, pilot, pane_key, "f")
    await type_text(app, pilot, typed)
    await press(app, pilot, "enter")


# -- reading what is on screen -------------------------------------------------------------
def pane(app: App, name: str):
    """A pane of the browser (under the help screen or a palette, if one is open)."""
    from ifex_tui.tui.screens.browser import BrowserScreen

    browser = next(s for s in reversed(app.screen_stack) if isinstance(s, BrowserScreen))
    return browser.query_one(f"#{name}")


def _plain(renderable, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    lines = console.render_lines(renderable, console.options.update_width(width), pad=False)
    return "\n".join("".join(segment.text for segment in line).rstrip() for line in lines)


def screen_text(app: App) -> str:
    """Everything on the terminal right now, as plain text (modal screens over the browser)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True,
        color_system="truecolor", record=True, legacy_windows=False, safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


def status(app: App) -> str:
    """The status line, chips and the count, with runs of spaces read as one."""
    text = _plain(app.screen.query_one("#status").render(), app.size.width)
    return " ".join(text.split())


def lines(widget) -> list[str]:
    """The rendered content lines of a scrolling pane (what is visible inside its border)."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.content_region.height)]


def options(pane: OptionList) -> list[str]:
    """Every option of a facet pane as it is drawn (scrolled into view or not)."""
    width = pane.scrollable_content_region.width
    return [
        _plain(pane.get_option_at_index(i).prompt, width)
        for i in range(pane.option_count)
    ]


def option_for(pane: OptionList, name: str) -> str:
    """The drawn option whose name is exactly ``name``."""
    found = [o for o in options(pane) if _name_of(o) == name]
    assert len(found) == 1, (name, options(pane))
    return found[0]


def _name_of(option: str) -> str:
    body = option[2:]
    return body.rsplit(None, 1)[0].rstrip("█ ").strip()


def count_of(option: str) -> int:
    return int(option.split()[-1].replace(",", ""))


def highlighted(pane: OptionList) -> str:
    assert pane.highlighted is not None
    return options(pane)[pane.highlighted]


def static_text(widget, width: int = 100) -> str:
    """What a ``Static`` shows (its content rendered at ``width``)."""
    return _plain(widget.content, width)


def detail(app: App) -> str:
    """The detail pane's text."""
    return app.screen.query_one("#detail").text.plain


def detail_title(app: App) -> str:
    return detail(app).split("\n", 1)[0]


def cursor_line(alerts) -> tuple[int, str]:
    """The visible line drawn with the cursor style (bold), and its text."""
    for y in range(alerts.content_region.height):
        strip = alerts.render_line(y)
        if any(seg.style and seg.style.bold and seg.text.strip() for seg in strip):
            return y, strip.text.rstrip()
    raise AssertionError("no cursor row is drawn")
