"""The archive's tables, indexes and full-text index, as data applied by forward migrations.

``PRAGMA user_version`` is the number of migrations applied; opening an archive applies the
missing ones, so an old archive is brought forward and a new one is made by the same path.
sqlite-utils commits between some of its DDL steps, so each migration is written to be safe
to run again, and the version is raised only after it has finished: a kill mid-way leaves an
archive that the next open completes.

Facets (country, violation, target, region, source) live in one narrow table,
``alert_facets``, denormalised with the alert's year and sort date so that filtering and
paging by any facet walk an index; ``facet_counts`` holds per-(facet, value, year) totals kept
by the importer, so the unfiltered counts of a million alerts are read, not counted;
``facet_bitmaps`` holds one bitmap of alert pks per facet value and year, also kept by the
importer, so the counts under any other filter are a few big-integer ANDs (``bitmaps.py``).
An alert's source is kept as written; its facet holds the name of the reporting organisation
(``Committee to Protect Journalists`` counts as ``CPJ``), through ``source_names``
(``sources.py``).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ifex_tui.archive import bitmaps, bodies, sources

if TYPE_CHECKING:  # sqlite-utils is loaded only to migrate (a tenth of a second per command)
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


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: committed when the block ends, else rolled back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


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
    with transaction(conn):
        for statement in _FACETS_V2:
            conn.execute(statement)


def _facet_bitmaps_v3(db: sqlite_utils.Database) -> None:
    """Add ``facet_bitmaps`` (one bitmap of alert pks per facet value, year and ``all``; see
    ``bitmaps.py``) and fill it from ``alert_facets`` and ``alerts``.

    One transaction that starts by emptying the table, so a kill at any point leaves either
    nothing or the whole table, and running it again gives the same rows.
    """
    conn = db.conn
    with transaction(conn):
        conn.execute(bitmaps.TABLE)
        bitmaps.rebuild(conn)


#: The importer's record of each alert's item as the feed gave it (``items.raw_digest``): an
#: item whose digest is stored is unchanged and is not normalised, staged or written again.
#: Keyed by the item's id, with its ``date_modified``, so an import asks it alone (a narrow
#: table) and never reads the alerts' wide rows to skip them.
#: Made by the first import that lands, in its transaction, not by a migration: nothing but
#: the importer reads it, so readers of an archive without it (read-only ones too) need
#: nothing done.
ITEM_HASHES = """CREATE TABLE IF NOT EXISTS item_hashes (
    id TEXT PRIMARY KEY, raw BLOB NOT NULL, modified_utc TEXT
) WITHOUT ROWID"""
IMPORTER_TABLES = frozenset({"item_hashes"})

#: Small facts about the archive as a whole (``sources.GENERATION``).
_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID"


def _source_names_v4(db: sqlite_utils.Database) -> None:
    """Add ``source_names`` and ``meta``, reconcile the source facet (rows, counts, bitmaps)
    with the table of reporting organisations in effect (``sources.py``), and give the
    alerts whose country the country tables now know that country (``ingest``).

    Until now a source facet row held its alert's source as written, so ``source_names``
    starts as every written name mapped to itself and :func:`sources.rederive` moves the
    names the table knows.  One transaction; run again after a kill between its commit and
    the version, it finds everything done and changes nothing.
    """
    from ifex_tui.archive import ingest  # it imports this module

    conn = db.conn
    with transaction(conn):
        conn.execute(sources.TABLE)
        conn.execute(_META)
        if conn.execute("SELECT 1 FROM source_names LIMIT 1").fetchone() is None:
            sources.seed(conn)
        sources.rederive(conn, sources.table())
        ingest.rederive_countries(conn)


#: The text the full-text index reads: the alert's body made from what the archive keeps
#: (``bodies.py``; ``alert_body`` is registered on every connection).
_FTS_TEXT = """CREATE VIEW IF NOT EXISTS alerts_fts_text AS
SELECT pk, title, summary, alert_body(body_text, content_text, content_html) AS body_text, tags, source
  FROM alerts"""
#: ``meta`` key: the ``items.NORMALISER_VERSION`` whose text the full-text index holds.
FTS_BODIES = "fts_bodies"


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the archive's views call (every connection to an archive needs them)."""
    conn.create_function("alert_body", 3, bodies.alert_body, deterministic=True)


