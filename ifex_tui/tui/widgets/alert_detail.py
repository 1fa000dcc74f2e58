"""The detail pane: one alert in full, as inert text.

Everything shown comes from the feed, so it is built as ``rich.text.Text`` from
:func:`inert` strings (never markup); HTML bodies were already turned into text at import.
A body longer than :data:`BODY_LIMIT` is cut with a note, so a pathological alert opens at
once instead of freezing the pane while it wraps megabytes.

The pane is a virtual view: the text is wrapped once per alert and per width into lines, and
only the lines on screen are drawn.  Its size never depends on the alert, so showing the next
alert redraws this pane alone instead of laying out the whole screen again (a widget whose
height follows its text reflows every pane on each ``j`` in the list).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ifex_tui.archive.html_text import UNREAD_NOTE
from ifex_tui.archive.items import human_date
from ifex_tui.safe_text import inert
from ifex_tui.tui.widgets.scroll_range import set_scroll_range

#: The most of each text the detail draws (a feed may hold megabytes in any of them: a 10 MB
#: title took seconds to draw and filled the pane, its fields pushed out of sight).
TITLE_LIMIT, SUMMARY_LIMIT, BODY_LIMIT = 1_000, 20_000, 100_000
_FIELDS = (
    ("Date", "date"), ("Countries", "countries"), ("Region", "region"),
    ("Violations", "violations"), ("Targets", "targets"), ("Source", "source"),
    ("Alert type", "alert_type"), ("Authors", "authors"), ("Tags", "tags"), ("Link", "url"),
)


def _value(record: dict, key: str) -> str:
    value = record.get(key)
    if key == "countries":
        return ", ".join(
            c["name"] if not c.get("written") or c["written"] == c["name"]
            else f"{c['name']} (as written: {c['written']})"
            for c in value
        ) or "Unknown country"
    if key == "authors":
        return ", ".join(a.get("name") or a.get("url", "") for a in value)
    if key == "date":
        return human_date(record["published"]) if record["published"] else "undated"
    if isinstance(value, list):
        return ", ".join(value)
    return value or ""


def _append_clipped(text: Text, value: str, limit: int, what: str, *, style: str = "",
                    multiline: bool = True) -> None:
    """``value`` (inert) up to ``limit`` characters, then how much of ``what`` is left out."""
    text.append(inert(value[:limit], multiline=multiline), style=style)
    if len(value) > limit:
        text.append(f"\n[the {what} goes on for {len(value) - limit:,} more characters; "
                    "`ifex-tui export` writes it in full]", style="dim")


def render_record(record: dict) -> Text:
    """The whole alert as one Text: title, a field table, summary, body."""
    text = Text()
    if record["title"]:
        _append_clipped(text, record["title"], TITLE_LIMIT, "title", style="bold",
                        multiline=False)
    else:
        text.append("(untitled)", style="bold")
    text.append("\n\n")
    for label, key in _FIELDS:
        value = _value(record, key)
        if value:
            text.append(f"{label:>11}  ", style="dim")
            text.append(inert(value))
            text.append("\n")
    if record["summary"]:
        text.append("\n")
        _append_clipped(text, record["summary"], SUMMARY_LIMIT, "summary", style="italic")
        text.append("\n")
    body = record["body_text"] or ""
    if body:
        text.append("\n")
        _append_clipped(text, body, BODY_LIMIT, "body")
        if len(body) > BODY_LIMIT and (unread := UNREAD_NOTE.search(body, len(body) - 200)):
            text.append(f"\n{unread.group()}", style="dim")  # a huge HTML body's note
    return text


class AlertDetail(ScrollView, can_focus=True):
    """The highlighted alert; scrolls with j/k and the arrows."""

    ALLOW_MAXIMIZE = True  # z zooms it

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False, priority=True, id="detail.down"),
        Binding("k,up", "scroll_up", "Up", show=False, priority=True, id="detail.up"),
        Binding("g,home", "scroll_home", "Top", show=False, priority=True, id="detail.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, priority=True, id="detail.bottom"),
        Binding("pagedown", "page_down", "Page down", show=False, priority=True,
                id="detail.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, priority=True, id="detail.page_up"),
        Binding("c", "screen.copy_link", "Copy link", priority=True, id="detail.copy_link"),
        Binding("m", "screen.toggle_mark", "Mark", priority=True, id="detail.mark"),
        Binding("u", "screen.undo_marks", "Undo marks", show=False, priority=True,
                id="detail.undo_marks"),
        Binding("y", "screen.cite", "Cite", priority=True, id="detail.cite"),
        Binding("Y", "screen.cite_marked", "Cite marked", key_display="Y", show=False,
                priority=True, id="detail.cite_marked"),
        Binding("o", "screen.open_link", "Open link", priority=True, id="detail.open_link"),
        Binding("escape", "back", "Back to list", priority=True, id="detail.back"),
    ]

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "Detail"
        self.record: dict | None = None
        #: What the pane shows, whole; ``lines`` is it wrapped at the pane's width.
        self.text = Text("No alert selected.", style="dim")
        self.lines: list[Strip] = []
        self._wrapped_at = 0

    def show(self, record: dict | None) -> None:
        self.record = record
        self.text = render_record(record) if record else Text("No alert selected.", style="dim")
        self._wrapped_at = 0
        self._wrap()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def _wrap(self) -> None:
        """Wrap the text at the pane's width (once per alert and width, not per frame)."""
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_at:
            return
        self._wrapped_at = width
        console = self.app.console
        self.lines = Strip.from_lines(
            console.render_lines(self.text, console.options.update_width(width), pad=False)
        )
        set_scroll_range(self, Size(width, len(self.lines)))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        line = self.lines[index] if index < len(self.lines) else Strip.blank(width)
        return line.crop_extend(0, width, self.rich_style).apply_style(self.rich_style)

    def action_back(self) -> None:
        """Back to the list, zoomed in its turn if the detail was."""
        alerts = self.screen.query_one("#alerts")
        if self.screen.maximized is self:
            self.screen.maximize(alerts, container=False)
        self.screen.set_focus(alerts)
