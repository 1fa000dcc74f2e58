"""A prototype, not the app: facet counts from one bitmap per facet value, to size a fix.

``bench_facets.py`` shows that counting a facet under another facet's filter costs one index
probe per matching alert (hundreds of ms at a million alerts).  This tries the alternative:
bit *pk* of a value's bitmap is set when alert *pk* holds the value; a filter is a bitmap made
with ``&`` (dimensions, ALL), ``|`` (OR within a dimension) and ``& ~`` (exclusion); a pane's
counts are ``(filter & value).bit_count()`` per value.  Pure Python (``int`` as the bitmap).

It builds the bitmaps from the archive (slow: the importer would store them), times the ten
filters of bench_facets.py per dimension (max of ``--reps``), and checks a few panes against
``queries.facet``.

Usage: python benchmarks/proto_facet_bitmaps.py ARCHIVE [--reps 7]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from pathlib import Path

from ifex_tui.archive import queries
from ifex_tui.archive.filters import Filters
from ifex_tui.archive.schema import connect

FACET_KINDS = ("country", "region", "violation", "target", "source")


def build(rows: Iterable[tuple], nbytes: int) -> dict:
    """``{key: bitmap}`` from ``(key, pk)`` rows grouped by key."""
    out, current, buf = {}, None, None
    for key, pk in rows:
        if key != current:
            if current is not None:
                out[current] = int.from_bytes(buf, "little")
            current, buf = key, bytearray(nbytes)
        buf[pk >> 3] |= 1 << (pk & 7)
    if current is not None:
        out[current] = int.from_bytes(buf, "little")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    conn = connect(args.archive, readonly=True)
    started = time.perf_counter()
    nbytes = conn.execute("SELECT coalesce(max(pk), 0) FROM alerts").fetchone()[0] // 8 + 1
    maps = {
        kind: build(conn.execute(
            "SELECT lower(value), alert FROM alert_facets WHERE kind = ? ORDER BY value", [kind]
        ), nbytes)
        for kind in FACET_KINDS
    }
    maps["year"] = build(conn.execute("SELECT coalesce(year, 0), pk FROM alerts ORDER BY 1"),
                         nbytes)
    every = build((("all", pk) for (pk,) in conn.execute("SELECT pk FROM alerts")), nbytes)
    every = every.get("all", 0)
    size = sum(len(m) for m in maps.values()) * nbytes / 2**20
    print(f"built {sum(map(len, maps.values()))} bitmaps ({size:.0f} MiB) in "
          f"{time.perf_counter() - started:.1f} s\n")

    def any_of(kind: str, values: Iterable) -> int:
        bits = 0
        for value in values:
            bits |= maps[kind].get(value, 0)
        return bits

    def all_of(kind: str, values: Iterable) -> int:
        bits = every
        for value in values:
            bits &= maps[kind].get(value, 0)
        return bits

    cases = {  # the filters of bench_facets.py on the synthetic feed, as bitmaps and Filters
        "none": ({}, Filters()),
        "country MX": ({"country": any_of("country", ["mx"])}, Filters(country=frozenset({"MX"}))),
        "countries MX or TR": ({"country": any_of("country", ["mx", "tr"])},
                               Filters(country=frozenset({"MX", "TR"}))),
        "year 2016": ({"year": any_of("year", [2016])}, Filters(year=frozenset({2016}))),
        "years 2012-2016": ({"year": any_of("year", range(2012, 2017))},
                            Filters(year=frozenset(range(2012, 2017)))),
        "violation Killed": ({"violation": any_of("violation", ["killed"])},
                             Filters(violation=frozenset({"Killed"}))),
        "country TR + year 2016": ({"country": any_of("country", ["tr"]),
                                    "year": any_of("year", [2016])},
                                   Filters(country=frozenset({"TR"}), year=frozenset({2016}))),
        "violations Killed AND Attacked": (
            {"violation": all_of("violation", ["killed", "attacked"])},
            Filters(violation=frozenset({"Killed", "Attacked"}), match_all=frozenset({"violation"}))),
        "not country MX": ({"country": every & ~maps["country"].get("mx", 0)},
                           Filters().toggled_exclusion("country", "MX")),
        "country TR + violation Killed + year 2016": (
            {"country": any_of("country", ["tr"]), "violation": any_of("violation", ["killed"]),
             "year": any_of("year", [2016])},
            Filters(country=frozenset({"TR"}), violation=frozenset({"Killed"}),
                    year=frozenset({2016}))),
    }

    def facet(dimension: str, chosen: dict) -> dict:
        bits = every
        for other, mask in chosen.items():
            if other != dimension:
                bits &= mask
        return {value: (bits & mask).bit_count() for value, mask in maps[dimension].items()}

    print(f"max of {args.reps} runs, ms:\n")
    print("| filters | " + " | ".join(maps) + " |")
    print("|---|" + "---:|" * len(maps))
    disagree = []
    for name, (chosen, filters) in cases.items():
        cells = []
        for dimension in maps:
            times = []
            for _ in range(args.reps):
                begun = time.perf_counter()
                counts = facet(dimension, chosen)
                times.append(time.perf_counter() - begun)
            cells.append(f"{max(times) * 1000:.1f}")
            want = {(f.key.lower() if isinstance(f.key, str) else f.key): f.count
                    for f in queries.facet(conn, dimension, filters) if f.count}
            if {k: n for k, n in counts.items() if n} != want:
                disagree.append(f"{name} / {dimension}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\nevery pane's counts equal queries.facet's" if not disagree
          else f"\ncounts DIFFER from queries.facet's: {', '.join(disagree)}")


if __name__ == "__main__":
    main()
