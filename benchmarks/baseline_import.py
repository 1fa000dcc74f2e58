"""The yardstick for `ifex-tui import`: the same work done the plain way, with sqlite3 alone.

run_suite.py gives every import figure as a ratio to this script, run on the same feed in the
same session, so what the ratio measures is the importer's design (staging, set-based merge,
its checks), not the machine, the load, html2text or the size of the bodies. For that it must
be an honest baseline, neither a strawman nor a shortcut:

- it writes equivalent tables: `alerts` with the columns and indexes of the archive up to
  schema 4 (the body kept plainly, as `content_html` and its text `body_text`), `alert_facets`
  (the same WITHOUT ROWID key and alert index), `facet_counts`, `facet_bitmaps` in the same
  BLOB format, an `imports` row, and an external-content FTS5 table over the same columns with
  the same tokenizer; with the same pragmas (WAL, synchronous NORMAL), in one transaction,
  checkpointed at the end, as the importer does. How the importer stores a body may change
  (schema 5 compresses the HTML and makes the text when read): the yardstick stays the plain
  way, and run_suite.py checks that both archives hold the same alerts, facets and hits;
- it produces the same text: bodies through the importer's own HTML-to-text converter
  (`items.html_to_text`, whatever it is at the time), countries through `countries.resolve`,
  sources through the table of sources; these are conversions and lookups the work needs, not
  the importer's machinery. So the ratio neither rewards nor punishes the choice of converter;
  what it costs is in the baseline's report (`seconds.html_to_text`);
- it does it the straightforward fast way: feeds streamed with ijson (JSON Lines line by
  line), items hashed through orjson when it is installed (json otherwise), rows `executemany`d in batches of 2,000 with their pks assigned as they come, facet
  counts and bitmaps kept in memory while streaming, and
  * into an empty archive (`bulk`): secondary indexes and the full-text index built once, in
    bulk, after the rows;
  * into a filled one (`upsert`, the "raw skip-unchanged upsert"): a hash of each raw item is
    compared with the stored one (one lookup per batch), an unchanged item is skipped before
    any conversion, and the rest go through `INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE
    hash differs`, with their old facet rows, counts, bitmap bits and full-text entries taken
    out first.
It does less checking than the importer: it assumes ids are unique within a feed and rejects
an item only for an unreadable date. Its JSON report has the importer's counts plus where the
time went (`seconds`).

Usage: python benchmarks/baseline_import.py import FEED --db ARCHIVE [--json]
(the command line of `ifex-tui import`, so the suite runs both alike). Needs ijson and
ifex_tui (run it with .venv/bin/python).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import json
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import ijson

from ifex_tui.archive import countries
from ifex_tui.archive import sources as source_names
from ifex_tui.archive.items import html_to_text

BATCH = 2000
COLUMNS = (
    "pk", "id", "url", "external_url", "title", "summary", "content_html", "content_text",
    "body_text", "published", "date", "year", "sort_date", "modified", "modified_utc",
    "language", "tags", "authors", "countries", "region", "violations", "targets", "source",
    "alert_type", "extensions", "hash",
)
FTS_COLUMNS = ("title", "summary", "body_text", "tags", "source")
IFEX_KEYS = ("country", "region", "violations", "targets", "source", "alert_type")
TABLES = f"""
CREATE TABLE IF NOT EXISTS alerts (pk INTEGER PRIMARY KEY, id TEXT NOT NULL, url TEXT,
    external_url TEXT, title TEXT, summary TEXT, content_html TEXT, content_text TEXT,
    body_text TEXT, published TEXT, date TEXT, year INTEGER, sort_date TEXT NOT NULL,
    modified TEXT, modified_utc TEXT, language TEXT, tags TEXT, authors TEXT, countries TEXT,
    region TEXT, violations TEXT, targets TEXT, source TEXT, alert_type TEXT, extensions TEXT,
    hash TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS idx_alerts_id ON alerts (id);
CREATE TABLE IF NOT EXISTS alert_facets (kind TEXT NOT NULL, value TEXT NOT NULL COLLATE NOCASE,
    sort_date TEXT NOT NULL, alert INTEGER NOT NULL, year INTEGER NOT NULL,
    PRIMARY KEY (kind, value, sort_date, alert)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facet_counts (kind TEXT NOT NULL, value TEXT NOT NULL COLLATE NOCASE,
    year INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, value, year)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facet_bitmaps (kind TEXT NOT NULL,
    value TEXT NOT NULL COLLATE NOCASE, bits BLOB NOT NULL, PRIMARY KEY (kind, value))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS imports (pk INTEGER PRIMARY KEY, file TEXT, sha256 TEXT,
    format TEXT, started TEXT, finished TEXT, read INTEGER, new INTEGER, updated INTEGER,
    unchanged INTEGER, rejected INTEGER);
CREATE VIRTUAL TABLE IF NOT EXISTS alerts_fts USING fts5({", ".join(FTS_COLUMNS)},
    tokenize='porter unicode61 remove_diacritics 2', content='alerts', content_rowid='pk');
"""
#: Built after the rows in a bulk load (one sort each instead of a b-tree insert per row).
INDEXES = """
CREATE INDEX IF NOT EXISTS idx_alerts_sort_date_pk ON alerts (sort_date, pk);
CREATE INDEX IF NOT EXISTS idx_alerts_year ON alerts (year);
CREATE INDEX IF NOT EXISTS alert_facets_alert ON alert_facets (alert);
"""
INSERT_ALERT = (f"INSERT INTO alerts ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
                " ON CONFLICT (id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in ("pk", "id"))
                + " WHERE alerts.hash != excluded.hash")
INSERT_FACET = ("INSERT OR IGNORE INTO alert_facets (kind, value, sort_date, alert, year)"
                " VALUES (?, ?, ?, ?, ?)")
FTS_SELECT = ", ".join(FTS_COLUMNS)


class Clock:
    """Seconds spent per step, so the report says where a baseline import's time goes."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] += now - self.last
        self.last = now


class HashingReader:
    """The feed's bytes as read, hashed on the way (the `imports` row records the sha256)."""

    def __init__(self, raw) -> None:
        self.raw, self.digest = raw, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def read_items(stream, jsonl: bool) -> Iterator[dict]:
    """Stream the items: JSON Lines line by line, a JSON Feed with ijson's C backend."""
    if jsonl:
        for line in iter(lambda: stream.readline(), b""):
            if line.strip():
                yield json.loads(line)
    else:
        yield from ijson.items(stream, "items.item", use_float=True)


try:  # the fastest serialiser at hand, so the yardstick is not slowed by its own hashing
    import orjson

    def encoded(item: dict) -> bytes:
        try:
            return orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:  # an integer past 64 bits, a lone surrogate
            return json.dumps(item, sort_keys=True).encode()

    ENCODER = "orjson"
except ImportError:
    def encoded(item: dict) -> bytes:
        return json.dumps(item, sort_keys=True, ensure_ascii=False).encode()

    ENCODER = "json"


def item_hash(item: dict) -> str:
    """What says an item is unchanged: the hash of the raw item, before any conversion."""
    return hashlib.blake2b(encoded(item), digest_size=16).hexdigest()


def stamp(value) -> tuple[str, str, int, str] | None:
    """(as written, calendar date as written, year, UTC instant) of an RFC 3339 date."""
    if not isinstance(value, str) or not value.strip():
        return None
    moment = datetime.fromisoformat(value.strip())
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return value, moment.date().isoformat(), moment.year, utc.isoformat(timespec="microseconds")


@functools.cache
def resolved(written: str) -> tuple[tuple[str | None, str], ...]:
    """(code, name) of the countries a written name stands for (one lookup per name)."""
    return tuple((c.code, c.name) for c in countries.resolve(written))


@functools.cache
def shown_source(written: str) -> str:
    """The name the source facet counts a written source under (CPJ for its full name)."""
    return NAMES.canonical(written)


NAMES = source_names.table()


def strings(value) -> list[str]:
    if value is None:
        return []
    return [s.strip() for s in ([value] if isinstance(value, str) else value) if s.strip()]


def row_of(item: dict, digest: str, pk: int, clock: Clock) -> tuple[tuple, list[tuple]]:
    """The alerts row of one item and its facet rows (kind, value, sort_date, pk, year)."""
    ifex = item.get("_ifex") or {}
    html, text = item.get("content_html"), item.get("content_text")
    clock.lap("python")
    body = text or (html_to_text(html) if html else "")
    clock.lap("html_to_text")
    published, modified = stamp(item.get("date_published")), stamp(item.get("date_modified"))
    tags = strings(item.get("tags"))
    written = strings(ifex.get("country"))
    found, seen = [], set()
    pairs = [(name, c) for name in written for c in resolved(name)] if written else \
        [(None, (c.code, c.name)) for c in countries.from_tags(tags)]
    for name, (code, shown) in pairs:
        if (code or shown.casefold()) not in seen:
            seen.add(code or shown.casefold())
            found.append({"code": code, "name": shown, "written": name})
    region = (ifex.get("region") or "").strip() or next(
        (countries.region_of(c["code"]) for c in found if c["code"]), None)
    violations, targets = strings(ifex.get("violations")), strings(ifex.get("targets"))
    source = (ifex.get("source") or "").strip() or None
    extensions = {k: v for k, v in item.items() if k.startswith("_") and k != "_ifex"}
    if unmodelled := {k: v for k, v in ifex.items() if k not in IFEX_KEYS}:
        extensions["_ifex"] = unmodelled
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    year = published[2] if published else None
    sort_date = published[1] if published else ""
    dumps = functools.partial(json.dumps, ensure_ascii=False)
    row = (pk, str(item["id"]), item.get("url"), item.get("external_url"), item.get("title"),
           item.get("summary"), html, text, body, published and published[0],
           published and published[1], year, sort_date, modified and modified[0],
           modified and modified[3], item.get("language"), dumps(tags), dumps(authors),
           dumps(found), region, dumps(violations), dumps(targets), source,
           (ifex.get("alert_type") or "").strip() or None, dumps(extensions), digest)
    keys = [("country", c["code"] or "?" + c["name"]) for c in found] or [("country", "")]
    keys += [("violation", v) for v in violations] + [("target", t) for t in targets]
    keys += [("region", region)] if region else []
    keys += [("source", shown_source(source))] if source else []
    facets = [(kind, value, sort_date, pk, year or 0) for kind, value in keys]
    return row, facets


class Facets:
    """facet_counts and facet_bitmaps kept in memory while the rows stream past, written once.

    Bitmaps are bytearrays keyed like the table's NOCASE key; only the ones an import touches
    are read from the archive (all of them, in a bulk load, start empty).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.counts: Counter[tuple[str, str, int]] = Counter()
        self.bitmaps: dict[tuple[str, str], tuple[str, bytearray]] = {}

    def bitmap(self, kind: str, value: str) -> bytearray:
        key = (kind, value.casefold())
        if key not in self.bitmaps:
            found = self.conn.execute("SELECT value, bits FROM facet_bitmaps WHERE kind = ? AND "
                                      "value = ?", (kind, value)).fetchone()
            self.bitmaps[key] = (found[0], bytearray(found[1])) if found else (value, bytearray())
        return self.bitmaps[key][1]

    def mark(self, kind: str, value: str, pk: int, on: bool) -> None:
        bits = self.bitmap(kind, value)
        index = pk >> 3
        if index >= len(bits):
            bits.extend(bytes(index + 1 - len(bits)))
        bits[index] = bits[index] | (1 << (pk & 7)) if on else bits[index] & ~(1 << (pk & 7))

    def add(self, pk: int, year: int | None, keys: list[tuple[str, str]], sign: int) -> None:
        """Count (sign 1) or uncount (-1) one alert holding `keys` in `year`."""
        for kind, value in keys:
            self.counts[(kind, value, year or 0)] += sign
            self.mark(kind, value, pk, sign > 0)
        self.counts[("all", "", year or 0)] += sign
        self.mark("year", str(year or 0), pk, sign > 0)
        if sign > 0:
            self.mark("all", "", pk, True)

    def write(self) -> None:
        self.conn.executemany(
            """INSERT INTO facet_counts (kind, value, year, n) VALUES (?, ?, ?, ?)
               ON CONFLICT (kind, value, year) DO UPDATE SET n = n + excluded.n""",
            [(*key, n) for key, n in self.counts.items() if n])
        self.conn.execute("DELETE FROM facet_counts WHERE n <= 0")
        for (kind, _), (value, bits) in self.bitmaps.items():
            blob = bytes(bits).rstrip(b"\0")
            if blob:
                self.conn.execute("INSERT OR REPLACE INTO facet_bitmaps VALUES (?, ?, ?)",
                                  (kind, value, blob))
            else:
                self.conn.execute("DELETE FROM facet_bitmaps WHERE kind = ? AND value = ?",
                                  (kind, value))


def create_indexes(conn: sqlite3.Connection) -> None:
    """Statement by statement: executescript would commit the open transaction first."""
    for statement in filter(str.strip, INDEXES.split(";")):
        conn.execute(statement)


def import_feed(feed: Path, db: Path) -> dict:
    """Import one feed into `db` in one transaction; return the report."""
    clock = Clock()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(TABLES)
    conn.execute("BEGIN IMMEDIATE")
    bulk = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM alerts)").fetchone()[0]
    if not bulk:
        create_indexes(conn)
    next_pk = conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM alerts").fetchone()[0]
    report = {"read": 0, "new": 0, "updated": 0, "unchanged": 0, "rejected": 0,
              "mode": "bulk" if bulk else "upsert"}
    facets = Facets(conn)
    with open(feed, "rb") as raw:
        reader = HashingReader(raw)
        stream = gzip.GzipFile(fileobj=reader) if raw.peek(2)[:2] == b"\x1f\x8b" else reader
        jsonl = ".jsonl" in feed.suffixes or ".ndjson" in feed.suffixes
        batch: list[tuple[dict, str]] = []
        items = read_items(stream, jsonl)
        clock.lap("setup")
        for item in items:
            clock.lap("parse")
            batch.append((item, item_hash(item)))
            clock.lap("hash")
            if len(batch) >= BATCH:
                next_pk = write_batch(conn, batch, next_pk, bulk, facets, report, clock)
        next_pk = write_batch(conn, batch, next_pk, bulk, facets, report, clock)
    facets.write()
    clock.lap("sqlite")
    if bulk:
        create_indexes(conn)
        clock.lap("indexes")
        conn.execute("INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild')")
        clock.lap("fts")
    conn.execute(
        "INSERT INTO imports (file, sha256, format, started, finished, read, new, updated,"
        " unchanged, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (str(feed), reader.digest.hexdigest(), "jsonl" if jsonl else "jsonfeed", started,
         datetime.now(UTC).isoformat(timespec="seconds"), report["read"], report["new"],
         report["updated"], report["unchanged"], report["rejected"]))
    conn.execute("COMMIT")
    conn.execute("PRAGMA optimize")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    conn.close()
    clock.lap("commit")
    report["seconds"] = {step: round(s, 3) for step, s in clock.seconds.items()}
    report["item_encoder"] = ENCODER
    return report


def write_batch(conn: sqlite3.Connection, batch: list[tuple[dict, str]], next_pk: int,
                bulk: bool, facets: Facets, report: dict, clock: Clock) -> int:
    """Write one batch of (item, hash); return the next free pk.

    In upsert mode an item whose stored hash equals its own is counted unchanged and skipped
    before any conversion; an item older than the stored one (an earlier date_modified, or none
    where the stored one has one) is skipped too, as the importer does.
    """
    report["read"] += len(batch)
    stored = {}
    if not bulk:
        ids = json.dumps([str(item["id"]) for item, _ in batch])
        stored = {row[0]: row[1:] for row in conn.execute(
            "SELECT id, pk, hash, modified_utc FROM alerts WHERE id IN"
            " (SELECT value FROM json_each(?))", (ids,))}
        clock.lap("sqlite")
    rows, facet_rows, changed = [], [], []
    for item, digest in batch:
        old = stored.get(str(item["id"]))
        if old and old[1] == digest:
            report["unchanged"] += 1
            continue
        try:
            row, item_facets = row_of(item, digest, old[0] if old else next_pk, clock)
        except (ValueError, TypeError):
            report["rejected"] += 1
            continue
        if old and (row[14] or "") < (old[2] or ""):
            report["unchanged"] += 1  # older than the stored copy (or undated against a dated
            continue                  # revision): never overwrites it
        if old:
            changed.append(old[0])
            report["updated"] += 1
        else:
            next_pk += 1
            report["new"] += 1
        rows.append(row)
        facet_rows.extend(item_facets)
    clock.lap("python")
    if changed:  # first take the old versions out of the facets and the full-text index
        pks = json.dumps(changed)
        held: dict[int, tuple[int, list]] = {}
        for pk, year, kind, value in conn.execute(
                "SELECT alert, year, kind, value FROM alert_facets WHERE alert IN"
                " (SELECT value FROM json_each(?))", (pks,)):
            held.setdefault(pk, (year, []))[1].append((kind, value))
        for pk, (year, keys) in held.items():
            facets.add(pk, year, keys, -1)
        conn.execute(f"INSERT INTO alerts_fts (alerts_fts, rowid, {FTS_SELECT}) SELECT 'delete',"
                     f" pk, {FTS_SELECT} FROM alerts WHERE pk IN (SELECT value FROM json_each(?))",
                     (pks,))
        conn.execute("DELETE FROM alert_facets WHERE alert IN (SELECT value FROM json_each(?))",
                     (pks,))
    held_now: dict[int, list] = {}
    for kind, value, _, pk, _ in facet_rows:
        held_now.setdefault(pk, []).append((kind, value))
    for row in rows:
        facets.add(row[0], row[11], held_now[row[0]], +1)
    conn.executemany(INSERT_ALERT, rows)
    conn.executemany(INSERT_FACET, facet_rows)
    if not bulk and rows:
        conn.executemany(f"INSERT INTO alerts_fts (rowid, {FTS_SELECT}) VALUES (?, ?, ?, ?, ?, ?)",
                         [(r[0], r[4], r[5], r[8], r[16], r[22]) for r in rows])
    batch.clear()
    clock.lap("sqlite")
    return next_pk


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["import"])
    parser.add_argument("feed", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = import_feed(args.feed, args.db)
    print(json.dumps(report) if args.json else
          ", ".join(f"{k} {v}" for k, v in report.items() if k != "seconds"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
