"""Make feed text inert before it reaches a terminal.

Feed text is data.  A title may carry an escape sequence that clears the screen, sets the
clipboard (OSC 52) or draws a fake prompt, or bidirectional overrides that reorder what is
read.  Every such character is shown as a visible escape (``\\x1b``, ``\\u202e``) instead of
being sent raw; newlines and tabs survive only where a caller allows them.  Rich markup is a
separate matter: callers wrap the result in ``rich.text.Text``, never in a markup string.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\t\x0b\x0c\u2028\u2029]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str | None, *, multiline: bool = False) -> str:
    """``text`` with every control, escape and bidi-override character made visible.

    With ``multiline`` false (titles, table cells) line breaks and tabs become single spaces,
    so one item can never take more than its row.
    """
    if not text:
        return ""
    if multiline:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").split("\n")
        return "\n".join(_CONTROLS.sub(_visible, line) for line in lines)
    return _CONTROLS.sub(_visible, _LINE_BREAKS.sub(" ", text))
