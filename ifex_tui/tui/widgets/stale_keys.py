"""Keys typed faster than focus moves still reach the pane they were meant for.

Textual hands each key to the widget focused when the key *arrives*.  Typing ``1mex`` in one
burst therefore queues all four keys on the alert list; ``1`` moves focus to the countries
pane, but ``m e x`` would still be delivered to the list, which ignores them.  A pane that
receives a key after it has lost focus passes it on to the widget that has focus now.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget


def forward_if_stale(widget: Widget, event: events.Key) -> bool:
    """Pass ``event`` on to the focused widget if ``widget`` is no longer focused.

    Returns:
        True when the key was passed on (the caller must not handle it).
    """
    focused = widget.screen.focused
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
    focused.post_message(events.Key(event.key, event.character))
    return True
