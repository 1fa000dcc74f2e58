"""One import: feeds in, a report out, the archive changed all at once or not at all.

Why two phases.  Items are streamed from the feeds, judged, and written in batches to a
*staging* table in SQLite's temporary database (on disk, private to this connection), which
also settles duplicate ids within the import.  Only then is the archive touched, by a few
set-based statements inside one ``BEGIN IMMEDIATE`` transaction: classify (new / updated /
unchanged), replace changed rows and their facets, adjust the facet counts and rewrite the
bitmaps of the values they held or hold (``bitmaps.update``), refresh the
full-text index, log the import.  Sources are reconciled in the same transaction
(``sources.py``): the names new to the archive are mapped, and when the table of reporting
organisations has changed since the archive was last reconciled, the facet is brought up to
it first.  A kill, crash or full disk at any moment leaves the archive
as before (staging dies with the process; the merge commits or rolls back whole), the app can
keep reading the old state all along (WAL), and memory stays flat whatever the feed's size.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ifex_tui.archive import bitmaps, bodies, countries, schema
from ifex_tui.archive import sources as _names
from ifex_tui.archive.feed import FeedSource, read_items
from ifex_tui.archive.items import (
    COLUMNS,
    NORMALISER_VERSION,
    ItemRejected,
    content_hash,
    countries_of,
    normalise,
    raw_digest,
    region_from,
    unmatched_countries,
)
from ifex_tui.archive.lock import import_lock
from ifex_tui.wording import counted

BATCH = 2000
#: Items read before the archive is asked which of them it holds unchanged (held parsed in
#: memory meanwhile: a few megabytes).
LOOKUP = 250
#: The report lists at most this many rejections; the count is always exact.
MAX_LISTED_REJECTIONS = 1000
_JSON_COLUMNS = {"tags", "authors", "countries", "violations", "targets", "extensions"}
_COLS = ", ".join(COLUMNS)
#: Each column's value in ``alerts`` from a staged row ``s``: all but the body's text, which
#: staging holds for the full-text index and the archive makes when read (``bodies.py``).
_STORED = {c: "NULL" if c == "body_text" else f"s.{c}" for c in COLUMNS}
#: What staging holds: the row, and the digest of the item it came from.  An item seen before
#: is staged with its id, ``modified_utc`` and digest only (``hash`` NULL): it settles
#: duplicates like any other and is counted unchanged.
STAGED = (*COLUMNS, "raw_hash")


@dataclass
class ImportReport:
    """What one import did; ``as_json()`` is the ``import --json`` contract."""

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    unrecognised_countries: list[str] = field(default_factory=list)
    rejections: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    landed: bool = False

    def as_json(self) -> dict:
        return asdict(self)


#: Called with a file and how many of its bytes have been read; then once with ``None`` when
#: every file is read and the archive itself is being written (the long, silent part).
Progress = Callable[[FeedSource | None, int], None]


def import_feeds(
    archive: Path,
    sources: Iterable[FeedSource],
    *,
    strict: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_wait: Callable[[dict], None] | None = None,
) -> ImportReport:
    """Import every feed in ``sources`` as one transaction.

    One import at a time: this waits for an import already running into ``archive`` (calling
    ``on_wait`` once with what that import recorded: pid, start, feeds), then runs.  A new
    archive is built in a hidden file beside ``archive`` and renamed into place only when the
    import lands, so a failed first import, a ``--dry-run`` or a ``--strict`` refusal leaves
    no file behind.  After a merge the write-ahead log is checkpointed and truncated.

    Raises:
        FeedError: a file cannot be read as a feed at all; nothing was changed.
        ArchiveError: the archive cannot be opened (``ReadOnlyArchive`` when it or its folder
            cannot be written), or SQLite failed; nothing was changed.
    """
    sources = list(sources)
    report = ImportReport(dry_run=dry_run)
    schema.refuse_readonly(archive)
    schema.identify(archive)  # another program's file is refused before anything is made
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise schema.ArchiveError(f"{archive}: {exc.strerror or exc}") from None
    with import_lock(archive, [s.name for s in sources], on_wait):
        _remove_scratch(archive)  # left by a killed first import; we hold the lock
        fresh = schema.identify(archive) in ("absent", "new")
        target = _scratch(archive) if fresh else archive
        try:
            conn = schema.connect(target)
            try:
                _import(conn, sources, report, strict=strict, dry_run=dry_run, progress=progress)
            except sqlite3.Error as exc:
                # Locked, full disk, a corrupt page, a trigger someone added: the transaction
                # was rolled back (or never began), so the archive is as it was.
                raise schema.ArchiveError(
                    f"{archive}: import failed, nothing was changed ({exc})"
                ) from None
            finally:
                conn.close()
            if fresh and report.landed:
                os.replace(target, archive)
        except schema.ArchiveError as exc:
            raise schema.ArchiveError(str(exc).replace(str(target), str(archive))) from None
        finally:
            if fresh:
                _remove_scratch(archive)
    return report


def reconcile(archive: Path, *, on_wait: Callable[[dict], None] | None = None) -> int:
    """Bring the archive's source facet up to the table of sources in effect (after the user
    edited ``sources.toml``) in one transaction; return how many alerts now count under
    another name.  Waits for an import running into the archive, like an import.

    Raises:
        ArchiveError: no archive there, not an ifex-tui archive, or it cannot be written
            (``ReadOnlyArchive``); nothing was changed.
    """
    schema.refuse_readonly(archive)
    if schema.identify(archive) in ("absent", "new"):
        raise schema.ArchiveError(
            f"{archive}: no archive here yet; import a feed first (ifex-tui import FEED)"
        )
    with import_lock(archive, ["(reconciling sources)"], on_wait):
        conn = schema.connect(archive)
        try:
            with schema.transaction(conn):
                moved = _names.rederive(conn, _names.table())
            _checkpoint(conn)
        except sqlite3.Error as exc:
            raise schema.ArchiveError(
                f"{archive}: reconciling the sources failed, nothing was changed ({exc})"
            ) from None
        finally:
            conn.close()
    return moved


def _scratch(archive: Path) -> Path:
    """Where a new archive is built until its first import lands."""
    return archive.with_name(f".{archive.name}.new-{os.getpid()}")


def _remove_scratch(archive: Path) -> None:
    for leftover in archive.parent.glob(f".{glob.escape(archive.name)}.new-*"):
        leftover.unlink(missing_ok=True)


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Fold the write-ahead log into the archive and truncate it to zero bytes.

    Closing the last connection does this anyway; with the app open (a reader) it would not,
    and a large import would leave a log as big as the archive beside it.
    """
    conn.execute("PRAGMA busy_timeout = 3000")
    # A reader holding an old snapshot makes it busy: the next import or close checkpoints.
    with contextlib.suppress(sqlite3.OperationalError):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _import(
    conn: sqlite3.Connection,
    sources: Iterable[FeedSource],
    report: ImportReport,
    *,
    strict: bool,
    dry_run: bool,
    progress: Progress | None,
) -> None:
    """Stage every feed, then merge (or, for --dry-run and a --strict refusal, roll back)."""
    conn.execute("PRAGMA temp_store = FILE")
    _create_staging(conn)
    sources = list(sources)
    started = _now()
    unrecognised: set[str] = set()
    written: set[str] = set()
    staged = 0
    for source in sources:
        staged += _stage(conn, source, report, unrecognised, written, progress)
    if progress:
        progress(None, 0)
    names = _names.table()
    if names.problem:
        report.warnings.append(names.problem)
    report.unrecognised_countries = sorted(unrecognised, key=str.casefold)
    duplicates = staged - conn.execute("SELECT count(*) FROM temp.staging").fetchone()[0]
    if duplicates:
        report.warnings.append(
            f"{counted(duplicates, 'item')} repeated an id already read in this import "
            f"({_repeated(conn)}); of each, the copy with the later date_modified was kept (of "
            "two equal, the one read later)"
        )
    refuse = strict and report.rejected > 0
    if refuse:
        report.warnings.append(f"--strict: {counted(report.rejected, 'item')} rejected, nothing imported")
    _merge(conn, sources, report, started, _Reconcile(names, written), commit=not (dry_run or refuse))
    report.landed = not (dry_run or refuse)


