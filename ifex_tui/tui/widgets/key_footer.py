"""The footer: the keys of the focused pane, as one line that is redrawn, never rebuilt.

Textual's ``Footer`` is a container with a widget per key, recomposed whenever the screen's
bindings may have changed (each focus change, and again after the next refresh).  Each
rebuild lays the whole screen out again, and each layout costs a further frame for the
scrollbars it touches: three frames of a keypress spent on a footer that often shows the
same keys.  This one is a single line of text: it is redrawn when the keys shown differ,
which costs one line, and a click on a key presses it, as on Textual's footer.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyFooter(Widget):
    """The focused pane's keys with what they do (disabled ones dimmed), click to press."""

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        #: (key as shown, description, enabled, key to press), in binding order.
        self.keys: tuple[tuple[str, str, bool, str], ...] = ()
        self._spans: list[tuple[int, int, str, bool]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        keys, actions = [], set()
        for _, binding, enabled, _ in screen.active_bindings.values():
            if binding.show and binding.action not in actions:  # one entry per action
                actions.add(binding.action)
                keys.append((self.app.get_key_display(binding), binding.description,
                             enabled, binding.key))
        if tuple(keys) != self.keys:
            self.keys = tuple(keys)
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for shown, description, enabled, key in self.keys:
            start = text.cell_len
            dim = Style() if enabled else Style(dim=True)
            text.append(shown, key_style + dim)
            text.append(f" {description}", description_style + dim)
            self._spans.append((start, text.cell_len, key, enabled))
            text.append(" ")
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
