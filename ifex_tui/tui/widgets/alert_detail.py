"""The detail pane: one alert in full, as inert text.

Everything shown comes from the feed, so it is built as ``rich.text.Text`` from
:func:`inert` strings (never markup); HTML bodies were already turned into text at import.
A body longer than :data:`BODY_LIMIT` is cut with a note, so a pathological alert opens at
once instead of freezing the pane while it wraps megabytes.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ifex_tui.safe_text import inert

BODY_LIMIT = 100_000
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
        return record["published"] or "undated"
    if isinstance(value, list):
        return ", ".join(value)
    return value or ""


def render_record(record: dict) -> Text:
    """The whole alert as one Text: title, a field table, summary, body."""
    text = Text()
    text.append(inert(record["title"]) or "(untitled)", style="bold")
    text.append("\n\n")
    for label, key in _FIELDS:
        value = _value(record, key)
        if value:
            text.append(f"{label:>11}  ", style="dim")
            text.append(inert(value))
            text.append("\n")
    if record["summary"]:
        text.append("\n")
        text.append(inert(record["summary"], multiline=True), style="italic")
        text.append("\n")
    body = record["body_text"] or ""
    if body:
        text.append("\n")
        text.append(inert(body[:BODY_LIMIT], multiline=True))
        if len(body) > BODY_LIMIT:
            text.append(
                f"\n\n[the body goes on for {len(body) - BODY_LIMIT:,} more characters; "
                "`ifex-tui export` writes it in full]",
                style="dim",
            )
    return text


class AlertDetail(VerticalScroll, can_focus=True):
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
        Binding("c", "copy_link", "Copy link", priority=True, id="detail.copy_link"),
        Binding("escape", "back", "Back to list", priority=True, id="detail.back"),
    ]

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "Detail"
        self.record: dict | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def show(self, record: dict | None) -> None:
        self.record = record
        body = self.query_one("#detail-body", Static)
        body.update(render_record(record) if record else Text("No alert selected.", style="dim"))
        self.scroll_home(animate=False)

    def action_copy_link(self) -> None:
        link = self.record and self.record.get("url")
        if not link:
            self.notify("This alert has no link.", severity="warning")
            return
        self.app.copy_to_clipboard(inert(link))
        self.notify(inert(link), title="Link copied", markup=False)

    def action_back(self) -> None:
        self.screen.set_focus(self.screen.query_one("#alerts"))