#: Repeated ids the report names, the first read first (the count says how many there are).
REPEATED_NAMED = 5


def _repeated(conn: sqlite3.Connection) -> str:
    """``"a" 3 times, "b" twice``: the first :data:`REPEATED_NAMED` ids read more than once
    (a scan of staging, made only when some were), then how many more."""
    rows = conn.execute(
        "SELECT id, copies FROM temp.staging WHERE copies > 1 ORDER BY rowid"
    ).fetchall()
    named = [f"{json.dumps(item_id, ensure_ascii=False)} "
             f"{'twice' if copies == 2 else f'{copies:,} times'}"
             for item_id, copies in rows[:REPEATED_NAMED]]
    more = len(rows) - len(named)
    return ", ".join(named) + (f" and {counted(more, 'other id')}" if more else "")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _create_staging(conn: sqlite3.Connection) -> None:
    """The staging table: a row per id, and how many copies of it the feeds held."""
    columns = ", ".join(f"{name} {'TEXT PRIMARY KEY' if name == 'id' else ''}" for name in STAGED)
    conn.execute(f"CREATE TEMP TABLE staging ({columns}, copies INTEGER NOT NULL DEFAULT 1)")


#: Which of two copies of an item is the newer (:data:`_SETTLE`, :func:`_classify`): a copy
#: with ``date_modified`` is newer than one without (a revision of the original, which has
#: none); of two with it, the later date, and of two equal (or two without), the one read
#: later.  ``{new}`` and ``{old}`` are the tables' names.
_AS_NEW = "coalesce({new}.modified_utc, '') >= coalesce({old}.modified_utc, '')"
#: A later duplicate in the feeds replaces an earlier one unless it is the older copy; either
#: way it is counted (the report names the repeated ids).  Every expression reads the row as
#: it was, so the test holds for each column alike.
_NEWER = _AS_NEW.format(new="excluded", old="staging")
_SETTLE = f"""
ON CONFLICT (id) DO UPDATE SET copies = staging.copies + 1, {", ".join(
    f"{c} = CASE WHEN {_NEWER} THEN excluded.{c} ELSE staging.{c} END" for c in STAGED if c != "id")}
"""
_STAGE_SQL = f"""INSERT INTO temp.staging ({", ".join(STAGED)})
VALUES ({", ".join("?" for _ in STAGED)}) {_SETTLE}"""
#: An item the archive holds exactly as given: its id, date_modified and digest, the rest NULL
#: (``hash`` NULL counts it unchanged).
_STAGE_SEEN_SQL = f"INSERT INTO temp.staging (id, modified_utc, raw_hash) VALUES (?, ?, ?) {_SETTLE}"


