"""The alert's link, from the browser: ``o`` opens it in the system's browser (web links only,
and only when asked: a feed's text never opens anything), ``c`` copies it.

Both act on the alert under the cursor as the detail read it, so they wait until the detail
shows that alert (``type_ahead``).

A part of :class:`~ifex_tui.tui.screens.browser.BrowserScreen`, mixed in: it uses the
screen's list, detail and ``type_ahead``.
"""

from __future__ import annotations

import webbrowser

from textual import work

from ifex_tui.safe_text import inert, web_link
from ifex_tui.tui.messages import LinkOpened


class LinkActions:
    """Open or copy the link of the alert under the cursor."""

    def action_open_link(self) -> None:
        """Open the highlighted alert's link in the system's browser: only a web link, and only
        when asked (a feed's text never opens anything)."""
        self.type_ahead.run(self._open_link, self._detail_ready)

    def action_copy_link(self) -> None:
        """Copy the highlighted alert's link (whatever its scheme: nothing is opened)."""
        self.type_ahead.run(self._copy_link, self._detail_ready)

    def _link(self) -> str:
        """The link of the alert under the cursor, as the detail read it ("" if none)."""
        record, pk = self.detail.record, self.alert_list.cursor_pk
        return (record.get("url") or "") if record and record["pk"] == pk else ""

    def _open_link(self) -> None:
        link = self._link()
        if not link:
            self.notify("This alert has no link.", severity="warning")
        elif not web_link(link):
            self.notify(inert(link), title="Not a web link: not opened", severity="warning",
                        markup=False)
        else:
            self._open_in_browser(link)

    def _copy_link(self) -> None:
        link = self._link()
        if not link:
            self.notify("This alert has no link.", severity="warning")
            return
        self.app.copy_to_clipboard(inert(link))
        self.notify(inert(link), title="Link copied", markup=False)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_in_browser(self, link: str) -> None:
        opened = webbrowser.open(link)  # may wait for the browser to start: off the UI thread
        self.post_message(LinkOpened(link, opened))

    def on_link_opened(self, message: LinkOpened) -> None:
        """Said once the browser was asked; where none could be, the link is copied instead."""
        if message.opened:
            self.notify(inert(message.link), title="Opening in your browser", markup=False)
        else:
            self.app.copy_to_clipboard(message.link)
            self.notify(inert(message.link), title="No browser could be opened: link copied instead",
                        severity="warning", markup=False)
