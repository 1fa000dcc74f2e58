"""A one-line text entry whose text is typed as each key arrives, in the order typed.

Textual resolves *priority* bindings when a key arrives, in the App's queue, but hands other
keys to the focused widget's own queue, where they are read later.  A burst typed at paste
speed (``/radio⏎x``) would then apply the search before ``radio`` was read, or type the ``x``
into the box after it was closed; and text mixing keys the app resolves at once with keys it
hands on came out of order (``a 記者 b`` as ``a  b記者``).  So the app types text
into a focused entry itself, as each key arrives and before any binding reads it
(:meth:`TextEntry.type_now`, called by ``IfexApp.on_event``): every printable character,
whatever its script, and a paste (made one line).  Input's editing keys
(backspace, arrows, home …) are priority bindings of the entry.  Every key of the app is
then resolved in the order it arrives, against the focus and modes of that moment, and
nothing has to be reordered by hand.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events
from textual.binding import Binding
from textual.keys import _character_to_key
from textual.widgets import Input
from textual.widgets.input import Selection

#: The key names of printable ASCII (``slash`` for ``/``), where the app's command keys are.
_ASCII_KEYS = frozenset(_character_to_key(chr(code)) for code in range(0x20, 0x7F))


def editing_bindings() -> list[Binding]:
    """Input's own editing keys (backspace, arrows, home …), resolved as they arrive.

    Enter is left out: each entry binds it to what applying means there.
    """
    return [
        replace(binding, priority=True, id=f"entry.{binding.key.split(',')[0]}", system=True)
        for binding in Input.BINDINGS
        if isinstance(binding, Binding) and binding.action != "submit"
    ]


class TextEntry(Input):
    """An Input whose keys all act as they arrive (see the module docstring).

    Input selects its text when it gains focus, but it learns of the focus a moment later,
    so the selection would land among keys already typed; whoever opens an entry selects
    what it wants at once instead (:meth:`select_all`).
    """

    BINDINGS = editing_bindings()

    def __init__(self, *, placeholder: str = "", id: str | None = None):
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Whether the entry takes ``key`` as text, so that no binding of the screen shows
        for it in the footer while the entry has the focus (``/ Search`` in the search box).
        Textual's own check misses the keys whose names it cannot turn back into a character
        (``slash``, ``minus``, ``at`` …)."""
        return key in _ASCII_KEYS or super().check_consume_key(key, character)

    def type_now(self, event: events.Key | events.Paste) -> bool:
        """Type ``event``'s text now if it is text (a printable key's character, or a paste,
        its lines joined and its runs of white space made one space: Input kept the first line
        and dropped the rest without a word), and say whether it was: the app calls this as the event arrives, so a key that
        is text here is never a binding (``q``, ``/``, ``x``)."""
        if isinstance(event, events.Paste):
            if text := " ".join(event.text.split()):  # one line: tabs and breaks a space
                self.action_type(text)
            return True
        if event.is_printable and event.character:
            self.action_type(event.character)
            return True
        return False

    def select_all(self) -> None:
        """Select the whole text now (typing then replaces it, as in a browser's search)."""
        self.selection = Selection(0, len(self.value))

    def action_type(self, text: str) -> None:
        """Type ``text`` as Input does: over the selection if there is one, else at the cursor."""
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