def _stage(
    conn: sqlite3.Connection,
    source: FeedSource,
    report: ImportReport,
    unrecognised: set[str],
    written: set[str],
    progress: Progress | None,
) -> int:
    """Judge and stage every item of one feed; return how many were accepted.  ``written``
    gains every source the feed names."""
    accepted, batch, pending = 0, [], []
    seen = _has_item_hashes(conn)

    def judge() -> None:
        """Move ``pending`` items to ``batch``: the ones the archive holds exactly as given
        are staged by id and digest alone; the rest are normalised (or rejected)."""
        digests = [raw_digest(raw) for _, raw in pending]
        held = _held(conn, [d[0] for d in digests if d]) if seen else {}
        for (position, raw), digest in zip(pending, digests, strict=True):
            if digest is not None and (stored := held.get(digest[0])) and stored[0] == digest[1]:
                unrecognised.update(unmatched_countries(raw))  # the report names them every time
                batch.append((digest[0], stored[1], digest[1]))  # see _STAGE_SEEN_SQL
                continue
            try:
                row, names = normalise(raw)
            except ItemRejected as exc:
                _reject(report, source, position, exc)
                continue
            unrecognised.update(names)
            written.add(row["source"])
            row["raw_hash"] = digest[1] if digest else None
            batch.append(tuple(_cell(name, row[name]) for name in STAGED))
        pending.clear()

    for position, raw in read_items(source):
        report.read += 1
        pending.append((position, raw))
        if len(pending) >= LOOKUP:
            judge()
        if len(batch) >= BATCH:
            accepted += _flush(conn, batch)
            if progress:
                progress(source, source.bytes_read)
    judge()
    accepted += _flush(conn, batch)
    report.warnings.extend(source.warnings)
    return accepted


