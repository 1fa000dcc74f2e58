"""Read-only access to the archive for the app's worker threads.

Each query opens its own read-only connection: SQLite connections must not be shared by
threads running at once, opening one costs a fraction of a millisecond, and a fresh one always
sees the latest committed state.  Only the change watcher keeps one open, because
``PRAGMA data_version`` compares against the connection's own past.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from ifex_tui.archive import schema


class ArchiveReader:
    """Hands out connections to one archive file."""

    def __init__(self, path: Path):
        self.path = path
        self._watch: sqlite3.Connection | None = None
        self._version: int | None = None

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        with closing(schema.connect(self.path, readonly=True)) as conn:
            yield conn

    def changed(self) -> bool:
        """True when a commit by another connection has landed since the last call."""
        if self._watch is None:
            self._watch = schema.connect(self.path, readonly=True)
        version = self._watch.execute("PRAGMA data_version").fetchone()[0]
        changed = self._version is not None and version != self._version
        self._version = version
        return changed
