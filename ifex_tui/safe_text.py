"""Make feed text inert before it reaches a terminal.

Feed text is data.  A title may carry an escape sequence that clears the screen, sets the
clipboard (OSC 52) or draws a fake prompt, or bidirectional overrides that reorder what is
read.  Every such character is shown as a visible escape (``\\x1b``, ``\\u202e``) instead of
being sent raw; newlines and tabs survive only where a caller allows them.  Rich markup is a
separate matter: callers wrap the result in ``rich.text.Text``, never in a markup string.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: C0/C1 controls and DEL; invisible format characters that reorder or hide text (bidi marks
#: and overrides, zero-width space, word joiner, BOM, interlinear annotation, tag characters).
#: Zero-width (non-)joiners stay: Persian, Indic scripts and emoji need them.
_CONTROL_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
_CONTROLS = re.compile(f"[{_CONTROL_CHARACTERS}]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\t\x0b\x0c\u2028\u2029]")
#: What :func:`inert` would change, with line breaks kept and without: text with none of it
#: (almost every title and body) is returned after one scan.
_CHANGED_IN_TEXT = re.compile(f"[{_CONTROL_CHARACTERS}\t]")
_CHANGED_IN_LINE = re.compile(f"[{_CONTROL_CHARACTERS}\t\n]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def inert(text: str | None, *, multiline: bool = False) -> str:
    """``text`` with every control, escape and bidi-override character made visible.

    With ``multiline`` false (titles, table cells) line breaks and tabs become single spaces,
    so one item can never take more than its row.
    """
    if not text:
        return ""
    if not (_CHANGED_IN_TEXT if multiline else _CHANGED_IN_LINE).search(text):
        return text
    if multiline:
        text = text.replace("\r\n", "\n").replace("\t", "    ")
        lines = re.split("[\r\n\u2028\u2029]", text)
        return "\n".join(_CONTROLS.sub(_visible, line) for line in lines)
    return _CONTROLS.sub(_visible, _LINE_BREAKS.sub(" ", text))


def web_link(link: str | None) -> bool:
    """Whether ``link`` is a web link (http or https): the only links the app opens and a
    citation gives as the alert's URL (a feed's ``javascript:`` or ``file:`` link is neither)."""
    return bool(link) and urlsplit(link.strip()).scheme.lower() in ("http", "https")
