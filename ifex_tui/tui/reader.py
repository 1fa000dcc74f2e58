"""Read-only access to the archive for the app's worker threads.

A small pool of read-only connections is lent to one worker at a time (SQLite connections
must not be used by two threads at once).  They are kept rather than reopened because each
holds its own caches, notably the materialised hits of the current search, which every block
of the list and every count reuses.  The change watcher has a connection of its own, because
``PRAGMA data_version`` compares against that connection's own past.
"""

from __future__ import annotations

import queue
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ifex_tui.archive import schema


class ArchiveReader:
    """Hands out connections to one archive file."""

    #: Connections kept for reuse; more may be open briefly when many workers run at once.
    POOL = 3

    def __init__(self, path: Path):
        self.path = path
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._watch: sqlite3.Connection | None = None
        self._version: int | None = None

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """Lend a connection to the calling thread for the duration of the block."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = schema.connect(self.path, readonly=True)
        try:
            yield conn
        finally:
            if self._idle.qsize() < self.POOL:
                self._idle.put(conn)
            else:
                conn.close()

    def changed(self) -> bool:
        """True when a commit by another connection has landed since the last call."""
        if self._watch is None:
            self._watch = schema.connect(self.path, readonly=True)
        version = self._watch.execute("PRAGMA data_version").fetchone()[0]
        changed = self._version is not None and version != self._version
        self._version = version
        return changed
