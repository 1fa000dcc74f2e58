"""One command for the performance goals: every figure next to its yardstick, as a table.

Timings from one day to the next on a shared two-core machine say little, so every import
figure is taken in the same session as the plain-sqlite3 baseline doing the same work
(baseline_import.py) and given as a ratio: fresh processes, alternated, on the same feed.
The feeds are shaped like real IFEX alerts (make_feed.py's `real` shape; generated once per N
and kept in the work folder, keyed by the generator's own hash so a changed generator makes new
ones). The app figures reuse bench_facets.py and bench_tui.py on the largest archive built.

For each N (10,000 and 100,000; 1,000,000 with --with-1m):
  first import     into an empty archive, FTS included: items/s, importer vs baseline
  re-import        the same feed again, vs the baseline's skip-unchanged upsert; and, in a
                   separate untimed run, the pages each wrote to the alert, facet and
                   full-text tables (read from the write-ahead log, kept by a held snapshot)
  10% updated      the feed with a tenth of items revised (new title, body, date_modified)
  peak RSS         of every import process (wait4: that child only)
  archive size     after the first import, against the feed's bytes
and the two archives are checked to hold the same rows, facets, counts and search hits, so
the baseline is known to do the same work.
On the largest archive: facet counts under ten non-text filters (bench_facets), facet counts
under a full-text search against the plain FTS5 queries that count the same rows per value and
against FTS5's bare count of the hits (all cold, on a new connection), the next page at depths 0, 10%, 50%, 90% and the last page, and the app itself
(bench_tui: first screen against the smallest archive's, keypresses against an empty archive's
floor, peak RSS).

Anything that takes under a second is measured --runs times and the median is given (an import
pair is repeated when either side takes under a second). Prints a Markdown table and writes
every sample to --out as JSON.

Usage: python benchmarks/run_suite.py [--sizes 10000 100000] [--with-1m] [--runs 3]
           [--out results.json] [--workdir DIR] [--seed 1] [--reps 15] [--app-runs 2]
           [--app-reps 5] [--no-app | --app-only]
Run it with .venv/bin/python: it times the ifex-tui installed there.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_facets  # noqa: E402
import bench_import  # noqa: E402
import bench_tui  # noqa: E402
from make_feed import write_feed  # noqa: E402

from ifex_tui.archive import queries  # noqa: E402
from ifex_tui.archive.filters import DIMENSIONS, Filters  # noqa: E402
from ifex_tui.archive.schema import connect  # noqa: E402

MB = 1_000_000  # the goals are in MB; ru_maxrss is KiB on Linux
UPDATED_FRACTION = 0.1
#: Objects whose pages an unchanged re-import must not write (the rows, facets and search).
ROW_TABLES = ("alerts", "idx_alerts_id", "idx_alerts_sort_date_pk", "idx_alerts_year",
              "alert_facets", "alert_facets_alert", "alerts_fts_data", "alerts_fts_idx",
              "alerts_fts_docsize")
#: Words for the search figures: common (most alerts) and rare, as bench_facets uses.
WORDS = (bench_facets.COMMON_WORD, bench_facets.RARE_WORD)
KEYPRESSES = {  # bench_tui action: (row, goal applies)
    "toggle_country": ("toggle a country", True), "toggle_year": ("toggle a year", True),
    "exclude_country": ("exclude a country", True), "move_j": ("move down (j)", True),
    "go_to_end": ("go to the end (G)", True), "search_common": ("search, common word", False),
    "search_rare": ("search, rare word", False),
}


def median_of(runs: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    """Measure once; if under a second, `runs` times in all: the median and every sample."""
    samples = [measure()]
    while samples[0] < 1.0 and len(samples) < runs:
        samples.append(measure())
    return statistics.median(samples), samples


# --- feeds and imports -------------------------------------------------------------------------

def feeds(workdir: Path, n: int, seed: int) -> tuple[Path, Path]:
    """The feed of n items and its 10%-updated variant, made once per generator version."""
    version = hashlib.sha256((HERE / "make_feed.py").read_bytes()).hexdigest()[:8]
    plain = workdir / f"feed-{n}-s{seed}-{version}.json"
    updated = workdir / f"feed-{n}-s{seed}-{version}-updated.json"
    for path, fraction in ((plain, 0.0), (updated, UPDATED_FRACTION)):
        if not path.exists():
            partial = path.with_suffix(".partial")
            write_feed(n, partial, seed=seed, modified_fraction=fraction)
            partial.rename(path)
    return plain, updated


def remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def copy(source: Path, target: Path) -> None:
    remove(target)
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


class Importers:
    """The importer and the baseline, run the same way: a fresh process, wait4 for its RSS."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.commands = {"importer": bench_import.importer_command(),
                         "baseline": [sys.executable, str(HERE / "baseline_import.py")]}
        self.dbs = {who: folder / f"{who}.db" for who in self.commands}

    def run(self, who: str, feed: Path, items: int, step: str) -> bench_import.Run:
        """One import; its whole JSON report kept (the baseline's says where its time went)."""
        found = bench_import.run_import(self.commands[who], feed, items, self.dbs[who],
                                        f"{who}-{step}")
        found.report = json.loads((self.folder / f"{who}-{step}.stdout").read_text())
        return found

    def pair(self, step: str, feed: Path, items: int, runs: int,
             before: Callable[[str], None] = lambda who: None) -> dict:
        """Baseline then importer, repeated while either took under a second (`before` puts
        an archive back in the state the step starts from)."""
        samples: dict[str, list[bench_import.Run]] = {"baseline": [], "importer": []}
        while True:
            for who in samples:
                before(who)
                samples[who].append(self.run(who, feed, items, step))
            quick = min(r.seconds for runs_ in samples.values() for r in runs_) < 1.0
            if not quick or len(samples["importer"]) >= runs:
                break
        return {who: summarise(found) for who, found in samples.items()}


