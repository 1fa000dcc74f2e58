"""Read alert feeds as a stream of raw items, whatever the container.

The reader never holds a whole feed in memory: JSON Feed objects and bare arrays are streamed
with ijson (its C backend builds each item), JSON Lines are read line by line, and gzip is
undone on the fly.  It yields ``(position, item)`` pairs and leaves judging the items to
:mod:`ifex_tui.archive.items`; a broken container is one :class:`FeedError` naming the file,
line and column.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import ijson

from ifex_tui.archive.nesting import (
    MAX_DEPTH,
    MAX_DIGITS,
    GuardedReader,
    NestingGuard,
    TooDeep,
    TooLongNumber,
)
from ifex_tui.archive.surrogates import MendingReader

GZIP_MAGIC = b"\x1f\x8b"
BOM = b"\xef\xbb\xbf"
#: Byte-order marks of the encodings JSON once allowed besides UTF-8 (longest first).
WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
             (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
#: JSON's white space.
WHITE_BYTES = (b" ", b"\t", b"\r", b"\n")
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
HEAD_SIZE = 1 << 20
#: What a damaged or cut-off gzip stream raises, besides plain I/O errors.
_UNREADABLE = (OSError, EOFError, gzip.BadGzipFile, zlib.error)
#: Above this size a broken file is not parsed a second time by the stdlib just to find the
#: exact line and column (that would need the whole file in memory); the position is the
#: start of the chunk where the stream parser gave up.
EXACT_POSITION_LIMIT = 256 << 20
#: Too-deep JSON is placed exactly by a byte-by-byte scan, in files up to this size.
DEPTH_SCAN_LIMIT = 8 << 20


class FeedError(Exception):
    """The file as a whole cannot be read: nothing from it may land."""

    def __init__(self, file: str, message: str, line: int | None = None, column: int | None = None):
        self.file, self.message, self.line, self.column = file, message, line, column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{file}: {where}{message}")


@dataclass
class FeedSource:
    """One opened feed: its display name, its bytes' sha256 (known once read) and warnings."""

    name: str
    path: Path
    kind: str = ""
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""
    bytes_read: int = 0
    skipped_lines: int = 0


class _HashingReader(io.RawIOBase):
    """Hash the raw (possibly compressed) bytes as they stream past."""

    def __init__(self, raw: IO[bytes], source: FeedSource | None):
        self._raw = raw
        self._source = source
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()
        super().close()

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        self.digest.update(data)
        if self._source:
            self._source.bytes_read += len(data)
        buffer[: len(data)] = data
        return len(data)


def spool_stdin() -> Path:
    """Copy standard input to a temporary file so it can be sniffed, hashed and re-read."""
    with tempfile.NamedTemporaryFile(prefix="ifex-stdin-", suffix=".feed", delete=False) as handle:
        shutil.copyfileobj(sys.stdin.buffer, handle, 1 << 20)
    return Path(handle.name)


@contextmanager
def _open_bytes(
    path: Path, source: FeedSource | None = None
) -> Iterator[tuple[io.BufferedReader, _HashingReader]]:
    """Open ``path`` for reading decompressed bytes, hashing (and counting) what is on disk.

    The bytes come out with lone surrogate escapes already mended (see
    :mod:`ifex_tui.archive.surrogates`), so every container and parser decodes text alike.
    """
    with ExitStack() as stack:
        hasher = stack.enter_context(_HashingReader(open(path, "rb"), source))  # noqa: SIM115
        stream = stack.enter_context(io.BufferedReader(hasher, HEAD_SIZE))
        if stream.peek(2)[:2] == GZIP_MAGIC:
            unzipped = stack.enter_context(gzip.GzipFile(fileobj=stream))
            stream = stack.enter_context(io.BufferedReader(unzipped, HEAD_SIZE))  # type: ignore[arg-type]
        mended = stack.enter_context(MendingReader(stream))
        yield stack.enter_context(io.BufferedReader(mended, HEAD_SIZE)), hasher


