"""The ``?`` help screen: every key, read from the bindings themselves, with the user's keymap.

The table is built from the bindings of the app, the browser and each widget, with the keys
the user's keymap gives them, so it can never drift from what the keys really do.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ifex_tui.tui.help_keys import binding_owners, key_names
from ifex_tui.tui.widgets.key_footer import KeyFooter

NOTES = (
    ("finding", "f in a facet pane opens the find box: every printable key is text there;"),
    ("", "it knows names, codes and other names (usa, burma, mx, ivory);"),
    ("", "enter toggles what it found (on no match, nothing), escape ends the find"),
    ("any / all", "values of one pane are OR-ed; a in Countries, Violations or Targets"),
    ("", "asks for alerts holding all of them; e excludes the highlighted value"),
    ("mouse", "click a value to toggle it, a row to read it; wheel to scroll"),
    ("ctrl+p", 'command palette: every facet value with its count, "Clear filters", theme'),
    ("keymap", "rebind any key by its id in keymap.toml (ifex-tui paths shows where)"),
)


def help_table(keymap: dict[str, str]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", min_width=16)
    table.add_column()
    table.add_column(style="dim")
    for title, bindings in binding_owners():
        table.add_row(Text(title, style="bold underline"), "", "")
        for binding in bindings:
            if binding.system:
                continue
            keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
            table.add_row(key_names(keys), binding.description, binding.id or "")
        table.add_row("", "", "")
    table.add_row(Text("Also", style="bold underline"), "", "")
    for keys, what in NOTES:
        table.add_row(keys, what, "")
    return table


class HelpScreen(ModalScreen):
    """Every key the browser understands; any of escape, q, ? closes it; it scrolls with the
    keys that scroll the panes, and has a footer of its own keys."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", priority=True,
                id="help.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, priority=True, id="help.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, priority=True, id="help.up"),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False, priority=True,
                id="help.page_down"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, priority=True,
                id="help.page_up"),
        Binding("g,home", "scroll('home')", "Top", show=False, priority=True, id="help.top"),
        Binding("G,end", "scroll('end')", "Bottom", show=False, priority=True, id="help.bottom"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("ifex-tui keys", style="bold"), id="help-title")
            yield Static(help_table(getattr(self.app, "keymap", {})))
        yield KeyFooter(id="footer")

    def action_scroll(self, where: str) -> None:
        """Scroll at once, not after the next refresh (Textual's ``scroll_down`` and the like
        wait for it), so a burst of keys scrolls as far as the same keys one by one."""
        view = self.query_one("#help", VerticalScroll)
        y, page = view.scroll_y, view.scrollable_content_region.height
        target = {"down": y + 1, "up": y - 1, "page_down": y + page, "page_up": y - page,
                  "home": 0, "end": view.max_scroll_y}[where]
        view.scroll_to(y=max(0, min(target, view.max_scroll_y)), animate=False, immediate=True)