def summarise(found: list[bench_import.Run]) -> dict:
    seconds = statistics.median(r.seconds for r in found)
    return {"seconds": seconds, "items_per_s": found[0].items / seconds,
            "peak_rss_mb": max(r.peak_rss_mib for r in found) * 1.048576,
            "samples": [r.seconds for r in found], "report": found[-1].report}


def size_of(db: Path) -> int:
    return sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())


def pages_written(db: Path, run: Callable[[], object]) -> dict[str, int]:
    """Pages of each table or index that `run` (an import into `db`) wrote.

    A read snapshot held open across the run keeps every page the import writes in the
    write-ahead log (no checkpoint can move them past a reader); the frames' page numbers are
    then named with `dbstat` in the new state. Page 1 and freed pages count as "(other)".
    """
    writer = sqlite3.connect(db)
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    writer.close()
    reader = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sqlite_schema").fetchall()
    try:
        run()
    finally:
        reader.execute("COMMIT")
    wal = Path(f"{db}-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big") if len(wal) >= 32 else 0
    salts, written = wal[16:24], set()
    for at in range(32, len(wal) - 24, 24 + page_size) if page_size else ():
        if wal[at + 8:at + 16] == salts:
            written.add(int.from_bytes(wal[at:at + 4], "big"))
    names = dict(reader.execute("SELECT pageno, name FROM dbstat"))
    reader.close()
    counts: dict[str, int] = {}
    for page in written:
        name = names.get(page, "(other)") if page != 1 else "(other)"
        counts[name] = counts.get(name, 0) + 1
    return counts


#: What is compared, alert by alert, between the two archives (the public record's names).
COMPARED = ("title", "summary", "body_text", "countries", "region", "violations", "targets",
            "source", "date", "year")
SAMPLE = 2000


