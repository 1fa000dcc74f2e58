"""Refuse absurdly deep JSON, and absurdly long numbers, before the stream parser sees them.

ijson's C backend keeps a growing prefix string for every level it is inside, so memory grows
with the *square* of the nesting depth: a 200 KB file nested 100,000 levels deep needs tens of
gigabytes.  Real feeds nest a handful of levels.  This guard tracks the depth of the bytes as
they stream past (strings skipped, so brackets inside text do not count) using only regular
expressions and C-level iteration, and stops the read at :data:`MAX_DEPTH`.

It also stops at a number with a run of more than :data:`MAX_DIGITS` digits: Python refuses to
turn a longer one into an ``int`` (a guard against quadratic time), and ijson's C backend, asked
for exact numbers, crashes the process on that refusal instead of raising.
"""

from __future__ import annotations

import io
import re
from itertools import accumulate, repeat
from operator import sub

MAX_DEPTH = 256
#: Python's default limit on the digits of an integer read from text (``sys.int_info``).
MAX_DIGITS = 4300
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_LEADING_DIGITS = re.compile(rb"[0-9]*")
_TOO_MANY_DIGITS = re.compile(rb"(?<![0-9])[0-9]{%d}" % (MAX_DIGITS + 1))
#: Openers become 2 and closers 0, so that "value - 1" is the step in depth.
_STEPS = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


class TooDeep(ValueError):
    """The JSON nests deeper than :data:`MAX_DEPTH`; ``offset`` is about where."""

    def __init__(self, offset: int):
        self.offset = offset
        super().__init__(f"nested more than {MAX_DEPTH} levels deep")


class TooLongNumber(ValueError):
    """A number outside strings has a run of more than :data:`MAX_DIGITS` digits."""

    def __init__(self, offset: int):
        self.offset = offset
        super().__init__(f"a number of more than {MAX_DIGITS:,} digits")


def _escape_pending(text: bytes) -> bool:
    """Whether ``text`` (inside a string) ends in the middle of a backslash escape (an odd run
    of backslashes at its end; counted from the end, not searched for through the text)."""
    return (len(text) - len(text.rstrip(b"\\"))) % 2 == 1


class NestingGuard:
    """Follows the depth of a JSON byte stream fed to it chunk by chunk."""

    def __init__(self) -> None:
        self.depth = 0
        self.offset = 0
        self._in_string = False
        self._escaped = False
        self._digits = 0  # the run of digits (outside strings) the last chunk ended with

    def feed(self, chunk: bytes) -> None:
        """Account for ``chunk``.

        Outside strings valid JSON has no backslashes, so once the escapes are blanked
        (``\\\\`` first, then ``\\"``, each by ``bytes.replace``) every quote left opens or
        closes a string, and splitting at them leaves the parts outside strings at every
        other place: no Python loop runs per string or per byte, and no regular expression
        runs over the strings' text (most of a feed's bytes).

        Raises:
            TooDeep: the stream has gone deeper than the limit.
            TooLongNumber: a number has more digits in a row than Python reads.
        """
        start = self.offset
        self.offset += len(chunk)
        body = chunk[1:] if self._in_string and self._escaped else chunk
        blanked = body.replace(b"\\\\", b"__") if b"\\\\" in body else body  # rare: a test is cheaper
        parts = blanked.replace(b'\\"', b"__").split(b'"')
        began_inside = self._in_string
        self._in_string = began_inside != (len(parts) % 2 == 0)  # an odd number of quotes
        self._escaped = self._in_string and _escape_pending(body)
        if began_inside:
            self._digits = 0  # a string ended the last chunk: no run of digits goes on
            if len(parts) == 1:  # the string runs on through the whole chunk
                return
        outside = b" ".join(parts[1::2] if began_inside else parts[0::2])
        self._count_digits(outside, start)
        steps = _NOT_BRACKET.sub(b"", outside).translate(_STEPS)
        if steps:
            depths = list(accumulate(map(sub, steps, repeat(1)), initial=self.depth))
            self.depth = depths[-1]
            if max(depths) > MAX_DEPTH:
                raise TooDeep(start)

    def _count_digits(self, outside: bytes, start: int) -> None:
        """Follow runs of digits in ``outside`` (the chunk with its strings made blanks)."""
        leading = _LEADING_DIGITS.match(outside).end()  # type: ignore[union-attr]
        if self._digits + leading > MAX_DIGITS or _TOO_MANY_DIGITS.search(outside):
            raise TooLongNumber(start)
        if leading == len(outside):
            self._digits += leading
        else:
            self._digits = len(outside) - len(outside.rstrip(b"0123456789"))
        if self._in_string:  # the chunk ends inside a string, so the run has ended
            self._digits = 0


class GuardedReader(io.RawIOBase):
    """A byte stream that raises :class:`TooDeep` instead of yielding too-deep JSON."""

    def __init__(self, stream: io.BufferedIOBase):
        self._stream = stream
        self.guard = NestingGuard()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        self.guard.feed(data)
        buffer[: len(data)] = data
        return len(data)
