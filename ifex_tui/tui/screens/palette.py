"""The command palette: Textual's, with an ``enter`` that chooses among the commands matching
what was typed before it.

Textual's palette searches its commands in a worker each time its text changes.  An ``enter``
that comes before that search has answered chose among the entries shown before it: typed in
one burst, ``Country: Iran⏎`` ran the first entry the palette offers with nothing typed,
"Clear filters", and every filter and the search were gone.  Here such an ``enter`` waits for
the search of what was typed, and then does what it does typed slowly.

It reads two of Textual's private names, the search worker's group and the handler that
chooses (``_GATHER_COMMANDS_GROUP``, ``_select_or_command``): ``pyproject.toml`` pins the
Textual they are read from.
"""

from __future__ import annotations

from textual import on
from textual.command import CommandPalette
from textual.widgets import Input
from textual.worker import Worker


class SettledPalette(CommandPalette):
    """The palette whose ``enter`` waits for the search of what was typed before it."""

    def __init__(self) -> None:
        super().__init__(id="--command-palette")
        self._enter_waiting = False

    def _searching(self) -> bool:
        """Whether a search of the text typed is still to answer.  The text's change reaches
        the palette before the ``enter`` typed after it (one queue), so the search it starts
        is known by then."""
        return any(
            worker.node is self and worker.group == self._GATHER_COMMANDS_GROUP
            and not worker.is_finished and not worker.is_cancelled
            for worker in self.app.workers
        )

    @on(Input.Submitted)
    def _choose_once_searched(self, event: Input.Submitted) -> None:
        """Hold an ``enter`` that came before the search of the text it follows (Textual's
        own handler, further down, then does not see it)."""
        if self._searching():
            event.prevent_default()
            event.stop()
            self._enter_waiting = True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self._enter_waiting and not self._searching():
            self._enter_waiting = False
            self._select_or_command()
