"""The export dialog (``ctrl+e``): the alerts in view or the marked ones, in a format, to a file.

It only asks: which alerts (when some are marked), which format (a list; moving in it changes
the proposed file's extension) and where (a path, proposed in the current folder).  ``enter``
exports from any part once the file is checked (in a worker: a folder, a missing or read-only
folder or an archive is said in the dialog, which stays open; an existing file, or one named
for another format, needs a second ``enter``).  The screen writes the file in a worker, so
keys never wait for a large export, and says when it is done and how it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ifex_tui.archive.writing import EXTENSIONS, check_target, target_of, written_beside
from ifex_tui.tui.type_ahead import TypeAhead
from ifex_tui.tui.widgets.key_footer import KeyFooter
from ifex_tui.tui.widgets.text_entry import TextEntry
from ifex_tui.wording import counted

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


def _existing(files: list[Path]) -> str:
    """The warning for export files that exist: the first in full, the others (beside it) by
    name: ``/x/a.csv and a.csv.provenance.json exist: …``."""
    if not files:
        return ""
    named = " and ".join([str(files[0]), *(file.name for file in files[1:])])
    if len(files) == 1:
        return f"{named} exists: enter again to replace it, or tab to the file."
    return f"{named} exist: enter again to replace them, or tab to the file."


def _short(fmt: str) -> str:
    """A format's name without its note: ``CSV``, ``JSON Feed``."""
    return FORMAT_NAMES[fmt].split(" (")[0]


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    path: Path
    #: The marked alerts rather than those in view.
    marked: bool = False


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose a format and a file; enter exports, escape cancels."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", priority=True, id="export.cancel"),
        Binding("enter", "submit", "Export", priority=True, id="export.submit"),
        Binding("tab", "switch(1)", "Next choice", priority=True, id="export.switch"),
        Binding("shift+tab", "switch(-1)", "Previous choice", show=False, priority=True,
                id="export.switch_back"),
        # The lists' own keys (and Textual's shift+tab) would reach them after a tab typed
        # later (not priority): bound here, every key of the dialog acts in the order typed.
        Binding("down", "move(1)", "Down", show=False, priority=True, id="export.down"),
        Binding("up", "move(-1)", "Up", show=False, priority=True, id="export.up"),
        Binding("home,pageup", "move_to(0)", "First", show=False, priority=True,
                id="export.first"),
        Binding("end,pagedown", "move_to(-1)", "Last", show=False, priority=True,
                id="export.last"),
    ]

    HINT = "tab: next choice · enter: export · escape: cancel"

    @dataclass
    class Checked(Message):
        """What writing to ``path`` would meet: the files of the export that exist already
        (``existing``, the export's own first), or a reason it cannot be written."""

        path: Path
        existing: list[Path]
        problem: str | None

    def __init__(self, count: int, described: str, folder: Path, stem: str, marked: int,
                 picked: int, type_ahead: TypeAhead):
        super().__init__()
        #: The keys typed after an enter wait for its check (the browser's ``type_ahead``): a
        #: second enter in the same burst goes past the warning the first one met, as slowly.
        self.type_ahead = type_ahead
        self._checking = False
        self.count, self.described, self.folder, self.stem = count, described, folder, stem
        #: How many alerts are marked, and how many of those in view are picked by id (the
        #: Marked filter): an export of more than a few lists their ids in a file of its own.
        self.marked, self.picked = marked, picked
        #: The warnings given (what, file) since the file was last edited: a second enter on
        #: the same file goes past them, but not once the file was changed and typed back.
        self._warned: set[tuple[str, Path]] = set()
        #: The choices (format, marked or not) the title and the file were last made for.
        self._followed: tuple[str, bool] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(self._title(marked=bool(self.marked)), id="export-title", markup=False)
            if self.marked:
                yield OptionList(
                    Option(f"The marked alerts: {self.marked:,}", id="marked"),
                    Option(f"The alerts in view: {self.count:,}", id="view"),
                    id="export-what",
                )
            yield OptionList(*(Option(name, id=fmt) for fmt, name in FORMAT_NAMES.items()),
                             id="export-formats")
            yield TextEntry(id="export-path")
            yield Static(self.HINT, id="export-hint", markup=False)
        yield KeyFooter(id="footer")

    def _title(self, *, marked: bool) -> str:
        if marked:
            return f"Export the {counted(self.marked, 'marked alert')} (whatever the filters)"
        return f"Export {counted(self.count, 'alert')} ({self.described})"

    @property
    def _choices(self) -> list:
        """The dialog's parts in tab order."""
        return list(self.query("#export-what, #export-formats, #export-path"))

    @property
    def exporting_marked(self) -> bool:
        what = self.query("#export-what")
        if not what:
            return False
        chosen = what.first(OptionList)
        return chosen.get_option_at_index(chosen.highlighted or 0).id == "marked"

    def on_mount(self) -> None:
        # What was said before the dialog (a citation copied) would be drawn over its file box
        # for seconds; the dialog has the screen to itself, and says what it has to say.
        self.app.clear_notifications()
        formats = self.query_one("#export-formats", OptionList)
        formats.highlighted = 0
        entry = self.query_one("#export-path", TextEntry)
        entry.value = str(self._path_for("csv"))
        # told at once, in the order typed: a Changed message would come after an enter
        self.watch(entry, "value", lambda _value: self._warned.clear(), init=False)
        if self.marked:  # marks were made to be taken out: they come first
            self.query_one("#export-what", OptionList).highlighted = 0
        self.set_focus(self._choices[0])

    def _path_for(self, fmt: str) -> Path:
        return self.folder / f"{self.stem}.{EXTENSIONS[fmt]}"

    @property
    def fmt(self) -> str:
        formats = self.query_one("#export-formats", OptionList)
        return formats.get_option_at_index(formats.highlighted or 0).id or "csv"

    def on_option_list_option_highlighted(self, message: OptionList.OptionHighlighted) -> None:
        """A click in a list.  A key's move comes here too, after the keys typed behind it:
        followed already (in :meth:`action_move`), it must not propose the file again over
        what those keys typed in the file box."""
        if (self.fmt, self.exporting_marked) != self._followed:
            self._follow_choices()

    def _follow_choices(self) -> None:
        """The title follows the alerts chosen; the proposed file follows the format (a name
        the user typed keeps its folder), its cursor at the end.  Called as a key moves, so
        keys typed after it (a tab, the file) find the file already proposed."""
        self._followed = (self.fmt, self.exporting_marked)
        self.query_one("#export-title", Static).update(self._title(marked=self.exporting_marked))
        entry = self.query_one("#export-path", TextEntry)
        current = Path(entry.value) if entry.value.strip() else self._path_for("csv")
        stem = current.name.split(".", 1)[0] or self.stem
        proposed = str(current.with_name(f"{stem}.{EXTENSIONS[self.fmt]}"))
        if proposed != entry.value:
            entry.value = proposed
            entry.cursor_position = len(proposed)
            hint = self.query_one("#export-hint", Static)  # a warning about the old file
            hint.update(self.HINT)
            hint.remove_class("-warning")

    def entry_for_text(self) -> TextEntry:
        """Where text typed on a list goes (the app asks, as the key arrives): the file box,
        its proposal selected so that the typing replaces it, as after a tab to it.  A list
        takes no text: a path typed one tab too soon (with marks there is one part more) was
        dropped, and the enter after it exported to the proposed file."""
        entry = self.query_one("#export-path", TextEntry)
        if self.focused is not entry:
            entry.select_all()
            self.set_focus(entry)
        return entry

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """The list keys are the file box's own there (home and end move its cursor)."""
        return not (action in ("move", "move_to") and isinstance(self.focused, TextEntry))

    def action_move(self, step: int) -> None:
        """Move in the focused list, round from one end to the other as the list does."""
        focused = self.focused
        if isinstance(focused, OptionList) and step > 0:
            focused.action_cursor_down()
        elif isinstance(focused, OptionList):
            focused.action_cursor_up()
        self._follow_choices()

    def action_move_to(self, index: int) -> None:
        """Go to the first (0) or the last (-1) entry of the focused list."""
        focused = self.focused
        if isinstance(focused, OptionList) and focused.option_count:
            focused.highlighted = index % focused.option_count
        self._follow_choices()

    def action_switch(self, step: int) -> None:
        """The next (or previous) part, as the keys after it must find it: Textual's own
        ``shift+tab`` acted after a ``down`` typed behind it, which moved the list left."""
        choices = self._choices
        following = choices[(choices.index(self.focused) + step) % len(choices)
                            if self.focused in choices else 0]
        if isinstance(following, TextEntry):
            following.select_all()  # typing replaces the proposal (as the search box does)
        self.set_focus(following)

    def action_submit(self) -> None:
        """Export with the choices as they stand, from any part, once the file is checked."""
        written = self.query_one("#export-path", TextEntry).value.strip()
        if not written:
            self._hint("Type the file to write.")
            return
        try:
            path = target_of(written)
        except OSError as exc:
            self._hint(f"{exc.filename}: {exc.strerror}: give the file's name too.")
            return
        self._checking = True
        self.type_ahead.wait(lambda: not self._checking)
        self._check(path, self.fmt, self.marked if self.exporting_marked else self.picked)

    @work(thread=True, exclusive=True, group="export-check", exit_on_error=False)
    def _check(self, path: Path, fmt: str, ids: int) -> None:
        """Whether ``path`` can be written, and which of the files the export writes exist
        (how it was made, beside it, is replaced as the export is).  Always answered: keys
        wait for it."""
        try:
            check_target(path)
            files = [path, *written_beside(path, fmt, ids)]
            existing = [file for file in files if file.exists()]
        except OSError as exc:
            self.post_message(self.Checked(path, [], f"{exc.filename}: {exc.strerror}"))
            return
        except Exception as exc:  # not the file's: said, and the keys go on
            self.post_message(self.Checked(path, [], f"{path}: cannot be checked ({exc})"))
            return
        self.post_message(self.Checked(path, existing, None))

    def on_export_dialog_checked(self, message: Checked) -> None:
        self._checking = False
        self._answer(message)
        self.type_ahead.catch_up()  # the keys typed after the enter, where it left the dialog

    def _answer(self, message: Checked) -> None:
        if message.problem is not None:
            self._hint(message.problem)
            return
        path, other = message.path, self._other_format(message.path)
        warnings = [
            ("format", other is not None,
             f"{path.name} is named like {other}, but the format is {_short(self.fmt)}: enter "
             "again to write that, or choose another format."),
            ("exists", bool(message.existing), _existing(message.existing)),
        ]
        for what, applies, text in warnings:
            if applies and (what, path) not in self._warned:
                self._warned.add((what, path))
                self._hint(text)
                return
        self.dismiss(ExportRequest(self.fmt, path, marked=self.exporting_marked))

    def _other_format(self, path: Path) -> str | None:
        """The format a file named ``path`` says it holds, when it is not the chosen one."""
        name = path.name.lower()
        if name.endswith("." + EXTENSIONS[self.fmt]):
            return None
        named = [fmt for fmt, extension in EXTENSIONS.items() if name.endswith("." + extension)]
        return _short(named[0]) if named else None

    def _hint(self, text: str) -> None:
        hint = self.query_one("#export-hint", Static)
        hint.update(text)
        hint.add_class("-warning")
