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

    def show_problem(self, problem: str) -> None:
        """Say on the box's border why the search in it was not applied, with FTS5's syntax:
        the box is open again to mend it, and a notice would cover half of it."""
        self.border_title = f"Not applied: {problem}"
        self.border_subtitle = SEARCH_HELP
        self.add_class("-failed")

    def clear_problem(self) -> None:
        self.border_title, self.border_subtitle = "Search", ""
        self.remove_class("-failed")
