"""The Textual app: a thin shell that opens the archive, applies the keymap and the settings,
pushes the browser."""

from __future__ import annotations

import _sqlite3
import ctypes
import gc
import time
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.driver import Driver
from textual.widget import AwaitMount

from ifex_tui.archive import schema
from ifex_tui.tui import keymap as user_keymap
from ifex_tui.tui import settings
from ifex_tui.tui.commands import IfexCommands
from ifex_tui.tui.escape_key import ESC, EscapePair
from ifex_tui.tui.reader import ArchiveReader
from ifex_tui.tui.screens.browser import BrowserScreen
from ifex_tui.tui.screens.palette import SettledPalette
from ifex_tui.tui.type_ahead import TypeAhead
from ifex_tui.tui.widgets.text_entry import TextEntry

#: glibc's ``mallopt`` parameters: how many malloc arenas threads may spread over, and the
#: size from which a block is mapped on its own (and given back to the system when freed).
M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3
#: Blocks from this size up are mapped on their own.
MMAP_FROM = 256 * 1024


def _malloc_for_long_sessions() -> None:
    """Tune glibc's malloc so that what a search frees goes back to the system (glibc only;
    elsewhere nothing).

    - Two arenas for the workers' threads.  Every Textual thread worker is a new thread, and
      glibc gives threads arenas of their own (up to eight per core) whose freed memory it
      rarely hands back: at a million alerts the app grew from 96 to 152 MiB over 40
      searches and toggles, while Python's own objects grew 4 MB; with two, 128 MiB.
    - Blocks of 256 KiB and more always mapped on their own.  glibc otherwise raises that
      threshold to the largest block freed so far (up to 32 MB), so once SQLite had freed
      the lists FTS5 merges for a prefix search (``journ*``: about 24 MB at a million
      alerts), the next ones came from the arena and stayed: 114 MB to 167 after two prefix
      searches, against 110 to 112 (peak 133) with the threshold fixed.

    Neither cost anything measured in the searches or the toggles."""
    try:  # the C library the interpreter runs on (``find_library`` would run ldconfig)
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, TypeError, AttributeError):  # no mallopt (macOS, Windows): nothing to tune
        return
    mallopt(M_ARENA_MAX, 2)
    mallopt(M_MMAP_THRESHOLD, MMAP_FROM)


#: The keys that close Textual's command palette, and how long the keys typed after one wait
#: for it to close (enter on no command leaves it open: the keys then go on to it).
PALETTE_CLOSERS = ("escape", "enter")
PALETTE_CLOSING = 0.3

#: How much memory SQLite may hold in the app (every connection's page cache, statements and
#: FTS5's work): a prefix search merges the lists of every word it stands for at once (``a*``
#: about 130 MB at a million alerts) and would take the app far past its 150 MB; beyond this
#: it is refused as too broad (``search.too_broad``).  ``journ*`` and ``rep*`` need about 25 MB.
SQLITE_HEAP = 40 * 1024 * 1024


def _sqlite_heap_limit(limit: int) -> None:
    """Cap the memory SQLite may hold in this process (0: no cap).

    Through ``sqlite3_hard_heap_limit64`` of the SQLite the ``sqlite3`` module runs on (the
    ``hard_heap_limit`` PRAGMA can only lower a cap, and the tests run many apps and imports
    in one process); where that cannot be found, nothing is capped."""
    try:
        cap = ctypes.CDLL(_sqlite3.__file__).sqlite3_hard_heap_limit64
    except (OSError, AttributeError):
        return
    cap.restype, cap.argtypes = ctypes.c_int64, [ctypes.c_int64]
    cap(limit)


