"""Facet counts from stored bitmaps: one per facet value, year and ``all``.

Bit *pk* of a value's bitmap is set when alert *pk* holds the value.  The importer keeps the
``facet_bitmaps`` table exact inside its one transaction (:func:`update`); a reader loads every
bitmap of its archive once (:func:`load`, about 30 MiB at a million alerts) and counts a pane
as ``(filter & bitmap).bit_count()`` per value, where the filter is made with ``&`` across
dimensions and for ALL, ``|`` within a dimension (ANY) and ``& ~`` for exclusions.  That costs
the same whatever the filter, where the facet index costs one probe per matching alert.

A loaded set is shared by every connection of the process to the same archive file and
reloaded only when the state it saw has changed (an import landed: a few index lookups per
count say so), so the app's read lanes hold one copy between them.  Bitmaps are Python ``int``
values stored little-endian as BLOBs; no dependency beyond the standard library and ``orjson``
(the importer's already).

A search's hits are AND-ed in as one more bitmap (:func:`hits`), made from the FTS5 index once
per archive state and query: SQLite joins the hits' rowids into one text per range of rowids,
so no row crosses into Python one at a time, and the bitmap is written as a base-2 numeral, one
digit per alert.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson

from ifex_tui.archive.filters import FACETS, Filters, folded

#: The kind of the bitmap of every alert (its value is ``''``).
ALL = "all"
#: The kind of the per-year bitmaps (value: the year, :data:`UNDATED` for undated alerts).
YEAR = "year"

TABLE = """CREATE TABLE IF NOT EXISTS facet_bitmaps (
    kind TEXT NOT NULL,
    value TEXT NOT NULL COLLATE NOCASE,
    bits BLOB NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID"""

#: ``(kind, value, alert)`` of the given alerts, years included (``{pks}`` is a subquery).
_ROWS = """SELECT kind, value, alert FROM alert_facets WHERE alert IN ({pks})
UNION ALL SELECT 'year', coalesce(year, 0), pk FROM alerts WHERE pk IN ({pks})"""


def bits_of(pks: Iterable[int]) -> int:
    """A bitmap of ``pks`` (set through a bytearray: linear, unlike shifting an int)."""
    buf = bytearray()
    for pk in pks:
        index = pk >> 3
        if index >= len(buf):
            buf.extend(bytes(index + 1 - len(buf) + (len(buf) >> 1)))
        buf[index] |= 1 << (pk & 7)
    return int.from_bytes(buf, "little")


def as_blob(bits: int) -> bytes:
    return bits.to_bytes((bits.bit_length() + 7) // 8, "little")


def _key(kind: str, value) -> tuple[str, object]:
    """The dictionary key of a value as the table's NOCASE key compares it."""
    if kind == YEAR:
        return kind, int(value)
    return kind, folded(value)


def _groups(rows: Iterable[tuple]) -> Iterator[tuple[str, object, int]]:
    """``(kind, value, bitmap)`` per key from ``(kind, value, pk)`` rows ordered by key (value
    as NOCASE orders it), one bitmap in memory at a time."""
    current, spelled, pks = None, None, []
    for kind, value, pk in rows:
        key = _key(kind, value)
        if key != current:
            if current is not None:
                yield current[0], spelled, bits_of(pks)
            current, spelled, pks = key, (int(value) if kind == YEAR else value), []
        pks.append(pk)
    if current is not None:
        yield current[0], spelled, bits_of(pks)


def store(conn: sqlite3.Connection, kind: str, value, bits: int) -> None:
    """Store one bitmap (keeping the stored spelling of the value), or drop it if empty."""
    if bits:
        conn.execute(
            """INSERT INTO facet_bitmaps (kind, value, bits) VALUES (?, ?, ?)
               ON CONFLICT (kind, value) DO UPDATE SET bits = excluded.bits""",
            [kind, value, as_blob(bits)],
        )
    else:
        conn.execute("DELETE FROM facet_bitmaps WHERE kind = ? AND value = ?", [kind, value])


def rebuild(conn: sqlite3.Connection) -> None:
    """Fill ``facet_bitmaps`` from ``alert_facets`` and ``alerts`` (the migration; seconds at
    a million alerts).  The caller holds the transaction."""
    conn.execute("DELETE FROM facet_bitmaps")
    rows = conn.execute(
        "SELECT kind, value, alert FROM alert_facets ORDER BY kind, value"
    )
    for kind, value, bits in _groups(rows):
        store(conn, kind, value, bits)
    years = conn.execute("SELECT 'year', coalesce(year, 0), pk FROM alerts ORDER BY 2")
    for kind, value, bits in _groups(years):
        store(conn, kind, value, bits)
    store(conn, ALL, "", bits_of(pk for (pk,) in conn.execute("SELECT pk FROM alerts")))


def rewrite(conn: sqlite3.Connection, kind: str, values: str) -> None:
    """Make again the bitmaps of ``kind``'s values listed by the query ``values`` (one column,
    compared as the facet compares values) from ``alert_facets``: a value no alert holds any
    more loses its bitmap.  The caller holds the transaction."""
    conn.execute(f"DELETE FROM facet_bitmaps WHERE kind = ? AND value IN ({values})", [kind])
    rows = conn.execute(
        f"""SELECT kind, value, alert FROM alert_facets WHERE kind = ? AND value IN ({values})
            ORDER BY value""",
        [kind],
    )
    for each, value, bits in _groups(rows):
        store(conn, each, value, bits)


def touched_keys(conn: sqlite3.Connection) -> set[tuple[str, object]]:
    """The ``(kind, value)`` keys ``temp.touched``'s alerts hold now: call before they change."""
    rows = conn.execute(
        f"SELECT DISTINCT kind, value FROM ({_ROWS.format(pks='SELECT pk FROM temp.touched')})"
    )
    return set(rows)


def update(conn: sqlite3.Connection, before: set[tuple[str, object]]) -> None:
    """Bring the bitmaps of the import's keys up to date, inside the import's transaction.

    ``before`` is :func:`touched_keys` taken before the changed alerts were rewritten; after,
    ``temp.touched`` lists every new or changed alert.  Each key they held before or hold now
    loses the touched alerts' bits and gains those of the touched alerts that hold it now; a
    bitmap left empty is deleted; ``all`` gains the new alerts.  The touched alerts' rows are
    read in key order, so one value's bitmap is in memory at a time.
    """
    touched = bits_of(pk for (pk,) in conn.execute("SELECT pk FROM temp.touched"))
    if not touched:
        return
    left = {_key(kind, value): (kind, value) for kind, value in before}

    def rewrite(kind: str, value, bits: int) -> None:
        found = conn.execute(
            "SELECT bits FROM facet_bitmaps WHERE kind = ? AND value = ?", [kind, value]
        ).fetchone()
        old = int.from_bytes(found[0], "little") if found else 0
        store(conn, kind, value, (old & ~touched) | bits)

    rows = conn.execute(
        _ROWS.format(pks="SELECT pk FROM temp.touched") + " ORDER BY 1, 2 COLLATE NOCASE"
    )
    for kind, value, bits in _groups(rows):
        left.pop(_key(kind, value), None)
        rewrite(kind, value, bits)
    for kind, value in left.values():  # held before, by none of the touched alerts now
        rewrite(kind, value, 0)
    rewrite(ALL, "", touched)  # every touched alert is one


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Bitmaps:
    """Every bitmap of one archive state: ``by_kind[kind][key] = (value, bits)``."""

    by_kind: dict[str, dict[object, tuple[object, int]]]
    every: int

    def bits(self, kind: str, value) -> int:
        found = self.by_kind.get(kind, {}).get(_key(kind, value)[1])
        return found[1] if found else 0

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
        values = self.by_kind.get(dimension, {}).values()
        if among == self.every:
            return [(value, bits.bit_count()) for value, bits in values]
        return [(value, (among & bits).bit_count()) for value, bits in values]


def _read(conn: sqlite3.Connection) -> Bitmaps:
    by_kind: dict[str, dict[object, tuple[object, int]]] = {}
    every = 0
    for kind, value, blob in conn.execute("SELECT kind, value, bits FROM facet_bitmaps"):
        bits = int.from_bytes(blob, "little")
        if kind == ALL:
            every = bits
            continue
        if kind == YEAR:
            value = int(value)
        by_kind.setdefault(kind, {})[_key(kind, value)[1]] = (value, bits)
    return Bitmaps(by_kind, every)


_lock = threading.Lock()
#: Per archive file: the newest loaded set, shared by every connection that sees that state.
_shared: dict[str, tuple[tuple, Bitmaps]] = {}


def _stamp(conn: sqlite3.Connection) -> tuple:
    """What identifies the archive's state as ``conn`` sees it (a few index lookups): every
    import that lands logs a row in ``imports``, the migration fills the table once, and a
    reconciliation of the sources that changes them counts itself in ``meta``."""
    return tuple(conn.execute(
        """SELECT (SELECT coalesce(max(pk), 0) FROM imports), (SELECT count(*) FROM imports),
                  (SELECT coalesce(max(pk), 0) FROM alerts), (SELECT count(*) FROM facet_bitmaps),
                  (SELECT length(bits) FROM facet_bitmaps WHERE kind = 'all' AND value = ''),
                  (SELECT value FROM meta WHERE key = 'sources_reconciled')"""
    ).fetchone())


def _path(conn: sqlite3.Connection) -> str:
    """The file of ``conn``'s main database (``''`` in memory or temporary)."""
    return next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")


def load(conn: sqlite3.Connection) -> Bitmaps:
    """The archive's bitmaps as ``conn`` sees them: read once per archive state and shared.

    Connections of one process to one archive file share one copy while they see the same
    state; after an import lands, the first connection to look reads the new state and the
    old copy is released once no caller holds it.  (``PRAGMA data_version`` cannot key this:
    its values mean nothing across connections, and a connection cannot carry a weak
    reference, so the state is read from the archive itself.)
    """
    stamp = _stamp(conn)
    path = _path(conn)
    if not path:  # an in-memory or temporary database: nothing to share
        return _read(conn)
    with _lock:
        shared = _shared.get(path)
        if shared is not None and shared[0] == stamp:
            return shared[1]
        if shared is not None:  # let the old copy go before reading the new one
            del _shared[path]
        bitmaps = _read(conn)
        if _stamp(conn) == stamp:  # no import landed while it was read
            _shared[path] = (stamp, bitmaps)
        return bitmaps


#: The newest search's hits as a bitmap: ``(path, stamp, query)`` and the bitmap.
_hits: tuple[tuple, int] | None = None


def hits(conn: sqlite3.Connection, query: str, match: str) -> int:
    """The alerts matching the search ``query`` as a bitmap, ``match`` being the FTS5 query
    that runs it (``search.runnable``'s form of it), made once per archive state and query:
    the same archive, state and query are the same hits on any connection, so the newest one
    is kept for all of them.

    Made straight from the full-text index (:func:`_fts_bits`), not from
    ``temp.search_hits``, which only the list's rows need."""
    global _hits
    path = _path(conn)
    key = (path, _stamp(conn), query)
    with _lock:
        if path and _hits is not None and _hits[0] == key:
            return _hits[1]
    bits = _fts_bits(conn, match)
    if path:
        with _lock:
            _hits = (key, bits)
    return bits


#: Rowids taken from FTS5 per statement (a range of rowids each), so the hits of a word in
#: every alert are never one list of a million ints in memory: at a million alerts the peak
#: grows by about 11 MB, not 70, and the bitmap comes a little faster; a rare word pays about
#: 40 us a statement.
_CHUNK = 1 << 16
#: Below one hit in this many alerts, :func:`bits_of` (a Python step per hit) beats a digit per
#: alert.
_SPARSE = 50


def _fts_bits(conn: sqlite3.Connection, match: str) -> int:
    """The rowids FTS5 finds for ``match`` as a bitmap, exact for any query.

    SQLite hands the rowids of a range over as one text (``group_concat``: no row crosses
    into Python), read with orjson.  Few hits go through :func:`bits_of`; many are set as one
    ASCII digit per alert, ``'1'`` at each hit in a ``'0'``-filled buffer, read at the end as
    a base-2 numeral (linear in CPython).  At a million alerts that is about 140 ns a hit:
    SQLite writing the rowids as text doubles the bare FTS5 count (about 35 ns a hit), orjson
    about 45 and a digit about 20 (:func:`bits_of` would take 300)."""
    [(top,)] = conn.execute("SELECT coalesce(max(pk), 0) FROM alerts").fetchall()
    starts = range(0, top + 1, _CHUNK)
    few: list[int] = []
    digits: bytearray | None = None
    for lo in starts:
        if lo == starts[-1]:  # the last range is open: every rowid FTS5 holds is read
            rows = conn.execute(
                "SELECT group_concat(rowid) FROM alerts_fts WHERE alerts_fts MATCH ?"
                " AND rowid >= ?", [match, lo])
        else:
            rows = conn.execute(
                "SELECT group_concat(rowid) FROM alerts_fts WHERE alerts_fts MATCH ?"
                " AND rowid BETWEEN ? AND ?", [match, lo, lo + _CHUNK - 1])
        [(text,)] = rows.fetchall()
        pks = orjson.loads(f"[{text}]") if text else []
        if digits is None:
            few.extend(pks)
            if len(few) * _SPARSE <= top:
                continue
            digits = bytearray(b"0") * (top + 1)
            pks, few = few, []
        _set_digits(digits, pks)
    if digits is None:
        return bits_of(few)
    digits.reverse()
    return int(digits, 2)


def _set_digits(digits: bytearray, pks: list[int]) -> None:
    """``'1'`` at each of ``pks`` in ``digits``, grown if a pk lies past its end."""
    one = ord("1")
    try:
        for pk in pks:
            digits[pk] = one
    except IndexError:
        digits.extend(b"0" * (max(pks) + 1 - len(digits)))
        _set_digits(digits, pks)
