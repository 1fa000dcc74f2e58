"""The Textual app: a thin shell that opens the archive and pushes the browser screen."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from ifex_tui.archive import schema
from ifex_tui.tui.commands import IfexCommands
from ifex_tui.tui.reader import ArchiveReader
from ifex_tui.tui.screens.browser import BrowserScreen


class IfexApp(App):
    """Browse one archive file."""

    CSS_PATH = "app.tcss"
    TITLE = "ifex-tui"
    COMMANDS = App.COMMANDS | {IfexCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_always"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
    ]

    def __init__(self, archive: Path):
        super().__init__()
        self.archive = archive
        self.sub_title = str(archive)

    def on_mount(self) -> None:
        self.push_screen(BrowserScreen(ArchiveReader(self.archive)))

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def run(archive: Path) -> None:
    """Create or migrate the archive (before any read-only connection needs it), then browse."""
    schema.connect(archive).close()
    IfexApp(archive).run()
