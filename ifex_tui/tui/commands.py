"""Command palette entries: every facet value with its count, clear filters, toggle the theme,
cite the highlighted or the marked alerts in each format, and the marks."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ifex_tui.archive.filters import DIMENSIONS
from ifex_tui.archive.queries import label
from ifex_tui.safe_text import inert
from ifex_tui.tui.widgets.facet_list import NAMED_BY, NAMES

#: The citation formats the palette offers (``y`` copies plain text).
_CITATIONS = (("text", "text"), ("csl-json", "CSL-JSON"), ("ris", "RIS"),
              ("biblatex", "BibLaTeX"), ("bibtex", "BibTeX"))


class IfexCommands(Provider):
    """Offers ``Violation: Killed (1,043)`` for every value of every dimension, and the actions.

    The values are every value of the archive, as the panes list them (those with no alert
    under the filters too, and all of them while the counts for new filters are still coming:
    a second palette in one burst found none); the counts are those the screen holds for its
    filters, left out until they come (the palette never reads the archive on the UI thread).
    A value is toggled in the filters as they stand when the command runs.
    """

    def _commands(self):
        from ifex_tui.tui.screens.browser import BrowserScreen

        browsers = [s for s in self.app.screen_stack if isinstance(s, BrowserScreen)]
        if not browsers:
            return []
        browser = browsers[-1]
        commands = [
            ("Clear filters", "Remove every filter and the search", browser.action_clear_filters,
             None),
            ("Toggle theme", "Switch between dark and light", self.app.action_toggle_dark, None),
            *((f"Cite as {name}", "Copy a citation of the highlighted alert",
               partial(browser.action_cite, fmt), None) for fmt, name in _CITATIONS),
            *((f"Cite marked as {name}", "Copy citations of every marked alert",
               partial(browser.action_cite_marked, fmt), None) for fmt, name in _CITATIONS),
            ("Mark every alert in view", "Or unmark them, when every one is marked (M)",
             browser.action_mark_all, None),
            ("Marked alerts only", "The Marked filter, on or off (v)", browser.action_marked_only,
             None),
            ("Clear marks", "Unmark every alert", browser.action_clear_marks, None),
            ("Undo marks", "Take back the last change of the marks (u)",
             browser.action_undo_marks, None),
        ]
        for dimension in DIMENSIONS:
            counted = browser.counts.get(dimension)
            now = {facet.key: facet.count for facet in counted or []}
            for facet in browser.universe.get(dimension, []):
                count = f" ({now.get(facet.key, 0):,})" if counted is not None else ""
                commands.append((
                    f"{NAMES[dimension][0]}: {inert(facet.label)}{count}",
                    "Toggle this filter (alerts under the other filters)",
                    partial(browser.toggle_value, dimension, facet.key),
                    (dimension, facet.key),
                ))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback, value in self._commands():
            if value is None:  # the actions, not the values
                yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy matches, with the values a find would go to first: ``usa`` is the United
        States before El Salvador, ``committee`` is CPJ (the importer's own tables)."""
        matcher = self.matcher(query)
        known = _named(query)
        for title, help_text, callback, value in self._commands():
            score = matcher.match(title) + max(known.get(value, 0.0), _as_named(query, value))
            if score > 0:
                yield Hit(score, _highlight(matcher, title), callback, text=title, help=help_text)


def _named(query: str) -> dict[tuple[str, object], float]:
    """(dimension, key) -> a bonus for the values that ``query`` names outright or begins a
    name or alias of, above any fuzzy score (Textual's have no fixed bound, but stay small)."""
    scores: dict[tuple[str, object], float] = {}
    for dimension, named_by in NAMED_BY.items():
        exact, starting = named_by(query)
        for key in starting:
            scores.setdefault((dimension, key), 1_000.0)
        for key in exact:
            scores[(dimension, key)] = 2_000.0
    return scores


def _as_named(query: str, value: tuple[str, object] | None) -> float:
    """The bonus of a value whose own name is ``query``, or begins with it, as :func:`_named`
    gives for the names it knows: ``journalist`` is the target Journalist before JED, whose
    other name begins so."""
    if value is None or not query.strip():
        return 0.0
    name, typed = label(*value).casefold(), query.strip().casefold()
    return 2_000.0 if name == typed else 1_000.0 if name.startswith(typed) else 0.0


def _highlight(matcher: Matcher, title: str) -> Content:
    """The title with the typed letters underlined.

    ``Matcher.highlight`` would parse the title as markup, and titles hold feed text (a
    country named ``[red]x[/red]`` must show as typed), so the content is built plain.
    """
    content = Content(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        content = content.stylize("underline", offset, offset + 1)
    return content
