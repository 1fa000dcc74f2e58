"""One import at a time per archive: a lock file beside it, held with ``flock`` for the import.

SQLite alone would let a second import stage its feeds and then fail with "database is
locked" after the busy timeout.  Instead an import takes ``ARCHIVE.import-lock`` first; a
second one waits for it (its caller is told who holds it, to say so on a terminal) and then
runs against what the first one left.  The file records the holder (pid, start, feeds) and is
removed when the import ends; one left by a killed import is stale (the kernel released its
lock) and is simply taken over.  Where ``fcntl`` does not exist, imports are not serialised
beyond SQLite's own locking.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def lock_path(archive: Path) -> Path:
    return archive.with_name(f"{archive.name}.import-lock")


def describe(holder: dict) -> str:
    """``pid 1234, since 14:02:11, big.jsonl`` from what the holder recorded."""
    parts = [f"pid {holder['pid']}"] if holder.get("pid") else []
    if holder.get("started"):
        parts.append(f"since {holder['started']}")
    feeds = holder.get("feeds") or []
    if feeds:
        parts.append(", ".join(feeds[:3]) + (", …" if len(feeds) > 3 else ""))
    return "; ".join(parts) or "holder unknown"


def _read_holder(fd: int) -> dict:
    try:
        data = os.pread(fd, 64 << 10, 0)
        holder = json.loads(data.decode("utf-8")) if data else {}
        return holder if isinstance(holder, dict) else {}
    except (OSError, ValueError):
        return {}


@contextlib.contextmanager
def import_lock(
    archive: Path, feeds: list[str], on_wait: Callable[[dict], None] | None = None
) -> Iterator[None]:
    """Hold the archive's import lock for the block; wait for it if another import holds it.

    ``on_wait`` is called once, with what the holder recorded, before waiting.
    """
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = lock_path(archive)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait(_read_holder(fd))
                    on_wait = None
                fcntl.flock(fd, fcntl.LOCK_EX)
            # The holder removes the file as it ends: the lock is ours only if the file we
            # locked is still the one at ``path``.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)
    try:
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        record = json.dumps({"pid": os.getpid(), "started": started, "feeds": feeds})
        os.ftruncate(fd, 0)
        os.pwrite(fd, record.encode("utf-8"), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)
