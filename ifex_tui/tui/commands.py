"""Command palette entries: every facet value with its count, clear filters, toggle the theme."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ifex_tui.archive.filters import DIMENSIONS
from ifex_tui.safe_text import inert
from ifex_tui.tui.widgets.facet_list import NAMES


class IfexCommands(Provider):
    """Offers ``Violation: Killed (1,043)`` for every value of every dimension, and two actions.

    The counts are those the screen already holds for its filters (the palette never reads
    the archive on the UI thread).
    """

    def _commands(self):
        from ifex_tui.tui.screens.browser import BrowserScreen

        browsers = [s for s in self.app.screen_stack if isinstance(s, BrowserScreen)]
        if not browsers:
            return []
        browser = browsers[-1]
        commands = [
            ("Clear filters", "Remove every filter and the search", browser.action_clear_filters),
            ("Toggle theme", "Switch between dark and light", self.app.action_toggle_dark),
        ]
        for dimension in DIMENSIONS:
            for facet in browser.counts.get(dimension, []):
                commands.append((
                    f"{NAMES[dimension][0]}: {inert(facet.label)} ({facet.count:,})",
                    "Toggle this filter (alerts under the other filters)",
                    partial(browser.apply, browser.filters.toggled(dimension, facet.key)),
                ))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands()[:2]:
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, _highlight(matcher, title), callback, text=title, help=help_text)


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
