"""``escape`` followed at once by another key is read as those two keys, not as ``alt`` + key.

A terminal sends ``alt+j`` as escape then ``j``, so Textual reads escape and a key that reach
it together (within ``ESCDELAY``, 100 ms; tmux holds a lone escape up to its ``escape-time``,
500 ms by default, and then sends both at once) as one key.  Worse than ``alt+j``: escape then
``f`` is ``ctrl+right``, escape then ``1`` is ``¡`` (a macOS terminal's option key), escape
then ``/`` is ``/`` with the escape lost.  A researcher who leaves the search box and moves
on, or clears a pane and finds a value, types exactly that.  The app binds no ``alt`` key, so
:class:`EscapeFirstParser` reads every such pair as the escape key and then the key.

Three pairs are also what terminals send for keys of their own (:data:`KEYS_OF_THEIR_OWN`:
macOS terminals' option+left and option+right, alt+backspace): they come as an
:class:`EscapePair`, which is that key in a text box (a word back, a word on, a word deleted)
and the two keys anywhere else (the app decides as it presses it: ``IfexApp._press``).  The
introducers of longer sequences (``ESC [``, ``ESC O``, ``ESC P``, ``ESC ]``, ...), which arrow
keys and the terminal's replies begin with, stay as Textual reads them.  A terminal that
reports keys unambiguously (the kitty protocol) sends ``alt`` keys as longer sequences, which
are untouched, so a user keymap's ``alt`` key still works there.

Only the POSIX driver reads bytes this way: ``escape_driver.py`` is it with this parser.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser

ESC = "\x1b"
#: Second characters that begin a longer sequence (CSI, SS3, DCS, OSC, APC, PM, SOS, ST).
_INTRODUCERS = frozenset("[OP]_^X\\" + ESC)
#: Pairs a terminal sends for one key: ``ESC b`` and ``ESC f`` (macOS terminals' option+left
#: and option+right: a word back and on in a box) and ``ESC`` backspace (alt+backspace: delete
#: a word).  Textual reads them as ``ctrl+left``, ``ctrl+right`` and ``ctrl+w``.
KEYS_OF_THEIR_OWN = frozenset({ESC + "b", ESC + "f", ESC + "\x7f"})


class EscapePair(events.Key):
    """A pair of :data:`KEYS_OF_THEIR_OWN`: the terminal's own key (``key``, as Textual reads
    the pair) or ``escape`` then :attr:`second`, by where it is pressed."""

    def __init__(self, key: str, second: events.Key) -> None:
        super().__init__(key, None)
        self.second = second


#: Handled as any key is (a subclass of a message gets a handler name of its own).
EscapePair.handler_name = events.Key.handler_name


class EscapeFirstParser(XTermParser):
    """Textual's parser, but an escape and a key that arrive together are the two keys."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if len(sequence) == 2 and sequence[0] == ESC and sequence[1] not in _INTRODUCERS:
            second = list(super()._sequence_to_key_events(sequence[1]))
            if sequence in KEYS_OF_THEIR_OWN:
                (own,) = super()._sequence_to_key_events(sequence, alt)
                yield EscapePair(own.key, *second)
                return
            yield events.Key("escape", ESC)
            yield from second
            return
        yield from super()._sequence_to_key_events(sequence, alt)
