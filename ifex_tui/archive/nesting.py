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
# Strings as "unrolled loops", so long texts are consumed in C without backtracking: the rest
# of one already open, and whole ones (or one cut off by the end of the chunk).
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.S)
_BACKSLASHED_QUOTE = re.compile(rb'\\+"')
_TRAILING_BACKSLASHES = re.compile(rb"\\+\Z")
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
    """Whether ``text`` (inside a string) ends in the middle of a backslash escape."""
    run = _TRAILING_BACKSLASHES.search(text)
    return bool(run) and len(run.group()) % 2 == 1


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

        Outside strings valid JSON has no backslashes, so the parity of the unescaped quotes
        says whether the chunk ends inside a string, and the strings themselves can be cut
        out by one regular expression; no Python loop runs per string or per byte.

        Raises:
            TooDeep: the stream has gone deeper than the limit.
            TooLongNumber: a number has more digits in a row than Python reads.
        """
        start = self.offset
        self.offset += len(chunk)
        body = chunk[1:] if self._in_string and self._escaped else chunk
        escaped = sum(len(run) % 2 == 0 for run in _BACKSLASHED_QUOTE.findall(body))  # odd runs
        quotes = body.count(b'"') - escaped
        ends_inside = self._in_string != (quotes % 2 == 1)
        if self._in_string:
            end = _STRING_REST.match(body)
            if end is None:  # the string runs on through the whole chunk
                self._escaped = _escape_pending(body)
                return
            body = body[end.end() :]
            self._digits = 0
        self._in_string = ends_inside
        self._escaped = ends_inside and _escape_pending(body)
        outside = _STRINGS.sub(b" ", body)
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
