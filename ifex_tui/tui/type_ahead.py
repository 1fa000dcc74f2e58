"""Keys typed ahead of the answers they act on, run in the order typed.

A researcher types ``/radio⏎ M v G`` in one burst.  Typed slowly, each key finds the screen
as the keys before it left it: ``M`` marks the search's alerts, ``v`` shows the marked ones
and keeps the alert under the cursor, ``G`` goes to the last.  Typed fast, the search's
results, ``M``'s bitmap and the row ``G`` lands on are still in workers when the next key
comes.  A key that reads any of them then would act on what was on screen before: the old
list's first alert, the marks before ``M``.

So such a key waits here until what it reads has come (``ready``), and every key typed after
it is held by the app before any binding reads it, to be pressed again once it has run: each
key then acts in the order typed, where the keys before it left the app.

- An answer moves the queue on (:meth:`TypeAhead.catch_up`).
- A failure drops it (:meth:`TypeAhead.drop`): the keys were meant for results that will not
  come, and the failure is what the screen shows.
- A bad search is an answer, not such a failure: the keys after its ``enter`` wait until the
  search is known to run, and if it cannot, they are typed into the box it reopens.
- A block of the list that cannot be read is an answer too: its rows are known to be missing,
  and a key on one of them says there is no alert there.

Nothing may wait for an answer that can neither come nor fail, or every key after it would
wait too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable


def at_once() -> bool:
    """For a key that reads nothing a worker brings (a filter change, a focus move): it
    waits only for the keys typed before it."""
    return True


class TypeAhead:
    """What waits for an answer: the first key that must, as the action it resolved to, and
    every key typed after it, held as typed (pressed again once that action has run, so each
    resolves where the keys before it left the app: after ``ctrl+e`` the dialog's keys go to
    the dialog, as typed slowly)."""

    def __init__(self) -> None:
        self._waiting: deque[tuple[Callable[[], bool], Callable[[], None]]] = deque()
        self._held: deque[object] = deque()
        #: Has the held keys pressed again, in order (the app sets it: it holds the keys).
        self.press_held: Callable[[], None] = lambda: None

    @property
    def holding(self) -> bool:
        """Whether a key typed now must wait behind one typed before it."""
        return bool(self._waiting or self._held)

    def hold(self, key: object) -> None:
        self._held.append(key)

    def hold_first(self, key: object) -> None:
        """Hold ``key`` before every other held key: the second of two keys that came as one
        (``escape_key.EscapePair``), pressed once the first has done what it does."""
        self._held.appendleft(key)
        if not self._waiting:
            self.press_held()

    def next_held(self) -> object | None:
        """The next held key to press again, or None while an action waits (again)."""
        return self._held.popleft() if self._held and not self._waiting else None

    def run(self, action: Callable[[], None], ready: Callable[[], bool] = at_once) -> None:
        """Run ``action`` now if nothing typed before it waits and ``ready()`` says what it
        reads has come; else when it has (``ready`` asked again then)."""
        if self._waiting or not ready():
            self._waiting.append((ready, action))
        else:
            action()

    def wait(self, ready: Callable[[], bool]) -> None:
        """Hold the keys typed from now on until ``ready()`` (asked on each answer)."""
        self.run(lambda: None, ready)

    def catch_up(self) -> None:
        """An answer came: run the waiting actions, in order, up to the first still waiting;
        then, if none waits, the held keys are pressed again."""
        while self._waiting and self._waiting[0][0]():
            _, action = self._waiting.popleft()
            action()
        if self._held and not self._waiting:
            self.press_held()

    def drop(self) -> None:
        """The answer the keys waited for is a failure: forget them, held ones too."""
        self._waiting.clear()
        self._held.clear()
