"""A facet pane: the values of one dimension with live counts, toggled to filter.

Counts come from the screen (attributes down); toggles go up as messages, posted straight to
the screen so that they keep their order with the keys the screen acts on.  Typing here finds
a value (type-to-find), because a researcher scanning 200 countries types "mex", not
arrow-down forty times; a key that starts no value keeps its usual job.
"""

from __future__ import annotations

import time
import unicodedata

from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ifex_tui.archive.queries import FacetCount
from ifex_tui.safe_text import inert
from ifex_tui.tui.messages import FacetCleared, FacetToggled
from ifex_tui.tui.widgets.stale_keys import act_now, forward_if_stale

FIND_PAUSE = 1.5
BAR_WIDTH = 10
COUNT_WIDTH = 8


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, so typing "cote" finds Côte d'Ivoire."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class FacetList(OptionList):
    """Values of one facet, most alerts first (or by name), selected ones marked."""

    BINDINGS = [
        Binding("space", "select", "Toggle", show=False, id="facet.toggle_space"),
        Binding("enter", "select", "Toggle filter", id="facet.toggle"),
        Binding("escape", "clear", "Clear pane", id="facet.clear"),
        Binding("ctrl+o", "sort", "Sort", id="facet.sort"),
        Binding("j", "cursor_down", "Down (where no value starts with j)", show=False,
                id="facet.down"),
        Binding("k", "cursor_up", "Up (where no value starts with k)", show=False, id="facet.up"),
        Binding("g", "first", "First (where no value starts with g)", show=False,
                id="facet.first"),
        Binding("G", "last", "Last (where no value starts with g)", show=False, id="facet.last"),
    ]

    def __init__(self, dimension: str, title: str, *, bars: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.dimension = dimension
        self.border_title = title
        self.bars = bars
        self.by_name = bars  # years read best in year order, countries by count
        self.counts: list[FacetCount] = []
        self.selected: frozenset = frozenset()
        self._find = ""
        self._find_at = 0.0

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (action == "sort" and self.bars)

    def show(self, counts: list[FacetCount], selected: frozenset) -> None:
        """Replace the values, keeping the highlight on the same value where it still is."""
        self.counts, self.selected = counts, selected
        self._render_options()

    def _ordered(self) -> list[FacetCount]:
        if not self.by_name:
            return self.counts
        if self.bars:
            return sorted(self.counts, key=lambda f: (f.key == 0, -int(f.key)))
        return sorted(self.counts, key=lambda f: _fold(f.label))

    def _render_options(self) -> None:
        current = self.highlighted_option.id if self.highlighted_option else None
        peak = max((f.count for f in self.counts), default=0) or 1
        options = [Option(self._prompt(f, peak), id=f"{f.key}") for f in self._ordered()]
        self.clear_options()
        self.add_options(options)
        ids = [o.id for o in options]
        self.highlighted = ids.index(current) if current in ids else (0 if ids else None)
        sort = " · by name" if self.by_name and not self.bars else ""
        picked = f" · {len(self.selected)} selected" if self.selected else ""
        self.border_subtitle = f"{len(options)}{picked}{sort}"

    def _prompt(self, facet: FacetCount, peak: int) -> Table:
        chosen = facet.key in self.selected
        grid = Table.grid(expand=True)
        grid.add_column(width=2)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        if self.bars:
            grid.add_column(width=BAR_WIDTH + 1, no_wrap=True)
        grid.add_column(width=COUNT_WIDTH, justify="right", no_wrap=True)
        name = Text(inert(facet.label), style="bold" if chosen else "")
        cells = [Text("● " if chosen else "  ", style="bold"), name]
        if self.bars:
            cells.append(Text("█" * max(1, round(BAR_WIDTH * facet.count / peak)) if facet.count else ""))
        cells.append(Text(f"{facet.count:,}", style="dim" if not facet.count else ""))
        grid.add_row(*cells)
        return grid

    def key_for(self, option_id: str):
        return int(option_id) if self.dimension == "year" else option_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click; enter and space toggle in on_key, as they are read
        self._find = ""
        self.screen.post_message(FacetToggled(self.dimension, self.key_for(event.option.id)))

    def _toggle(self) -> None:
        option = self.highlighted_option
        self._find = ""
        if option is not None:
            self.screen.post_message(FacetToggled(self.dimension, self.key_for(option.id)))

    def action_clear(self) -> None:
        self._find = ""
        if self.selected:
            self.screen.post_message(FacetCleared(self.dimension))

    def action_sort(self) -> None:
        self.by_name = not self.by_name
        self._render_options()

    def _finds(self, character: str) -> bool:
        """Whether ``character`` goes to type-to-find rather than to its key binding.

        Once a find has begun, every letter or digit extends it (a typo shows "no match",
        it does not clear filters).  A find begins only with a character that starts some
        value, so keys like ``x`` or ``q`` keep their jobs where no value starts with them; a
        space or punctuation continues a find only where a name goes on that way.  Digits in
        the years pane always find (the screen's focus keys stand aside there).
        """
        finding = bool(self._find) and time.monotonic() - self._find_at <= FIND_PAUSE
        if (character.isalnum() and finding) or (self.dimension == "year" and character.isdigit()):
            return True
        wanted = _fold((self._find if finding else "") + character)
        return any(_fold(f.label).startswith(wanted) for f in self.counts)

    def on_key(self, event: events.Key) -> None:
        """Type-to-find: the highlight jumps to the first value starting with what was typed."""
        if forward_if_stale(self, event):
            return
        character = event.character
        if not character or not character.isprintable() or not self._finds(character):
            now = {"enter": self._toggle, "space": self._toggle, "escape": self.action_clear}
            act_now(self, event, now)
            return
        event.stop()
        event.prevent_default()
        now = time.monotonic()
        if now - self._find_at > FIND_PAUSE:
            self._find = ""
        self._find_at = now
        self._find += character
        wanted = _fold(self._find)
        ordered = self._ordered()
        match = next((i for i, f in enumerate(ordered) if _fold(f.label).startswith(wanted)), None)
        if match is None:
            match = next((i for i, f in enumerate(ordered) if wanted in _fold(f.label)), None)
        if match is not None:
            self.highlighted = match
        # Border titles are markup: what was typed is escaped, never interpreted.
        found = "" if match is not None else " (no match)"
        self.border_subtitle = f"find: {escape(inert(self._find))}{found}"
