"""The find box: what a researcher types to find a value in a facet pane (``f``).

Finding is a mode with its own box, so that outside it every letter in a facet pane is a
command, and inside it every printable key is text.  The screen opens the box over one pane
(``target``, handed down); each change of the text moves that pane's highlight at once.
"""

from __future__ import annotations

from textual.binding import Binding

from ifex_tui.tui.widgets.facet_list import NAMES, FacetList
from ifex_tui.tui.widgets.text_entry import TextEntry


class FindBox(TextEntry):
    """Type to find; enter toggles the value found, escape ends the find and changes nothing."""

    BINDINGS = [
        Binding("enter", "screen.commit_find", "Toggle found", priority=True, id="find.toggle"),
        Binding("escape", "screen.cancel_find", "Cancel find", priority=True, id="find.cancel"),
    ]

    def __init__(self, *, id: str | None = None):
        super().__init__(placeholder="type a name or code", id=id)
        self.target: FacetList | None = None
        #: The key of the value the text finds (what enter toggles), or None.
        self.found: str | int | None = None

    def open(self, target: FacetList) -> None:
        self.target, self.found = target, None
        self.border_title = f"Find in {NAMES[target.dimension][1]}"
        self.value = ""
        self.add_class("-open")

    def close(self) -> None:
        self.target = None
        self.remove_class("-open", "-no-match")
        self.value = ""
        self.border_subtitle = ""

    def watch_value(self, value: str) -> None:
        """Move the pane's highlight as the text changes (as each key lands, in order)."""
        if self.target is None:
            return
        self.found = self.target.find(value)
        missing = bool(value.strip()) and self.found is None
        self.set_class(missing, "-no-match")
        self.border_subtitle = "no match" if missing else ""
