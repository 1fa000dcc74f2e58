"""How the app feels on a million alerts, measured headless.

Builds (once, then reuses) a 1,000,000-alert archive from the synthetic feed and a 1,000-alert
one, then drives the real app with Textual's Pilot in a fresh process per archive and reports:
time to first screen (counts, facets and the first rows of the list on screen) and its ratio
to the small archive; keypress-to-updated-screen for a country filter, a year filter and a
search (a word in most alerts, and a rare one); going to the end of the list; and the
process's peak RSS.  A screen counts as updated when every query worker has
finished and the list's visible rows are loaded, exactly what a user waits for.

Usage: python benchmarks/bench_tui.py [--items 1000000] [--small 1000] [--dir bench-out] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_feed import write_feed

#: A word in most synthetic alerts (the worst case) and one in about 0.15% of them.
COMMON_WORD, RARE_WORD = "radio", "timor"


def build_archive(items: int, folder: Path) -> Path:
    """The archive for ``items`` alerts, made once with the real importer and kept."""
    archive = folder / f"bench-{items}.db"
    if archive.exists():
        return archive
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        feed = Path(tmp) / "feed.jsonl"
        started = time.perf_counter()
        write_feed(items, feed, fmt="jsonl")
        print(f"generated {items:,} items in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        started = time.perf_counter()
        partial = archive.with_suffix(".partial.db")
        subprocess.run(
            [sys.executable, "-m", "ifex_tui", "import", str(feed), "--db", str(partial)],
            check=True, stdout=subprocess.DEVNULL,
        )
        print(f"imported in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{partial}{suffix}")
            if source.exists():
                source.rename(f"{archive}{suffix}")
    return archive


async def _settled(app, pilot) -> None:
    """Wait until no query is running and the visible rows of the list are loaded."""
    from ifex_tui.tui.widgets.alert_list import AlertList

    while True:
        await app.workers.wait_for_complete()
        await pilot.pause()
        alerts = app.screen.query_one(AlertList)
        busy = any(not w.is_finished for w in app.workers)
        if not busy and (alerts.total == 0 or alerts.highlighted is not None):
            return


async def _drive(archive: Path) -> dict:
    from ifex_tui.tui.app import IfexApp

    timings: dict[str, float] = {}
    started = time.perf_counter()
    app = IfexApp(archive)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settled(app, pilot)
        timings["first_screen_s"] = time.perf_counter() - started

        async def timed(name: str, *keys: str) -> None:
            begun = time.perf_counter()
            await pilot.press(*keys)
            await _settled(app, pilot)
            timings[name] = time.perf_counter() - begun

        await pilot.press("1")
        await timed("country_filter_s", "enter")
        await pilot.press("x")
        await _settled(app, pilot)
        await pilot.press("2")
        await timed("year_filter_s", "enter")
        await pilot.press("x")
        await _settled(app, pilot)
        await pilot.press("slash", *COMMON_WORD)  # typing is not the query: time the enter
        await timed("search_common_s", "enter")
        await pilot.press("x")
        await _settled(app, pilot)
        await pilot.press("slash", *RARE_WORD)
        await timed("search_rare_s", "enter")
        await pilot.press("x")
        await _settled(app, pilot)
        await pilot.press("3")
        await timed("go_to_end_s", "G")
        status = str(app.screen.query_one("#status").render())
    timings["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    timings["status_after"] = status
    return timings


def measure(archive: Path) -> dict:
    """Run the measurement in a fresh interpreter, so RSS and caches belong to one archive."""
    result = subprocess.run(
        [sys.executable, __file__, "--measure", str(archive)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--dir", type=Path, default=Path("bench-out"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(_drive(args.measure))))
        return
    small = measure(build_archive(args.small, args.dir))
    large = measure(build_archive(args.items, args.dir))
    ratio = large["first_screen_s"] / small["first_screen_s"]
    if args.json:
        print(json.dumps({"small": small, "large": large, "first_screen_ratio": ratio}))
        return
    print(f"{'':28}{args.small:>12,}{args.items:>14,}")
    keys = ("first_screen_s", "country_filter_s", "year_filter_s", "search_common_s",
            "search_rare_s", "go_to_end_s")
    for key in keys:
        print(f"{key:28}{small[key] * 1000:>10.0f}ms{large[key] * 1000:>12.0f}ms")
    print(f"{'peak_rss_mib':28}{small['peak_rss_mib']:>12.0f}{large['peak_rss_mib']:>14.0f}")
    print(f"first screen, large / small: {ratio:.1f}x")


if __name__ == "__main__":
    main()