def _skip_bom_and_space(stream: io.BufferedReader, source: FeedSource) -> bytes:
    """Drop a UTF-8 BOM and leading white space; return the first meaningful byte (peeked).

    The line breaks skipped are counted in ``source.skipped_lines`` so that JSON Lines
    positions are still the line numbers an editor shows.
    """
    if stream.peek(3)[:3] == BOM:
        stream.read(3)
    while True:
        head = stream.peek(1)[:1]
        if head in WHITE_BYTES:
            source.skipped_lines += head == b"\n"
            stream.read(1)
            continue
        return head


def read_items(source: FeedSource) -> Iterator[tuple[int, Any]]:
    """Yield ``(position, raw item)`` for every item of the feed.

    Position is the 0-based index in the ``items`` array (or bare array), or the 1-based line
    number for JSON Lines.  Raises :class:`FeedError` when the container itself is broken.
    """
    try:
        with _open_bytes(source.path, source) as (stream, hasher):
            yield from _read_container(source, stream)
            while stream.read(HEAD_SIZE):  # hash whatever trails the last item
                pass
            source.sha256 = hasher.digest.hexdigest()
    except _UNREADABLE as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise FeedError(source.name, f"cannot read: {reason}") from None


#: The json module's reasons that lean on the position it gives apart ("… starting at"),
#: said whole; the position is the error's line and column.
_JSON_REASONS = {
    "Unterminated string starting at": "a string starting here is never closed",
    "Invalid control character at": "a raw tab, line break or other control character in a string",
}


def _json_reason(error: json.JSONDecodeError) -> str:
    return _JSON_REASONS.get(error.msg, error.msg.removesuffix(" at"))


def _wide_encoding(head: bytes) -> str | None:
    """``UTF-16`` or ``UTF-32`` when a feed starts as one does (a byte-order mark, or JSON's
    first character with a zero byte beside it), so the error can say what to convert."""
    for mark, name in WIDE_BOMS:
        if head.startswith(mark):
            return name
    if len(head) >= 2 and 0 in head[:2] and head[:2].strip(b"\x00") in (b"{", b"[", *WHITE_BYTES):
        return "UTF-32" if head[:4].count(0) == 3 else "UTF-16"
    return None


#: The start of a JSON number, string, true, false or null (a file of one is not a feed).
_JSON_SCALAR = re.compile(rb'-?[0-9]|"|(?:true|false|null)(?![A-Za-z0-9_])')


def _read_container(source: FeedSource, stream: io.BufferedReader) -> Iterator[tuple[int, Any]]:
    if wide := _wide_encoding(stream.peek(4)[:4]):
        raise FeedError(source.name, f"{wide} text: feeds must be UTF-8 (convert it, for example "
                        f"with iconv -f {wide} -t UTF-8)", 1, 1)
    first = _skip_bom_and_space(stream, source)
    if not first:
        raise FeedError(source.name, "the file is empty")
    if source.name.lower().endswith(JSON_LINES_SUFFIXES):
        # Named JSON Lines: every line is an item, so a first line that is not an object is
        # that item's rejection, as it would be in an array, not the file's.
        source.kind = "jsonl"
        yield from _json_lines(source, stream)
    elif first == b"[":
        source.kind = "array"
        yield from _stream_json(source, stream, "item")
    elif first != b"{":
        scalar = _JSON_SCALAR.match(stream.peek(6)[:6])
        what = "one JSON value, not a feed" if scalar else "not JSON"
        raise FeedError(
            source.name, f"{what}: expected a JSON Feed object, an array or JSON Lines", 1, 1
        )
    elif _looks_like_json_lines(stream):
        source.kind = "jsonl"
        yield from _json_lines(source, stream)
    else:
        source.kind = "jsonfeed"
        yield from _json_feed(source, stream)


def _looks_like_json_lines(stream: io.BufferedReader) -> bool:
    """A first line that is a whole object with no ``items`` array, followed by more, is JSONL."""
    head = stream.peek(HEAD_SIZE)
    newline = head.find(b"\n")
    if newline < 0:
        return False
    try:
        first = json.loads(head[:newline])
    except (ValueError, RecursionError):
        return False
    return isinstance(first, dict) and not isinstance(first.get("items"), list)


