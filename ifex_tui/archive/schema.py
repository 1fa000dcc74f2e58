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

#: Undated alerts are year 0 in the facet tables (SQLite keys cannot hold NULL there).
UNDATED = 0
FACETS = ("country", "violation", "target", "region", "source")
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


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (_create_v1,)
SCHEMA_VERSION = len(MIGRATIONS)


class ArchiveError(Exception):
    """The archive file cannot be used (newer schema, not a database, unwritable)."""


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the archive in autocommit mode (transactions are explicit) with WAL.

    ``check_same_thread`` is off because the app hands its connection to worker threads one
    query at a time; the importer uses its own connection.
    """
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
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            ensure_schema(conn)
        else:
            _check_version(conn)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path}: not a usable archive ({exc})") from None
    except OSError as exc:
        raise ArchiveError(f"{path}: {exc.strerror or exc}") from None
    return conn


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
