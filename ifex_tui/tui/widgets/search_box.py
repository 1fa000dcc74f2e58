"""The full-text search box, opened with ``/``."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from ifex_tui.archive.queries import SEARCH_HELP
from ifex_tui.tui.widgets.stale_keys import forward_if_stale


class SearchBox(Input):
    """FTS5 query input: enter applies it, escape leaves without changing the search."""

    BINDINGS = [Binding("escape", "leave", "Leave search", id="search.leave")]

    class Left(Message):
        """The user left the box without applying it."""

    def __init__(self, *, id: str | None = None):
        super().__init__(placeholder=f"Search alerts ({SEARCH_HELP}); enter applies", id=id)
        self.border_title = "Search"

    async def _on_key(self, event: events.Key) -> None:
        """Enter and escape act here, as the key is read, not later as bindings: focus must
        be back on the list before the keys typed after them ("/killed⏎jj") are read."""
        if forward_if_stale(self, event):
            return
        if event.key in ("enter", "escape"):
            event.stop()
            event.prevent_default()
            self.screen.set_focus(self.screen.query_one("#alerts"))
            if event.key == "enter":
                await self.action_submit()
            else:
                self.action_leave()
            return
        await super()._on_key(event)

    def action_leave(self) -> None:
        self.post_message(self.Left())
