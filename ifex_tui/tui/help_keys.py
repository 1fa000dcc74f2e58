"""Who owns which bindings: the one list the help screen, the keymap and the tests read."""

from __future__ import annotations

from textual.binding import Binding

#: The owners that are screens of their own (the browser's keys do not act in them).
MODAL_OWNERS = ("Export dialog (ctrl+e)", "Help")


def binding_owners() -> list[tuple[str, list[Binding]]]:
    """``(where, bindings)`` for every part of the app that binds keys, in help order."""
    from ifex_tui.tui.app import IfexApp
    from ifex_tui.tui.screens.browser import BrowserScreen
    from ifex_tui.tui.screens.export_dialog import ExportDialog
    from ifex_tui.tui.screens.help import HelpScreen
    from ifex_tui.tui.widgets.alert_detail import AlertDetail
    from ifex_tui.tui.widgets.alert_list import AlertList
    from ifex_tui.tui.widgets.facet_list import FacetList
    from ifex_tui.tui.widgets.find_box import FindBox
    from ifex_tui.tui.widgets.search_box import SearchBox

    def own(widget) -> list[Binding]:
        return [b for b in widget.BINDINGS if isinstance(b, Binding)]

    return [
        ("Everywhere", [*own(IfexApp), *own(BrowserScreen)]),
        ("Facet panes (1 Countries, 2 Years, 3 Violations/Targets/Sources/Regions)", own(FacetList)),
        ("Find box (f in a facet pane)", own(FindBox)),
        ("Alerts pane", own(AlertList)),
        ("Detail pane", own(AlertDetail)),
        ("Search box (/)", own(SearchBox)),
        ("Export dialog (ctrl+e)", own(ExportDialog)),
        ("Help", own(HelpScreen)),
    ]


def key_names(keys: str) -> str:
    """``question_mark,f1`` as a person reads it: ``? / f1``."""
    readable = {"question_mark": "?", "slash": "/", "minus": "-", "space": "space"}
    return " / ".join(readable.get(k.strip(), k.strip()) for k in keys.split(","))
