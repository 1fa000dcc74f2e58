"""The full-text search box, opened with ``/``."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from ifex_tui.archive.queries import SEARCH_HELP


class SearchBox(Input):
    """FTS5 query input: enter applies it, escape leaves without changing the search."""

    BINDINGS = [Binding("escape", "leave", "Leave search", id="search.leave")]

    class Left(Message):
        """The user left the box without applying it."""

    def __init__(self, *, id: str | None = None):
        super().__init__(placeholder=f"Search alerts ({SEARCH_HELP}); enter applies", id=id)
        self.border_title = "Search"

    def action_leave(self) -> None:
        self.post_message(self.Left())
