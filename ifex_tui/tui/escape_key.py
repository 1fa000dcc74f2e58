"""``escape`` followed at once by another key is read as those two keys, not as ``alt`` + key.

A terminal sends ``alt+j`` as escape then ``j``, so Textual reads escape and a key that reach
it together (within ``ESCDELAY``, 100 ms; tmux holds a lone escape up to its ``escape-time``,
500 ms by default, and then sends both at once) as one key.  Worse than ``alt+j``: escape then
``f`` is ``ctrl+right``, escape then ``1`` is ``¡`` (a macOS terminal's option key), escape
then ``/`` is ``/`` with the escape lost.  A researcher who leaves the search box and moves
on, or clears a pane and finds a value, types exactly that.  The app binds no ``alt`` key, so
:class:`EscapeFirstParser` reads every such pair as the escape key and then the key.

What stays as Textual reads it: the pairs terminals send for keys of their own
(:data:`KEYS_OF_THEIR_OWN`: macOS terminals' option+left and option+right, alt+backspace), and
the introducers of longer sequences (``ESC [``, ``ESC O``, ``ESC P``, ``ESC ]``, ...), which
arrow keys and the terminal's replies begin with.  A terminal that
reports keys unambiguously (the kitty protocol) sends ``alt`` keys as longer sequences, which
are untouched, so a user keymap's ``alt`` key still works there.

Only the POSIX driver reads bytes this way; :class:`EscapeFirstDriver` is it with this parser.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Iterable

from rich._loop import loop_last
from textual import events
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

ESC = "\x1b"
#: Second characters that begin a longer sequence (CSI, SS3, DCS, OSC, APC, PM, SOS, ST).
_INTRODUCERS = frozenset("[OP]_^X\\" + ESC)
#: Pairs a terminal sends for one key: ``ESC b`` and ``ESC f`` (macOS terminals' option+left
#: and option+right: a word back and on in a box) and ``ESC`` backspace (alt+backspace: delete
#: a word).  Textual reads them as ``ctrl+left``, ``ctrl+right`` and ``ctrl+w``.
KEYS_OF_THEIR_OWN = frozenset({ESC + "b", ESC + "f", ESC + "\x7f"})


class EscapeFirstParser(XTermParser):
    """Textual's parser, but an escape and a key that arrive together are the two keys."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if (
            len(sequence) == 2 and sequence[0] == ESC and sequence[1] not in _INTRODUCERS
            and sequence not in KEYS_OF_THEIR_OWN
        ):
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence[1])
            return
        yield from super()._sequence_to_key_events(sequence, alt)


class EscapeFirstDriver(LinuxDriver):
    """Textual's POSIX driver reading keys through :class:`EscapeFirstParser`.

    ``run_input_thread`` is Textual 8.2.8's (the version ``pyproject.toml`` pins) with only
    the parser's class changed: the driver makes its parser inside this method."""

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = EscapeFirstParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process_selector_events(selector_events: list, final: bool = False) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not data:
                        break
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
