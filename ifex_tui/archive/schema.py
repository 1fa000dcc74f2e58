"""The archive's tables, indexes and full-text index, as data applied by forward migrations.

``PRAGMA user_version`` is the number of migrations applied; opening an archive applies the
missing ones, so an old archive is brought forward and a new one is made by the same path.
sqlite-utils commits between some of its DDL steps, so each migration is written to be safe
to run again, and the version is raised only after it has finished: a kill mid-way leaves an
archive that the next open completes.

Facets (country, violation, target, region, source) live in one narrow table,
``alert_facets``, denormalised with the alert's year and sort date so that filtering and
paging by any facet walk an index; ``facet_counts`` holds per-(facet, value, year) totals kept
by the importer, so the unfiltered counts of a million alerts are read, not counted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

# The facet conventions live with the filters; re-exported for older callers.
from ifex_tui.archive.filters import FACETS as FACETS
from ifex_tui.archive.filters import UNDATED as UNDATED

FTS_COLUMNS = ("title", "summary", "body_text", "tags", "source")
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"

ALERT_COLUMNS = {
    "pk": int, "id": str, "url": str, "external_url": str, "title": str, "summary": str,
    "content_html": str, "content_text": str, "body_text": str, "published": str, "date": str,
    "year": int, "sort_date": str, "modified": str, "modified_utc": str, "language": str,
    "tags": str, "authors": str, "countries": str, "region": str, "violations": str,
    "targets": str, "source": str, "alert_type": str, "extensions": str, "hash": str,
}

_FACET_TABLES = """
CREATE TABLE IF NOT EXISTS alert_facets (
    kind TEXT NOT NULL,
    value TEXT NOT NULL COLLATE NOCASE,
    sort_date TEXT NOT NULL,
    year INTEGER NOT NULL,
    alert INTEGER NOT NULL,
    PRIMARY KEY (kind, value, sort_date, alert)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alert_facets_alert ON alert_facets (alert);
CREATE TABLE IF NOT EXISTS facet_counts (
    kind TEXT NOT NULL,
    value TEXT NOT NULL COLLATE NOCASE,
    year INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, value, year)
) WITHOUT ROWID;
"""


def _create_v1(db: sqlite_utils.Database) -> None:
    alerts = db["alerts"]
    alerts.create(ALERT_COLUMNS, pk="pk", not_null={"id", "sort_date", "hash"}, if_not_exists=True)
    alerts.create_index(["id"], unique=True, if_not_exists=True)
    alerts.create_index(["sort_date", "pk"], if_not_exists=True)
    alerts.create_index(["year"], if_not_exists=True)
    db.executescript(_FACET_TABLES)
    db["imports"].create(
        {"pk": int, "file": str, "sha256": str, "format": str, "started": str, "finished": str,
         "read": int, "new": int, "updated": int, "unchanged": int, "rejected": int},
        pk="pk",
        if_not_exists=True,
    )
    alerts.enable_fts(FTS_COLUMNS, tokenize=FTS_TOKENIZE, create_triggers=False, replace=True)


#: ``alert_facets`` with its key columns declared first; see :func:`_facet_key_first_v2`.
_FACETS_V2 = (
    """CREATE TABLE alert_facets_v2 (
        kind TEXT NOT NULL,
        value TEXT NOT NULL COLLATE NOCASE,
        sort_date TEXT NOT NULL,
        alert INTEGER NOT NULL,
        year INTEGER NOT NULL,
        PRIMARY KEY (kind, value, sort_date, alert)
    ) WITHOUT ROWID""",
    """INSERT INTO alert_facets_v2 (kind, value, sort_date, alert, year)
       SELECT kind, value, sort_date, alert, year FROM alert_facets""",
    "DROP TABLE alert_facets",
    "ALTER TABLE alert_facets_v2 RENAME TO alert_facets",
    "CREATE INDEX alert_facets_alert ON alert_facets (alert)",
)


def _facet_key_first_v2(db: sqlite_utils.Database) -> None:
    """Rebuild ``alert_facets`` with its key columns declared first (same rows, same key).

    SQLite 3.40's ``PRAGMA integrity_check`` reports a false "NULL value in alert_facets.year"
    for every row of a WITHOUT ROWID table whose NOT NULL column is declared between key
    columns, which would hide real damage after a crash.  One transaction, and a no-op when
    the table is already in this order, so a kill at any point is safe to run again.
    """
    conn = db.conn
    order = [row[1] for row in conn.execute("PRAGMA table_info(alert_facets)")]
    if order == ["kind", "value", "sort_date", "alert", "year"]:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _FACETS_V2:
            conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (_create_v1, _facet_key_first_v2)
SCHEMA_VERSION = len(MIGRATIONS)


class ArchiveError(Exception):
    """The archive file cannot be used (newer schema, not a database, unwritable)."""


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the archive in autocommit mode (transactions are explicit) with WAL.

    ``check_same_thread`` is off because the app hands its connection to worker threads one
    query at a time; the importer uses its own connection.

    Raises:
        ArchiveError: naming ``path``: not SQLite, not an archive (read-only), a newer schema.
    """
    conn = None
    try:
        if readonly:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                check_same_thread=False,
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        if not readonly:
            _refuse_foreign(conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            ensure_schema(conn)
        elif (version := _check_version(conn)) == 0:
            # Any other SQLite file (or an empty one): the version is raised only once a
            # migration has finished, and a reader must not turn it into an archive.
            raise ArchiveError("not an ifex-tui archive: import a feed into it first")
        elif version < SCHEMA_VERSION:
            # An older archive: a writer brings it forward once, then it is read as usual.
            conn.close()
            connect(path).close()
            return connect(path, readonly=True)
        return conn
    except (sqlite3.Error, OSError, ArchiveError) as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, ArchiveError):
            message = str(exc)
        elif isinstance(exc, sqlite3.DatabaseError):
            message = f"not a usable archive ({exc})"
        else:
            message = str(getattr(exc, "strerror", None) or exc)
        if not message.startswith(f"{path}: "):  # every message names the file, once
            message = f"{path}: {message}"
        raise ArchiveError(message) from None


_OURS = ("alerts", "alert_facets", "facet_counts", "imports", "sqlite_", "idx_alerts_")


def _refuse_foreign(conn: sqlite3.Connection) -> None:
    """Never turn another program's database into an archive (a mistyped ``--db``)."""
    if conn.execute("PRAGMA user_version").fetchone()[0]:
        return
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]
    foreign = [name for name in names if not name.startswith(_OURS)]
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise ArchiveError(f"not an ifex-tui archive: it holds other tables ({shown}); nothing changed")


def _check_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"archive schema {version} is newer than this ifex-tui understands ({SCHEMA_VERSION})"
        )
    return version


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Apply the migrations this archive lacks, each one safe to repeat after a crash."""
    version = _check_version(conn)
    if version == SCHEMA_VERSION:
        return
    db = sqlite_utils.Database(conn)
    for number, migrate in enumerate(MIGRATIONS[version:], start=version + 1):
        migrate(db)
        conn.execute(f"PRAGMA user_version = {number}")
