"""Readable text from an alert's HTML body: paragraphs, list items, and links as footnotes.

Real alerts carry their body as a few kilobytes of HTML. The text made here is what the
full-text index reads and what the detail pane shows, so it must read like the page (a blank
line between paragraphs, a dash before each list item, ``text [1]`` for a link with ``[1] URL``
listed under the text) and cost little: it is made for every alert of every import.

lexbor (through selectolax) parses in C and gives the text. Where the breaks go is marked
before parsing, by regular expressions that put a private-use character before block tags, so
no Python walks the tree node by node; only links (a few per alert) are visited, to
number them. Nothing is rendered, run or fetched: scripts, styles and embedded objects are
dropped with their content, and the result is plain text, shown inert like all feed text.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

#: Stand-ins for the breaks, from Unicode's private use area (removed from the HTML first, so
#: a feed cannot forge one); HTML's own whitespace is collapsed around them.
_PARAGRAPH, _LINE, _INDENT = "\ue000", "\ue001", "\ue002"
_OURS = re.compile("[\ue000-\ue002]")
_BLOCKS = ("p|div|h[1-6]|blockquote|pre|table|dl|dt|dd|section|article|header|footer|"
           "aside|nav|figure|figcaption|address|hr|main|details|summary")
#: Where breaks go, each a constant replacement (C speed, no Python per tag): before a block
#: tag, before ``<br>``, before each list item (with its dash) and after it, and a space
#: before a table cell's end (inside the cell: text put between a table's tags moves out of
#: the table when parsed, so rows get their breaks in the tree, after parsing).
#: Case-sensitive, four times faster: the rare HTML with capital tag names is lowered first.
_MARKS = [
    (re.compile(rf"<(?=/?(?:{_BLOCKS})\b)"), _PARAGRAPH + "<"),
    (re.compile(r"<(?=br\b|/li\b)"), _LINE + "<"),
    (re.compile(r"<(?=li\b)"), _LINE + "<"),
    (re.compile(r"<(?=/t[dh]\b)"), " <"),
]
_CAPITAL_TAG = re.compile(r"</?[a-z0-9]*[A-Z][A-Za-z0-9]*")
#: Elements whose content is never text to read.
_DROPPED = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
            "math", "select", "button", "head"]
_HAS_DROPPED = re.compile(rf"<(?:{'|'.join(_DROPPED)})\b", re.IGNORECASE)
_HAS_LINK = re.compile(r"<a\s", re.IGNORECASE)
#: A run of breaks (spaces collapsed) with a paragraph's in it, then one of line breaks only.
_PARAGRAPHS = re.compile(r" ?[\ue000\ue001]*\ue000[ \ue000\ue001]*")
_LINES = re.compile(r" ?\ue001[ \ue001]*")
_WEB = re.compile(r"https?://|mailto:", re.IGNORECASE)


#: HTML read per body, in characters and in tags: real alerts are a few kilobytes and a few
#: hundred tags.  Past these, a parsed tree costs memory by the gigabyte (a 31 MB body of links
#: took 1 GB) and the parser time by the square of the nesting (100,000 nested ``<div>`` took
#: 20 s), for text no reader would page through.  The body is kept whole (the export has it);
#: its text says how much was not read.
HTML_LIMIT, TAG_LIMIT = 2_000_000, 20_000


_UNREAD = "[{} more characters of this body's HTML were not read: export the alert for all of it]"


def unread_note(characters: int) -> str:
    """The last line of a body's text when its HTML was not all read (:data:`UNREAD_NOTE`)."""
    return _UNREAD.format(f"{characters:,}")


#: That line, found at the end of a body's text (the detail pane, which shows only the start
#: of a long text, shows it too): made from the same words, so the two cannot drift apart.
UNREAD_NOTE = re.compile(re.escape(_UNREAD).replace(re.escape("{}"), r"[\d,]+") + r"\Z")


def html_to_text(html: str) -> str:
    """The body as text: paragraphs apart, ``- `` list items, links numbered as footnotes."""
    if not html or not html.strip():
        return ""
    end = min(len(html), HTML_LIMIT)
    if many := re.compile(rf"(?:[^<]*<){{{TAG_LIMIT}}}").match(html, 0, end):  # (re caches it)
        end = many.end() - 1  # up to the tag past the limit
    if end < len(html):
        return f"{html_to_text(html[:end])}\n\n{unread_note(len(html) - end)}"
    marked = _OURS.sub("", html)
    if _CAPITAL_TAG.search(marked):
        marked = _CAPITAL_TAG.sub(lambda tag: tag.group().lower(), marked)
    for pattern, replacement in _MARKS:
        marked = pattern.sub(replacement, marked)
    tree = LexborHTMLParser(marked)
    root = tree.body or tree.root
    if root is None:
        return ""
    if _HAS_DROPPED.search(html):
        tree.strip_tags(_DROPPED, recursive=True)
    if "<tr" in marked:
        for row in root.css("tr"):
            row.insert_after(_LINE)
    if "<li" in marked or "<ul" in marked or "<ol" in marked:
        _mark_lists(root)
    if "<img" in marked:
        for image in root.css("img[alt]"):
            if alt := (image.attrs.get("alt") or "").strip():
                image.insert_before(f"[image: {alt}]")
    links = _footnote_links(root) if _HAS_LINK.search(html) else []
    text = " ".join(root.text(separator="", deep=True).split())  # HTML whitespace, nbsp too
    text = _LINES.sub("\n", _PARAGRAPHS.sub("\n\n", text)).strip().replace(_INDENT, " ")
    if links:
        text += "\n\n" + "\n".join(f"[{n}] {url}" for n, url in enumerate(links, 1))
    return text


def _mark_lists(root) -> None:
    """A list apart from the paragraphs around it (a list in an item just on the next line);
    ``- `` before each item, ``1. `` ``2. `` in a numbered list, two spaces more for each list
    it is nested in (only documents with lists pay for this walk)."""
    numbers: dict[int, int] = {}  # an ordered list's items, numbered once per list
    for listing in root.css("ul, ol"):
        nested = any(node.tag == "li" for node in _ancestors(listing))
        listing.insert_before(_LINE if nested else _PARAGRAPH)
        listing.insert_after(_LINE if nested else _PARAGRAPH)
        if listing.tag == "ol":
            items = (node for node in listing.iter() if node.tag == "li")
            numbers.update((node.mem_id, n) for n, node in enumerate(items, 1))
    for item in root.css("li"):
        depth = sum(node.tag in ("ul", "ol") for node in _ancestors(item))
        number = numbers.get(item.mem_id)
        marker = f"{number}. " if number else "- "
        indent = _INDENT * (2 * max(depth - 1, 0))  # spaces once HTML's own are collapsed
        if item.first_child is not None:
            item.first_child.insert_before(indent + marker)
        else:
            item.insert_child(indent + marker)


def _ancestors(node):
    node = node.parent
    while node is not None and node.tag != "body":
        yield node
        node = node.parent


def _footnote_links(root) -> list[str]:
    """Number each web link after its text (``text [1]``); the URLs, in order, once each."""
    numbers: dict[str, int] = {}  # a URL's number, found in one step (a body can hold 20k)
    for node in root.css("a[href]"):
        url = (node.attrs.get("href") or "").strip()
        if not _WEB.match(url) or not node.text(deep=True).strip():
            continue
        number = numbers.setdefault(url, len(numbers) + 1)
        node.insert_after(f" [{number}]")
    return list(numbers)
