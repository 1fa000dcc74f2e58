"""Citing from the browser: ``y`` the alert under the cursor, ``Y`` the marked ones, in the
format the settings name (``citation``, plain text by default); the palette offers each format
of ``archive/cite.py``.

A citation reads the archive (the organisation's name, the date it was taken in), so it is
made in a worker; it is copied (OSC 52, where the terminal allows) and shown, the first lines
of it when there are many.

A part of :class:`~ifex_tui.tui.screens.browser.BrowserScreen`, mixed in: it uses the
screen's list, marks, reader, settings and ``type_ahead``.
"""

from __future__ import annotations

from functools import partial

from textual import work

from ifex_tui.archive import queries
from ifex_tui.archive.filters import Filters
from ifex_tui.tui.messages import CitationReady, QueryFailed
from ifex_tui.tui.screens.browser_marks import NO_MARKS
from ifex_tui.wording import counted

#: How much of the citations copied a notification shows (all are copied), in characters: a
#: notification is about 56 cells wide, so about a dozen of its lines.
NOTIFIED_CHARACTERS = 600
#: The most alerts ``Y`` copies citations of (a larger set is a bibliography to export).
CITE_LIMIT = 1_000


def _beginning(text: str) -> str:
    """The first lines of ``text`` within :data:`NOTIFIED_CHARACTERS` (at least one, cut if
    it alone is longer), and how many more lines there are: a notification taller than the
    screen hid the panes under it."""
    lines, shown, size = text.splitlines(), [], 0
    for line in lines:
        if shown and size + len(line) > NOTIFIED_CHARACTERS:
            break
        cut = len(line) > NOTIFIED_CHARACTERS
        shown.append(line[:NOTIFIED_CHARACTERS] + ("…" if cut else ""))
        size += len(line)
    if len(lines) > len(shown):
        shown.append(f"… {counted(len(lines) - len(shown), 'more line')}, copied with these")
    return "\n".join(shown)


class CiteActions:
    """Copy citations of the highlighted or the marked alerts."""

    def action_cite(self, fmt: str | None = None) -> None:
        """Copy a citation of the highlighted alert (made in a worker: it reads the archive),
        in ``fmt`` or the settings' format."""
        fmt = fmt or self.settings.citation
        self.type_ahead.run(partial(self._cite_highlighted, fmt), self._row_ready)

    def _cite_highlighted(self, fmt: str) -> None:
        pk = self.alert_list.cursor_pk
        if pk is None:
            self.notify("No alert to cite.", severity="warning")
            return
        self._cite(1 << pk, fmt)

    def action_cite_marked(self, fmt: str | None = None) -> None:
        """Copy citations of every marked alert, newest first, as the list shows them, in
        ``fmt`` or the settings' format."""
        fmt = fmt or self.settings.citation
        self.type_ahead.run(partial(self._cite_marked, fmt), self._marks_ready)

    def _cite_marked(self, fmt: str) -> None:
        count = self.marks.bit_count()
        if not count:
            self.notify(NO_MARKS, severity="warning")
        elif count > CITE_LIMIT:
            self.notify(f"{count:,} alerts are marked, too many to copy: export them as a "
                        "bibliography (ctrl+e).", severity="warning")
        else:
            self._cite(self.marks, fmt)

    @work(thread=True, group="cite", exit_on_error=False)
    def _cite(self, alerts: int, fmt: str) -> None:
        """Cite the alerts of the bitmap ``alerts`` in list order."""
        from ifex_tui.archive import cite  # bibtexparser and rispy load on the first citation

        try:
            with self.reader.connect("cite") as conn:
                rows = queries.page(conn, Filters().marking(alerts), limit=CITE_LIMIT)
                records = cite.records_for(conn, [row.pk for row in rows])
                text = cite.render(records, fmt)
        except Exception as exc:  # the lane's answer (reader.explain)
            self.post_message(QueryFailed("cite", 0, self.reader.explain(exc)))
            return
        self.post_message(CitationReady(text, fmt, len(records)))

    def on_citation_ready(self, message: CitationReady) -> None:
        """Copied where the terminal allows it (OSC 52), and shown, for where it does not (the
        first lines of many)."""
        self.app.copy_to_clipboard(message.text)
        what = "Citation" if message.count == 1 else counted(message.count, "citation")
        self.notify(_beginning(message.text), title=f"{what} copied ({message.fmt})",
                    markup=False, timeout=8)