def differences(baseline: Path, importer: Path) -> list[str]:
    """What the two archives disagree on; empty means they hold the same.

    Totals are compared in full (alerts, facet counts, facet rows, bitmap sizes, search hits);
    alerts one by one for a sample of about 2,000 spread over the archive, the importer's read
    as the app and export read them (``queries.alert``), so how it stores a body (compressed,
    its text made when read) does not matter, only what it holds. FTS5 checks the baseline's
    index itself.
    """
    one = sqlite3.connect(f"{baseline.resolve().as_uri()}?mode=ro", uri=True)
    two = connect(importer, readonly=True)
    found = []
    total = one.execute("SELECT count(*) FROM alerts").fetchone()[0]
    sample = one.execute(f"SELECT id, {', '.join(COMPARED)} FROM alerts WHERE pk % ? = 0",
                         [max(1, total // SAMPLE)])
    for row in sample:
        mine = dict(zip(COMPARED, row[1:], strict=True))
        for key in ("countries", "violations", "targets"):
            mine[key] = json.loads(mine[key])
        pk = two.execute("SELECT pk FROM alerts WHERE id = ?", [row[0]]).fetchone()
        theirs = queries.alert(two, pk[0]) if pk else {}
        if any(mine[key] != theirs.get(key) for key in COMPARED):
            found.append(f"alert {row[0]}")
            break
    checks = {
        "alert count": "SELECT count(*) FROM alerts",
        "facet counts": "SELECT kind, value, year, n FROM facet_counts ORDER BY 1, 2, 3",
        "facet rows": "SELECT kind, value, count(*) FROM alert_facets GROUP BY 1, 2 ORDER BY 1, 2",
        **{f"hits of {w!r}": f"SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH '{w}'"
           for w in (*WORDS, "journalist", "update")},
    }
    for what, sql in checks.items():
        if one.execute(sql).fetchall() != two.execute(sql).fetchall():
            found.append(what)
    bits = "SELECT kind, lower(value), bits FROM facet_bitmaps ORDER BY 1, 2"
    if [(k, v, int.from_bytes(b, "little").bit_count()) for k, v, b in one.execute(bits)] != \
            [(k, v, int.from_bytes(b, "little").bit_count()) for k, v, b in two.execute(bits)]:
        found.append("bitmap sizes")
    one.close()
    two.close()
    check = sqlite3.connect(baseline)  # FTS5 runs its check as a write that changes nothing
    try:
        check.execute("INSERT INTO alerts_fts (alerts_fts) VALUES ('integrity-check')")
    except sqlite3.Error as error:
        found.append(f"baseline FTS integrity: {error}")
    finally:
        check.close()
    return found


def import_figures(workdir: Path, n: int, seed: int, runs: int) -> dict:
    """The import rows for one N, baseline and importer side by side."""
    feed, updated_feed = feeds(workdir, n, seed)
    folder = workdir / str(n)
    folder.mkdir(exist_ok=True)
    run = Importers(folder)
    result: dict[str, object] = {"feed_bytes": feed.stat().st_size, "load": [os.getloadavg()]}
    result["first"] = run.pair("first", feed, n, runs, before=lambda who: remove(run.dbs[who]))
    result["archive_bytes"] = {who: size_of(db) for who, db in run.dbs.items()}
    result["equivalent_after_first"] = differences(run.dbs["baseline"], run.dbs["importer"])
    result["reimport"] = run.pair("reimport", feed, n, runs)
    result["pages_written_by_reimport"] = {
        who: pages_written(db, lambda who=who: run.run(who, feed, n, "reimport-check"))
        for who, db in run.dbs.items()}
    for who, db in run.dbs.items():
        copy(db, folder / f"{who}-before-update.db")
    result["updated"] = run.pair(
        "updated", updated_feed, n, runs,
        before=lambda who: copy(folder / f"{who}-before-update.db", run.dbs[who]))
    for who in run.dbs:
        remove(folder / f"{who}-before-update.db")
    result["equivalent_after_update"] = differences(run.dbs["baseline"], run.dbs["importer"])
    result["load"].append(os.getloadavg())
    return result


# --- the archive as the app reads it -----------------------------------------------------------

def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


#: The plain-sqlite3 way to count a search's hits per value of each dimension: the FTS5 query
#: joined to the facet rows (or the alerts, for years), one GROUP BY per dimension.
GROUPED = {
    **{kind: "SELECT value, count(*) FROM alert_facets WHERE kind = '" + kind + "' AND alert IN "
             "(SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?) GROUP BY value"
       for kind in ("country", "region", "violation", "target", "source")},
    "year": "SELECT coalesce(year, 0), count(*) FROM alerts WHERE pk IN "
            "(SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?) GROUP BY 1",
}


def search_figures(archive: Path, runs: int) -> dict:
    """Facet counts of all six dimensions under a search, each on a new connection (the search
    is cold, as after typing it; another search runs in between so no cached hits are
    reused), against two yardsticks on a new plain sqlite3 connection: the FTS5 queries that
    count the same rows per value (:data:`GROUPED`, checked to give the app's counts), and
    FTS5's bare count of the hits (what no count of them can beat)."""
    warm = connect(archive, readonly=True)
    queries.facet(warm, "country", Filters())  # the bitmaps, loaded once as the app does
    figures = {}
    for word in WORDS:
        filters = Filters().searching(word)

        def facets(filters=filters) -> float:
            queries.facet(warm, "country", Filters().searching(bench_tui.OTHER_WORD))
            conn = connect(archive, readonly=True)
            try:
                return timed(lambda: [queries.facet(conn, d, filters) for d in DIMENSIONS])
            finally:
                conn.close()

        def plain(statements: list[str], word=word) -> Callable[[], float]:
            def run() -> float:
                conn = sqlite3.connect(f"{archive.resolve().as_uri()}?mode=ro", uri=True)
                try:
                    return timed(lambda: [conn.execute(sql, [word]).fetchall()
                                          for sql in statements])
                finally:
                    conn.close()
            return run

        grouped = plain(list(GROUPED.values()))
        bare = plain(["SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH ?"])
        facets(), grouped(), bare()  # the file's pages in the OS cache for all three
        facet_samples = [facets() for _ in range(runs)]
        grouped_samples = [grouped() for _ in range(runs)]
        bare_samples = [bare() for _ in range(runs)]
        same = all(
            {key: n for key, n in warm.execute(sql, [word]) if n}
            == {f.key: f.count for f in queries.facet(warm, d, filters) if f.count}
            for d, sql in GROUPED.items()
        )
        figures[word] = {"hits": queries.total(warm, filters), "same_counts": same,
                         "facets_s": statistics.median(facet_samples),
                         "grouped_s": statistics.median(grouped_samples),
                         "raw_fts_s": statistics.median(bare_samples),
                         "facet_samples": facet_samples, "grouped_samples": grouped_samples,
                         "raw_samples": bare_samples}
    warm.close()
    return figures


def page_figures(archive: Path, reps: int) -> dict:
    """p95 of `queries.page` continuing after the row at depths 0, 10%, 50%, 90% and the last
    page, with no filter, the busiest country, and a rare and a common word. A page takes a
    millisecond or two, so each case is timed at least 100 times: with 15 samples the p95 is
    the maximum, and one stall of the machine would be the figure."""
    reps = max(reps, 100)
    conn = connect(archive, readonly=True)
    country = next(f.key for f in queries.breakdown(conn, "country", Filters())
                   if f.key and not f.key.startswith("?"))
    cases = {"none": Filters(), f"country {country}": Filters().toggled("country", country),
             **{f"search {w}": Filters().searching(w) for w in WORDS}}
    figures = {}
    for name, filters in cases.items():
        total = queries.total(conn, filters)
        for label, depth in (("0", 0), ("10%", total // 10), ("50%", total // 2),
                             ("90%", total * 9 // 10),
                             ("last page", max(total - queries.PAGE_SIZE, 0))):
            after = queries.page(conn, filters, offset=depth - 1, limit=1)[0].cursor \
                if depth else None
            call = lambda f=filters, a=after: queries.page(conn, f, after=a)  # noqa: E731
            call()
            samples = [timed(call) for _ in range(reps)]
            figures[f"{name} @ {label}"] = {"depth": depth,
                                            "p95_ms": bench_facets.percentile(samples, 0.95) * 1000,
                                            "samples_ms": [s * 1000 for s in samples]}
    conn.close()
    return figures


def app_figures(large: Path, small: Path, workdir: Path, args: argparse.Namespace) -> dict:
    """Everything measured on the archive as the app reads it."""
    conn = connect(large, readonly=True)
    times = bench_facets.measure(conn, bench_facets.filter_cases(conn), args.reps)
    conn.close()
    result: dict[str, object] = {"load": [os.getloadavg()], "archive": str(large)}
    result["facets"] = {d: bench_facets.summary([t for row in times.values() for t in row[d]])
                        for d in DIMENSIONS}
    result["search"] = search_figures(large, args.runs)
    result["pages"] = page_figures(large, args.reps)
    empty = bench_tui.build_archive(0, workdir)
    result["tui"] = {key: bench_tui.measure(path, args.app_runs, args.app_reps,
                                            list(bench_tui.ACTIONS))
                     for key, path in (("floor", empty), ("small", small), ("large", large))}
    result["load"].append(os.getloadavg())
    return result


# --- the table ---------------------------------------------------------------------------------

def verdict(holds: bool) -> str:
    return "holds" if holds else "**misses**"


def ms(seconds: float) -> str:
    """Milliseconds, with a decimal below 10 so that small figures still give a ratio."""
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 10 else f"{value:,.0f} ms"


def import_rows(n: int, f: dict) -> list[tuple]:
    rows = []
    for step, what in (("first", "first import throughput, FTS included"),
                       ("reimport", "re-import of an unchanged feed"),
                       ("updated", "10% of items updated")):
        mine, base = f[step]["importer"], f[step]["baseline"]
        ratio = mine["items_per_s"] / base["items_per_s"]
        baseline = "skip-unchanged upsert" if step == "reimport" else "baseline"
        rows.append((what, n, f"{mine['items_per_s']:,.0f}/s ({mine['seconds']:.2f} s)",
                     f"{base['items_per_s']:,.0f}/s ({base['seconds']:.2f} s)", f"{ratio:.2f}x",
                     f">= 0.5x {baseline}", verdict(ratio >= 0.5)))
        if step == "reimport":
            pages = {who: sum(v for k, v in found.items() if k in ROW_TABLES)
                     for who, found in f["pages_written_by_reimport"].items()}
            report = mine["report"]
            rows.append(("  rows / FTS pages written by it", n,
                         f"{pages['importer']} pages; report: {report.get('new')} new, "
                         f"{report.get('updated')} updated", f"{pages['baseline']} pages", "",
                         "zero", verdict(pages["importer"] == 0 and not report.get("new")
                                         and not report.get("updated"))))
    rss = {who: max(f[s][who]["peak_rss_mb"] for s in ("first", "reimport", "updated"))
           for who in ("importer", "baseline")}
    rows.append(("import peak RSS", n, f"{rss['importer']:.0f} MB", f"{rss['baseline']:.0f} MB",
                 f"{rss['importer'] / rss['baseline']:.2f}x", "<= 150 MB",
                 verdict(rss["importer"] <= 150)))
    size = {who: b / f["feed_bytes"] for who, b in f["archive_bytes"].items()}
    rows.append(("archive size / feed size", n,
                 f"{size['importer']:.2f}x ({f['archive_bytes']['importer'] / MB:,.0f} MB)",
                 f"{size['baseline']:.2f}x ({f['archive_bytes']['baseline'] / MB:,.0f} MB)",
                 f"{size['importer'] / size['baseline']:.2f}x", "<= 1.5x the feed",
                 verdict(size["importer"] <= 1.5)))
    return rows


def app_rows(n: int, small_n: int, a: dict) -> list[tuple]:
    at = "" if n >= 1_000_000 else f" (goal at 1M; measured at {n:,})"
    worst = max(a["facets"].items(), key=lambda item: item[1]["p95_ms"])
    rows = [("facet counts, every dimension, 10 non-text filters", n,
             f"p95 {worst[1]['p95_ms']:.1f} ms ({worst[0]})", "", "", "<= 30 ms p95",
             verdict(worst[1]["p95_ms"] <= 30) + at)]
    for word, s in a["search"].items():
        what = f"facet counts under a search: {word!r} ({s['hits']:,} hits)"
        ratio = s["facets_s"] / s["grouped_s"]
        same = "" if s["same_counts"] else " (the counts DIFFER)"
        rows.append((what, n, ms(s["facets_s"]), ms(s["grouped_s"]), f"{ratio:.2f}x",
                     "<= 2x the FTS5 queries counting the same rows per value",
                     verdict(ratio <= 2 and s["same_counts"]) + at + same))
        ratio = s["facets_s"] / s["raw_fts_s"]
        rows.append((f"{what}, against FTS5's bare count of the hits", n, ms(s["facets_s"]),
                     ms(s["raw_fts_s"]), f"{ratio:.2f}x", "<= 2x, read strictly",
                     verdict(ratio <= 2) + at))
    page = max(a["pages"].items(), key=lambda item: item[1]["p95_ms"])
    rows.append(("next page of the list at any depth", n,
                 f"p95 {page[1]['p95_ms']:.1f} ms (worst: {page[0]})", "", "", "<= 5 ms p95",
                 verdict(page[1]["p95_ms"] <= 5) + at))
    tui = a["tui"]
    for action, (what, goal) in KEYPRESSES.items():
        large = tui["large"]["actions"].get(action, {}).get("paint_ms")
        floor = tui["floor"]["actions"].get(action, {}).get("paint_ms")
        if not large or not floor:
            continue
        beyond = large["p95"] - floor["p95"]
        rows.append((f"keypress to screen: {what}", n, f"p95 {large['p95']:.0f} ms",
                     f"floor {floor['p95']:.0f} ms", f"+{beyond:.0f} ms",
                     "<= 50 ms beyond the floor" if goal else "(no goal)",
                     (verdict(beyond <= 50) + at) if goal else ""))
    first, first_small = (tui[k]["first_screen"]["paint_ms"]["median"] for k in ("large", "small"))
    rows.append(("first screen", n, f"{first:,.0f} ms", f"{first_small:,.0f} ms at {small_n:,}",
                 f"{first / first_small:.2f}x", f"<= 1.0 s and <= 1.2x the {small_n:,} one",
                 verdict(first <= 1000 and first / first_small <= 1.2) + at))
    rss = tui["large"]["peak_rss_mib"] * 1.048576
    rows.append(("app peak RSS", n, f"{rss:.0f} MB", "", "", "<= 150 MB", verdict(rss <= 150) + at))
    return rows


def markdown(rows: list[tuple]) -> str:
    lines = ["| what | N | measured | baseline | ratio | goal | |",
             "|---|---:|---:|---:|---:|---|---|"]
    lines += ["| " + " | ".join(f"{c:,}" if isinstance(c, int) else str(c) for c in row) + " |"
              for row in rows]
    return "\n".join(lines)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text()
                   .splitlines() if line.startswith("MemTotal")), 0)
    package = Path(queries.__file__).parents[2]  # the ifex_tui measured (PYTHONPATH, a venv)
    commit = subprocess.run(["git", "-C", str(package), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
    commit = f"{commit or 'not a git checkout'} at {package}"
    return {"cpu": cpu, "cpus": len(os.sched_getaffinity(0)), "memory_gb": round(memory / 1e9, 1),
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M %Z")}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--with-1m", action="store_true", help="add N = 1,000,000 (hours)")
    parser.add_argument("--runs", type=int, default=3, help="runs of anything under a second")
    parser.add_argument("--reps", type=int, default=15, help="calls per facet/page case")
    parser.add_argument("--app-runs", type=int, default=2, help="app processes per archive")
    parser.add_argument("--app-reps", type=int, default=5, help="keypresses per process")
    parser.add_argument("--no-app", action="store_true", help="import rows only")
    parser.add_argument("--app-only", action="store_true",
                        help="app rows only, on the archives an earlier run left in the work "
                             "folder (WORKDIR/N/importer.db for the smallest and largest N)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("suite-out"))
    parser.add_argument("--out", type=Path, default=None, help="JSON (default WORKDIR/results.json)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = sorted(set(args.sizes) | ({1_000_000} if args.with_1m else set()))
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"machine": machine(), "load_at_start": os.getloadavg(),
                                  "sizes": {}, "args": vars(args)}
    rows: list[tuple] = []
    for n in [] if args.app_only else sizes:
        print(f"imports at N = {n:,} ...", file=sys.stderr)
        figures = import_figures(args.workdir, n, args.seed, args.runs)
        results["sizes"][n] = figures
        rows += import_rows(n, figures)
        for when in ("after_first", "after_update"):
            if figures[f"equivalent_{when}"]:
                print(f"N = {n}: baseline and importer archives differ {when.replace('_', ' ')}:"
                      f" {figures[f'equivalent_{when}']}", file=sys.stderr)
    if not args.no_app:
        print(f"the app at N = {sizes[-1]:,} ...", file=sys.stderr)
        large, small = (args.workdir / str(n) / "importer.db" for n in (sizes[-1], sizes[0]))
        results["app"] = app_figures(large, small, args.workdir, args)
        rows += app_rows(sizes[-1], sizes[0], results["app"])
    results["table"] = markdown(rows)
    out = args.out or args.workdir / "results.json"
    out.write_text(json.dumps(results, indent=1, default=str))
    info = results["machine"]
    print(f"{info['date']}; {info['cpu']}, {info['cpus']} CPUs, {info['memory_gb']} GB; "
          f"{info['system']}; Python {info['python']}, SQLite {info['sqlite']}; ifex-tui "
          f"{info['commit']}; load average {results['load_at_start'][0]:.2f} at the start, "
          f"{os.getloadavg()[0]:.2f} at the end\n")
    print(results["table"])
    print(f"\nall samples: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