def _json_lines(source: FeedSource, stream: io.BufferedReader) -> Iterator[tuple[int, Any]]:
    """Items of a JSON Lines file, each with its 1-based line number in the file.

    Lines are parsed as read, with their leading white space, so a column in an error is the
    column an editor shows.
    """
    for number, raw in enumerate(stream, start=1 + source.skipped_lines):
        if not raw.strip():
            continue
        try:
            if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH:  # as deep as the other containers
                NestingGuard().feed(raw)
            yield number, _loads(raw)
        except TooDeep as exc:
            raise FeedError(source.name, f"not a feed: JSON {exc}", number, exc.offset + 1) from None
        except NotAJsonNumber as exc:
            column = raw.find(exc.token.encode()) + 1
            raise FeedError(source.name, str(exc), number, column) from None
        except UnicodeDecodeError as exc:
            raise FeedError(
                source.name, f"not UTF-8 text ({exc.reason})", number, exc.start + 1
            ) from None
        except json.JSONDecodeError as exc:
            raise FeedError(source.name, f"invalid JSON ({_json_reason(exc)})", number,
                            exc.colno) from None
        except RecursionError:
            raise FeedError(source.name, "invalid JSON (nested too deeply)", number, 1) from None


def _json_feed(source: FeedSource, stream: io.BufferedReader) -> Iterator[tuple[int, Any]]:
    """Stream ``items`` of a JSON Feed object, checking version and shape from its head."""
    head = stream.peek(HEAD_SIZE)
    try:
        NestingGuard().feed(head)  # before any parser walks a pathological head
    except TooDeep as exc:
        raise _too_deep(source, exc) from None
    except TooLongNumber as exc:
        raise _locate_error(source, 0, exc) from None
    version, items_type = _scan_head(head)
    if items_type not in (None, "start_array"):
        raise FeedError(source.name, "the feed's `items` is not an array")
    if version is None:
        source.warnings.append(f"{source.name}: no JSON Feed `version` before `items`; read anyway")
    elif not (isinstance(version, str) and version.startswith("https://jsonfeed.org/version/1")):
        source.warnings.append(f"{source.name}: unknown JSON Feed version {version!r}; read anyway")
    seen = False
    for pair in _stream_json(source, stream, "items.item"):
        seen = True
        yield pair
    if not seen and items_type is None:
        raise FeedError(source.name, "a JSON object without an `items` array is not a feed")


def _scan_head(head: bytes) -> tuple[Any, str | None]:
    """Top-level ``version`` and the event that opens ``items``, from the feed's first bytes."""
    version, items_type, key = None, None, None
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head)):
            if prefix == "" and event == "map_key":
                key = value
            elif prefix == "version" and key == "version":
                version = value
            elif prefix == "items" and key == "items" and items_type is None:
                items_type = event
                if version is not None:
                    break
            elif items_type is not None and prefix == "" and event == "map_key":
                break
    except (ijson.JSONError, ValueError):
        pass  # the head is cut mid-way or not text; the real parse reports real errors
    return version, items_type


def _stream_json(
    source: FeedSource, stream: io.BufferedReader, prefix: str
) -> Iterator[tuple[int, Any]]:
    index = -1
    try:
        # use_float=False: integers of any width stay exact, and other numbers arrive as
        # Decimal, exactly as the JSON Lines reader gives them; items.py judges both.
        for index, item in enumerate(ijson.items(GuardedReader(stream), prefix, use_float=False)):
            yield index, item
    except TooDeep as exc:
        raise _too_deep(source, exc) from None
    except (ijson.JSONError, ValueError, InvalidOperation) as exc:
        # ValueError: not UTF-8, or TooLongNumber; InvalidOperation: an exponent beyond Decimal
        raise _locate_error(source, index + 1, exc) from None


