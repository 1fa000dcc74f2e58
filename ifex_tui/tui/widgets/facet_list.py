"""A facet pane: the values of one dimension with live counts, marked as the filters use them.

The screen hands counts and filters down (:meth:`FacetList.show`); the keys that change the
filters are the screen's actions (``screen.toggle_facet`` …), bound here because this pane owns
the keys, and resolved as they arrive.  Outside a find every key is a command; a find (``f``)
types into the screen's find box, which calls :meth:`FacetList.find` as each character lands.
"""

from __future__ import annotations

import unicodedata
from itertools import chain

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ifex_tui.archive import countries, sources
from ifex_tui.archive.filters import Filters, means_none, none_key
from ifex_tui.archive.queries import FacetCount, year_series
from ifex_tui.safe_text import inert
from ifex_tui.tui.settings import Settings

BAR_WIDTH = 8
NAME_LEAST = 4  # a year's four digits: what a line keeps of its name before its bar shrinks
COUNT_WIDTH = 7
DEFAULT_WIDTH = 30  # a pane's inner width before it is laid out
#: What a pane is called, singular and plural; the third pane switches among the last four.
NAMES = {
    "country": ("Country", "Countries"), "year": ("Year", "Years"),
    "violation": ("Violation", "Violations"), "target": ("Target", "Targets"),
    "source": ("Source", "Sources"), "region": ("Region", "Regions"),
}
SWITCHABLE = ("violation", "target", "source", "region")
#: What a find knows besides the names shown: a country's codes and other names, a reporting
#: organisation's acronyms and names in other languages (the importer's own tables).
NAMED_BY = {"country": countries.named_by, "source": lambda typed: sources.table().named_by(typed)}


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, so typing "cote" finds Côte d'Ivoire."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class FacetList(OptionList):
    """Values of one facet, most alerts first (or by name), selected and excluded ones marked."""

    ALLOW_MAXIMIZE = True  # z zooms it

    BINDINGS = [
        Binding("enter,space", "screen.toggle_facet", "Toggle", priority=True, id="facet.toggle"),
        Binding("e", "screen.exclude_facet", "Exclude", priority=True, id="facet.exclude"),
        Binding("a", "screen.match_all", "Any/all", priority=True, id="facet.any_all"),
        Binding("escape", "screen.clear_facet", "Clear pane", show=False, priority=True, id="facet.clear"),
        Binding("f", "screen.start_find", "Find", priority=True, id="facet.find"),
        Binding("d", "screen.next_dimension", "Dimension", priority=True, id="facet.dimension"),
        Binding("s", "sort", "Sort", show=False, priority=True, id="facet.sort"),
        Binding("r", "relative", "Bar scale", show=False, priority=True, id="facet.bar_scale"),
        Binding("j,down", "cursor_down", "Down", show=False, priority=True, id="facet.down"),
        Binding("k,up", "cursor_up", "Up", show=False, priority=True, id="facet.up"),
        Binding("g,home", "first", "First", show=False, priority=True, id="facet.first"),
        Binding("G,end", "last", "Last", show=False, priority=True, id="facet.last"),
        Binding("pagedown", "page_down", "Page down", show=False, priority=True,
                id="facet.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, priority=True, id="facet.page_up"),
    ]

    def __init__(self, dimension: str, number: int, settings: Settings, *, id: str | None = None):
        super().__init__(id=id)
        self.dimension = dimension
        self.number = number
        self.switchable = dimension in SWITCHABLE
        self.by_name = settings.order == "name"
        #: Year bars measure against the archive's busiest year unless this is set.
        self.relative = settings.year_bars == "selection"
        #: The archive's busiest year (the screen sets it), so bars hold across selections.
        self.archive_peak = 0
        self.counts: list[FacetCount] = []
        self.counting = True
        self.failed = False
        #: Every value of this dimension in the archive, busiest first (the screen sets it):
        #: what a find matches against, so that it finds the same value however far the
        #: counts for the latest filters have got.
        self.universe: list[FacetCount] = []
        self.filters = Filters()
        self._keys: dict[str, str | int] = {}
        self._shown_keys: list | None = None
        self._folded_for: list[FacetCount] | None = None
        self._folded: tuple[dict[str | int, None], list[str]] = ({}, [])
        self._shown_looks: list[tuple[str, int, int]] = []
        self._shown_width: tuple[int, int, int] | None = None
        self._title()

    # -- what the screen hands down --------------------------------------------------------
    def show(self, counts: list[FacetCount] | None, filters: Filters) -> None:
        """Show ``counts`` marked for ``filters``, without jumping.

        ``None`` means the counts for ``filters`` are still coming: the old ones stay, marked
        as being counted, so the values stay where they were.
        """
        self.filters, self.counting, self.failed = filters, counts is None, False
        if counts is not None:
            self.counts = counts
        self._render_options()

    def know(self, universe: list[FacetCount]) -> None:
        """The archive's values, read when it opens and again when it changes: drawn at once
        when they are not the values drawn, for the counts may have come first (after another
        file took the archive's place, the old file's values stayed on screen beside the new
        ones).  On the first screen they are the same, and nothing is drawn twice."""
        drawn = [f.key for f in self.universe or self.counts]
        self.universe = universe
        if self.counts and [f.key for f in universe] != drawn:
            self._render_options()

    def forget(self) -> None:
        """Another file took the archive's place: its values and counts are other than those
        drawn, which would be drawn beside them (the new values with the old file's counts)
        until both came.  Nothing is drawn until the new ones come."""
        self.universe, self.counts, self.counting = [], [], True
        self._render_options()

    def show_failure(self) -> None:
        """The counts for the current filters could not be made (the notification says why)."""
        self.counting, self.failed = False, True
        self._render_options()

    def switch_to(
        self, dimension: str, counts: list[FacetCount] | None, universe: list[FacetCount]
    ) -> None:
        """Show another dimension (the third pane cycles through :data:`SWITCHABLE`)."""
        self.dimension, self._shown_keys = dimension, None
        self.counts, self.universe = [], universe
        self._title()
        self.show(counts, self.filters)

    @property
    def highlighted_key(self) -> str | int | None:
        option = self.highlighted_option
        return self._keys.get(option.id) if option is not None and option.id else None

    def key_for(self, option_id: str) -> str | int | None:
        return self._keys.get(option_id)

    # -- keys --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "sort":
            return self.dimension != "year"
        if action == "relative":
            return self.dimension == "year"
        return True

    def action_sort(self) -> None:
        self.by_name = not self.by_name
        self._render_options()

    def action_relative(self) -> None:
        self.relative = not self.relative
        self._title()
        self._render_options()

    def action_cursor_down(self) -> None:
        """Stop at the last value, as the alert list stops at its last alert (the pane wrapped
        round: ``j`` held in the years went on from the oldest to the newest without a sign)."""
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        if self.option_count:
            now = self.highlighted if self.highlighted is not None else -by
            self.highlighted = max(0, min(self.option_count - 1, now + by))

    def find(self, typed: str) -> str | int | None:
        """The key of the value ``typed`` names best (highlighted if shown), or None.

        A country's codes and the names an import understands count as names, so ``usa``,
        ``burma`` and ``mx`` find the country they stand for; ``none`` finds the alerts with
        no value (``No violation``), as the command line's ``--violation none`` names them.
        Order: what ``typed`` names outright, a value starting with it, a country whose other
        name starts with it, a value containing it; ties go to the busiest value of the
        archive.  Matching reads
        :attr:`universe`, not the counts on screen, so the same keys find the same value
        whether or not the latest counts have arrived.
        """
        wanted = _fold(typed.strip())
        keys, labels = self._findable()
        if not wanted or not keys:
            return None
        named_by = NAMED_BY.get(self.dimension)
        exact, starting = map(set, named_by(typed)) if named_by else (set(), set())
        if means_none(self.dimension, typed):  # "none", as the command line writes the row
            exact.add(none_key(self.dimension))
        candidates = chain(  # lazily, each in the archive's order: the first kind that has one wins
            (key for key in keys if key in exact),
            (key for key, label in zip(keys, labels, strict=True) if label.startswith(wanted)),
            (key for key in keys if key in starting),  # "korea": South before North if busier
            (key for key, label in zip(keys, labels, strict=True) if wanted in label),
        )
        found = next(candidates, None)
        if found is not None:
            self.highlight(found)
        return found

    def _findable(self) -> tuple[dict[str | int, None], list[str]]:
        """The values a find matches (keys in order, folded labels), folded once per list
        rather than at every key typed."""
        values = self.universe or self.counts
        if self._folded_for is not values:
            self._folded_for = values
            self._folded = ({f.key: None for f in values}, [_fold(f.label) for f in values])
        return self._folded

    def highlight(self, key: str | int) -> None:
        """Put the highlight on ``key`` if it is shown."""
        shown = [f.key for f in self._ordered()]
        if key in shown:
            self.highlighted = shown.index(key)

    # -- drawing -----------------------------------------------------------------------------
    def _title(self) -> None:
        name = NAMES[self.dimension][1]
        self.border_title = f"{self.number} {name}" + (" ‹d›" if self.switchable else "")
        if self.dimension == "year":  # on the title: the subtitle has the counts, and is cut
            self.border_title += " · bars: selection" if self.relative else " · bars: archive"

    def _ordered(self) -> list[FacetCount]:
        """Every value of the archive in a fixed order, with its count under the filters.

        The order never depends on the filters (busiest in the whole archive first, or by
        name; years newest first): values keep their places while counts change, so a click
        lands where the pointer is and ``j`` typed before the new counts arrive moves to the
        same value as ``j`` typed after.  Values with no alert under the filters show 0.
        """
        now = {f.key: f.count for f in self.counts}
        base = self.universe or self.counts
        values = [FacetCount(f.key, f.label, now.get(f.key, 0)) for f in base]
        known = {f.key for f in base}
        values += [f for f in self.counts if f.key not in known]
        if self.dimension == "year":
            return year_series(values)
        if self.by_name:
            return sorted(values, key=lambda f: _fold(f.label))
        return values

    def _render_options(self) -> None:
        ordered = self._ordered()
        chosen = self.filters.values(self.dimension)
        excluded = self.filters.excluded_values(self.dimension)
        peak = self._peak(ordered)
        self._keys = {f"v{i}": f.key for i, f in enumerate(ordered)}
        # the widest count and a space before it, so a name never runs into its count
        line_width = self.scrollable_content_region.width or DEFAULT_WIDTH
        count_width = max([COUNT_WIDTH - 1, *(len(f"{f.count:,}") for f in ordered)]) + 1
        bar_width = self._bar_width(line_width, count_width)
        width = (line_width, count_width, bar_width)
        looks = [self._look(f, chosen, excluded, peak, bar_width) for f in ordered]
        keys = [f.key for f in ordered]
        if keys == self._shown_keys and width == self._shown_width:
            # Same values in the same order: redraw in place only the lines that changed, so
            # the list under the pointer does not move and a toggle redraws one line.
            for index, (facet, look) in enumerate(zip(ordered, looks, strict=True)):
                if look != self._shown_looks[index]:
                    self.replace_option_prompt_at_index(index, self._prompt(facet, look, width))
        else:
            prompts = [self._prompt(f, look, width) for f, look in zip(ordered, looks, strict=True)]
            ids = [f"v{i}" for i in range(len(ordered))]
            current = self.highlighted_key if self._shown_keys else None
            scroll_y = self.scroll_y
            self.set_options(Option(prompt, id=id_) for prompt, id_ in zip(prompts, ids, strict=True))
            self.highlighted = keys.index(current) if current in keys else (0 if keys else None)
            self.scroll_to(y=min(scroll_y, max(0, len(keys) - 1)), animate=False)
            if self.highlighted is not None:
                self.scroll_to_highlight()
        self._shown_keys, self._shown_looks, self._shown_width = keys, looks, width
        self._subtitle(ordered, chosen, excluded)

    def on_resize(self) -> None:
        self._render_options()

    def _peak(self, ordered: list[FacetCount]) -> int:
        if self.dimension == "year" and not self.relative and self.archive_peak:
            return self.archive_peak
        return max((f.count for f in ordered), default=0) or 1

    def _subtitle(self, ordered: list[FacetCount], chosen: frozenset, excluded: frozenset) -> None:
        with_alerts = sum(1 for f in ordered if f.count)
        if self.failed:
            self.border_subtitle = "not counted"
            return
        parts = ["counting…" if self.counting else f"{with_alerts:,} of {len(ordered):,}"]
        if chosen:
            joined = "all of" if self.filters.matches_all(self.dimension) and len(chosen) > 1 else ""
            parts.append(f"{len(chosen)} selected" + (f" ({joined})" if joined else ""))
        if excluded:
            parts.append(f"{len(excluded)} excluded")
        if self.by_name and self.dimension != "year":
            parts.append("by name")
        self.border_subtitle = " · ".join(parts)

    def _bar_width(self, width: int, count_width: int) -> int:
        """How long a year's full bar is: :data:`BAR_WIDTH`, less what a narrow pane lacks
        for the mark, the year, the space before the bar and the count (so a line never
        wraps), 0 for a pane without bars."""
        if self.dimension != "year":
            return 0
        return max(1, min(BAR_WIDTH, width - 2 - NAME_LEAST - 1 - count_width))

    def _look(
        self, facet: FacetCount, chosen: frozenset, excluded: frozenset, peak: int, bar_width: int
    ) -> tuple[str, int, int]:
        """What a line shows besides its name: the mark, the count and the bar's length (of
        ``bar_width`` at most)."""
        mark = "●" if facet.key in chosen else "✕" if facet.key in excluded else " "
        bar = 0
        if bar_width and facet.count:
            bar = max(1, min(bar_width, round(bar_width * facet.count / peak)))
        return mark, facet.count, bar

    def _prompt(self, facet: FacetCount, look: tuple[str, int, int],
                width: tuple[int, int, int]) -> Text:
        """One line, ``● Name …  ████   1,234``, built as plain Text (cheap to redraw);
        ``width`` is the line's, the count's and the full bar's."""
        mark, count, bar = look
        width, count_width, bar_width = width
        bars = bar_width + 1 if bar_width else 0
        name_width = max(NAME_LEAST, width - 2 - bars - count_width)
        style = {"●": "bold", "✕": "strike"}.get(mark) or ("dim" if not count else "")
        name = Text(inert(facet.label), style=style)
        name.truncate(name_width, overflow="ellipsis", pad=True)
        line = Text.assemble((f"{mark} ", "bold"), name, no_wrap=True)
        if bars:
            line.append(" " + "█" * bar + " " * (bar_width - bar))
        line.append(f"{count:,}".rjust(count_width), style="dim" if not count else "")
        return line
