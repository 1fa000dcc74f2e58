"""The ``?`` help screen: every key, read from the bindings themselves.

The table is built from the BINDINGS of the app, the browser and each widget, so it can never
drift from what the keys really do.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

NOTES = (
    ("typing", "in Countries or Years: type-to-find, the highlight jumps to the first match;"),
    ("", "a key that starts no value there (x, q, j, k …) keeps its usual job;"),
    ("", "in Years digits always type a year: tab or shift+tab leaves it"),
    ("tab / shift+tab", "cycle the panes"),
    ("mouse", "click to select, wheel to scroll"),
    ("ctrl+p", 'command palette: "Country: …", "Year: …", "Clear filters", "Toggle theme"'),
)


def _owners():
    from ifex_tui.tui.app import IfexApp
    from ifex_tui.tui.screens.browser import BrowserScreen
    from ifex_tui.tui.widgets.alert_detail import AlertDetail
    from ifex_tui.tui.widgets.alert_list import AlertList
    from ifex_tui.tui.widgets.facet_list import FacetList
    from ifex_tui.tui.widgets.search_box import SearchBox

    return (
        ("Everywhere", [*IfexApp.BINDINGS, *BrowserScreen.BINDINGS]),
        ("Countries and Years panes", FacetList.BINDINGS),
        ("Alerts pane", AlertList.BINDINGS),
        ("Detail pane", AlertDetail.BINDINGS),
        ("Search box", SearchBox.BINDINGS),
    )


def _key_names(binding: Binding) -> str:
    return " / ".join(
        {"question_mark": "?", "slash": "/"}.get(k.strip(), k.strip()) for k in binding.key.split(",")
    )


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", min_width=16)
    table.add_column()
    for title, bindings in _owners():
        table.add_row(Text(title, style="bold underline"), "")
        for binding in bindings:
            table.add_row(_key_names(binding), binding.description)
        table.add_row("", "")
    table.add_row(Text("Also", style="bold underline"), "")
    for keys, what in NOTES:
        table.add_row(keys, what)
    return table


class HelpScreen(ModalScreen):
    """Every key the browser understands; any of escape, q, ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("ifex-tui keys", style="bold"), id="help-title")
            yield Static(help_table())