def _fts_over_bodies_v5(db: sqlite_utils.Database) -> None:
    """Index the alerts' text through the view ``alerts_fts_text`` rather than a stored
    ``body_text`` (``bodies.py``: the HTML kept compressed, its text made when read), so new
    rows keep their body once, not twice.  Rows already written keep their stored text, which
    the view gives.  One transaction: drop the index, make the view and the index over it,
    rebuild it (at a million alerts, the time of a large import's index)."""
    from ifex_tui.archive.items import NORMALISER_VERSION  # it imports modules that import this

    conn = db.conn
    with transaction(conn):
        conn.execute("DROP TABLE IF EXISTS alerts_fts")
        conn.execute(_FTS_TEXT)
        conn.execute(
            f"""CREATE VIRTUAL TABLE alerts_fts USING fts5({", ".join(FTS_COLUMNS)},
                content='alerts_fts_text', content_rowid='pk', tokenize='{FTS_TOKENIZE}')"""
        )
        conn.execute("INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild')")
        conn.execute(_META)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     [FTS_BODIES, NORMALISER_VERSION.decode()])


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _create_v1, _facet_key_first_v2, _facet_bitmaps_v3, _source_names_v4, _fts_over_bodies_v5,
)
SCHEMA_VERSION = len(MIGRATIONS)


#: ``PRAGMA application_id`` of every ifex-tui archive: "IFEX" in ASCII.  Set when an archive
#: is created (before anything else is written), so a file is recognised positively.
APPLICATION_ID = 0x49464558


class ArchiveError(Exception):
    """The archive file cannot be used (newer schema, not a database, not ours, read-only)."""


class ReadOnlyArchive(ArchiveError):
    """The archive (or the folder holding it) cannot be written; the message names the cause."""


class DamagedArchive(ArchiveError):
    """SQLite found the archive's pages damaged; the message says what to do, ``reason`` what
    SQLite said."""

    reason = ""


def database_file(conn: sqlite3.Connection) -> str:
    """The file of ``conn``'s main database (``''`` in memory or temporary): what the caches
    that outlive a connection are kept per."""
    return next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the archive in autocommit mode (transactions are explicit).

    Only an ifex-tui archive is ever opened: a file carrying our ``application_id``, or one
    made before the id existed whose schema is exactly ours (it gets the id on its next
    writable open).  Any other file is refused and left byte for byte as it was.

    ``readonly`` opens with ``mode=ro`` and never migrates or writes; where SQLite could not
    make its shared-memory file beside the archive (a read-only file or folder) and no
    write-ahead log holds changes, it opens with ``immutable=1`` so nothing at all is written.
    A writable open switches on WAL and applies the migrations the archive lacks.

    ``check_same_thread`` is off because the app hands its connection to worker threads one
    query at a time; the importer uses its own connection.

    Raises:
        ArchiveError: naming ``path``: not SQLite, not an ifex-tui archive, a newer schema, an
            older one that a reader cannot bring forward. ``ReadOnlyArchive`` for a write to a
            file or folder that cannot be written.
    """
    conn = None
    try:
        kind = _identify(path)
        if readonly:
            if kind == "absent":
                raise ArchiveError("no archive here yet; import a feed first (ifex-tui import FEED)")
            if kind == "new":
                raise ArchiveError("not an ifex-tui archive yet: import a feed into it first")
            conn = sqlite3.connect(
                _read_uri(path), uri=True, isolation_level=None, check_same_thread=False
            )
            register_functions(conn)
            conn.execute("PRAGMA busy_timeout = 10000")
            version = _check_version(conn)
            if version == 0:
                raise ArchiveError("not an ifex-tui archive yet: import a feed into it first")
            if version < SCHEMA_VERSION:
                raise ArchiveError(
                    f"archive schema {version} must be brought forward to {SCHEMA_VERSION} "
                    "before it can be read; open it once where it can be written"
                )
            return conn
        refuse_readonly(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        register_functions(conn)
        conn.execute("PRAGMA busy_timeout = 10000")
        if kind in ("absent", "new", "legacy"):
            # First of all, before WAL: the id lands in the file's header on disk.
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        ensure_schema(conn)
        return conn
    except (sqlite3.Error, OSError, ArchiveError) as exc:
        if conn is not None:
            conn.close()
        raise _named(path, exc) from None


def empty() -> sqlite3.Connection:
    """An empty archive in memory: what the app reads where no archive is yet (the first import
    makes the file; until then nothing is written at the path)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    register_functions(conn)
    ensure_schema(conn)
    return conn


def _named(path: Path, exc: BaseException) -> ArchiveError:
    """``exc`` as an ArchiveError whose one-line message names ``path`` once."""
    cls = type(exc) if isinstance(exc, ArchiveError) else ArchiveError
    if isinstance(exc, ArchiveError):
        message = str(exc)
    elif isinstance(exc, sqlite3.DatabaseError) and is_damage(exc):
        return damaged(path, exc)
    elif isinstance(exc, sqlite3.DatabaseError):
        message = f"not a usable archive ({exc})"
    elif isinstance(exc, PermissionError):
        cls, message = ReadOnlyArchive, f"read-only: {exc.filename or path}"
    else:
        message = str(getattr(exc, "strerror", None) or exc)
    if str(path) not in message:  # every message names the file, once
        message = f"{path}: {message}"
    return cls(message)