def _has_item_hashes(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'item_hashes'"
    ).fetchone() is not None


def _held(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[bytes, str | None]]:
    """id -> (stored digest, modified_utc) of the given ids the archive holds with a digest."""
    if not ids:
        return {}
    rows = conn.execute(
        f"SELECT id, raw, modified_utc FROM item_hashes WHERE id IN ({', '.join('?' * len(ids))})",
        ids,
    )
    return {item_id: (raw, modified) for item_id, raw, modified in rows}


def _cell(name: str, value):
    """A row's value as staged: lists as JSON, the HTML compressed as the archive keeps it."""
    if name in _JSON_COLUMNS:
        return json.dumps(value, ensure_ascii=False)
    return bodies.deflate(value) if name == "content_html" else value


def _flush(conn: sqlite3.Connection, batch: list[tuple]) -> int:
    """Stage ``batch`` in order: runs of full rows and of rows seen before (three values), each
    run in one statement, so a later duplicate still settles against an earlier one."""
    with conn:
        for seen, run in itertools.groupby(batch, key=lambda row: len(row) == 3):
            conn.executemany(_STAGE_SEEN_SQL if seen else _STAGE_SQL, run)
    count = len(batch)
    batch.clear()
    return count


def _reject(report: ImportReport, source: FeedSource, position: int, exc: ItemRejected) -> None:
    report.rejected += 1
    if len(report.rejections) < MAX_LISTED_REJECTIONS:
        report.rejections.append({
            "file": source.name, "index": position, "id": exc.item_id,
            "field": exc.field, "reason": exc.reason,
            # what a person looks for: a JSON Lines position is the line an editor shows
            "where": f"{'line' if source.kind == 'jsonl' else 'item'} {position}",
        })
    elif len(report.rejections) == MAX_LISTED_REJECTIONS and report.rejected == MAX_LISTED_REJECTIONS + 1:
        report.warnings.append(f"only the first {MAX_LISTED_REJECTIONS} rejections are listed")


@dataclass
class _Reconcile:
    """The table of sources in effect and the sources this import's feeds write."""

    names: _names.Table
    written: set[str]


def _merge(
    conn: sqlite3.Connection,
    sources: list[FeedSource],
    report: ImportReport,
    started: str,
    reconcile: _Reconcile,
    *,
    commit: bool,
) -> None:
    """Apply staging to the archive in one transaction (rolled back when ``commit`` is false)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        _classify(conn, report)
        if commit:
            # A user's table that cannot be used moves nothing already counted (the import
            # says so; names new to the archive are matched with the built-in table).
            moved = 0 if reconcile.names.problem else _names.rederive(conn, reconcile.names)
            if moved:
                report.warnings.append(
                    f"the table of source names has changed since this archive was reconciled: "
                    f"{counted(moved, 'alert')} now counted under another name"
                )
            _names.add_names(conn, reconcile.written, reconcile.names)
            _apply(conn)
            _refresh_search(conn)
            _log(conn, sources, report, started)
            conn.execute("COMMIT")
            conn.execute("PRAGMA optimize")
            _checkpoint(conn)
        else:
            conn.execute("ROLLBACK")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _classify(conn: sqlite3.Connection, report: ImportReport) -> None:
    """Sort staged items into new, updated and unchanged (``temp.changes`` lists the first two).

    An older copy (:data:`_AS_NEW`) never overwrites the stored one: an earlier
    ``date_modified``, or none where the stored copy has one.  An item staged as seen before
    (``hash`` NULL) is unchanged without a look at its alert.
    """
    conn.execute("DROP TABLE IF EXISTS temp.changes")
    conn.execute(
        f"""
        CREATE TEMP TABLE changes AS
        SELECT s.id AS id, a.pk AS pk FROM temp.staging s LEFT JOIN alerts a ON a.id = s.id
        WHERE s.hash IS NOT NULL
          AND (a.pk IS NULL OR (a.hash != s.hash AND {_AS_NEW.format(new="s", old="a")}))
        """
    )
    staged = conn.execute("SELECT count(*) FROM temp.staging").fetchone()[0]
    report.new, report.updated = conn.execute(
        "SELECT count(*) FILTER (WHERE pk IS NULL), count(pk) FROM temp.changes"
    ).fetchone()
    report.unchanged = staged - report.new - report.updated
    stale = conn.execute(
        f"""SELECT count(*) FROM temp.staging s JOIN alerts a ON a.id = s.id
            WHERE s.hash IS NOT NULL AND a.hash != s.hash
              AND NOT {_AS_NEW.format(new="s", old="a")}"""
    ).fetchone()[0]
    if stale:
        report.warnings.append(
            f"{counted(stale, 'item')} counted unchanged {'is' if stale == 1 else 'are'} older"
            " than the archive's copy (an earlier date_modified, or none where the archive's"
            " copy has one) and not applied"
        )


_FACET_ROWS = """
SELECT 'country', coalesce(json_extract(c.value, '$.code'), '?' || json_extract(c.value, '$.name')),
       a.sort_date, coalesce(a.year, 0), a.pk
  FROM alerts a, json_each(a.countries) c WHERE a.pk IN (SELECT pk FROM temp.touched)
