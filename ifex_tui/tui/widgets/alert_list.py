"""The alert list: a virtual list that draws only the rows on screen.

A million matching alerts must scroll like a thousand, so nothing holds them all.  The list
knows the total (from a COUNT) and keeps a small LRU of blocks of rows; a row that is drawn
before its block has arrived shows a placeholder and asks for the block in a thread worker.
A block that follows a loaded one is fetched by keyset (as cheap at the end as at the start);
only a leap ("go to end", a scrollbar drag) costs an OFFSET scan.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from textwrap import wrap

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from ifex_tui.archive import bitmaps, queries
from ifex_tui.archive.filters import Filters
from ifex_tui.archive.queries import AlertRow
from ifex_tui.safe_text import inert
from ifex_tui.tui.messages import BlockFailed, BlockLoaded, QueryFailed
from ifex_tui.tui.reader import ArchiveReader
from ifex_tui.tui.records import RecordCache
from ifex_tui.tui.type_ahead import TypeAhead
from ifex_tui.tui.widgets.scroll_range import set_scroll_range

BLOCK = 100
CACHED_BLOCKS = 40
NO_MATCH = ("No alerts match these filters.", "", "Press x to clear every filter, escape to clear a pane.")
NO_MARKS = ("No alert is marked.", "", "Press v to lift the Marked filter; m marks an alert.")


def block_query(block: int, total: int, previous: list[AlertRow] | None = None) -> dict:
    """Arguments of :func:`queries.page` for ``block``: after the block before it (keyset) if
    that one is loaded, else by position, counted from whichever end of the list is nearer."""
    if previous and len(previous) == BLOCK:
        return {"after": previous[-1].cursor, "limit": BLOCK}
    start, end = block * BLOCK, min((block + 1) * BLOCK, total)
    if start > total // 2:
        return {"offset": total - end, "from_end": True, "limit": end - start}
    return {"offset": start, "limit": BLOCK}


class AlertList(ScrollView, can_focus=True):
    """Matching alerts, newest first: date, country, title, violations."""

    ALLOW_MAXIMIZE = True  # z zooms it

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, priority=True, id="alerts.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, priority=True, id="alerts.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, priority=True,
                id="alerts.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True, id="alerts.page_up"),
        Binding("g,home", "jump(0)", "First", key_display="g", show=False, priority=True,
                id="alerts.first"),
        Binding("G,end", "jump(-1)", "Last", key_display="G", show=False, priority=True, id="alerts.last"),
        Binding("enter", "open", "Read", priority=True, id="alerts.open"),
        Binding("m", "screen.toggle_mark", "Mark", priority=True, id="alerts.mark"),
        Binding("M", "screen.mark_all", "Mark all", key_display="M", show=False, priority=True,
                id="alerts.mark_all"),
        Binding("u", "screen.undo_marks", "Undo marks", show=False, priority=True,
                id="alerts.undo_marks"),
        Binding("y", "screen.cite", "Cite", priority=True, id="alerts.cite"),
        Binding("Y", "screen.cite_marked", "Cite marked", key_display="Y", show=False,
                priority=True, id="alerts.cite_marked"),
        Binding("o", "screen.open_link", "Open link", priority=True, id="alerts.open_link"),
    ]
    COMPONENT_CLASSES = {"alert-list--cursor", "alert-list--date", "alert-list--muted",
                         "alert-list--mark"}
    #: What a marked alert's row begins with (every row keeps the room once any is marked).
    MARK = "● "

    cursor = reactive(0, always_update=True, init=False)
    #: The alert under the cursor once its row is loaded (None: the list is empty).  The
    #: screen watches it, so the detail changes in the same frame as the cursor.
    highlighted_pk: reactive[int | None] = reactive(None, init=False)

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "Alerts"
        self.reader: ArchiveReader | None = None
        self.filters = Filters()
        self.total = 0
        self.archive_total = 0
        self.generation = 0
        self._blocks: OrderedDict[int, list[AlertRow]] = OrderedDict()
        self._pending: set[int] = set()
        #: Blocks whose read failed (kept in ``_pending`` too: not asked for again each frame).
        self._unreadable: set[int] = set()
        #: Why the last request failed (shown instead of rows), or None.
        self.failure: str | None = None
        #: New results are being counted (moves wait for them; see ``expect_results``).
        self.waiting = False
        #: Where keys typed ahead of an answer wait (the screen's, shared by its widgets).
        self.type_ahead = TypeAhead()
        #: Where alerts read in full go (the screen's, for the detail pane).
        self.records = RecordCache()
        #: The shell command that fills this archive, shown when it is empty.
        self.import_command = "ifex-tui import FEED.json"
        #: Where the archive should be, when there was none there (a first run, or a
        #: mistyped ``--db``): said rather than "empty", which reads as an archive emptied.
        self.missing: str | None = None
        #: The marked alerts as a bitmap of pks (the screen's, set with ``show_marks``).
        self.marks = 0
        self._mark_bytes = b""  # the same as bytes: a row's bit read without copying the int

    def show_marks(self, marks: int) -> None:
        """Draw these marks (attributes down: the screen owns them)."""
        self.marks = marks
        self._mark_bytes = bitmaps.as_blob(marks)
        self._subtitle()
        self.refresh()

    def is_marked(self, pk: int) -> bool:
        index = pk >> 3
        return index < len(self._mark_bytes) and bool(self._mark_bytes[index] >> (pk & 7) & 1)

    # -- data ------------------------------------------------------------------------------
    def reset(
        self,
        reader: ArchiveReader,
        filters: Filters,
        generation: int,
        total: int,
        archive_total: int,
        cursor: int = 0,
        rows: list[AlertRow] | None = None,
    ) -> None:
        """Show a new result set (attributes down from the screen).

        ``rows`` is the block holding ``cursor``, when the screen's query already read it.
        """
        self.reader, self.filters = reader, filters
        self.failure = None
        self.total, self.archive_total = total, archive_total
        self.generation = generation
        self._blocks.clear()
        self._pending.clear()
        self._unreadable.clear()
        if rows is not None:
            self._blocks[cursor // BLOCK] = rows
        set_scroll_range(self, Size(self.size.width, total))
        self.set_class(total == 0, "-empty")
        self.cursor = min(max(cursor, 0), max(total - 1, 0))
        self._loaded()
        self.refresh()
        self.type_ahead.catch_up()

    def row(self, index: int) -> AlertRow | None:
        """The row at ``index`` if its block is loaded (else it is requested)."""
        if not 0 <= index < self.total:
            return None
        block = index // BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            self._request(block)
            return None
        self._blocks.move_to_end(block)
        offset = index - block * BLOCK
        return rows[offset] if offset < len(rows) else None

    @property
    def highlighted(self) -> AlertRow | None:
        return self.row(self.cursor) if self.total else None

    @property
    def cursor_pk(self) -> int | None:
        """The alert under the cursor, what a key acts on: None while its row is not known
        (``highlighted_pk`` keeps the last one known, so the detail does not blink)."""
        row = self.highlighted
        return row.pk if row is not None else None

    def _request(self, block: int) -> None:
        if block in self._pending or self.reader is None:
            return
        self._pending.add(block)
        previous = self._blocks.get(block - 1)
        how = block_query(block, self.total, previous)
        # The alert the cursor waits on (after a jump) comes with its block: the list and the
        # detail then change in one frame.
        waiting = self.cursor - block * BLOCK if self.cursor // BLOCK == block else None
        work = partial(self._fetch, self.reader, self.filters, self.generation, block, how, waiting)
        self.run_worker(work, thread=True, group="alert-blocks", description=f"block {block}",
                        exit_on_error=False)

    def _fetch(self, reader: ArchiveReader, filters: Filters, generation: int, block: int,
               how: dict, waiting: int | None) -> None:
        try:
            with reader.connect("list") as conn:
                rows = queries.page(conn, filters, **how)
                record = (queries.alert(conn, rows[waiting].pk)
                          if waiting is not None and waiting < len(rows) else None)
        except Exception as exc:  # the block's answer (reader.explain): keys may wait on it
            self.post_message(BlockFailed(generation, block))
            self.post_message(QueryFailed("list", generation, reader.explain(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(BlockLoaded(generation, block, rows, record))

    def on_block_loaded(self, message: BlockLoaded) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self._pending.discard(message.block)
        self._blocks[message.block] = message.rows
        while len(self._blocks) > CACHED_BLOCKS:
            self._blocks.popitem(last=False)
        if message.record is not None:
            self.records.add({message.record["pk"]: message.record})
        self.refresh()
        if message.block == self.cursor // BLOCK:
            self._announce()
            self.type_ahead.catch_up()

    def on_block_failed(self, message: BlockFailed) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self._unreadable.add(message.block)
        if message.block == self.cursor // BLOCK:
            self.type_ahead.catch_up()

    # -- cursor ----------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        height = self.scrollable_content_region.height or 1
        if new < self.scroll_offset.y:
            self.scroll_to(y=new, animate=False)
        elif new >= self.scroll_offset.y + height:
            self.scroll_to(y=new - height + 1, animate=False)
        self._subtitle()
        self.refresh()
        self._announce()

    def _subtitle(self) -> None:
        """Where the cursor is, and how many alerts are marked (in view or not)."""
        where = f"{self.cursor + 1:,} / {self.total:,}" if self.total else ""
        marked = f"{self.marks.bit_count():,} marked" if self.marks else ""
        self.border_subtitle = " · ".join(part for part in (where, marked) if part)

    def _announce(self) -> None:
        row = self.highlighted
        if row is not None or self.total == 0:
            self.highlighted_pk = row.pk if row else None

    def loaded_near(self, reach: int) -> list[int]:
        """The alerts within ``reach`` rows of the cursor whose rows are loaded (nearest
        first): the ones a keypress may show next.  Asks for nothing."""
        pks = []
        for distance in range(1, reach + 1):
            for index in (self.cursor + distance, self.cursor - distance):
                rows = self._blocks.get(index // BLOCK) if 0 <= index < self.total else None
                if rows and index % BLOCK < len(rows):
                    pks.append(rows[index % BLOCK].pk)
        return pks

    def results_ready(self) -> bool:
        """Whether the list shows the current results (a move typed now moves in them)."""
        return not self.waiting

    def row_ready(self) -> bool:
        """Whether the alert under the cursor is known, as a key on it needs: the results
        have come and so has the cursor's block, or its failure (asked for here if neither
        has)."""
        if self.waiting:
            return False
        block = self.cursor // BLOCK
        return self.total == 0 or self.row(self.cursor) is not None \
            or block in self._blocks or block in self._unreadable

    def action_cursor(self, step: int) -> None:
        self.type_ahead.run(partial(self._step, step), self.results_ready)

    def _step(self, step: int) -> None:
        if self.total:
            self.cursor = min(max(self.cursor + step, 0), self.total - 1)

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        self.type_ahead.run(partial(self._jump, where), self.results_ready)

    def _jump(self, where: int) -> None:
        if self.total:
            self.cursor = 0 if where == 0 else self.total - 1

    def expect_results(self) -> None:
        """New results are being counted: moves typed from now on wait for them (in the
        screen's ``type_ahead``): ``G`` pressed just after a search means the search's last
        alert, not the old list's."""
        self.waiting = True

    def show_waiting(self) -> None:
        """The results are slow to come: dim the rows shown, they are out of date."""
        self.set_class(self.waiting, "-loading")

    def _loaded(self) -> None:
        self.waiting = False
        self.remove_class("-loading")

    def results_failed(self, message: str) -> None:
        """The request failed: say so where the rows were (they belong to other filters);
        keys typed for the results that will not come are dropped."""
        self.type_ahead.drop()
        self._loaded()
        self.failure = message
        self.total = 0
        self.generation = -1  # blocks still on their way are for a list no longer shown
        self._blocks.clear()
        set_scroll_range(self, Size(self.size.width, 0))
        self.refresh()

    def action_open(self) -> None:
        """Read the alert: focus the detail, zoomed in its turn if the list was."""
        detail = self.screen.query_one("#detail")
        if self.screen.maximized is self:
            self.screen.maximize(detail, container=False)
        self.screen.set_focus(detail)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the cursor's row in view when the list gets shorter (a smaller window)."""
        height = self.scrollable_content_region.height or 1
        if not self.scroll_offset.y <= self.cursor < self.scroll_offset.y + height:
            self.scroll_to(y=max(0, self.cursor - height + 1), animate=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self.total:
            self.cursor = min(self.scroll_offset.y + offset.y, self.total - 1)

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if self.total == 0:
            message = (
                ("The archive could not be read.", "", self.failure,
                 *(("", "Press x to clear the filters and try again.")
                   if not self.filters.empty else ()))
                if self.failure else self._empty_archive() if self.archive_total == 0
                else NO_MARKS if self.filters.marked == 0 else NO_MATCH
            )
            lines = [part for line in message for part in wrap(line, max(width - 1, 10)) or [""]]
            text = Text(lines[y - 1] if 1 <= y <= len(lines) else "", style="bold" if y == 1 else "")
            return self._strip(text, width)
        if y == 0:
            self.row(index + BLOCK // 2)  # prefetch ahead of the reader
        row = self.row(index)
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        text = self._line(row, width)
        if index == self.cursor:
            text.stylize(self.get_component_rich_style("alert-list--cursor"))
        return self._strip(text, width)

    def _empty_archive(self) -> tuple[str, ...]:
        return (
            *(["No archive here yet (is the path right?):", f"    {self.missing}"]
              if self.missing else ["This archive is empty."]),
            "",
            "Import alerts from a shell:",
            f"    {self.import_command}",
            "",
            "Or explore the bundled sample:",
            "    ifex-tui demo",
        )

    def _strip(self, text: Text, width: int) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        return Strip(text.render(self.app.console), width).apply_style(self.rich_style)

    def _line(self, row: AlertRow | None, width: int) -> Text:
        muted = self.get_component_rich_style("alert-list--muted")
        if row is None:
            return Text("  …", style=muted)
        # a narrow list (a small terminal) gives the title the country's room: titles mostly
        # name the country, and the detail shows it
        country_width = 16 if width >= 70 else 10 if width >= 40 else 0
        violation_width = 18 if width >= 100 else 0
        title_width = max(10, width - 11 - (country_width + 1 if country_width else 0)
                          - (violation_width + 1 if violation_width else 0))
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.marks:
            text.append(self.MARK if self.is_marked(row.pk) else " " * len(self.MARK),
                        self.get_component_rich_style("alert-list--mark"))
            title_width -= len(self.MARK)
        text.append(f"{row.date or 'undated':<10} ", self.get_component_rich_style("alert-list--date"))
        if country_width:
            text.append(_cell(inert(row.countries), country_width) + " ")
        text.append(_cell(inert(row.title), title_width))
        if violation_width:
            text.append(" " + _cell(inert(row.violations), violation_width), muted)
        return text


def _cell(value: str, width: int) -> str:
    """Fit ``value`` into ``width`` cells, with an ellipsis when cut."""
    text = Text(value)
    text.truncate(width, overflow="ellipsis", pad=True)
    return text.plain
