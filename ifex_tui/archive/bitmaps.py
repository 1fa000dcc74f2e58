"""The stored facet bitmaps: one per facet value, year and ``all``, kept exact by the importer.

Bit *pk* of a value's bitmap is set when alert *pk* holds the value.  The importer keeps the
``facet_bitmaps`` table exact inside its one transaction (:func:`update`); readers count with
them through ``bitmap_counts.py``.  Here bitmaps are Python ``int`` values, stored
little-endian as BLOBs: what an import writes needs nothing beyond the standard library (the
readers' numpy is never imported by an import).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from ifex_tui.archive.filters import folded

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


def key_of(kind: str, value) -> tuple[str, object]:
    """The dictionary key of a value as the table's NOCASE key compares it."""
    if kind == YEAR:
        return kind, int(value)
    return kind, folded(value)


def _groups(rows: Iterable[tuple]) -> Iterator[tuple[str, object, int]]:
    """``(kind, value, bitmap)`` per key from ``(kind, value, pk)`` rows ordered by key (value
    as NOCASE orders it), one bitmap in memory at a time."""
    current, spelled, pks = None, None, []
    for kind, value, pk in rows:
        key = key_of(kind, value)
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
    left = {key_of(kind, value): (kind, value) for kind, value in before}

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
        left.pop(key_of(kind, value), None)
        rewrite(kind, value, bits)
    for kind, value in left.values():  # held before, by none of the touched alerts now
        rewrite(kind, value, 0)
    rewrite(ALL, "", touched)  # every touched alert is one
