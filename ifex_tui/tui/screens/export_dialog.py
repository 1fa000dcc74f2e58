"""The export dialog (``ctrl+e``): the alerts in view, in a format, to a file.

It only asks: which format (a list; moving in it changes the proposed file's extension) and
where (a path, proposed in the current folder).  The screen writes the file in a worker, so
keys never wait for a large export, and says when it is done and how it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ifex_tui.archive.writing import EXTENSIONS
from ifex_tui.tui.widgets.key_footer import KeyFooter
from ifex_tui.tui.widgets.text_entry import TextEntry

FORMAT_NAMES = {
    "csv": "CSV (a spreadsheet; provenance beside it)",
    "json": "JSON (every field; provenance beside it)",
    "jsonfeed": "JSON Feed (re-importable; provenance inside)",
    "markdown": "Markdown (to read; provenance as front matter)",
    "csl-json": "CSL-JSON (Zotero, citeproc)",
    "ris": "RIS (reference managers)",
    "biblatex": "BibLaTeX (@online)",
    "bibtex": "BibTeX (@misc)",
}


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    path: Path


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose a format and a file; enter exports, escape cancels."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", priority=True, id="export.cancel"),
        Binding("enter", "submit", "Export", priority=True, id="export.submit"),
        Binding("tab", "switch", "Format / file", priority=True, id="export.switch"),
    ]

    def __init__(self, count: int, described: str, folder: Path, stem: str):
        super().__init__()
        self.count, self.described, self.folder, self.stem = count, described, folder, stem

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(f"Export {self.count:,} alerts ({self.described})", id="export-title",
                         markup=False)
            yield OptionList(*(Option(name, id=fmt) for fmt, name in FORMAT_NAMES.items()),
                             id="export-formats")
            yield TextEntry(id="export-path")
            yield Static("tab: format / file · enter: export · escape: cancel", id="export-hint")
        yield KeyFooter(id="footer")

    def on_mount(self) -> None:
        formats = self.query_one("#export-formats", OptionList)
        formats.highlighted = 0
        self.query_one("#export-path", TextEntry).value = str(self._path_for("csv"))
        self.set_focus(formats)

    def _path_for(self, fmt: str) -> Path:
        return self.folder / f"{self.stem}.{EXTENSIONS[fmt]}"

    @property
    def fmt(self) -> str:
        formats = self.query_one("#export-formats", OptionList)
        return formats.get_option_at_index(formats.highlighted or 0).id or "csv"

    def on_option_list_option_highlighted(self, message: OptionList.OptionHighlighted) -> None:
        """The proposed file follows the format (a name the user typed keeps its folder)."""
        entry = self.query_one("#export-path", TextEntry)
        current = Path(entry.value) if entry.value.strip() else self._path_for("csv")
        stem = current.name.split(".", 1)[0] or self.stem
        entry.value = str(current.with_name(f"{stem}.{EXTENSIONS[message.option.id]}"))

    def action_switch(self) -> None:
        path = self.query_one("#export-path", TextEntry)
        if self.focused is path:
            self.set_focus(self.query_one("#export-formats"))
        else:
            path.select_all()  # typing replaces the proposal (as the search box does)
            self.set_focus(path)

    def action_submit(self) -> None:
        path = self.query_one("#export-path", TextEntry)
        if self.focused is not path:  # enter on a format chooses it: on to the file
            self.action_switch()
            return
        if path.value.strip():
            self.dismiss(ExportRequest(self.fmt, Path(path.value.strip()).expanduser()))
