"""The browser's marks: the alerts a researcher picks, whatever the filters, to cite or export
together (``m``, ``M``, ``u``, ``v`` and "Clear marks").

The list and the detail bind the keys (``screen.toggle_mark`` …); the actions are here.  ``M``
asks a worker for the alerts in view, and the keys that use the marks wait for its answer
(``type_ahead``).  Every change is kept for ``u`` (:data:`UNDONE_MARKS` back), since a stray
``M`` on a view whose alerts were all marked unmarks them all.

A part of :class:`~ifex_tui.tui.screens.browser.BrowserScreen`, mixed in: it uses the
screen's list and detail, filters, reader and ``type_ahead``.
"""

from __future__ import annotations

from collections import deque

from textual import work

from ifex_tui.archive import queries
from ifex_tui.archive.filters import Filters
from ifex_tui.tui.messages import ViewMatched
from ifex_tui.wording import counted

#: How many changes of the marks ``u`` can take back (each kept as a bitmap: 125 KB at a
#: million alerts).
UNDONE_MARKS = 20
NO_MARKS = "No alert is marked: m marks the highlighted alert, M every alert in view."


class MarksActions:
    """The marks of a browser screen and the actions on them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: The marked alerts, as a bitmap of pks: kept for the session, whatever the filters.
        self.marks = 0
        #: The marks before each of the last changes, newest last (``u`` takes one back).
        self._marks_before: deque[int] = deque(maxlen=UNDONE_MARKS)
        #: ``M`` is being answered (the view's alerts come from a worker): keys that use the
        #: marks wait for it in ``type_ahead``.
        self._marking = False

    def _marks_ready(self) -> bool:
        """Whether the marks are known (``M``'s answer comes from a worker)."""
        return not self._marking

    def action_toggle_mark(self) -> None:
        """Mark the highlighted alert, or unmark it."""
        self.type_ahead.run(self._toggle_mark, self._row_ready)

    def _toggle_mark(self) -> None:
        pk = self.alert_list.cursor_pk
        if pk is None:
            self.notify("No alert to mark.", severity="warning")
        else:
            self._set_marks(self.marks ^ (1 << pk))

    def action_mark_all(self) -> None:
        """Mark every alert in view (or, when every one is marked already, unmark them): the
        view's bitmap comes from a worker; keys using the marks wait for it."""
        self.type_ahead.run(lambda: self._mark_view(self.generation, self.filters),
                            self._marks_ready)

    def _mark_view(self, generation: int, filters: Filters) -> None:
        self._marking = True
        self._match_view(generation, filters)

    @work(thread=True, group="marks", exit_on_error=False)
    def _match_view(self, generation: int, filters: Filters) -> None:
        with self._answering("marks", generation), self.reader.connect("marks") as conn:
            self.post_message(ViewMatched(generation, queries.matching(conn, filters)))

    def on_view_matched(self, message: ViewMatched) -> None:
        """The alerts that were in view when ``M`` was pressed (whatever came after it)."""
        in_view = message.bits
        if in_view and not in_view & ~self.marks:
            self._set_marks(self.marks & ~in_view)
            self.notify(f"Unmarked {in_view.bit_count():,} alerts in view "
                        f"({self.marks.bit_count():,} still marked).")
        else:
            added = (in_view & ~self.marks).bit_count()
            self._set_marks(self.marks | in_view)
            self.notify(f"Marked {counted(added, 'more alert')} "
                        f"({self.marks.bit_count():,} marked).")
        self._marking = False
        self.type_ahead.catch_up()

    def action_clear_marks(self) -> None:
        self.type_ahead.run(self._clear_marks, self._marks_ready)

    def _clear_marks(self) -> None:
        count = self.marks.bit_count()
        self._set_marks(0)
        self.notify(f"Unmarked {counted(count, 'alert')}.")

    def _drop_marks(self) -> int:
        """Forget the marks, and what ``u`` could bring back, without a word: they are pks of
        a file that another took the place of, where those pks are other alerts (an export
        of the marks wrote those).  Returns how many there were; the caller says so."""
        dropped = self.marks.bit_count()
        self._marks_before.clear()
        self.marks = 0
        self.alert_list.show_marks(0)
        self._show_mark_state()
        return dropped

    def action_undo_marks(self) -> None:
        """Take back the last change of the marks (``m``, ``M``, "Clear marks"): a stray ``M``
        on a view whose alerts were all marked unmarks them all."""
        self.type_ahead.run(self._undo_marks, self._marks_ready)

    def _undo_marks(self) -> None:
        if not self._marks_before:
            self.notify("No change of the marks to undo.", severity="warning")
            return
        self._set_marks(self._marks_before.pop(), undoable=False)
        self.notify(f"Marks as before the last change: {self.marks.bit_count():,} marked.")

    def action_marked_only(self) -> None:
        """The Marked filter: only the marked alerts (with the other filters), or all again."""
        self.type_ahead.run(self._marked_only, self._row_ready)

    def _marked_only(self) -> None:
        highlighted = self.alert_list.cursor_pk
        if self.filters.marked is not None:
            self.apply(self.filters.marking(None), keep_pk=highlighted)
        elif not self.marks:
            self.notify(NO_MARKS, severity="warning")
        else:
            self.apply(self.filters.marking(self.marks), keep_pk=highlighted)

    def _set_marks(self, marks: int, undoable: bool = True) -> None:
        """Make ``marks`` the marks: drawn at once; under the Marked filter, the view follows
        (an alert unmarked there leaves it, the cursor staying where it was)."""
        if undoable and marks != self.marks:
            self._marks_before.append(self.marks)
        self.marks = marks
        self.alert_list.show_marks(marks)
        self._show_mark_state()
        if self.filters.marked is not None and self.filters.marked != marks:
            alerts = self.alert_list
            kept = next((row.pk for row in (alerts.highlighted, alerts.row(alerts.cursor + 1),
                                            alerts.row(alerts.cursor - 1))
                         if row is not None and alerts.is_marked(row.pk)), None)
            self.apply(self.filters.marking(marks), keep_pk=kept)

    def _show_mark_state(self) -> None:
        """The detail says whether the alert it shows is marked."""
        record = self.detail.record
        self.detail.border_subtitle = (
            "● marked" if record is not None and self.alert_list.is_marked(record["pk"]) else ""
        )
