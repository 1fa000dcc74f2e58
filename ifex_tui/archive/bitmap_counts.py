"""Counting with the stored bitmaps (``bitmaps.py``): loaded once per archive state, one matrix
of 64-bit words per dimension, a row per value.

A pane's counts are ``(filter & value).bit_count()`` for each of its values, where the filter is
made with ``&`` across dimensions and, for ALL, ``|`` within a dimension (ANY) and ``& ~`` for
exclusions.  That costs the same whatever the filter (the facet index costs a probe per
matching alert), and what it costs is reading every value's bitmap: about 32 MiB for the six
dimensions at a million alerts, on every key that changes a filter.  numpy reads them at memory
speed, a row at a time (an AND and a bit count per word): about 5 ms for the six panes at a
million alerts, where Python ints, an allocation per value, took 15 to 19 ms.  The
filter itself is a few ANDs and ORs and stays a Python ``int`` (the marks, a search's hits and
"mark every alert in view" are ints too).

A loaded set is shared by every connection of the process to the same archive file and
reloaded only when the state it saw has changed (an import landed: a few index lookups per
count say so), so the app's read lanes hold one copy between them.  The importer never loads
them (``bitmaps.py`` keeps numpy out of an import's start-up).

A search's hits are AND-ed in as one more bitmap (:func:`hits`), made from the FTS5 index once
per archive state and query: SQLite joins the hits' rowids into one text, so no row crosses
into Python one at a time, and numpy reads it into a bitmap.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from ifex_tui.archive.bitmaps import ALL, YEAR, key_of
from ifex_tui.archive.filters import FACETS, Filters
from ifex_tui.archive.schema import database_file
from ifex_tui.archive.search import too_broad

T = TypeVar("T")


def _as_int(array: np.ndarray) -> int:
    """A bitmap held in ``array``'s bytes (little-endian words or packed bits) as an ``int``."""
    return int.from_bytes(array.tobytes(), "little")


@dataclass(frozen=True, eq=False)
class Dimension:
    """One dimension's bitmaps: ``values`` as stored, ``rows[key]`` the row of a value's key,
    ``matrix`` a row of words per value and ``totals`` each row's bit count."""

    values: list
    rows: dict[object, int]
    matrix: np.ndarray
    totals: list[int]

    def counts(self, among: np.ndarray) -> list[int]:
        """How many alerts of ``among`` (words) each value holds: a row at a time, through
        two buffers of one row (whole blocks of rows were no faster and took 10 MB more)."""
        anded = np.empty_like(among)
        ones = np.empty(among.shape, np.uint8)
        found = []
        for row in self.matrix:
            np.bitwise_and(row, among, out=anded)
            np.bitwise_count(anded, out=ones)
            found.append(int(ones.sum(dtype=np.int64)))
        return found


@dataclass(frozen=True, eq=False)
class Bitmaps:
    """Every bitmap of one archive state, ``every`` being the bitmap of all its alerts."""

    by_kind: dict[str, Dimension]
    every: int
    words: int

    def _as_words(self, bits: int) -> np.ndarray:
        return np.frombuffer(bits.to_bytes(self.words * 8, "little"), np.uint64)

    def bits(self, kind: str, value) -> int:
        dimension = self.by_kind.get(kind)
        row = dimension.rows.get(key_of(kind, value)[1]) if dimension else None
        if row is None:
            return 0
        return _as_int(dimension.matrix[row])

    def each(self, kind: str) -> list[tuple[object, int]]:
        """``(value, bitmap)`` of every value of ``kind``."""
        dimension = self.by_kind.get(kind)
        if dimension is None:
            return []
        return [(value, _as_int(dimension.matrix[row]))
                for row, value in enumerate(dimension.values)]

    def union(self, kind: str) -> int:
        """The alerts holding any value of ``kind``."""
        dimension = self.by_kind.get(kind)
        if dimension is None or not dimension.values:
            return 0
        return _as_int(np.bitwise_or.reduce(dimension.matrix, axis=0))

    def matching(self, filters: Filters) -> int:
        """The alerts matching ``filters`` (its search aside) as a bitmap."""
        result = self.every
        for dimension in (YEAR, *FACETS):
            chosen = filters.values(dimension)
            if chosen and filters.matches_all(dimension):
                for value in chosen:
                    result &= self.bits(dimension, value)
            elif chosen:
                union = 0
                for value in chosen:
                    union |= self.bits(dimension, value)
                result &= union
            for value in filters.excluded_values(dimension):
                result &= ~self.bits(dimension, value)
        return result

    def breakdown(self, dimension: str, among: int) -> list[tuple]:
        """``(key, alerts)`` per value of ``dimension`` among the alerts of ``among``."""
        found = self.by_kind.get(dimension)
        if found is None:
            return []
        counts = found.totals if among == self.every else found.counts(self._as_words(among))
        return list(zip(found.values, counts, strict=True))


