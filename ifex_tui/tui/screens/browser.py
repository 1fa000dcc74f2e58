"""The browser screen: composes the panes, owns the filters, runs the queries.

Keys: every key is a binding resolved as it arrives (see ``widgets/text_entry.py``).  The
actions that change the filters live here, because the filters do; the panes bind the keys
to them (``screen.toggle_facet`` …).  An action changes the filters at once and starts the
queries, so keys typed in a burst act exactly as if typed slowly.

Queries: every query runs in a thread worker and answers with a message that carries the
generation of the request; answers (failures included) from an older generation are
dropped, and the older query is interrupted rather than left to finish.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property, partial
from pathlib import Path

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList, ProgressBar
from textual.worker import get_current_worker

from ifex_tui import paths
from ifex_tui.archive import bitmap_counts, countries, list_order, queries, sources
from ifex_tui.archive.filters import DIMENSIONS, MULTI_VALUED, Filters
from ifex_tui.tui.messages import (
    AlertLoaded,
    ArchiveChanged,
    BlockLoaded,
    FacetCounted,
    ListCounted,
    QueryFailed,
    SearchChecked,
    UniverseLoaded,
)
from ifex_tui.tui.reader import REREAD, ArchiveReader
from ifex_tui.tui.records import RecordCache
from ifex_tui.tui.screens.browser_cite import CiteActions
from ifex_tui.tui.screens.browser_export import ExportActions
from ifex_tui.tui.screens.browser_links import LinkActions
from ifex_tui.tui.screens.browser_marks import MarksActions
from ifex_tui.tui.screens.help import HelpScreen
from ifex_tui.tui.settings import Settings
from ifex_tui.tui.type_ahead import TypeAhead
from ifex_tui.tui.widgets.alert_detail import AlertDetail
from ifex_tui.tui.widgets.alert_list import BLOCK, AlertList, block_query
from ifex_tui.tui.widgets.facet_list import SWITCHABLE, FacetList
from ifex_tui.tui.widgets.filter_bar import FilterBar
from ifex_tui.tui.widgets.find_box import FindBox
from ifex_tui.tui.widgets.key_footer import KeyFooter
from ifex_tui.tui.widgets.search_box import SearchBox
from ifex_tui.wording import counted

#: Seconds within which a second ``q`` quits when the first one warned of what would be lost.
QUIT_AGAIN_WITHIN = 5.0
#: How many rows either side of the cursor the detail reads ahead.
READ_AHEAD = 2
PANES = ("#countries", "#years", "#topics", "#alerts", "#detail")
WATCH_SECONDS = 1.0
#: Seconds an answer may take before the screen shows that it is coming.
PENDING_AFTER = 0.1
#: Seconds the keys after a search's enter wait to learn whether it runs.  Most searches are
#: checked in a millisecond, a prefix too broad for SQLite's memory is refused from the index
#: in a few (``search.merge_bytes``); but a prefix FTS5 must merge in full to check (``pro*``
#: at a million alerts: 0.5 s on a cold disk, and seconds where the estimate lets a broad one
#: through to be refused by the cap) would otherwise hold every key, ``x`` and ``escape`` too.
#: Past it the keys go on (``x`` then stops the search).
SEARCH_CHECK_WAIT = 0.3
_FACET_ACTIONS = {"toggle_facet", "exclude_facet", "match_all", "clear_facet", "start_find",
                  "next_dimension"}


def import_command(archive: Path) -> str:
    """How to import into ``archive`` from a shell (``--db`` unless it is the default one)."""
    if archive.resolve() == paths.archive_path().resolve():
        return "ifex-tui import FEED.json"
    return f"ifex-tui import FEED.json --db {shlex.quote(str(archive))}"


class BrowserScreen(MarksActions, CiteActions, ExportActions, LinkActions, Screen):
    """Three facet panes, the alerts and the detail, with the status line and two boxes.

    The actions on the marks, citing, exporting and the alert's link are parts of it of their
    own (``browser_marks.py`` …), mixed in; the filters, the queries, the panes and what keys
    wait for are here."""

    BINDINGS = [
        Binding("1", "focus_pane(0)", "Countries", show=False, priority=True, id="browser.pane_1"),
        Binding("2", "focus_pane(1)", "Years", show=False, priority=True, id="browser.pane_2"),
        Binding("3", "focus_pane(2)", "Third facet", show=False, priority=True,
                id="browser.pane_3"),
        Binding("4", "focus_pane(3)", "Alerts", show=False, priority=True, id="browser.pane_4"),
        Binding("5", "focus_pane(4)", "Detail", show=False, priority=True, id="browser.pane_5"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, priority=True,
                id="browser.next_pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, priority=True,
                id="browser.previous_pane"),
        Binding("slash", "search", "Search", priority=True, id="browser.search"),
        Binding("x", "clear_filters", "Clear all", priority=True, id="browser.clear"),
        Binding("v", "marked_only", "Marked only", show=False, priority=True, id="browser.marked"),
        Binding("z", "zoom", "Zoom", show=False, priority=True, id="browser.zoom"),
        Binding("ctrl+e", "export", "Export", priority=True, id="browser.export"),
        Binding("question_mark,f1", "help", "Help", priority=True, id="browser.help"),
        Binding("q", "quit", "Quit", priority=True, id="browser.quit"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # app.tcss narrows the panes
    #: A zoomed pane keeps the status line (the filters) and the footer (how to come back).
    ALLOW_IN_MAXIMIZED_VIEW = "#status, #footer"

    def __init__(self, reader: ArchiveReader, settings: Settings):
        super().__init__()
        self.reader = reader
        self.settings = settings
        self.filters = Filters()
        self.generation = 0
        self._good = Filters()  # the last filters whose query ran (a bad search reverts to its search)
        #: Every dimension's counts for the current filters, as they arrive (the palette's too).
        self.counts: dict[str, list[queries.FacetCount]] = {}
        #: Every value of each dimension in the archive (what a find matches against).
        self.universe: dict[str, list[queries.FacetCount]] = {}
        self._detail_generation = 0
        #: How many files the app has read at the path: what an export chose (the marks, the
        #: list) names the alerts of the file read when it was chosen.
        self.files_read = 1
        self._pending: Timer | None = None  # announces a request that is slow to answer
        self._answered = 0  # the newest request whose list has come
        self.records = RecordCache()  # alerts the detail may show next
        self._hidden_for = -1  # the request whose hidden dimensions are being counted
        self._checked = -1  # the newest request whose search is known to run
        self._asked: set[str] = set()  # the dimensions the current request counts first
        self._watch_failed = False
        self._order_read = False  # whether the list's order was asked for, this archive state
        #: Failures already told to the user (the same one from several workers is told once).
        self._told: set[str] = set()
        self._quit_warned_at = -QUIT_AGAIN_WITHIN  # when q last warned (monotonic seconds)
        self._quit_warned_key = -1  # and the app's count of keys pressed then
        #: Keys typed ahead of the answers they act on, run in the order typed.
        self.type_ahead = TypeAhead()

    def compose(self) -> ComposeResult:
        yield FilterBar(id="status")
        yield SearchBox(id="search")
        with Horizontal(id="panes"):
            with Vertical(id="facets"):
                yield FacetList("country", 1, self.settings, id="countries")
                yield FacetList("year", 2, self.settings, id="years")
                yield FacetList(SWITCHABLE[0], 3, self.settings, id="topics")
                yield FindBox(id="find")
            with Vertical(id="results"):
                yield AlertList(id="alerts")
                yield AlertDetail(id="detail")
        yield ProgressBar(id="export-progress", show_eta=True)
        yield KeyFooter(id="footer")

    def on_mount(self) -> None:
        self.query_one("#alerts").border_title = "4 Alerts"
        self.query_one("#detail").border_title = "5 Detail"
        alerts = self.alert_list
        alerts.import_command = import_command(self.reader.path)
        self._say_whether_found()
        alerts.records = self.records
        alerts.type_ahead = self.type_ahead
        self.watch(alerts, "highlighted_pk", self._show_highlighted, init=False)
        self.set_focus(alerts)
        self._watch_archive()  # the first reading, off the UI thread like every later one
        self.set_interval(WATCH_SECONDS, self._watch_archive)
        self._load_universe()
        self.apply(self.filters)
        # Keys typed while the app starts wait until the panes know the archive's values: a
        # find or a move in a pane reads them (a find typed before had nothing to find).
        self.type_ahead.wait(self._universe_ready)

    def on_unmount(self) -> None:
        self.reader.close()

    @cached_property
    def alert_list(self) -> AlertList:
        """The alert list (composed once; asked for on every key press; workers post to it)."""
        return self.query_one(AlertList)

    @cached_property
    def detail(self) -> AlertDetail:
        """The detail pane (composed once; asked for on every move)."""
        return self.query_one(AlertDetail)

    @cached_property
    def facet_panes(self) -> tuple[FacetList, ...]:
        """The three facet panes (composed once; asked for on every key press)."""
        return tuple(self.query(FacetList))

    def _focused_pane(self) -> FacetList | None:
        return self.focused if isinstance(self.focused, FacetList) else None

    # -- filters ---------------------------------------------------------------------------
    def apply(self, filters: Filters, keep_pk: int | None = None) -> None:
        """Make ``filters`` current and start the queries for it (the older ones stop)."""
        self.generation += 1
        self.filters = filters
        self.counts = {}
        self.alert_list.expect_results()
        # Most answers come within a frame: the screen then changes once, with them.  Only
        # answers slower than PENDING_AFTER are announced (new chips, "counting…", dim rows).
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(PENDING_AFTER, partial(self._show_pending, self.generation))
        self.reader.interrupt("counts")
        self.reader.interrupt("hidden")
        shown = [pane.dimension for pane in self.facet_panes]
        self._asked = set(shown)
        self._count(self.generation, filters, keep_pk, shown)

    def _show_pending(self, generation: int) -> None:
        if generation != self.generation:
            return
        if self._answered != generation:
            self.query_one(FilterBar).show(self.filters, None, None)
            self.alert_list.show_waiting()
        for pane in self.facet_panes:
            if pane.dimension not in self.counts:
                pane.show(None, self.filters)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in _FACET_ACTIONS:
            pane = self._focused_pane()
            if pane is None:
                return False
            if action == "match_all":
                return pane.dimension in MULTI_VALUED
            if action == "next_dimension":
                return pane.switchable
        if action in ("commit_find", "cancel_find"):
            return self.query_one(FindBox).target is not None
        return True

    def action_toggle_facet(self) -> None:
        self._change_highlighted(Filters.toggled)

    def action_exclude_facet(self) -> None:
        self._change_highlighted(Filters.toggled_exclusion)

    def _change_highlighted(self, change) -> None:
        """Apply ``change(filters, dimension, key)`` to the focused pane's highlighted value."""
        pane = self._focused_pane()
        if pane is not None and pane.highlighted_key is not None:
            self._change(change, pane.dimension, pane.highlighted_key)

    def toggle_value(self, dimension: str, key) -> None:
        """Select ``key`` of ``dimension``, or unselect it (the palette's entries)."""
        self._change(Filters.toggled, dimension, key)

    def _change(self, change, *arguments) -> None:
        """Apply ``change(filters, *arguments)`` after the keys typed before it: the value is
        the one the key was pressed on (panes move at once), the filters the ones those keys
        leave."""
        self.type_ahead.run(lambda: self.apply(change(self.filters, *arguments)))

    def action_match_all(self) -> None:
        pane = self._focused_pane()
        if pane is not None:
            self._change(Filters.toggled_match_all, pane.dimension)

    def action_clear_facet(self) -> None:
        pane = self._focused_pane()
        if pane is not None:
            self.type_ahead.run(partial(self._clear_dimension, pane.dimension))

    def _clear_dimension(self, dimension: str) -> None:
        if dimension in self.filters.active():
            self.apply(self.filters.without(dimension))

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        """A click on a value toggles it (keys toggle through their bindings instead)."""
        pane = message.option_list
        if isinstance(pane, FacetList) and (key := pane.key_for(message.option.id)) is not None:
            self._change(Filters.toggled, pane.dimension, key)

    def action_next_dimension(self) -> None:
        pane = self._focused_pane()
        if pane is not None and pane.switchable:
            following = SWITCHABLE[(SWITCHABLE.index(pane.dimension) + 1) % len(SWITCHABLE)]
            pane.switch_to(following, self.counts.get(following), self.universe.get(following, []))
            self.refresh_bindings()  # any/all applies to some dimensions only

    def action_clear_filters(self) -> None:
        box = self.query_one(SearchBox)
        box.value = ""
        box.remove_class("-open")
        if isinstance(self.focused, SearchBox):
            self.set_focus(self.alert_list)
        self.type_ahead.run(lambda: self.apply(Filters()))

    # -- find in a facet pane ---------------------------------------------------------------
    def action_start_find(self) -> None:
        pane = self._focused_pane()
        if pane is not None:
            box = self.query_one(FindBox)
            box.open(pane)
            self.set_focus(box)

    def action_commit_find(self) -> None:
        """Toggle the value found; on "no match" do nothing (the find stays open to mend)."""
        box = self.query_one(FindBox)
        pane, found = box.target, box.found
        if pane is None or found is None:
            return
        box.close()
        self.set_focus(pane)
        self._change(Filters.toggled, pane.dimension, found)

    def action_cancel_find(self) -> None:
        """End the find: the box and its label go, the filters stay as they were."""
        box = self.query_one(FindBox)
        pane = box.target
        box.close()
        if pane is not None:
            self.set_focus(pane)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """A click or tab away from the find box ends the find."""
        box = self.query_one(FindBox)
        if event.widget is box and box.target is not None and self.focused is not box:
            box.close()

    # -- full-text search -------------------------------------------------------------------
    def action_search(self) -> None:
        box = self.query_one(SearchBox)
        box.add_class("-open")
        box.select_all()
        self.set_focus(box)

    def action_submit_search(self) -> None:
        """Apply the search; the box closes at once (the status line shows the search as a
        chip).  The keys typed after enter wait until the search is known to run (for up to
        :data:`SEARCH_CHECK_WAIT`): if it cannot, the box opens again to mend it and they are
        typed there, as typed slowly."""
        box = self.query_one(SearchBox)
        self.set_focus(self.alert_list)
        self._change(Filters.searching, box.value)
        box.remove_class("-open")
        box.clear_problem()
        deadline = time.monotonic() + SEARCH_CHECK_WAIT
        self.type_ahead.wait(partial(self._search_runs, deadline))
        self.set_timer(SEARCH_CHECK_WAIT, self.type_ahead.catch_up)

    def action_leave_search(self) -> None:
        box = self.query_one(SearchBox)
        box.value = self.filters.search
        box.remove_class("-open")
        box.clear_problem()
        self.set_focus(self.alert_list)

    # -- panes -------------------------------------------------------------------------------
    def action_focus_pane(self, index: int) -> None:
        self.set_focus(self.query_one(PANES[index]))

    def action_cycle_pane(self, step: int) -> None:
        """Tab and shift+tab: the next or previous pane, in the order of the number keys.

        From the find box, the find ends and the pane after (or before) the one searched
        gets focus; from the search box, the search is left as it was and the list gets
        focus.  Decided here, at once, so it is the same at any typing speed.
        """
        focused = self.focused
        if isinstance(focused, SearchBox):
            self.action_leave_search()
            return
        if isinstance(focused, FindBox):
            focused = focused.target
            self.query_one(FindBox).close()
        name = f"#{focused.id}" if focused is not None else ""
        index = PANES.index(name) if name in PANES else -1
        self.action_focus_pane((index + step) % len(PANES))

    def action_zoom(self) -> None:
        """The focused pane fills the screen (again, or escape, to come back)."""
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused, container=False)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        """Quit; when an export is being written or alerts are marked, only after a second
        ``q`` (within a few seconds), since quitting stops the one and forgets the other.  Only
        the key right after the warning confirms it: ``q j q`` warns twice (the ``j`` was the
        answer "keep working"), where any second ``q`` quit before."""
        at_stake = []
        if self._exporting():
            at_stake.append("the export being written stops (no half-written file is left)")
        if self.marks:
            count = self.marks.bit_count()
            at_stake.append(f"{counted(count, 'marked alert')} "
                            f"{'is' if count == 1 else 'are'} forgotten")
        now, key = time.monotonic(), self.app.keys_pressed
        if not at_stake or (now - self._quit_warned_at < QUIT_AGAIN_WITHIN
                            and key == self._quit_warned_key + 1):
            self.workers.cancel_group(self, "export")
            self.app.exit()
            return
        self._quit_warned_at, self._quit_warned_key = now, key
        self.notify("If you quit, " + " and ".join(at_stake) + ". Press q again to quit.",
                    title="Quit?", severity="warning", timeout=QUIT_AGAIN_WITHIN)

    # -- queries ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _count(self, generation: int, filters: Filters, keep_pk: int | None, shown: list[str]) -> None:
        """The list and the panes on screen; the dimensions not shown are counted after, on
        a lane of their own, so the next filter change finds this lane free."""
        with self._answering("counts", generation), self.reader.connect("counts") as conn:
            queries.check_search(conn, filters)
            self.post_message(SearchChecked(generation))
            total = queries.total(conn, filters)
            everything = queries.breakdown(conn, "year", Filters())
            archive_total = sum(f.count for f in everything)
            peak = max((f.count for f in everything if f.key), default=0)
            cursor = (queries.position(conn, filters, keep_pk) if keep_pk else None) or 0
            # The rows on screen come with the count, from this connection: it holds the
            # search's hits already, and the list shows at once, without a second trip.
            rows = queries.page(conn, filters, **block_query(cursor // BLOCK, total))
            at_cursor = rows[cursor % BLOCK] if cursor % BLOCK < len(rows) else None
            record = queries.alert(conn, at_cursor.pk) if at_cursor else None
            if get_current_worker().is_cancelled:
                return
            self.post_message(
                ListCounted(generation, total, archive_total, peak, cursor, rows, record)
            )
            self._count_dimensions(conn, generation, filters, shown)
            self._read_the_end(conn, generation, filters, total, cursor)

    def _read_the_end(self, conn, generation: int, filters: Filters, total: int, cursor: int) -> None:
        """The list's last block and alert, read ahead (in the counting worker, after the
        panes' counts): ``G`` then shows the oldest alert in one frame, as ``j`` does the next."""
        last = (total - 1) // BLOCK
        if total == 0 or last == cursor // BLOCK:
            return
        rows = queries.page(conn, filters, **block_query(last, total))
        end = (total - 1) % BLOCK
        record = queries.alert(conn, rows[end].pk) if end < len(rows) else None
        if not get_current_worker().is_cancelled:
            self.alert_list.post_message(BlockLoaded(generation, last, rows, record))

    @work(thread=True, exclusive=True, group="hidden", exit_on_error=False)
    def _count_hidden(self, generation: int, filters: Filters, hidden: list[str]) -> None:
        """The dimensions no pane shows (for the palette and the third pane's next ``d``)."""
        with self._answering("counts", generation), self.reader.connect("hidden") as conn:
            self._count_dimensions(conn, generation, filters, hidden)

    def _count_dimensions(self, conn, generation: int, filters: Filters, dimensions) -> None:
        for dimension in dimensions:
            counts = queries.facet(conn, dimension, filters)
            if get_current_worker().is_cancelled:
                return
            self.post_message(FacetCounted(generation, dimension, counts))

    @contextmanager
    def _answering(self, lane: str, generation: int) -> Iterator[None]:
        """A worker's failure becomes its answer: a bad search, an archive error, or a bug."""
        try:
            yield
        except queries.SearchError as exc:  # what is wrong with it, shown in the search box
            self.post_message(QueryFailed(lane, generation, str(exc), bad_search=True))
        except Exception as exc:  # the lane's answer (reader.explain)
            self.post_message(QueryFailed(lane, generation, self.reader.explain(exc)))

    def on_search_checked(self, message: SearchChecked) -> None:
        if message.generation == self.generation:
            self._checked = message.generation
            self.type_ahead.catch_up()

    def _search_runs(self, deadline: float) -> bool:
        """Whether the current request's search is known to run (or to have failed: a bad
        search's answer is a new request, without it), or has taken too long to tell."""
        return self._checked == self.generation or time.monotonic() >= deadline

    def on_list_counted(self, message: ListCounted) -> None:
        if message.generation != self.generation:
            return
        if not self._order_read:  # the archive's first results: the list's order after them
            self._order_read = True
            self.call_after_refresh(self._read_order)
        self._answered = message.generation
        self._told.clear()  # the archive answers again: a new failure is news
        self._good = self.filters
        self.query_one(FilterBar).show(self.filters, message.total, message.archive_total)
        for pane in self.facet_panes:
            pane.archive_peak = message.year_peak
        # The highlighted alert came with the count: kept before the list moves its cursor,
        # the detail shows it in the same frame as the list.
        record = message.record
        if record is not None:
            self.records.add({record["pk"]: record})
        self.alert_list.reset(
            self.reader, self.filters, message.generation, message.total, message.archive_total,
            message.cursor, message.rows,
        )
        detail = self.detail
        if record is not None and detail.record is not None and detail.record != record \
                and detail.record["pk"] == record["pk"]:
            self._show_detail(record)  # the same alert, changed by an import
        self.set_class(message.archive_total == 0, "-empty-archive")

    def on_facet_counted(self, message: FacetCounted) -> None:
        if message.generation != self.generation:
            return
        self.counts[message.dimension] = message.counts
        for pane in self.facet_panes:
            if pane.dimension == message.dimension:
                pane.show(message.counts, self.filters)
        # Once the dimensions asked for first are in (whatever the panes show now: ``d`` may
        # have switched one meanwhile), every dimension still uncounted is counted.
        if self._asked <= self.counts.keys() and self._hidden_for != self.generation:
            self._hidden_for = self.generation  # once per request
            if hidden := [d for d in DIMENSIONS if d not in self.counts]:
                # After the next frame: their answers would keep the screen busy, and the
                # screen paints only when idle, so they would hold back the counts shown.
                self.call_after_refresh(self._count_hidden, self.generation, self.filters, hidden)

    @work(thread=True, exclusive=True, group="universe", exit_on_error=False)
    def _load_universe(self) -> None:
        try:
            with self.reader.connect("universe") as conn:
                values = {d: queries.breakdown(conn, d, Filters()) for d in DIMENSIONS}
                bitmap_counts.load(conn)  # read now rather than on the first filter's key press
            # The tables a find reads (off the UI thread, before the first find needs them).
            countries.prepare()
            sources.table()
        except Exception as exc:  # the lane's answer (reader.explain)
            self.post_message(QueryFailed("watch", 0, self.reader.explain(exc)))
            return
        self.post_message(UniverseLoaded(values))

    @work(thread=True, exclusive=True, group="order", exit_on_error=False)
    def _read_order(self) -> None:
        """The list's order, which a search, the marks or a sparse filter page: read once the
        archive's first results are on screen (0.2 s at a million alerts, over a second on a
        cold disk), rather than on the first key that needs it (which waits for it if it
        comes sooner); read before them, it held back the first screen by about 40 ms."""
        try:
            with self.reader.connect("universe") as conn:
                list_order.order(conn)
        except Exception as exc:  # the lane's answer (reader.explain)
            self.post_message(QueryFailed("watch", 0, self.reader.explain(exc)))

    def on_universe_loaded(self, message: UniverseLoaded) -> None:
        self.universe = message.values
        for pane in self.facet_panes:
            pane.know(message.values.get(pane.dimension, []))
        self.type_ahead.catch_up()

    def _universe_ready(self) -> bool:
        """Whether the panes know every value of the archive (read once it is open)."""
        return bool(self.universe)

    def on_query_failed(self, message: QueryFailed) -> None:
        """Report a failure of the current request; a bad search reopens the box to mend."""
        current = self._detail_generation if message.lane == "detail" else self.generation
        if message.lane == "marks":  # M failed: keys are free again (and those waiting dropped)
            self._marking = False
        if message.lane not in ("watch", "cite", "marks") and message.generation != current:
            return
        if message.lane != "list" and not message.bad_search:  # (a block's: ``BlockFailed``)
            self.type_ahead.drop()  # keys waiting for an answer that is this failure
        if not message.bad_search:
            if message.lane == "counts":
                if self._pending is not None:
                    self._pending.stop()  # the failure is the answer: nothing is coming
                self.query_one(FilterBar).show_failure()
                self.alert_list.results_failed(message.message)
                for pane in self.facet_panes:
                    pane.show_failure()
            # One notice per problem, not per worker; but a key pressed again to cite or mark
            # is told again (said once, a second press seemed to do nothing).
            if message.message.endswith(REREAD):  # news, not an error: read anew at once
                return
            if message.lane in ("cite", "marks") or message.message not in self._told:
                self._told.add(message.message)
                self.notify(message.message, title="Archive error", severity="error",
                            markup=False, timeout=10)
            return
        failed = self.filters.search
        # Only the search is taken back (to the last one that ran): keys typed before it in
        # the same burst, whose answers had not come yet, stay applied.
        self.apply(self.filters.searching(self._good.search))
        box = self.query_one(SearchBox)
        box.value = failed
        box.show_problem(message.message)
        box.add_class("-open")
        self.set_focus(box)

    def _show_highlighted(self, pk: int | None) -> None:
        """Show the list's highlighted alert: at once if it is kept, else when read; then
        read ahead the alerts next to it that are not kept yet."""
        detail = self.detail
        if pk is not None and detail.record is not None and detail.record["pk"] == pk:
            return
        self._detail_generation += 1
        self.reader.interrupt("detail")
        wanted = pk if pk is not None and pk not in self.records else None
        if wanted is None:
            self._show_detail(self.records.get(pk) if pk is not None else None)
        nearby = [p for p in self.alert_list.loaded_near(READ_AHEAD)
                  if p not in self.records]
        if wanted is not None or nearby:
            self._load_records(self._detail_generation, wanted, nearby)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_records(self, generation: int, wanted: int | None, nearby: list[int]) -> None:
        """The highlighted alert (answered first, on its own), then its neighbours."""
        try:
            with self.reader.connect("detail") as conn:
                for pk, pks in ((wanted, [wanted]), (None, nearby)):
                    records = {p: r for p in pks if p is not None
                               if (r := queries.alert(conn, p)) is not None}
                    if get_current_worker().is_cancelled:
                        return
                    if pk is not None or records:
                        self.post_message(AlertLoaded(generation, pk, records))
        except Exception as exc:  # the lane's answer (reader.explain)
            self.post_message(QueryFailed("detail", generation, self.reader.explain(exc)))

    def on_alert_loaded(self, message: AlertLoaded) -> None:
        self.records.add(message.records)
        if message.generation == self._detail_generation and message.pk is not None:
            self._show_detail(message.records.get(message.pk))
            self.type_ahead.catch_up()

    def _show_detail(self, record: dict | None) -> None:
        self.detail.show(record)
        self._show_mark_state()

    # -- what keys wait for (``type_ahead``) ---------------------------------------------------
    def _row_ready(self) -> bool:
        """Whether the alert under the list's cursor and the marks are known."""
        return not self._marking and self.alert_list.row_ready()

    def _detail_ready(self) -> bool:
        """Whether the detail shows the alert under the cursor, if that is known (its link is
        the one opened)."""
        record, pk = self.detail.record, self.alert_list.cursor_pk
        return self._row_ready() and (record is None or pk is None or record["pk"] == pk)

    # -- watching for imports --------------------------------------------------------------
    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _watch_archive(self) -> None:
        try:
            changed = self.reader.changed()
        except Exception as exc:  # the lane's answer (reader.explain)
            if not self._watch_failed:  # once, not every second
                self._watch_failed = True
                self.post_message(QueryFailed("watch", 0, self.reader.explain(exc)))
            return
        self._watch_failed = False
        if changed:
            self.post_message(ArchiveChanged(file=changed == "file"))

    def _say_whether_found(self) -> None:
        """The list says where no archive is yet (a typo?) rather than that it is empty."""
        self.alert_list.missing = None if self.reader.found else str(self.reader.path)

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        filters = self.filters
        if message.file:
            self.files_read += 1
            for pane in self.facet_panes:
                pane.forget()
            dropped = self._drop_marks()
            filters = filters.marking(None)
        if message.file and self.alert_list.missing:  # the first import made it
            self.notify(f"{self.reader.path}: an archive is here now.", title="Archive found",
                        markup=False, timeout=10)
        elif message.file:
            marks = (f" The {counted(dropped, 'marked alert')} of the file that was there "
                     "are no longer marked." if dropped else "")
            self.notify(f"{self.reader.path} is another file now: showing what it holds.{marks}",
                        title="Archive replaced", markup=False, timeout=10)
        self._say_whether_found()
        self.records.clear()
        self._order_read = False
        # the same alert, after an import; another archive's pks are other alerts
        row = None if message.file else self.alert_list.highlighted
        self._load_universe()
        self.apply(filters, keep_pk=row.pk if row else None)
