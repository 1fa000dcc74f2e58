"""Keys typed in a burst act in the order they were typed.

Textual hands each key to the widget focused when the key *arrives*, and resolves bindings
later, as the key bubbles up.  Typed in one burst (a fast typist, a paste, a slow moment of the
app), ``1mex⏎`` would queue all five keys on the alert list before ``1`` had moved the focus,
and ``mex⏎`` would be lost.  So the keys that move focus or end a mode act as soon as the pane
that received them reads them (:func:`act_now`), and a pane that receives a key after it has
lost focus passes it on to the one that has focus now (:func:`forward_if_stale`).  The
bindings stay declared as usual, for the footer and the help screen.
"""

from __future__ import annotations

from collections.abc import Callable

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
    _consume(event)
    focused.post_message(events.Key(event.key, event.character))
    return True


def act_now(widget: Widget, event: events.Key, actions: dict[str, Callable[[], object]]) -> bool:
    """Run the action for ``event.key`` at once (also the screen's keys: 1-4, /, x, ?).

    Returns:
        True when the key was acted on (the caller must not handle it).
    """
    screen = widget.screen
    # Focus moves at once (the keys behind it must see it); what changes the filters goes
    # through the screen's queue, after the toggles this pane has already sent there.
    panes = {str(n): lambda n=n: screen.action_focus_pane(n - 1) for n in range(1, 5)}
    keys = {
        "slash": screen.action_search,
        "x": lambda: screen.call_later(screen.action_clear_filters),
        "question_mark": lambda: screen.call_later(screen.action_help),
        "f1": lambda: screen.call_later(screen.action_help),
    }
    action = {**panes, **keys, **actions}.get(event.key)
    if action is None:
        return False
    _consume(event)
    action()
    return True


def _consume(event: events.Key) -> None:
    event.stop()
    event.prevent_default()