UNION ALL
SELECT 'country', '', a.sort_date, coalesce(a.year, 0), a.pk FROM alerts a
 WHERE a.pk IN (SELECT pk FROM temp.touched) AND json_array_length(a.countries) = 0
UNION ALL
SELECT 'violation', v.value, a.sort_date, coalesce(a.year, 0), a.pk
  FROM alerts a, json_each(a.violations) v WHERE a.pk IN (SELECT pk FROM temp.touched)
UNION ALL
SELECT 'target', t.value, a.sort_date, coalesce(a.year, 0), a.pk
  FROM alerts a, json_each(a.targets) t WHERE a.pk IN (SELECT pk FROM temp.touched)
UNION ALL
SELECT 'region', a.region, a.sort_date, coalesce(a.year, 0), a.pk FROM alerts a
 WHERE a.pk IN (SELECT pk FROM temp.touched) AND a.region IS NOT NULL
UNION ALL
SELECT 'source', coalesce(n.name, a.source), a.sort_date, coalesce(a.year, 0), a.pk
  FROM alerts a LEFT JOIN source_names n ON n.written = a.source
 WHERE a.pk IN (SELECT pk FROM temp.touched) AND a.source IS NOT NULL
"""

#: Per (facet, value, year) totals of the touched alerts, plus the per-year total as kind 'all'.
_TOUCHED_COUNTS = """
SELECT kind, value, year, count(*) AS n FROM alert_facets
 WHERE alert IN (SELECT pk FROM temp.touched) GROUP BY kind, value, year
UNION ALL
SELECT 'all', '', coalesce(year, 0), count(*) FROM alerts
 WHERE pk IN (SELECT pk FROM temp.touched) GROUP BY coalesce(year, 0)
