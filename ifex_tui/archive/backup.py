"""``ifex-tui backup DEST``: a consistent copy of a live archive, with SQLite's backup API.

The copy reads one snapshot of the archive (WAL lets an import or the app go on meanwhile).
A new ``DEST`` is written beside its final name and renamed into place when whole, so a full
disk never leaves half a backup.  An existing ``DEST`` must itself be an ifex-tui archive
(anything else is refused and left untouched); it is overwritten through SQLite, page by
page under its own locks, which keeps its write-ahead log coherent: this is also how a backup
is restored (``ifex-tui --db BACKUP backup ARCHIVE``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from ifex_tui.archive import schema


def backup(source: Path, dest: Path) -> int:
    """Copy the archive ``source`` to ``dest``; return how many alerts the copy holds.

    Raises:
        ArchiveError: ``source`` is not a readable archive; ``dest`` is not an ifex-tui
            archive, is ``source`` itself, or cannot be written.
    """
    if dest.exists() and source.exists() and os.path.samefile(source, dest):
        raise schema.ArchiveError(f"{dest}: is the archive itself; choose another file")
    kind = schema.identify(dest)  # another program's file: refused, untouched
    if dest.is_dir():
        raise schema.ArchiveError(f"{dest}: is a folder; name the backup file")
    cause = schema.writable(dest)
    if cause is not None:
        raise schema.ReadOnlyArchive(f"{cause}; no backup was written")
    conn = schema.connect(source, readonly=True)
    try:
        if kind in ("ours", "legacy"):
            target = schema.connect(dest)  # a live archive: overwritten under SQLite's locks
            try:
                conn.backup(target)
                target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                target.close()
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".partial")
            os.close(fd)
            partial = Path(name)
            try:
                target = sqlite3.connect(partial, isolation_level=None)
                try:
                    conn.backup(target)
                finally:
                    target.close()
                os.replace(partial, dest)
            finally:
                for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"),
                                 Path(f"{partial}-journal")):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()
        return conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    except sqlite3.Error as exc:
        if schema.is_damage(exc):
            raise schema.damaged(source, exc) from None
        raise schema.ArchiveError(f"{dest}: backup failed, nothing was written ({exc})") from None
    finally:
        conn.close()

