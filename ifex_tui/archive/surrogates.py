"""Mend surrogate escapes in a JSON byte stream before any parser decodes it.

JSON writes a character outside the Basic Multilingual Plane as a pair of ``\\u`` escapes, a
high surrogate then a low one (``"\\ud83d\\udc41"`` is 👁), and it also allows a *lone* half
(``"\\ud800"``), which is valid JSON but not a character.  Parsers disagree about the lone
half: the standard library keeps it as an unencodable ``str``; ijson's C backend (yajl) turns a
lone high half into ``?``, joins a high half with *any* following escape (``"x\\ud83d\\u0041y"``
becomes ``x👁y``, the ``A`` swallowed) and passes a lone low half on as bytes that are not
UTF-8, so the whole file fails.

So the bytes are mended once, below every container and parser: an escape of a lone surrogate
half becomes ``\\ufffd`` (U+FFFD, the replacement character), a well-formed pair and every other
byte are left alone.  The rewrite keeps the length (six bytes for six), so line, column and
byte positions in errors stay those of the file.  Only escapes are touched: outside strings
valid JSON has no backslashes, and an escaped backslash (``"\\\\ud800"``, the text ``\\ud800``)
is told apart by the parity of the backslashes before the ``u``.
"""

from __future__ import annotations

import io
import re

_HEX = rb"[0-9a-fA-F]"
_HIGH = rb"[dD][89abAB]" + _HEX * 2
_LOW = rb"[dD][c-fC-F]" + _HEX * 2
#: An escape of a surrogate half, and the low half that completes a high one when there is one.
#: (Whether its backslash is itself escaped is settled by counting, which keeps the search a
#: fast scan for a literal ``\\u``.)
_SURROGATE = re.compile(rb"\\u(?:(" + _HIGH + rb")(\\u" + _LOW + rb")?|" + _LOW + rb")")
#: Anything that may start a surrogate escape: cheap to search for in a clean chunk.
_MAYBE = re.compile(rb"\\u[dD][89a-fA-F]")
#: What may follow the last backslash of an escape cut off by the end of a chunk.
_CUT_ESCAPE_TAIL = re.compile(rb"(?:u" + _HEX + rb"{0,3})?")
REPLACEMENT = rb"\ufffd"
BACKSLASH = ord("\\")
ESCAPE_LENGTH = 6


def mend(data: bytes, final: bool = True) -> tuple[bytes, bytes]:
    """Return ``(mended, rest)``: ``data`` with lone surrogate escapes made ``\\ufffd``.

    Unless ``final``, a tail that cannot be judged yet (an escape cut by the end of ``data``, or
    a high half whose low half may follow) is returned as ``rest``, unmended, to be put in
    front of the next chunk.  ``rest`` always starts at a run of backslashes that follows a
    byte that is not a backslash, so the next call sees the escapes in the right parity.
    """
    end = len(data)
    if not final:
        end = _cut_escape(data)
    if _MAYBE.search(data, 0, end) is None:
        return data[:end], data[end:]
    out, done, at = [], 0, 0
    while match := _SURROGATE.search(data, at, end):
        start = run = match.start()
        while run and data[run - 1] == BACKSLASH:
            run -= 1
        if (start - run) % 2:  # an escaped backslash, then the letter u: not an escape
            at = start + 1
            continue
        at = match.end()
        if match.group(2):  # a well-formed pair
            continue
        if match.group(1) and not final and end - match.end() < ESCAPE_LENGTH:
            end = run  # its low half may be in the next chunk
            break
        out += (data[done:start], REPLACEMENT)
        done = match.end()
    out.append(data[done:end])
    return b"".join(out), data[end:]


def _cut_escape(data: bytes) -> int:
    """Where a run of backslashes cut off by the end of ``data`` (maybe ``\\u`` and up to
    three digits after it) begins; ``len(data)`` when there is none."""
    last = data.rfind(b"\\", max(0, len(data) - ESCAPE_LENGTH + 1))
    if last < 0 or not _CUT_ESCAPE_TAIL.fullmatch(data, last + 1):
        return len(data)
    return len(data[: last + 1].rstrip(b"\\"))


class MendingReader(io.RawIOBase):
    """A byte stream whose lone surrogate escapes are already ``\\ufffd``."""

    def __init__(self, stream: io.BufferedIOBase):
        self._stream = stream
        self._ready = b""
        self._rest = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._ready and not self._eof:
            data = self._stream.read(max(len(buffer), ESCAPE_LENGTH * 2))
            self._eof = not data
            self._ready, self._rest = mend(self._rest + data, final=self._eof)
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size