def _too_deep(source: FeedSource, exc: TooDeep) -> FeedError:
    """The error with the line and column of the bracket that went too deep.

    The guard counts depth a chunk at a time, fast, and knows only the chunk; on this error
    the (bounded) file is read once more, bracket by bracket, to name the place.
    """
    try:
        with _open_bytes(source.path) as (stream, _):
            data = stream.read(DEPTH_SCAN_LIMIT + 1)
    except _UNREADABLE:
        data = b""
    offset = _deepest_bracket(data) if len(data) <= DEPTH_SCAN_LIMIT else None
    if offset is None:
        return FeedError(source.name, f"not a feed: JSON {exc} (near byte {exc.offset:,})")
    return FeedError(source.name, f"not a feed: JSON {exc}", *_line_column(data, offset))


def _deepest_bracket(data: bytes) -> int | None:
    """Offset of the first ``[`` or ``{`` (outside strings) deeper than the limit, if any."""
    depth, in_string, escaped = 0, False, False
    for offset, byte in enumerate(data):
        if in_string:
            escaped, in_string = (False, True) if escaped else (byte == 0x5C, byte != 0x22)
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_DEPTH:
                return offset
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return None


class NotAJsonNumber(ValueError):
    """``NaN`` or ``Infinity``: Python's json reads them, JSON (and ijson) does not."""

    def __init__(self, token: str, message: str = ""):
        self.token = token
        super().__init__(message or f"invalid JSON ({token} is not a JSON number)")


def _refuse_constant(token: str):
    raise NotAJsonNumber(token)


def _integer(token: str) -> int:
    """An integer of any width up to :data:`MAX_DIGITS` digits (the stream parser's limit)."""
    if len(token) > MAX_DIGITS and len(token.lstrip("-")) > MAX_DIGITS:
        raise NotAJsonNumber(token[:20], _too_long(len(token.lstrip("-"))))
    return int(token)


def _decimal(token: str) -> Decimal:
    """A number with a fraction or an exponent, exactly, as the stream parser reads it."""
    if len(token) > MAX_DIGITS:
        longest = max(map(len, re.findall(r"[0-9]+", token)))
        if longest > MAX_DIGITS:
            raise NotAJsonNumber(token[:20], _too_long(longest))
    try:
        return Decimal(token)
    except InvalidOperation:
        raise NotAJsonNumber(
            token[:20], f"the number {_shown(token)} has an exponent beyond any ifex-tui reads"
        ) from None


def _shown(token: str) -> str:
    return token if len(token) <= 24 else f"{token[:20]}…"


def _too_long(digits: int) -> str:
    return f"a number of {digits:,} digits in a row: more than ifex-tui reads ({MAX_DIGITS:,})"


def _loads(data: bytes) -> Any:
    """The standard library's reading of one JSON text, with numbers as the stream parser
    gives them: integers exact, any other number a Decimal (see :func:`items.plain_number`)."""
    return json.loads(data, parse_constant=_refuse_constant, parse_int=_integer, parse_float=_decimal)


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _locate_error(source: FeedSource, items_read: int, exc: Exception) -> FeedError:
    """Turn a stream parser's failure into a FeedError with the exact line and column.

    ijson does not report positions, so the (bounded) file is parsed once more by the stdlib,
    whose errors carry them.
    """
    summary = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    try:
        with _open_bytes(source.path) as (stream, _):
            data = stream.read(EXACT_POSITION_LIMIT + 1)
    except _UNREADABLE:
        data = b""
    if len(data) <= EXACT_POSITION_LIMIT:
        data = data.removeprefix(BOM)
        try:
            _loads(data)
        except NotAJsonNumber as err:
            return FeedError(
                source.name,
                str(err),
                *_line_column(data, data.find(err.token.encode())),
            )
        except UnicodeDecodeError as err:
            line, column = _line_column(data, err.start)
            return FeedError(source.name, f"not UTF-8 text ({err.reason})", line, column)
        except json.JSONDecodeError as err:
            return FeedError(source.name, f"invalid JSON ({_json_reason(err)})", err.lineno,
                             err.colno)
        except RecursionError:
            return FeedError(source.name, "invalid JSON (nested too deeply)")
    if isinstance(exc, TooLongNumber):
        return FeedError(source.name, f"{exc} (near byte {exc.offset:,})")
    return FeedError(source.name, f"invalid JSON after item {items_read} ({summary})")
