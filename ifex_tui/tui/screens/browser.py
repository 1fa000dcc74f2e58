"""The browser screen: composes the panes, owns the filters, runs the queries.

Every query runs in a thread worker (``exclusive`` per kind, so a newer filter cancels the
older query's result) and answers with a message; handlers only hand data down to widgets.
Results carry the filters they were computed for and are dropped if the filters have moved
on, so a slow facet count can never overwrite a newer one.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from ifex_tui import paths
from ifex_tui.archive import queries
from ifex_tui.archive.filters import Filters
from ifex_tui.tui.messages import (
    AlertHighlighted,
    AlertLoaded,
    ArchiveChanged,
    FacetCleared,
    FacetsCounted,
    FacetToggled,
    ListCounted,
    QueryFailed,
)
from ifex_tui.tui.reader import ArchiveReader
from ifex_tui.tui.screens.help import HelpScreen
from ifex_tui.tui.widgets.alert_detail import AlertDetail
from ifex_tui.tui.widgets.alert_list import BLOCK, AlertList, block_query
from ifex_tui.tui.widgets.facet_list import FacetList
from ifex_tui.tui.widgets.filter_bar import FilterBar
from ifex_tui.tui.widgets.search_box import SearchBox

PANES = ("#countries", "#years", "#alerts", "#detail")
WATCH_SECONDS = 1.0


def import_command(archive: Path) -> str:
    """How to import into ``archive`` from a shell (``--db`` unless it is the default one)."""
    if archive.resolve() == paths.archive_path().resolve():
        return "ifex-tui import FEED.json"
    return f"ifex-tui import FEED.json --db {shlex.quote(str(archive))}"


class BrowserScreen(Screen):
    """Countries, years, alerts and detail, with the status line and search box."""

    # The panes act on 1-4 and / as they read them (widgets/stale_keys.py), so that keys
    # typed right after them ("1mex", "/killed") reach the pane they were meant for.
    BINDINGS = [
        Binding("1", "focus_pane(0)", "Countries", show=False, id="browser.countries"),
        Binding("2", "focus_pane(1)", "Years", show=False, id="browser.years"),
        Binding("3", "focus_pane(2)", "Alerts", show=False, id="browser.alerts"),
        Binding("4", "focus_pane(3)", "Detail", show=False, id="browser.detail"),
        Binding("slash", "search", "Search", id="browser.search"),
        Binding("x", "clear_filters", "Clear filters", id="browser.clear"),
        Binding("question_mark,f1", "help", "Help", id="browser.help"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # app.tcss narrows the panes

    def __init__(self, reader: ArchiveReader):
        super().__init__()
        self.reader = reader
        self.filters = Filters()
        self._good = Filters()  # the last filters whose query ran (a bad search reverts here)

    def compose(self) -> ComposeResult:
        yield FilterBar(id="status")
        yield SearchBox(id="search")
        with Horizontal(id="panes"):
            with Vertical(id="facets"):
                yield FacetList("country", "1 Countries", id="countries")
                yield FacetList("year", "2 Years", bars=True, id="years")
            with Vertical(id="results"):
                yield AlertList(id="alerts")
                yield AlertDetail(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#alerts").border_title = "3 Alerts"
        self.query_one("#detail").border_title = "4 Detail"
        alerts = self.query_one(AlertList)
        alerts.import_command = import_command(self.reader.path)
        self.set_focus(alerts)
        self._watch_archive()  # the first reading, off the UI thread like every later one
        self.set_interval(WATCH_SECONDS, self._watch_archive)
        self.apply(self.filters)

    # -- filters ---------------------------------------------------------------------------
    def apply(self, filters: Filters, keep_pk: int | None = None) -> None:
        """Make ``filters`` current and start the queries for it."""
        self.filters = filters
        self.query_one(FilterBar).show(filters, None, None)
        self.query_one("#alerts").set_class(True, "-loading")
        self._count(filters, keep_pk)

    def on_facet_toggled(self, message: FacetToggled) -> None:
        self.apply(self.filters.toggled(message.dimension, message.key))

    def on_facet_cleared(self, message: FacetCleared) -> None:
        self.apply(self.filters.without(message.dimension))

    def action_clear_filters(self) -> None:
        box = self.query_one(SearchBox)
        box.value = ""
        box.remove_class("-open")
        self.apply(Filters())

    def action_search(self) -> None:
        box = self.query_one(SearchBox)
        box.add_class("-open")
        self.set_focus(box)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        self._close_search()
        self.apply(self.filters.searching(message.value))

    def on_search_box_left(self, message: SearchBox.Left) -> None:
        box = self.query_one(SearchBox)
        box.value = self.filters.search
        self._close_search()

    def _close_search(self) -> None:
        box = self.query_one(SearchBox)
        box.set_class(bool(self.filters.search or box.value), "-open")
        self.set_focus(self.query_one(AlertList))

    def action_focus_pane(self, index: int) -> None:
        self.set_focus(self.query_one(PANES[index]))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    # -- queries ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="counts")
    def _count(self, filters: Filters, keep_pk: int | None) -> None:
        try:
            with self.reader.connect("counts") as conn:
                total = queries.total(conn, filters)
                archive_total = total if filters.empty else queries.total(conn, Filters())
                cursor = (queries.position(conn, filters, keep_pk) if keep_pk else None) or 0
                # The rows on screen come with the count, from this connection: it holds the
                # search's hits already, and the list shows at once, without a second trip.
                rows = queries.page(conn, filters, **block_query(cursor // BLOCK, total))
                if get_current_worker().is_cancelled:
                    return
                self.post_message(ListCounted(filters, total, archive_total, cursor, rows))
                countries = queries.facet(conn, "country", filters)
                years = queries.facet(conn, "year", filters)
        except queries.SearchError as exc:
            self.post_message(QueryFailed(f"Search: {exc}. {queries.SEARCH_HELP}."))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(FacetsCounted(filters, countries, years))

    def on_list_counted(self, message: ListCounted) -> None:
        if message.filters != self.filters:
            return
        self._good = message.filters
        self.query_one(FilterBar).show(message.filters, message.total, message.archive_total)
        alerts = self.query_one(AlertList)
        alerts.reset(
            self.reader, message.filters, message.total, message.archive_total,
            message.cursor, message.rows,
        )
        self.set_class(message.archive_total == 0, "-empty-archive")

    def on_facets_counted(self, message: FacetsCounted) -> None:
        if message.filters != self.filters:
            return
        self.query_one("#countries", FacetList).show(message.countries, message.filters.country)
        self.query_one("#years", FacetList).show(message.years, message.filters.year)

    def on_query_failed(self, message: QueryFailed) -> None:
        """Keep the last good filters; reopen the box with the failed query to be mended."""
        self.notify(message.message, title="Not applied", severity="warning", markup=False)
        failed = self.filters.search
        self.apply(self._good)
        box = self.query_one(SearchBox)
        box.value = failed
        box.add_class("-open")
        self.set_focus(box)

    def on_alert_highlighted(self, message: AlertHighlighted) -> None:
        self._load_alert(message.pk)

    @work(thread=True, exclusive=True, group="detail")
    def _load_alert(self, pk: int | None) -> None:
        record = None
        if pk is not None:
            with self.reader.connect("detail") as conn:
                record = queries.alert(conn, pk)
        if not get_current_worker().is_cancelled:
            self.post_message(AlertLoaded(record))

    def on_alert_loaded(self, message: AlertLoaded) -> None:
        self.query_one(AlertDetail).show(message.record)

    # -- watching for imports --------------------------------------------------------------
    @work(thread=True, exclusive=True, group="watch")
    def _watch_archive(self) -> None:
        if self.reader.changed():
            self.post_message(ArchiveChanged())

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        row = self.query_one(AlertList).highlighted
        self.apply(self.filters, keep_pk=row.pk if row else None)
