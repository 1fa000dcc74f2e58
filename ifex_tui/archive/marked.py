"""Alerts chosen one by one: the app's marks and the command line's ``--id``.

A researcher marks the alerts a paper cites, or picks them by id in a script; either way the
choice is a filter of its own (:attr:`Filters.marked`), AND-ed with the others.  It is held as
a bitmap of alert pks, like the facets' (``bitmaps.py``): marking every alert in view is one
OR of the view's bitmap, and counting under the marks one more AND.  Walking the marked alerts
in list order needs them as rows: :func:`materialise` copies them into a temporary table with
their sort key (as the search hits are, see ``search.py``), once per marks and archive state.
Ids are what a person and a command line see; pks never leave the archive.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from ifex_tui.archive import bitmaps

#: Ids looked up per statement (well under SQLite's limit on bound parameters).
_CHUNK = 500


def members(bits: int) -> Iterator[int]:
    """The pks set in ``bits``, smallest first (the zero bytes of a sparse bitmap skipped)."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            for bit in range(8):
                if byte >> bit & 1:
                    yield base + bit


def pks_of(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, int]:
    """The archive's pk of each alert id given that it holds (an id it lacks is left out)."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        found.update(conn.execute(
            f"SELECT id, pk FROM alerts WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        ).fetchall())
    return {alert_id: found[alert_id] for alert_id in wanted if alert_id in found}


def bits_of(pks: Iterable[int]) -> int:
    """The bitmap of ``pks``."""
    return bitmaps._bits(pks)


def ids_of(conn: sqlite3.Connection, bits: int) -> list[str]:
    """The ids of the marked alerts the archive holds, sorted (as a command line lists them)."""
    pks = list(members(bits))
    ids: list[str] = []
    for start in range(0, len(pks), _CHUNK):
        chunk = pks[start:start + _CHUNK]
        ids.extend(row[0] for row in conn.execute(
            f"SELECT id FROM alerts WHERE pk IN ({', '.join('?' * len(chunk))})", chunk
        ))
    return sorted(ids)


def materialise(conn: sqlite3.Connection, bits: int) -> None:
    """Make ``temp.marked (pk, sort_date, year)`` hold the alerts of ``bits`` that the archive
    holds, indexed in list order; kept while the marks and the archive stay the same."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS marked_key (bits BLOB, version INTEGER)")
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS marked (pk INTEGER PRIMARY KEY, sort_date TEXT,"
        " year INTEGER GENERATED ALWAYS AS (CAST(nullif(substr(sort_date, 1, 4), '') AS INTEGER)))"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS temp.marked_order ON marked (sort_date, pk)")
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    blob = bitmaps._blob(bits)
    if conn.execute("SELECT bits, version FROM temp.marked_key").fetchone() == (blob, version):
        return
    conn.execute("DELETE FROM temp.marked_key")
    conn.execute("DELETE FROM temp.marked")
    conn.executemany(
        "INSERT INTO temp.marked (pk, sort_date) SELECT pk, sort_date FROM alerts WHERE pk = ?",
        ((pk,) for pk in members(bits)),
    )
    conn.execute("INSERT INTO temp.marked_key VALUES (?, ?)", [blob, version])