class IfexApp(App):
    """Browse one archive file."""

    CSS_PATH = "app.tcss"
    TITLE = "ifex-tui"
    COMMANDS = {IfexCommands}  # ours only: Textual's own (Keys, Screenshot …) do not fit here
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True,
                id="app.palette"),
    ]

    def __init__(self, archive: Path, keymap_file: Path | None = None,
                 settings_file: Path | None = None):
        super().__init__()
        _malloc_for_long_sessions()
        _sqlite_heap_limit(SQLITE_HEAP)
        self.archive = archive
        self.sub_title = str(archive)
        self.keymap, self._keymap_problems = user_keymap.load(keymap_file)
        self.settings, self._settings_problems = settings.load(self.available_themes, settings_file)
        self._type_ahead: TypeAhead | None = None  # the browser's, once it is up
        #: Keys pressed so far (a held key counts when it is pressed again): what tells a
        #: second ``q`` right after the first from one with other keys between them.
        self.keys_pressed = 0
        self.set_keymap(self.keymap)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver, but on POSIX terminals one that reads an escape and the key typed
        right after it as two keys (``escape_key.py``)."""
        found = super().get_driver_class()
        if found.__module__ != "textual.drivers.linux_driver":  # Windows, or TEXTUAL_DRIVER's
            return found
        from ifex_tui.tui.escape_driver import EscapeFirstDriver  # POSIX only: termios

        return EscapeFirstDriver

    def on_mount(self) -> None:
        self.theme = self.settings.theme
        browser = BrowserScreen(ArchiveReader(self.archive), self.settings)
        self._type_ahead = browser.type_ahead
        browser.type_ahead.press_held = partial(self.call_next, self._press_held)
        self.push_screen(browser)
        # Keys held while a screen closed go on once it has: after what it queued as it closed
        # (the palette runs its chosen command just after it pops), so that a filter typed
        # after a palette entry applies on top of it, as typed slowly.
        self.screen_change_signal.subscribe(
            self, lambda _screen: self.call_later(self.call_later, browser.type_ahead.catch_up))
        for problem in self._keymap_problems:
            self.notify(problem, title="Keymap", severity="warning", markup=False, timeout=10)
        for problem in self._settings_problems:
            self.notify(problem, title="Settings", severity="warning", markup=False, timeout=10)

    def on_ready(self) -> None:
        """Take what start-up built (widgets, styles, modules and their tables: most of the
        objects this process will hold) out of the garbage collector's full passes.

        A full pass walks every object the collector tracks; over start-up's ~85,000 it took
        20 to 70 ms, ran every few keypresses and landed inside one toggle in ten (the p95 of
        a toggle at a million alerts went from about 120 ms to 90).  Textual pauses the
        collector while scrolling (``PAUSE_GC_ON_SCROLL``) for the same reason.  Objects made
        later are collected as before."""
        gc.freeze()

    def on_unmount(self) -> None:
        # the next app in this process (the tests run many), or an import, starts clean
        gc.unfreeze()
        _sqlite_heap_limit(0)

    async def on_event(self, event: events.Event) -> None:
        """A key (or a paste) typed while one typed before it waits for an answer
        (``type_ahead``) waits too: held here, before any binding reads it (``ctrl+q``
        excepted: quitting never waits).  Otherwise it is pressed (:meth:`_press`)."""
        if isinstance(event, events.Key) and event.key == "ctrl+j" and not event.is_forwarded:
            # A newline is an enter: keys typed while the app starts reach the terminal before
            # it is raw, and the terminal turns their enter into a newline (``ICRNL``).
            event = events.Key("enter", "\r")
        ahead = self._type_ahead
        typed = isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded
        if typed and ahead is not None and ahead.holding and getattr(event, "key", None) != "ctrl+q":
            ahead.hold(event)
            return
        if typed:
            await self._press(event)
        else:
            await super().on_event(event)

    async def _press(self, event: events.Key | events.Paste) -> None:
        """Text for the focused entry is typed there at once, whatever its script (see
        ``widgets/text_entry.py``), and so is text typed where a screen has an entry for it
        (its ``entry_for_text``); any other key goes to the bindings.  An escape and a key
        that came as the terminal's own key (``escape_key.EscapePair``) are that key in a
        text box, and the two keys anywhere else: the second is pressed once the escape has
        done what it does (a find ended, a pane cleared), before any key typed after it."""
        if isinstance(event, EscapePair) and not isinstance(self.focused, TextEntry):
            await self._press(events.Key("escape", ESC))
            if self._type_ahead is not None:
                self._type_ahead.hold_first(event.second)
            else:
                await self._press(event.second)
            return
        if isinstance(event, events.Key):
            self.keys_pressed += 1
            if event.key in PALETTE_CLOSERS and isinstance(self.screen, CommandPalette):
                self._wait_for_palette(self.screen)
        focused = self.focused
        entry_for_text = getattr(self.screen, "entry_for_text", None)  # the dialog's
        if entry_for_text and not isinstance(focused, TextEntry) and self._is_text(event):
            focused = entry_for_text()
        if not (isinstance(focused, TextEntry) and focused.type_now(event)):
            await super().on_event(event)

    def _is_text(self, event: events.Key | events.Paste) -> bool:
        """Whether ``event`` is text no binding of the screen takes (a paste, or a printable
        key bound to nothing there)."""
        if isinstance(event, events.Paste):
            return True
        return (event.is_printable and bool(event.character)
                and event.key not in self.screen.active_bindings)

    def _wait_for_palette(self, palette: CommandPalette) -> None:
        """Hold the keys typed after an escape or an enter in the palette until it has closed
        (or :data:`PALETTE_CLOSING` has passed).  The palette closes on bindings of its own,
        read only once the key has gone through its box: a key typed right after would be
        typed into the palette as it closes, and lost (``escape j`` moved nothing)."""
        if self._type_ahead is None:
            return
        deadline = time.monotonic() + PALETTE_CLOSING
        self._type_ahead.wait(lambda: self.screen is not palette or time.monotonic() >= deadline)
        self.set_timer(PALETTE_CLOSING, self._type_ahead.catch_up)

    async def _press_held(self) -> None:
        """Press the held keys again, in order, until one of them must wait in its turn.  A
        key that opens a screen (the export dialog, help, the palette) has it mounted before
        the next key is pressed: until then the screen has no parts to take it."""
        while (key := self._type_ahead.next_held()) is not None:
            screen = self.screen
            await self._press(key)
            if self.screen is not screen:
                await AwaitMount(self.screen, [self.screen])

    def action_command_palette(self) -> None:
        """Textual's palette, with an ``enter`` that waits for the search of what was typed
        (``screens/palette.py``)."""
        if not SettledPalette.is_open(self):
            self.push_screen(SettledPalette())

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def run(archive: Path) -> None:
    """Make the archive ready for reading (migrated only when it must be and can be; a
    read-only archive is left as it is, a missing one is not made), then browse it read-only.

    Raises:
        schema.ArchiveError: one line naming the file (not ours, damaged, cannot be migrated).
    """
    schema.prepare_for_reading(archive, missing_ok=True)
    IfexApp(archive).run()
