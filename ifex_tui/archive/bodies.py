"""How an alert's body is kept: the HTML compressed, the text made from it when it is read.

A real alert's body is a few kilobytes of HTML, and its text is nearly as long. Kept both
ways, and indexed for search, the body made an archive two and a half times the size of its
feed. So the archive keeps the HTML compressed (zlib, about half the size) and not the text:
the text is :func:`alert_body`, the feed's ``content_text`` when it has one, else the HTML
made readable (``html_text``). SQLite calls the same function (registered on every
connection by ``schema.connect``) through the view ``alerts_fts_text`` that the full-text index
reads its content from, so the index, export and the detail pane see one text.

Rows written before this keep their stored ``body_text``, which :func:`alert_body` prefers.
The text of the others depends on the HTML converter: when ``items.NORMALISER_VERSION``
changes, the next import rebuilds the index (``ingest``), so it never holds another text.
"""

from __future__ import annotations

import zlib

from ifex_tui.archive.html_text import html_to_text

#: zlib level: 6 is zlib's default, within a few per cent of 9 at a fraction of its time.
LEVEL = 6


def deflate(html: str | None) -> bytes | None:
    """The HTML as the archive keeps it."""
    return None if html is None else zlib.compress(html.encode("utf-8", "surrogatepass"), LEVEL)


def inflate(stored: bytes | str | None) -> str | None:
    """The HTML as the feed gave it, from what the archive keeps (text in older rows)."""
    if stored is None or isinstance(stored, str):
        return stored
    return zlib.decompress(stored).decode("utf-8", "surrogatepass")


def alert_body(body_text: str | None, content_text: str | None, content_html) -> str:
    """The alert's text: as stored by an older import, else the feed's own text, else its HTML
    made readable."""
    if body_text:
        return body_text
    if content_text:
        return content_text
    return html_to_text(inflate(content_html) or "")
