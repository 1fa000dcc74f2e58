"""Time the facet counts of every dimension under realistic filters, straight on the data layer.

A facet pane shows, for its dimension, how many alerts hold each value under every *other*
filter (``queries.facet``).  The goal is a p95 of 30 ms or less per dimension at a million
alerts for non-text filters.  This opens an archive read-only (as the app does), builds a set
of filters from the archive's own busiest values (none; one country; two countries; one year;
a year range; a violation; country and year; two violations ALL; "not <the top country>";
country, violation and year), and times ``queries.facet(conn, dimension, filters)`` for each
dimension and filter, ``--reps`` times after one warm-up call (warm cache).  It reports p50,
p95 and max per dimension, per filter kind, and the grid of p95s, as Markdown (or JSON).
Full-text searches (a common and a rare word) are timed too, for information: the first call
materialises the hits on the connection (``search.py``), later calls reuse them.

``--explain`` prints, for every (filter, dimension) whose p95 misses the goal, the statements
``queries.facet`` runs, each timed on its own with its EXPLAIN QUERY PLAN: what to fix.

Usage: python benchmarks/bench_facets.py ARCHIVE [--reps 15] [--goal-ms 30] [--json]
                                         [--explain] [--only KIND ...]
Needs the ifex-tui of this interpreter's environment; run it with .venv/bin/python.
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ifex_tui.archive import queries
from ifex_tui.archive.filters import DIMENSIONS, Filters
from ifex_tui.archive.schema import connect

#: A word in most synthetic alerts (the worst case) and one in about 0.15% of them
#: (the same words as bench_tui.py).
COMMON_WORD, RARE_WORD = "radio", "timor"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 15 runs is the 15th smallest: the max)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil
    return ordered[int(rank) - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": statistics.median(values) * 1000,
        "p95_ms": percentile(values, 0.95) * 1000,
        "max_ms": max(values) * 1000,
    }


def filter_cases(conn: sqlite3.Connection) -> dict[str, Filters]:
    """The non-text filters, built from the archive's busiest values (as a researcher's
    first clicks would be), keyed by a short description."""
    top = lambda d: [f.key for f in queries.breakdown(conn, d, Filters())]  # noqa: E731
    # real countries only: not "Unknown country" (no country) nor a name no table matched
    countries = [k for k in top("country") if k and not k.startswith("?")]
    violations = top("violation")
    years = sorted((y for y in top("year") if y), reverse=True)
    c1, c2 = countries[0], countries[1]
    v1, v2 = violations[0], violations[1]
    year = years[len(years) // 3] if years else 2010  # a year in the middle of the archive
    span = frozenset(range(year - 4, year + 1))
    none = Filters()
    return {
        "none": none,
        f"country {c1}": none.toggled("country", c1),
        f"countries {c1} or {c2}": none.toggled("country", c1).toggled("country", c2),
        f"year {year}": none.toggled("year", year),
        f"years {min(span)}-{max(span)}": Filters(year=span),
        f"violation {v1}": none.toggled("violation", v1),
        f"country {c2} + year {year}": none.toggled("country", c2).toggled("year", year),
        f"violations {v1} AND {v2}": none.toggled("violation", v1).toggled("violation", v2)
        .toggled_match_all("violation"),
        f"not country {c1}": none.toggled_exclusion("country", c1),
        f"country {c2} + violation {v1} + year {year}": none.toggled("country", c2)
        .toggled("violation", v1).toggled("year", year),
    }


def search_cases(conn: sqlite3.Connection) -> dict[str, Filters]:
    c1 = next(f.key for f in queries.breakdown(conn, "country", Filters())
              if f.key and not f.key.startswith("?"))
    return {
        f"search {COMMON_WORD}": Filters().searching(COMMON_WORD),
        f"search {RARE_WORD}": Filters().searching(RARE_WORD),
        f"search {COMMON_WORD} + country {c1}": Filters().searching(COMMON_WORD)
        .toggled("country", c1),
    }


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def measure(conn, cases: dict[str, Filters], reps: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per call of ``queries.facet`` for every case and dimension (after one warm-up)."""
    times: dict[str, dict[str, list[float]]] = {}
    for name, filters in cases.items():
        times[name] = {}
        for dimension in DIMENSIONS:
            queries.facet(conn, dimension, filters)  # warm the cache (and the search's hits)
            times[name][dimension] = [
                timed(lambda d=dimension, f=filters: queries.facet(conn, d, f))
                for _ in range(reps)
            ]
    return times


def cold_search(path: Path, filters: Filters) -> float:
    """The first facet of a search on a fresh connection: the hits are materialised."""
    conn = connect(path, readonly=True)
    try:
        return timed(lambda: queries.facet(conn, "country", filters))
    finally:
        conn.close()