# --- what kind of file is this ------------------------------------------------------------------

_HEADER = b"SQLite format 3\x00"


def header(path: Path) -> bytes | None:
    """The file's first 100 bytes (its SQLite header), read without SQLite: no side files."""
    try:
        with path.open("rb") as file:
            return file.read(100)
    except FileNotFoundError:
        return None


def identify(path: Path) -> str:
    """What ``path`` holds; see :func:`_identify`.  Errors name ``path``."""
    try:
        return _identify(path)
    except (ArchiveError, OSError) as exc:
        raise _named(path, exc) from None


def _identify(path: Path) -> str:
    """What ``path`` holds, found without writing anything and without leaving any file behind.

    Returns ``"absent"``, ``"new"`` (an empty file, or one whose creation by ifex-tui did not
    finish), ``"ours"`` (our application id) or ``"legacy"`` (an archive made before the id,
    whose schema is exactly ours).

    Raises:
        ArchiveError: not an SQLite file, another program's database, or a newer archive.
    """
    found = header(path)
    if found is None:
        return "absent"
    if found == b"":
        return "new"
    if len(found) < 100 or not found.startswith(_HEADER):
        raise ArchiveError("not a usable archive (file is not a database)")
    version = int.from_bytes(found[60:64], "big")
    app_id = int.from_bytes(found[68:72], "big")
    if app_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise ArchiveError(_newer(version))
        return "ours" if version else "new"
    if app_id != 0:
        raise ArchiveError(
            f"not an ifex-tui archive: another program's SQLite database (application id "
            f"{app_id:#010x}); left untouched"
        )
    return _legacy_or_foreign(path)


def _legacy_or_foreign(path: Path) -> str:
    """An SQLite file without an application id: ours only if its schema is exactly ours."""
    wal = Path(f"{path}-wal")
    live = wal.exists() and wal.stat().st_size > 0
    # immutable=1 reads the file alone: no lock, no -wal or -shm made.  A non-empty log
    # beside it may hold the newest schema, so then read through SQLite's WAL machinery.
    uri = path.resolve().as_uri() + ("?mode=ro" if live else "?mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ArchiveError(f"not a usable archive ({exc})") from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        found = _signature(conn)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"not a usable archive ({exc})") from None
    finally:
        conn.close()
    if 0 < version <= SCHEMA_VERSION and found == _expected_signature(version):
        return "legacy"
    if version > SCHEMA_VERSION and {"alerts", "alert_facets"} <= {n for _, n, _ in found[0]}:
        raise ArchiveError(_newer(version))
    tables = [name for kind, name, _ in found[0] if kind == "table"]
    if tables:
        shown = ", ".join(tables[:3]) + (", …" if len(tables) > 3 else "")
        what = f"its tables ({shown}) are not an ifex-tui archive's"
    else:
        what = "an SQLite database ifex-tui did not make"
    raise ArchiveError(f"not an ifex-tui archive: {what}; left untouched")


def _signature(conn: sqlite3.Connection) -> tuple:
    """The shape of a schema: its objects, each table's columns and each index's columns.

    SQLite's own tables (``sqlite_stat1`` after ``PRAGMA optimize``) and the importer's
    (:data:`ITEM_HASHES`) are left out; the SQL text is not compared, since sqlite-utils
    versions quote names differently.
    """
    objects = sorted(
        row for row in conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ) if row[2] not in IMPORTER_TABLES
    )
    columns = []
    for kind, name, _ in objects:
        if kind == "table":
            info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
            columns.append((name, [(c[1], c[2].upper(), c[3], c[5]) for c in info]))
        elif kind == "index":
            info = conn.execute(f'PRAGMA index_info("{name}")').fetchall()
            columns.append((name, [c[2] for c in info]))
    return objects, columns


@functools.cache
def _expected_signature(version: int) -> tuple:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    register_functions(conn)
    try:
        import sqlite_utils

        db = sqlite_utils.Database(conn)
        for migrate in MIGRATIONS[:version]:
            migrate(db)
        return _signature(conn)
    finally:
        conn.close()


# --- read-only files and folders ----------------------------------------------------------------


