"""``ifex-tui check``: is the archive sound, and if not, what to do.

SQLite's ``PRAGMA integrity_check`` reads every page and index; FTS5's ``integrity-check``
command compares the full-text index with the alerts it indexes; and the facet counts must add
up to the alerts.  FTS5 runs its check as an ``INSERT`` into the index table, which a
read-only connection refuses; it changes nothing, so it runs inside a transaction that is
rolled back, and for a read-only archive on a private copy made with the backup API.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ifex_tui.archive import schema

#: At most this many of SQLite's own findings are kept (it stops at 100 anyway).
MAX_SHOWN = 3


@dataclass
class CheckResult:
    path: Path
    alerts: int | None = None
    problems: list[str] = field(default_factory=list)
    search_damaged: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def advice(self) -> str:
        """What to do, in plain words."""
        if self.ok:
            return ""
        return (
            f"move it aside (mv {self.path} {self.path}.damaged) and restore your latest backup "
            f"in its place (ifex-tui --db BACKUP backup {self.path}), or import your feeds "
            "again into a new archive (ifex-tui import FEED... --db NEW.db); then make backups "
            "with `ifex-tui backup DEST`"
        )


def check(path: Path, step: Callable[[str], None] = lambda what: None) -> CheckResult:
    """Run the checks on ``path``; never writes to it.  ``step`` is told what each check
    is as it starts (each reads the whole file: minutes at a million alerts).

    Raises:
        ArchiveError: ``path`` is not an ifex-tui archive or cannot be opened at all.
    """
    result = CheckResult(path)
    try:
        conn = schema.connect(path, readonly=True)
    except schema.DamagedArchive as exc:  # too damaged to open (a truncated file): say so
        result.problems.append(f"SQLite cannot open it: {exc.reason or 'its pages are damaged'}")
        return result
    try:
        step("SQLite's integrity check")
        try:
            findings = [line for row in conn.execute("PRAGMA integrity_check(100)")
                        for line in str(row[0]).splitlines() if line.strip()]
        except sqlite3.DatabaseError as exc:
            findings = [str(exc)]
        findings = [f for f in findings if not f.startswith("*** in database")]
        if missing := _missing_objects(conn):
            result.problems.append(f"parts of the archive are missing: {', '.join(missing)}")
        if findings != ["ok"]:
            shown = "; ".join(findings[:MAX_SHOWN])
            more = f" (and {len(findings) - MAX_SHOWN} more)" if len(findings) > MAX_SHOWN else ""
            result.problems.append(f"SQLite finds damaged pages or indexes: {shown}{more}")
        try:
            result.alerts = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
            counted = conn.execute(
                "SELECT coalesce(sum(n), 0) FROM facet_counts WHERE kind = 'all'"
            ).fetchone()[0]
            if counted != result.alerts:
                result.problems.append(
                    f"the facet counts add up to {counted:,} alerts, the archive holds "
                    f"{result.alerts:,}"
                )
        except sqlite3.DatabaseError as exc:
            result.problems.append(f"the alerts cannot be counted ({exc})")
    finally:
        conn.close()
    search = _search_index_problem(path, step)
    if search:
        result.search_damaged = True
        result.problems.append(f"the full-text search index does not match the alerts ({search})")
    return result


def _missing_objects(conn: sqlite3.Connection) -> list[str]:
    """Tables and indexes this archive's schema version must have and does not (a table
    dropped by another program is no damaged page: integrity_check cannot see it)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    have = {(kind, name) for kind, name, _ in schema._signature(conn)[0]}
    want = [(kind, name) for kind, name, _ in schema._expected_signature(version)[0]]
    return [f"{kind} {name}" for kind, name in want if (kind, name) not in have]


def _search_index_problem(path: Path, step: Callable[[str], None]) -> str | None:
    """FTS5's integrity check, on the archive if it can be written (rolled back), else a copy."""
    with contextlib.ExitStack() as stack:
        if schema.writable(path) is None:
            conn = sqlite3.connect(path, isolation_level=None)
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="ifex-tui-check-"))
            conn = sqlite3.connect(Path(folder) / "copy.db", isolation_level=None)
            source = schema.connect(path, readonly=True)
            step("copying the read-only archive to check its search index")
            try:
                source.backup(conn)
            except sqlite3.DatabaseError as exc:
                conn.close()
                return str(exc)
            finally:
                source.close()
        stack.callback(conn.close)
        schema.register_functions(conn)  # the index reads its text through a view that calls them
        conn.execute("PRAGMA busy_timeout = 10000")
        step("the search index's integrity check")
        try:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO alerts_fts (alerts_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            return str(exc)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    return None
