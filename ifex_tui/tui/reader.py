"""Read-only access to the archive for the app's worker threads.

Each kind of work has its own read-only connection (a *lane*: counts and facets, the rows of
the list, the detail pane), lent to one thread at a time, since SQLite connections must not
be used by two threads at once.  They are kept rather than reopened because each holds its
own page cache and parsed schema (what the process shares between them, the bitmaps and the
list's order, is keyed by the archive's state: ``bitmap_counts.per_state``).  Separate lanes
let the list scroll while the facet counts are still running.  The change watcher has a
connection of its own, because ``PRAGMA data_version`` compares against its own past.

The connections read the file that was at the path when they opened, even once another file
takes its place (a copy moved over it, an archive restored from a backup): the watcher notices
that the path names another file and every connection is opened again on it, so that what the
panes show and what an export writes come from one archive.  A file copied *into* the
archive's (``cp other.db archive.db``: the same file, other bytes) is not a commit their
``data_version`` sees, and their page caches hold the old bytes: the watcher reads the state's
stamp through a new connection each time (about 2 ms at a million alerts), and a stamp that
moved without a commit is another archive.  Damage met before the watcher has looked is taken
for the same when the file's header is another than when the lanes opened (damage in the pages
leaves the header as it was, and is said).  A file deleted is said (a connection opened then would
read nothing).  Where no archive is yet, they read an empty one in memory (``schema.empty``)
and nothing is made at the path; the first import makes the file, and the watcher sees it
appear.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ifex_tui.archive import bitmap_counts, schema
from ifex_tui.archive.search import SEARCH_HELP, SearchError

#: How a failure that is another archive copied in, about to be read anew, ends (the screen
#: says it as news, not as an error).
REREAD = "another file was copied over it: reading it again"


class ArchiveReader:
    """Hands out one connection per lane to one archive file."""

    def __init__(self, path: Path):
        self.path = path
        self._lanes: dict[str, tuple[sqlite3.Connection, threading.Lock]] = {}
        self._opening = threading.Lock()
        self._watch: sqlite3.Connection | None = None
        self._watching = threading.Lock()  # the watcher's connection is used by one thread at a time
        self._closed = False
        self._version: int | None = None
        self._file = _file_at(path)  # the file the connections read
        self._opened_on: bytes | None = None  # its header when they opened
        self._reread = False  # the lanes were opened again: the archive must be read anew
        self._state: tuple | None = None  # the stamp a new connection read at the last look

    @property
    def found(self) -> bool:
        """Whether there was an archive at the path when the app opened it."""
        return self._file is not None

    def _open(self) -> sqlite3.Connection:
        """A read-only connection to the archive, or to an empty one while there is none yet.

        Raises:
            schema.ArchiveError: the archive that was read is gone (a connection to nothing
                would answer as an empty archive: an export of it wrote no alert)."""
        if schema.identify(self.path) in ("absent", "new"):
            if self._file is not None:
                raise self._gone()
            return schema.empty()
        self._opened_on = self._opened_on or schema.header(self.path)
        return schema.connect(self.path, readonly=True)

    def _gone(self) -> schema.ArchiveError:
        return schema.ArchiveError(
            f"{self.path}: the archive is gone (moved or deleted while the app read it); what "
            "is on screen was read before: put it back to go on")

    @contextmanager
    def connect(self, lane: str) -> Iterator[sqlite3.Connection]:
        """Lend ``lane``'s connection to the calling thread for the duration of the block."""
        with self._opening:
            if lane not in self._lanes:
                self._lanes[lane] = (self._open(), threading.Lock())
            conn, lock = self._lanes[lane]
        with lock:
            yield conn

    def explain(self, exc: BaseException) -> str:
        """The one line a worker's failure is reported with.  A worker answers any failure
        with it rather than ending quietly (keys may wait for that answer: ``type_ahead``):
        damage says what to do, anything that is not the archive's says it is a bug."""
        if isinstance(exc, schema.ArchiveError):
            return str(exc)
        if isinstance(exc, MemoryError):  # SQLite past what the app lets it hold
            return (f"{self.path}: SQLite ran out of the memory the app allows it (a very "
                    "broad search, such as a*, takes that much): narrow the search or the "
                    "filters")
        if self.rereads(exc):
            return f"{self.path} changed while the app read it; {REREAD}"
        if schema.is_damage(exc):
            return str(schema.damaged(self.path, exc))
        if isinstance(exc, SearchError):
            return f"Search: {exc}. {SEARCH_HELP}."
        if isinstance(exc, sqlite3.Error):
            return f"{self.path}: {exc}"
        return (f"ifex-tui failed ({type(exc).__name__}: {exc}); the archive is unchanged. "
                "This is a bug: please report it")

    def interrupt(self, lane: str) -> None:
        """Stop the query running on ``lane`` (if any): a newer request has superseded it.

        ``Connection.interrupt`` is safe to call from another thread; the interrupted query
        raises "interrupted" in its worker, whose answer is stale and dropped.
        """
        if lane in self._lanes:
            self._lanes[lane][0].interrupt()

    def close(self) -> None:
        """Close every connection (the app is leaving): running queries are interrupted, and
        a lane still busy after that is left to its thread, which ends with the process."""
        self._close_lanes()
        # Closing a connection another thread is using crashes the process: wait for the
        # watcher's query (a PRAGMA, milliseconds), as for the lanes.
        if self._watching.acquire(timeout=2):
            if self._watch is not None:
                self._watch.close()
                self._watch = None
            self._closed = True
            self._watching.release()

    def rereads(self, exc: BaseException) -> bool:
        """Whether ``exc`` is damage met because another file was copied over the archive
        (:meth:`_copied_over`): not said as an error, the archive is read anew."""
        return schema.is_damage(exc) and self._copied_over()

    def _copied_over(self) -> bool:
        """Whether the file's header is another than when the lanes opened, as damage seen
        then suggests another file was copied over it: if so the lanes are opened again (once
        per change: damage seen again after that is damage) and the watcher has the archive
        read anew."""
        try:
            now = schema.header(self.path)
        except OSError:
            return False
        if now is None or self._opened_on is None or now == self._opened_on:
            return False
        self._close_lanes()
        self._reread = True
        return True

    def _close_lanes(self) -> None:
        """Close the lanes' connections (the next use of a lane opens it again); a running
        query is interrupted first, and a lane still busy after that is left to its thread."""
        with self._opening:
            lanes, self._lanes = self._lanes, {}
            self._opened_on = None
        for conn, lock in lanes.values():
            conn.interrupt()
            if lock.acquire(timeout=2):
                conn.close()
                lock.release()

    def changed(self) -> str | None:
        """What has changed since the last call: ``"file"`` when the path names another file
        than the one read so far, or other bytes (every connection is opened again on it),
        ``"commit"`` when a commit by another connection has landed, else None (and once the
        reader is closed).

        Raises:
            schema.ArchiveError: the archive is gone (asked again each time until it is back).
        """
        with self._watching:
            if self._closed:
                return None
            now = _file_at(self.path)
            if now is None and self._file is not None:
                raise self._gone()
            if (now is not None and now != self._file) or self._reread:
                self._file = now
                self._reopen()
                return "file"
            if self._watch is None:
                self._watch = self._open()
            before = self._watch.execute("PRAGMA data_version").fetchone()[0]
            # not on the first look, which comes while the app draws its first screen
            state = self._fresh_state() if self._version is not None else None
            version = self._watch.execute("PRAGMA data_version").fetchone()[0]
            if (self._state is not None and state != self._state
                    and before == version == self._version):  # other bytes, and no commit
                self._reopen()
                return "file"
        changed = self._version is not None and version != self._version
        self._version, self._state = version, state
        return "commit" if changed else None

    def _reopen(self) -> None:
        """Every connection opened again, on what is at the path now, and what the next look
        compares with read at once: another copy seconds later is another change (the
        watcher's lock is held)."""
        self._reread = False
        self._close_lanes()
        if self._watch is not None:
            self._watch.close()
        self._watch = self._version = self._state = None
        try:
            self._watch = self._open()
            self._version = self._watch.execute("PRAGMA data_version").fetchone()[0]
            self._state = self._fresh_state()
        except (sqlite3.Error, schema.ArchiveError):  # a copy still being written: look again
            self._reread = True

    def _fresh_state(self) -> tuple | None:
        """The archive's state as a new connection reads it (None while there is no archive):
        what no page cache of the lanes' can hold back."""
        if self._file is None or schema.identify(self.path) in ("absent", "new"):
            return None
        conn = schema.connect(self.path, readonly=True)
        try:
            return bitmap_counts.stamp(conn)
        finally:
            conn.close()


def _file_at(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names (device and inode), or None when it names none or an empty
    one (``touch``: no archive yet, and the first import into it is an archive found)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if found.st_size else None