"""


def _apply(conn: sqlite3.Connection) -> None:
    """Write new and changed rows with their facets, counts and bitmaps (``temp.touched``
    lists them)."""
    conn.execute("DROP TABLE IF EXISTS temp.touched")
    conn.execute("CREATE TEMP TABLE touched (pk INTEGER PRIMARY KEY)")
    conn.execute("INSERT INTO temp.touched SELECT pk FROM temp.changes WHERE pk IS NOT NULL")
    held = bitmaps.touched_keys(conn)  # the values the changed alerts hold before the change
    _adjust_counts(conn, -1)
    _unindex_search(conn)
    conn.execute("DELETE FROM alert_facets WHERE alert IN (SELECT pk FROM temp.touched)")
    updates = ", ".join(f"{c} = {_STORED[c]}" for c in COLUMNS if c != "id")
    conn.execute(
        f"""UPDATE alerts SET {updates} FROM temp.staging s
            WHERE alerts.id = s.id AND alerts.pk IN (SELECT pk FROM temp.touched)"""
    )
    conn.execute(
        f"""INSERT INTO alerts ({_COLS}) SELECT {", ".join(_STORED.values())} FROM temp.staging s
            WHERE id IN (SELECT id FROM temp.changes WHERE pk IS NULL) ORDER BY sort_date, id"""
    )
    conn.execute(
        """INSERT INTO temp.touched SELECT a.pk FROM alerts a
           WHERE a.id IN (SELECT id FROM temp.changes WHERE pk IS NULL)"""
    )
    conn.execute(f"INSERT OR IGNORE INTO alert_facets (kind, value, sort_date, year, alert) {_FACET_ROWS}")
    _adjust_counts(conn, +1)
    bitmaps.update(conn, held)
    _record_digests(conn)


def _record_digests(conn: sqlite3.Connection) -> None:
    """Store the digest of every item read in full (new, changed, or the same row from an item
    written otherwise), so the next import skips it; items skipped already keep theirs."""
    conn.execute(schema.ITEM_HASHES)
    conn.execute(  # not an item older than the archive's copy: it is judged again next time
        """INSERT OR REPLACE INTO item_hashes (id, raw, modified_utc)
           SELECT s.id, s.raw_hash, s.modified_utc FROM temp.staging s JOIN alerts a ON a.id = s.id
           WHERE s.hash IS NOT NULL AND s.raw_hash IS NOT NULL AND a.hash = s.hash"""
    )


def rederive_countries(conn: sqlite3.Connection) -> int:
    """Give the alerts whose country a newer table now knows the countries an import would
    give them, with their facet rows, counts and bitmaps; return how many changed.  The
    caller holds the transaction.

    Only alerts holding a country no table matched, or none at all, can change (a name once
    matched keeps its country as names are added), so the rest are never read.  The names
    and tags of those alerts are resolved once each; the alerts where one now names a
    country get their countries from the names as written (``written``; the tags' first
    country when the feed wrote none), a region from them when the feed wrote none, and
    their content hash again, so a later import of the same item finds it unchanged.
    """
    conn.execute("DROP TABLE IF EXISTS temp.country_candidates")
    conn.execute(
        """CREATE TEMP TABLE country_candidates AS
           SELECT DISTINCT alert AS pk, value = '' AS bare FROM alert_facets
           WHERE kind = 'country' AND (value = '' OR (value >= '?' AND value < '@'))"""
    )
    unknown = [written for (written,) in conn.execute(
        """SELECT DISTINCT json_extract(c.value, '$.written')
           FROM temp.country_candidates t JOIN alerts a ON a.pk = t.pk, json_each(a.countries) c
           WHERE NOT t.bare AND json_extract(c.value, '$.code') IS NULL"""
    ) if written is not None]
    tags = [tag for (tag,) in conn.execute(
        """SELECT DISTINCT g.value FROM temp.country_candidates t JOIN alerts a ON a.pk = t.pk,
           json_each(a.tags) g WHERE t.bare AND json_array_length(a.countries) = 0
           AND g.type = 'text'"""
    )]
    known = [(w,) for w in unknown if any(c.code for c in countries.resolve(w))]
    naming = [(tag,) for tag in tags if countries.from_tags([tag])]
    if not (known or naming):
        conn.execute("DROP TABLE temp.country_candidates")
        return 0
    conn.execute("CREATE TEMP TABLE country_known (name TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.country_known VALUES (?)", known)
    conn.execute("CREATE TEMP TABLE country_tags (tag TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.country_tags VALUES (?)", naming)
    conn.execute("DROP TABLE IF EXISTS temp.touched")
    conn.execute("CREATE TEMP TABLE touched (pk INTEGER PRIMARY KEY)")
    conn.execute(
        """INSERT OR IGNORE INTO temp.touched
           SELECT t.pk FROM temp.country_candidates t JOIN alerts a ON a.pk = t.pk,
                  json_each(a.countries) c
           WHERE NOT t.bare AND json_extract(c.value, '$.code') IS NULL
             AND json_extract(c.value, '$.written') IN (SELECT name FROM temp.country_known)
           UNION ALL
           SELECT t.pk FROM temp.country_candidates t JOIN alerts a ON a.pk = t.pk,
                  json_each(a.tags) g
           WHERE t.bare AND json_array_length(a.countries) = 0
             AND g.value IN (SELECT tag FROM temp.country_tags)"""
    )
    rows = conn.execute(
        f"SELECT pk, {_COLS} FROM alerts WHERE pk IN (SELECT pk FROM temp.touched)"
    ).fetchall()
    changed = []
    for pk, *values in rows:
        row = {name: json.loads(v) if name in _JSON_COLUMNS and v is not None else v
               for name, v in zip(COLUMNS, values, strict=True)}
        # the row as normalise made it (the hash covers it): the HTML and the body's text
        row["body_text"] = bodies.alert_body(row["body_text"], row["content_text"], row["content_html"])
        row["content_html"] = bodies.inflate(row["content_html"])
        written = list(dict.fromkeys(c["written"] for c in row["countries"] if c["written"]))
        row["countries"] = countries_of(written, row["tags"] or [])
        row["region"] = row["region"] or region_from(row["countries"])
        changed.append((_cell("countries", row["countries"]), row["region"], content_hash(row), pk))
    held = bitmaps.touched_keys(conn)
    _adjust_counts(conn, -1)
    conn.execute("DELETE FROM alert_facets WHERE alert IN (SELECT pk FROM temp.touched)")
    conn.executemany("UPDATE alerts SET countries = ?, region = ?, hash = ? WHERE pk = ?", changed)
    conn.execute(f"INSERT OR IGNORE INTO alert_facets (kind, value, sort_date, year, alert) {_FACET_ROWS}")
    _adjust_counts(conn, +1)
    bitmaps.update(conn, held)
    for name in ("country_candidates", "country_known", "country_tags", "touched"):
        conn.execute(f"DROP TABLE temp.{name}")
    return len(changed)


def _adjust_counts(conn: sqlite3.Connection, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the touched alerts' share of ``facet_counts``."""
    conn.execute(
        f"""INSERT INTO facet_counts (kind, value, year, n)
            SELECT kind, value, year, {sign} * n FROM ({_TOUCHED_COUNTS}) WHERE true
            ON CONFLICT (kind, value, year) DO UPDATE SET n = n + excluded.n"""
    )
    conn.execute("DELETE FROM facet_counts WHERE n <= 0")


