"""Sets of alerts made temporary tables once per key and archive state: a search's hits
(``search.py``), the marked alerts (``marked.py``).

Only the list's rows walk them (the counts take the same sets as bitmaps).  Beside each table
the connection keeps the key it was made for, the archive's ``PRAGMA data_version`` then and
how many alerts it holds, so asking again for the same set in the same state reuses the table
and its size without counting it (counting a million rows on every page took 15 ms).  A table
is made anew each time and indexed once filled: an index kept up row by row while filling
costs about as much again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def made_once(
    conn: sqlite3.Connection, table: str, key, definition: str, index: str,
    fill: Callable[[], int],
) -> int:
    """How many alerts ``temp.<table>`` holds, made for ``key`` if it is not already: created
    as ``definition`` (its columns and options), filled by ``fill`` (which says how many rows
    it wrote), then indexed on ``index``."""
    conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {table}_key (key, version INTEGER, size INTEGER)"
    )
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    made = conn.execute(f"SELECT key, version, size FROM temp.{table}_key").fetchone()
    if made is not None and made[:2] == (key, version):
        return made[2]
    conn.execute(f"DELETE FROM temp.{table}_key")
    conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    conn.execute(f"CREATE TEMP TABLE {table} {definition}")
    size = fill()
    conn.execute(f"CREATE INDEX temp.{table}_index ON {table} ({index})")
    conn.execute(f"INSERT INTO temp.{table}_key VALUES (?, ?, ?)", [key, version, size])
    return size