def writable(path: Path) -> str | None:
    """None when ``path`` can be written as an archive, else why not (naming file or folder)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if path.exists() and not os.access(path, os.W_OK):
        return f"read-only: {path}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"read-only: {folder} (the folder of {path.name})"
    return None


def refuse_readonly(path: Path) -> None:
    """Raise ``ReadOnlyArchive`` naming the cause when ``path`` cannot be written."""
    if (cause := writable(path)) is not None:
        raise ReadOnlyArchive(f"{cause}; nothing was changed")


def _read_uri(path: Path) -> str:
    """``mode=ro``, plus ``immutable=1`` where SQLite could not make its ``-shm`` file.

    A reader of a WAL archive needs a shared-memory file beside it; in a read-only folder,
    or for a read-only file (whose ``-shm`` SQLite would leave behind), the archive is read
    as the file alone.  A non-empty ``-wal`` means a writer is (or was) at work: then the
    ordinary read-only open, which reads the log too, is the only correct one.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    wal = Path(f"{path}-wal")
    live = wal.exists() and wal.stat().st_size > 0
    if writable(path) is None or live:
        if live and not Path(f"{path}-shm").exists() and writable(path) is not None:
            raise ReadOnlyArchive(
                f"{path}: changes in {wal.name} cannot be read from a read-only folder; "
                "open it once where it can be written"
            )
        return uri
    return uri + "&immutable=1"


def prepare_for_reading(path: Path, *, missing_ok: bool = False) -> None:
    """Make ``path`` ready for read-only connections: migrate only when needed and possible.

    An archive that is current is left untouched (nothing is opened for writing).  An older
    one is brought forward if it can be written.  No archive at ``path``, or an empty file
    (``touch``), is never made one here: that is the importer's.  With ``missing_ok`` it is
    left so, and the app reads an empty archive (:func:`empty`) until the first import lands.

    Raises:
        ArchiveError: one line naming ``path``: missing or empty (without ``missing_ok``),
            not an ifex-tui archive, newer, or older and read-only (``ReadOnlyArchive``).
    """
    try:
        kind = identify(path)
    except ArchiveError as exc:
        raise _named(path, exc) from None
    if kind in ("absent", "new") and missing_ok:
        return
    if kind == "absent":
        raise ArchiveError(f"{path}: no archive here yet; import a feed first (ifex-tui import FEED)")
    if kind == "new":  # made here only by an import: a command that reads writes nothing
        raise ArchiveError(f"{path}: not an ifex-tui archive yet: import a feed into it first")
    if kind == "ours" and _version(path) == SCHEMA_VERSION:
        return
    cause = writable(path)
    if cause is None:
        connect(path).close()
        return
    if kind == "legacy":  # a current schema without the id: readable as it is
        conn = connect(path, readonly=True)
        conn.close()
        return
    raise ReadOnlyArchive(
        f"{path}: this archive needs bringing forward to schema {SCHEMA_VERSION} before it can "
        f"be read, and {cause}; open it once where it can be written"
    )


def _version(path: Path) -> int:
    """The archive's ``user_version``: from its header, or through SQLite when a write-ahead
    log beside it may hold a newer one."""
    wal = Path(f"{path}-wal")
    if not (wal.exists() and wal.stat().st_size > 0):
        return int.from_bytes((header(path) or b"")[60:64], "big")
    try:
        conn = sqlite3.connect(_read_uri(path), uri=True)
    except sqlite3.Error:
        return -1
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        return -1
    finally:
        conn.close()


# --- damage -------------------------------------------------------------------------------------

_DAMAGE = {"SQLITE_CORRUPT", "SQLITE_CORRUPT_VTAB", "SQLITE_CORRUPT_SEQUENCE",
           "SQLITE_CORRUPT_INDEX", "SQLITE_NOTADB"}


def is_damage(exc: BaseException) -> bool:
    """True for SQLite's "database disk image is malformed" family (and FTS5's)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    # ifex-tui stores only valid UTF-8, so text that does not decode is a damaged page.
    return name in _DAMAGE or "malformed" in text or text.startswith("Could not decode to UTF-8")


def damaged(path: Path, exc: BaseException) -> DamagedArchive:
    """The one line to show when SQLite finds ``path`` damaged while reading it."""
    said = str(exc)
    said = said if len(said) <= 60 else said[:59] + "…"
    error = DamagedArchive(
        f"{path}: the archive is damaged ({said}); run `ifex-tui check --db {path}` "
        "for what to do"
    )
    error.reason = str(exc)  # what SQLite said, for check to show
    return error


def _newer(version: int) -> str:
    return f"archive schema {version} is newer than this ifex-tui understands ({SCHEMA_VERSION})"


def _check_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise ArchiveError(_newer(version))
    return version


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Apply the migrations this archive lacks, each one safe to repeat after a crash."""
    version = _check_version(conn)
    if version == SCHEMA_VERSION:
        return
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    for number, migrate in enumerate(MIGRATIONS[version:], start=version + 1):
        migrate(db)
        conn.execute(f"PRAGMA user_version = {number}")