def _search_text_current(conn: sqlite3.Connection) -> bool:
    """Whether the full-text index holds the text this normaliser makes (``bodies.py``): if
    not, an old row's text cannot be taken out of it, and it is rebuilt instead."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [schema.FTS_BODIES]).fetchone()
    return row is not None and row[0] == NORMALISER_VERSION.decode()


def _unindex_search(conn: sqlite3.Connection) -> None:
    """Remove the changed rows' old text from the full-text index (before it is overwritten)."""
    if not _search_text_current(conn):
        return  # the index is rebuilt whole
    cols = ", ".join(schema.FTS_COLUMNS)
    conn.execute(
        f"""INSERT INTO alerts_fts (alerts_fts, rowid, {cols})
            SELECT 'delete', pk, {cols} FROM alerts_fts_text
             WHERE pk IN (SELECT pk FROM temp.touched)"""
    )


def _refresh_search(conn: sqlite3.Connection) -> None:
    """Index the touched rows' text (all of it again after a new normaliser)."""
    if not _search_text_current(conn):
        conn.execute("INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild')")
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     [schema.FTS_BODIES, NORMALISER_VERSION.decode()])
        return
    cols = ", ".join(f"s.{c}" for c in schema.FTS_COLUMNS)
    conn.execute(  # the text staged, made once for the row's hash, not again through the view
        f"""INSERT INTO alerts_fts (rowid, {", ".join(schema.FTS_COLUMNS)})
            SELECT a.pk, {cols} FROM temp.staging s JOIN alerts a ON a.id = s.id
             WHERE a.pk IN (SELECT pk FROM temp.touched)"""
    )


def _log(conn: sqlite3.Connection, sources: list[FeedSource], report: ImportReport, started: str) -> None:
    """One row per file, each with the whole import's counts (the files landed together)."""
    finished = _now()
    conn.executemany(
        """INSERT INTO imports (file, sha256, format, started, finished, read, new, updated,
                                unchanged, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(s.name, s.sha256, s.kind, started, finished, report.read, report.new, report.updated,
          report.unchanged, report.rejected) for s in sources],
    )
