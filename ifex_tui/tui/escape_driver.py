"""Textual's POSIX driver, reading keys through ``escape_key.EscapeFirstParser`` (an escape
and the key typed right after it are two keys).  A module of its own: the driver needs
``termios``, which Windows has not, and the app imports the parser everywhere."""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from rich._loop import loop_last
from textual._parser import ParseError
from textual.drivers.linux_driver import LinuxDriver

from ifex_tui.tui.escape_key import EscapeFirstParser


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
