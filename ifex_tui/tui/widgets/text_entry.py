"""A one-line text entry whose every key is handled as it arrives.

Textual resolves *priority* bindings when a key arrives, in the App's queue, but hands other
keys to the focused widget's own queue, where they are read later.  A burst typed at paste
speed (``/radio⏎x``) would then apply the search before ``radio`` was read, or type the ``x``
into the box after it was closed.  So an entry binds its text keys too: each printable ASCII
and Latin character, and Input's editing keys, are priority bindings of the entry itself.
Every key of the app is then resolved in the order it arrives, against the focus and modes of
that moment, and nothing has to be reordered by hand.  (A character beyond those, Arabic or
Chinese say, still reaches the entry through Input's own key handler, a moment later.)
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.keys import _character_to_key
from textual.widgets import Input
from textual.widgets.input import Selection

#: ASCII and the Latin letters of most names in the archive (é, ô, ü, ş, ł …).
_PRINTABLE = [chr(code) for code in (*range(0x20, 0x7F), *range(0xA1, 0x180)) if chr(code).isprintable()]


#: The key names of those characters (``slash`` for ``/``).
_TYPED_KEYS = frozenset(_character_to_key(char) for char in _PRINTABLE)


def typing_bindings() -> list[Binding]:
    """One priority binding per printable character of :data:`_PRINTABLE`, typing it."""
    return [
        Binding(_character_to_key(char), f"type({char!r})", show=False, priority=True,
                id=f"entry.type.{_character_to_key(char)}", system=True)
        for char in _PRINTABLE
    ]


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

    BINDINGS = [*editing_bindings(), *typing_bindings()]

    def __init__(self, *, placeholder: str = "", id: str | None = None):
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Every key the entry types is text here, so no binding of a pane or the screen
        (``/`` for search, ``-`` …) takes it first.  Textual's own check misses the keys whose
        names it cannot turn back into a character (``slash``, ``minus``, ``at`` …)."""
        return key in _TYPED_KEYS or super().check_consume_key(key, character)

    def select_all(self) -> None:
        """Select the whole text now (typing then replaces it, as in a browser's search)."""
        self.selection = Selection(0, len(self.value))

    def action_type(self, text: str) -> None:
        """Type ``text`` as Input does: over the selection if there is one, else at the cursor."""
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