def explain(conn: sqlite3.Connection, dimension: str, filters: Filters) -> list[dict]:
    """Each statement ``queries.facet`` runs, timed alone, with its query plan."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        queries.facet(conn, dimension, filters)
    finally:
        conn.set_trace_callback(None)
    found = []
    for sql in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        seconds = min(timed(lambda s=sql: conn.execute(s).fetchall()) for _ in range(3))
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        found.append({"sql": " ".join(sql.split()), "ms": seconds * 1000, "plan": plan})
    return found


def markdown(result: dict, goal_ms: float) -> str:
    lines = []
    grid = result["facets"]
    dims = list(DIMENSIONS)
    lines.append("p95 in ms of `queries.facet(conn, dimension, filters)`, per filter and "
                 f"dimension ({result['reps']} runs each, warm; goal <= {goal_ms:g} ms; "
                 "* marks a miss):\n")
    lines.append("| filters | alerts | " + " | ".join(dims) + " |")
    lines.append("|---|---:|" + "---:|" * len(dims))
    for name, row in grid.items():
        cells = []
        for d in dims:
            p95 = row[d]["p95_ms"]
            cells.append(f"{p95:.1f}{'*' if p95 > goal_ms else ''}")
        lines.append(f"| {name} | {result['totals'][name]:,} | " + " | ".join(cells) + " |")
    for title, table in (("per dimension, over every non-text filter", result["per_dimension"]),
                         ("per filter, over every dimension", result["per_filter"])):
        lines.append(f"\n{title}:\n")
        lines.append("| | p50 ms | p95 ms | max ms | goal |")
        lines.append("|---|---:|---:|---:|---|")
        for name, s in table.items():
            verdict = "holds" if s["p95_ms"] <= goal_ms else "MISSES"
            lines.append(f"| {name} | {s['p50_ms']:.1f} | {s['p95_ms']:.1f} | {s['max_ms']:.1f} "
                         f"| {verdict} |")
    if result["search"]:
        lines.append("\nfull-text search, for information (p95 over every dimension, warm: the "
                     "hits already materialised on the connection; cold: the first call on a "
                     "new connection):\n")
        lines.append("| search | alerts | " + " | ".join(dims) + " | cold first call |")
        lines.append("|---|---:|" + "---:|" * (len(dims) + 1))
        for name, row in result["search"].items():
            cells = " | ".join(f"{row[d]['p95_ms']:.1f}" for d in dims)
            lines.append(f"| {name} | {result['totals'][name]:,} | {cells} | "
                         f"{result['search_cold_ms'][name]:.0f} |")
    if result.get("explain"):
        lines.append("\nstatements of the cases over the goal (each timed alone, best of 3):")
        for case, statements in result["explain"].items():
            lines.append(f"\n{case}:")
            for s in statements:
                lines.append(f"  {s['ms']:8.1f} ms  {s['sql'][:400]}")
                lines.extend(f"               {step}" for step in s["plan"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--goal-ms", type=float, default=30.0)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--explain", action="store_true",
                        help="show the statements and query plans of the cases over the goal")
    parser.add_argument("--no-search", action="store_true", help="skip the full-text cases")
    parser.add_argument("--only", nargs="*", help="run only filter cases containing these words")
    args = parser.parse_args(argv)
    if not args.archive.exists():
        print(f"{args.archive}: no such archive (make one with make_feed.py and ifex-tui import)",
              file=sys.stderr)
        return 1
    conn = connect(args.archive, readonly=True)
    cases = filter_cases(conn)
    searches = {} if args.no_search else search_cases(conn)
    if args.only:
        keep = lambda name: any(w in name for w in args.only)  # noqa: E731
        cases = {k: v for k, v in cases.items() if keep(k)}
        searches = {k: v for k, v in searches.items() if keep(k)}
    started = time.perf_counter()
    facets = measure(conn, cases, args.reps)
    search_cold = {name: cold_search(args.archive, f) * 1000 for name, f in searches.items()}
    search = measure(conn, searches, max(3, args.reps // 3))
    result = {
        "archive": str(args.archive),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {platform.system()}, "
                   f"{len(__import__('os').sched_getaffinity(0))} CPUs",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "reps": args.reps,
        "goal_ms": args.goal_ms,
        "totals": {name: queries.total(conn, f) for name, f in {**cases, **searches}.items()},
        "facets": {n: {d: summary(t) for d, t in row.items()} for n, row in facets.items()},
        "per_dimension": {
            d: summary([t for row in facets.values() for t in row[d]]) for d in DIMENSIONS
        },
        "per_filter": {n: summary([t for ts in row.values() for t in ts])
                       for n, row in facets.items()},
        "search": {n: {d: summary(t) for d, t in row.items()} for n, row in search.items()},
        "search_cold_ms": search_cold,
        "seconds": 0.0,
    }
    if args.explain:
        result["explain"] = {
            f"{name} / {d}": explain(conn, d, cases[name])
            for name, row in result["facets"].items()
            for d, s in row.items() if s["p95_ms"] > args.goal_ms
        }
    result["seconds"] = time.perf_counter() - started
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{result['archive']}: {result['date']}, {result['machine']}, Python "
              f"{result['python']}, SQLite {result['sqlite']}, {result['seconds']:.0f} s\n")
        print(markdown(result, args.goal_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