def _read(conn: sqlite3.Connection) -> Bitmaps:
    """Every stored bitmap, a dimension's rows copied into its matrix one at a time (so the
    stored blobs are never all in memory beside the matrices)."""
    [(longest,)] = conn.execute("SELECT coalesce(max(length(bits)), 0) FROM facet_bitmaps")
    words = max(1, -(-longest // 8))
    sizes = dict(conn.execute("SELECT kind, count(*) FROM facet_bitmaps GROUP BY kind"))
    by_kind: dict[str, Dimension] = {}
    every = 0
    for kind, value, blob in conn.execute("SELECT kind, value, bits FROM facet_bitmaps ORDER BY kind"):
        if kind == ALL:
            every = int.from_bytes(blob, "little")
            continue
        dimension = by_kind.get(kind)
        if dimension is None:
            matrix = np.zeros((sizes[kind], words), np.uint64)
            dimension = by_kind[kind] = Dimension([], {}, matrix, [])
        if kind == YEAR:
            value = int(value)
        row = len(dimension.values)
        dimension.values.append(value)
        dimension.rows[key_of(kind, value)[1]] = row
        dimension.matrix.view(np.uint8)[row, : len(blob)] = np.frombuffer(blob, np.uint8)
    for dimension in by_kind.values():
        dimension.totals.extend(np.bitwise_count(dimension.matrix).sum(axis=1).tolist())
    return Bitmaps(by_kind, every, words)


_lock = threading.Lock()
#: Per archive file and name: the newest thing read of it, shared by every connection that
#: sees that state (the bitmaps here, the list's order in ``list_order.py``).
_shared: dict[tuple[str, str], tuple[tuple, object]] = {}


def stamp(conn: sqlite3.Connection) -> tuple:
    """What identifies the archive's state as ``conn`` sees it (a few index lookups): every
    import that lands logs a row in ``imports``, the migration fills the table once, and a
    reconciliation of the sources that changes them counts itself in ``meta``.  The last
    import's start and feed tell apart two archives imported alike (another file moved over
    the archive the app reads, the same number of everything in it)."""
    return tuple(conn.execute(
        """SELECT (SELECT coalesce(max(pk), 0) FROM imports), (SELECT count(*) FROM imports),
                  (SELECT started || ' ' || sha256 FROM imports ORDER BY pk DESC LIMIT 1),
                  (SELECT coalesce(max(pk), 0) FROM alerts), (SELECT count(*) FROM facet_bitmaps),
                  (SELECT length(bits) FROM facet_bitmaps WHERE kind = 'all' AND value = ''),
                  (SELECT value FROM meta WHERE key = 'sources_reconciled')"""
    ).fetchone())


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around what follows (if ``conn`` is not in one), so that several
    statements read one state of the archive, whatever import lands meanwhile."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def per_state(conn: sqlite3.Connection, name: str, read: Callable[[sqlite3.Connection], T]) -> T:
    """``read(conn)``, read once per archive file, state and ``name`` and shared.

    Connections of one process to one archive file share one copy while they see the same
    state; after an import lands, the first connection to look reads the new state (in one
    read transaction with the state's stamp) and the old copy is released once no caller
    holds it.  (``PRAGMA data_version`` cannot key this: its values mean nothing across
    connections, and a connection cannot carry a weak reference, so the state is read from
    the archive itself.)
    """
    key = (database_file(conn), name)
    if not key[0]:  # an in-memory or temporary database: nothing to share
        return read(conn)
    now = stamp(conn)
    with _lock:
        shared = _shared.get(key)
        if shared is not None and shared[0] == now:
            return shared[1]
        if shared is not None:  # let the old copy go before reading the new one
            del _shared[key]
        with _snapshot(conn):
            now = stamp(conn)
            found = read(conn)
        _shared[key] = (now, found)
        return found


def load(conn: sqlite3.Connection) -> Bitmaps:
    """The archive's bitmaps as ``conn`` sees them: read once per archive state and shared."""
    return per_state(conn, "bitmaps", _read)


#: The newest search's hits as a bitmap: ``(path, stamp, query)`` and the bitmap.
_hits: tuple[tuple, int] | None = None


def hits(conn: sqlite3.Connection, query: str, match: str) -> int:
    """The alerts matching the search ``query`` as a bitmap, ``match`` being the FTS5 query
    that runs it (``search.runnable``'s form of it), made once per archive state and query:
    the same archive, state and query are the same hits on any connection, so the newest one
    is kept for all of them (the list's pages are made from it too: ``list_order.py``).

    Made straight from the full-text index (:func:`_fts_bits`).

    Raises:
        SearchError: FTS5 ran out of the memory SQLite may use (``search.too_broad``)."""
    global _hits
    key = (database_file(conn), stamp(conn), query)
    with _lock:
        if key[0] and _hits is not None and _hits[0] == key:
            return _hits[1]
    try:
        bits = _fts_bits(conn, match)
    except MemoryError:
        raise too_broad(query) from None
    if key[0]:
        with _lock:
            _hits = (key, bits)
    return bits


#: Rowids taken from FTS5 per statement (a range of rowids each), so that the hits of a word in
#: every alert are never all in memory as text and as numbers at once: about 4 MB at a time
#: rather than 15 at a million alerts (a statement costs about 40 us).
_CHUNK = 1 << 18


def _fts_bits(conn: sqlite3.Connection, match: str) -> int:
    """The alerts FTS5 finds for ``match`` as a bitmap, exact for any query.

    SQLite hands the rowids of a range over as one text (``group_concat``: no row crosses
    into Python), numpy reads it and sets a flag per hit, packed eight to a byte at the end.
    At a million alerts that is about 110 ns a hit, most of it SQLite writing the rowids as
    text (which alone doubles the bare FTS5 count); orjson and a base-2 digit per hit took
    70 ns more a hit.  Only rowids up to the last alert's are read: the index holds no other
    (and the counts AND the hits with every alert)."""
    [(top,)] = conn.execute("SELECT coalesce(max(pk), 0) FROM alerts").fetchall()
    flags = np.zeros(top + 1, np.bool_)
    for lo in range(0, top + 1, _CHUNK):
        [(text,)] = conn.execute(
            "SELECT group_concat(rowid) FROM alerts_fts WHERE alerts_fts MATCH ?"
            " AND rowid BETWEEN ? AND ?", [match, lo, min(top, lo + _CHUNK - 1)],
        ).fetchall()
        if text:
            flags[np.fromstring(text, dtype=np.int64, sep=",")] = True
    return _as_int(np.packbits(flags, bitorder="little"))
