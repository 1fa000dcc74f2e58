"""Time `ifex-tui import` on a large synthetic feed: first import, no-op re-import, update.

The archive must stay quick to fill and cheap to refresh as the feeds grow. This runs the
installed command exactly as a user would (a subprocess, so start-up, parsing, normalisation,
SQLite and full-text indexing all count) three times against one archive:

  first      the feed into an empty archive: every item is new
  reimport   the same feed again: every item is unchanged
  modified   the same feed with 10% of items given a newer date_modified: those are updated

and reports wall time, throughput, the importer's peak RSS (from os.wait4 in `own_rss.py`, so
per child and its own, not a maximum over all of them nor this script's size) and the archive's size after each run, with the importer's own
counts from its `--json` report. Generating the feeds is timed separately and not counted.

Usage: python benchmarks/bench_import.py [--items 100000] [--keep DIR] [--seed 1] [--json]
Exits non-zero if the importer is missing, fails, or prints no JSON report. Standard library only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

# make_feed is a sibling script, not part of a package.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_feed import write_feed

MODIFIED_FRACTION = 0.1
REPORT_KEYS = ("read", "new", "updated", "unchanged", "rejected")
MIB = 1024 * 1024
#: Starts each import, so that its peak RSS is its own (see that file).
OWN_RSS = Path(__file__).resolve().parent / "own_rss.py"


class BenchError(Exception):
    """A failure that ends the benchmark with a message instead of a traceback."""


@dataclass
class Run:
    """The figures of one import."""

    run: str
    items: int
    seconds: float
    items_per_s: float
    peak_rss_mib: float
    archive_mib: float
    report: dict[str, object]


@dataclass
class Result:
    """Everything one benchmark measured, printed as a table or as JSON."""

    command: list[str]
    items: int
    seed: int
    feed_mib: float
    generation_seconds: dict[str, float]
    modified_items: int
    runs: list[Run] = field(default_factory=list)


def importer_command() -> list[str]:
    """Find `ifex-tui` in the running interpreter's environment, so the venv's build is timed."""
    script = Path(sys.executable).parent / "ifex-tui"
    if script.is_file():
        return [str(script)]
    if importlib.util.find_spec("ifex_tui") is not None:
        return [sys.executable, "-m", "ifex_tui"]
    raise BenchError(
        f"ifex-tui is not installed: neither {script} nor the module ifex_tui is there for "
        f"{sys.executable}. Install the package first (`{sys.executable} -m pip install -e .`)."
    )


def generate(path: Path, items: int, seed: int, modified_fraction: float) -> tuple[float, int]:
    """Write one feed; return the seconds it took and how many items were marked modified."""
    started = time.perf_counter()
    touched = write_feed(items, path, seed=seed, modified_fraction=modified_fraction)
    return time.perf_counter() - started, touched


def peak_rss_mib(maxrss: int) -> float:
    """Convert ru_maxrss to MiB: it is KiB on Linux, bytes on macOS."""
    return maxrss / MIB if sys.platform == "darwin" else maxrss / 1024


def archive_mib(db: Path) -> float:
    """Size the archive with its SQLite side files, which may hold data not yet checkpointed."""
    files = [db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-journal"))]
    return sum(f.stat().st_size for f in files if f.exists()) / MIB


def run_import(command: Sequence[str], feed: Path, items: int, db: Path, name: str) -> Run:
    """Run one import as a child of ``own_rss.py``, which times it and reads its peak RSS with
    wait4 (started from this process, the figure would include this process's own size).

    The child's stdout and stderr go to files beside the archive.
    """
    stdout_path, stderr_path = db.parent / f"{name}.stdout", db.parent / f"{name}.stderr"
    usage_path = db.parent / f"{name}.usage.json"
    argv = [*command, "import", str(feed), "--db", str(db), "--json"]
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        subprocess.run([sys.executable, str(OWN_RSS), str(usage_path), *argv],
                       stdin=subprocess.DEVNULL, stdout=out, stderr=err, check=False)
    usage = json.loads(usage_path.read_text())
    if usage["returncode"] != 0:
        raise BenchError(f"run {name!r}: `{' '.join(argv)}` exited {usage['returncode']}\n"
                         + tail(stderr_path))
    report = parse_report(stdout_path, name)
    seconds = usage["seconds"]
    return Run(name, items, round(seconds, 3), round(items / seconds),
               round(peak_rss_mib(usage["ru_maxrss"]), 1), round(archive_mib(db), 2),
               {key: report[key] for key in REPORT_KEYS if key in report})


def tail(path: Path, lines: int = 20) -> str:
    """Return the last lines of a child's stderr, for an error message."""
    text = path.read_text(errors="replace").rstrip().splitlines()[-lines:]
    return "\n".join(text) if text else "(nothing on stderr)"


def parse_report(stdout_path: Path, name: str) -> dict[str, object]:
    """Read the importer's `--json` report, the one JSON object it prints on stdout."""
    text = stdout_path.read_text(errors="replace")
    try:
        report = json.loads(text)
    except json.JSONDecodeError as error:
        raise BenchError(
            f"run {name!r}: stdout is not a JSON report ({error}):\n{text[:500]}"
        ) from error
    if not isinstance(report, dict):
        raise BenchError(f"run {name!r}: the JSON report is not an object:\n{text[:500]}")
    return report


def benchmark(work: Path, items: int, seed: int) -> Result:
    """Generate both feeds in `work`, then run the three imports into one archive there."""
    command = importer_command()
    feed, modified_feed, db = work / "feed.json", work / "feed-modified.json", work / "bench.db"
    if db.exists():
        raise BenchError(f"{db} already exists; the first run needs an empty archive")
    feed_seconds, _ = generate(feed, items, seed, 0.0)
    modified_seconds, touched = generate(modified_feed, items, seed, MODIFIED_FRACTION)
    result = Result(command, items, seed, round(feed.stat().st_size / MIB, 1),
                    {"feed": round(feed_seconds, 2), "modified_feed": round(modified_seconds, 2)},
                    touched)
    result.runs.append(run_import(command, feed, items, db, "first"))
    result.runs.append(run_import(command, feed, items, db, "reimport"))
    result.runs.append(run_import(command, modified_feed, items, db, "modified"))
    return result


def count_cell(value: object) -> str:
    """Show a report count; a list (of rejected items, say) by its length, a missing key as ?."""
    if value is None:
        return "?"
    return str(len(value)) if isinstance(value, list) else str(value)


def format_table(result: Result) -> str:
    """Render the figures as a plain-text table under a few lines of context."""
    header = ("run", "items", "seconds", "items/s", "peak RSS MiB", "archive MiB",
              "new", "updated", "unchanged", "rejected")
    rows = [header]
    for run in result.runs:
        counts = (count_cell(run.report.get(key)) for key in header[6:])
        rows.append((run.run, str(run.items), f"{run.seconds:.2f}", f"{run.items_per_s:,.0f}",
                     f"{run.peak_rss_mib:.1f}", f"{run.archive_mib:.1f}", *counts))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    table = ["  ".join(cell.rjust(width) if i else cell.ljust(width)
                       for i, (cell, width) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    generation = result.generation_seconds
    feed = (f"feed: {result.items} items, seed {result.seed}, {result.feed_mib} MiB, generated "
            f"in {generation['feed']} s (modified variant {generation['modified_feed']} s; "
            "not counted)")
    expected = (f"expected: first all new; reimport all unchanged; modified "
                f"{result.modified_items} updated, {result.items - result.modified_items} "
                "unchanged")
    return "\n".join([f"importer: {' '.join(result.command)}", feed, expected, "", *table])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark `ifex-tui import`.")
    parser.add_argument("--items", type=int, default=100_000, help="feed size (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="make_feed seed (default 1)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep the feeds, archive and logs there")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            result = benchmark(args.keep, args.items, args.seed)
        else:
            with tempfile.TemporaryDirectory(prefix="ifex-bench-") as work:
                result = benchmark(Path(work), args.items, args.seed)
    except BenchError as error:
        print(f"bench_import: {error}", file=sys.stderr)
        return 1
    print(json.dumps(asdict(result), indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
