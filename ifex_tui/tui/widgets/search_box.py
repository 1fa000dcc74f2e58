"""The full-text search box, opened with ``/``."""

from __future__ import annotations

from textual.binding import Binding

from ifex_tui.archive.queries import SEARCH_HELP
from ifex_tui.tui.widgets.text_entry import TextEntry


class SearchBox(TextEntry):
    """FTS5 query: enter applies it, escape leaves without changing the search."""

    BINDINGS = [
        Binding("enter", "screen.submit_search", "Apply search", priority=True, id="search.apply"),
        Binding("escape", "screen.leave_search", "Leave search", priority=True, id="search.leave"),
    ]

    def __init__(self, *, id: str | None = None):
        super().__init__(placeholder=f"Search alerts ({SEARCH_HELP}); enter applies", id=id)
        self.border_title = "Search"
