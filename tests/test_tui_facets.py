"""Pilot tests of the six facet dimensions: counts under the other filters, exclusion, any/all,
the palette, the years as a time series, finding by other names, zoom and the small window.

Expected counts come from the sample feeds read with the standard library.  Regions are not in
the feeds (the importer derives them from the country), so for them the test reads which region
the archive stored for each alert id and does the counting itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from conftest import source_of
from tui_helpers import (
    browsing,
    build_archive,
    count_of,
    country_of,
    find_and_toggle,
    highlighted,
    lines,
    n_of,
    option_for,
    options,
    pane,
    press,
    sample_items,
    screen_text,
    status,
    type_text,
    year_of,
    year_series,
)

from ifex_tui.archive.filters import NONE_LABELS

ITEMS = sample_items()
TOTAL = len(ITEMS)


def ifex(item: dict) -> dict:
    return item.get("_ifex") or {}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_archive(tmp_path_factory.mktemp("facets") / "samples.db")


def drawn(facet_pane) -> dict[str, int]:
    """Name -> count of every value the pane draws (marks left out)."""
    result = {}
    for option in options(facet_pane):
        body = option[2:]
        name, count = body.rsplit(None, 1)
        result[name.rstrip("█ ").strip()] = int(count.replace(",", ""))
    return result


def same_values(facet_pane, expected: Counter) -> bool:
    """The values the pane draws with a count are exactly ``expected`` (a name cut with "…"
    to fit counts as its start); the archive's other values are drawn with 0."""
    shown = {name: count for name, count in drawn(facet_pane).items() if count}
    if sorted(shown.values()) != sorted(expected.values()):
        return False
    for name, count in shown.items():
        matches = [n for n in expected if n == name or (name.endswith("…") and n.startswith(name[:-1]))]
        if not any(expected[n] == count for n in matches):
            return False
    return True


def regions_by_id(db: Path) -> dict[str, str | None]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, region FROM alerts"))


def stored_countries(db: Path) -> dict[str, list[str]]:
    """The display names the archive stored for each alert (the importer's spelling)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, countries FROM alerts")
        return {id_: [c["name"] for c in json.loads(found)] for id_, found in rows}


def values_of(item: dict, dimension: str, regions: dict) -> list[str]:
    """The values a pane counts ``item`` under: ``No violation`` … when it holds none."""
    if dimension == "region":
        found = [regions[item["id"]]] if regions.get(item["id"]) else []
    elif dimension == "source":  # as the archive counts it ("CPJ" and its full name are one)
        found = [source_of(item)] if source_of(item) else []
    else:
        found = list(ifex(item).get(dimension + "s", []))
    return found or [NONE_LABELS[dimension]]


SWITCH_PRESSES = {"violation": 0, "target": 1, "source": 2, "region": 3}


@pytest.mark.parametrize("dimension", list(SWITCH_PRESSES))
async def test_the_third_pane_shows_each_dimension_counted_under_the_other_filters(
    sample_db: Path, dimension: str
) -> None:
    regions = regions_by_id(sample_db)
    in_2011 = [i for i in ITEMS if year_of(i) == 2011]
    expected = Counter(v for i in in_2011 for v in values_of(i, dimension, regions))
    assert expected, dimension
    async with browsing(sample_db) as (app, pilot):
        await find_and_toggle(app, pilot, "2", "2011")
        await press(app, pilot, "3", *["d"] * SWITCH_PRESSES[dimension])
        third = pane(app, "topics")
        title = {"violation": "Violations", "target": "Targets", "source": "Sources",
                 "region": "Regions"}[dimension]
        assert third.border_title.startswith(f"3 {title}")
        assert same_values(third, expected), (drawn(third), expected)
        everywhere = {v for i in ITEMS for v in values_of(i, dimension, regions)}
        assert len(options(third)) == len(everywhere)  # every value keeps its place

        # toggling the busiest value filters the list and recounts the other panes under it
        (top, top_count), = expected.most_common(1)
        await press(app, pilot, "f")
        await type_text(app, pilot, top)
        await press(app, pilot, "enter")
        chosen = [i for i in in_2011 if top in values_of(i, dimension, regions)]
        assert len(chosen) == top_count
        assert status(app).endswith(n_of(top_count, TOTAL))
        assert f"{top}" in status(app)
        assert [o for o in options(third) if o.startswith("● ")] == [highlighted(third)]
        names = stored_countries(sample_db)
        countries = Counter(n for i in chosen for n in names[i["id"]] or ["Unknown country"])
        assert same_values(pane(app, "countries"), countries)


async def test_exclusion_says_not_and_removes_those_alerts_everywhere(sample_db: Path) -> None:
    iraq = [i for i in ITEMS if country_of(i) == "Iraq"]
    rest = [i for i in ITEMS if country_of(i) != "Iraq"]
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "1", "f")
        await type_text(app, pilot, "iraq")
        await press(app, pilot, "escape", "e")  # the find leaves the highlight on Iraq; e excludes
        assert status(app) == f"Country: not Iraq {n_of(len(rest), TOTAL)}"
        assert option_for(pane(app, "countries"), "Iraq").startswith("✕ ")
        assert count_of(option_for(pane(app, "countries"), "Iraq")) == len(iraq)
        years = [(o.split()[0], count_of(o)) for o in options(pane(app, "years"))]
        assert years == year_series(rest, ITEMS)
        await press(app, pilot, "e")  # again: the exclusion is lifted
        assert status(app) == f"No filters {TOTAL:,} alerts"

        await press(app, pilot, "f")
        await type_text(app, pilot, "mex")
        await press(app, pilot, "enter", "f")
        await type_text(app, pilot, "iraq")
        await press(app, pilot, "escape", "e")
        mexico = [i for i in ITEMS if country_of(i) == "Mexico"]
        assert status(app) == f"Country: Mexico; not Iraq {n_of(len(mexico), TOTAL)}"


def _multi_valued_feed(path: Path) -> Path:
    """Alerts that hold several violations and targets (the samples hold one of each)."""
    combos = [
        (["Killed", "Detained"], ["Journalist", "Blogger"], "Mexico"),
        (["Killed"], ["Journalist"], "Mexico"),
        (["Detained"], ["Blogger"], "Iraq"),
        (["Killed", "Detained", "Attacked"], ["Journalist"], "Iraq"),
        (["Attacked"], ["Journalist", "Blogger"], "Syria"),
        (["Killed", "Detained"], ["Writer"], "Syria"),
    ]
    items = [
        {"id": f"multi-{n}", "title": f"Multi {n}", "content_text": "x",
         "date_published": f"201{n}-01-01T00:00:00Z",
         "_ifex": {"country": country, "violations": violations, "targets": targets}}
        for n, (violations, targets, country) in enumerate(combos)
    ]
    path.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}))
    return path


async def test_a_switches_a_dimension_between_any_and_all_of_its_values(tmp_path: Path) -> None:
    feed = _multi_valued_feed(tmp_path / "multi.feed.json")
    items = json.loads(feed.read_text())["items"]
    db = build_archive(tmp_path / "multi.db", [feed])
    both = {"Killed", "Detained"}
    any_of = [i for i in items if both & set(ifex(i)["violations"])]
    all_of = [i for i in items if both <= set(ifex(i)["violations"])]
    assert 0 < len(all_of) < len(any_of)
    async with browsing(db) as (app, pilot):
        await find_and_toggle(app, pilot, "3", "killed")
        await press(app, pilot, "f")
        await type_text(app, pilot, "detained")
        await press(app, pilot, "enter")
        assert status(app) == f"Violation: Detained, Killed {n_of(len(any_of), len(items))}"
        await press(app, pilot, "a")
        assert status(app) == (
            f"Violations: all of Detained, Killed {n_of(len(all_of), len(items))}"
        )
        assert "all of" in pane(app, "topics").border_subtitle
        countries = Counter(country_of(i) for i in all_of)
        assert {n: c for n, c in drawn(pane(app, "countries")).items() if c} == dict(countries)
        await press(app, pilot, "a")
        assert status(app).startswith("Violation: Detained, Killed ")

        await press(app, pilot, "2", "a")  # years are one per alert: no any/all there
        assert status(app).startswith("Violation: Detained, Killed ")


async def test_the_palette_offers_every_facet_value_with_its_count(sample_db: Path) -> None:
    killed = sum(1 for i in ITEMS if "Killed" in ifex(i).get("violations", []))
    bloggers = sum(1 for i in ITEMS if "Blogger" in ifex(i).get("targets", []))
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, "Violation: Killed")
        assert f"Violation: Killed ({killed:,})" in screen_text(app)
        await press(app, pilot, "enter")
        assert status(app) == f"Violation: Killed {n_of(killed, TOTAL)}"
        await press(app, pilot, "x", "ctrl+p")
        await type_text(app, pilot, "Target: Blogger")
        assert f"Target: Blogger ({bloggers:,})" in screen_text(app)
        await press(app, pilot, "enter")
        assert status(app) == f"Target: Blogger {n_of(bloggers, TOTAL)}"


async def test_a_pane_stops_at_its_first_and_last_value(sample_db: Path) -> None:
    """``j`` on the last value and ``k`` on the first stay put, as in the alert list."""
    async with browsing(sample_db) as (app, pilot):
        years = pane(app, "years")
        drawn = options(years)
        await press(app, pilot, "2", "G", "j", "j")
        assert highlighted(years) == drawn[-1] and drawn[-1].split()[0] == "Undated"
        await press(app, pilot, "g", "k")
        assert highlighted(years) == drawn[0]
        await press(app, pilot, "1", "k")
        assert highlighted(pane(app, "countries")) == options(pane(app, "countries"))[0]


async def test_years_are_a_series_with_bars_on_the_archive_scale(sample_db: Path) -> None:
    syria = [i for i in ITEMS if country_of(i) == "Syria"]
    async with browsing(sample_db) as (app, pilot):
        years = pane(app, "years")
        peak = max(n for year, n in Counter(year_of(i) for i in ITEMS).items() if year)
        await find_and_toggle(app, pilot, "1", "syria")
        rows = [(o.split()[0], count_of(o)) for o in options(years)]
        assert rows == year_series(syria, ITEMS)  # every year of the archive, 0 where none
        assert "2 Years · bars: archive" in screen_text(app)

        def bar(year: str) -> int:
            return option_for(years, year).count("█")

        busiest_year, busiest = max(rows, key=lambda row: row[1])
        assert bar(busiest_year) == max(1, round(8 * busiest / peak))  # Syria's best is small
        await press(app, pilot, "2", "r")  # relative to the selection: the busiest fills the bar
        assert "2 Years · bars: selection" in screen_text(app)
        assert bar(busiest_year) == 8


@pytest.mark.parametrize(
    ("typed", "country"),
    [("usa", "United States"), ("us", "United States"), ("ivory", "Côte d'Ivoire"),
     ("burma", "Myanmar"), ("mx", "Mexico"), ("côte", "Côte d'Ivoire")],
)
async def test_a_find_knows_codes_and_the_names_the_importer_knows(
    sample_db: Path, typed: str, country: str
) -> None:
    expected = sum(
        1 for i in ITEMS
        if (country_of(i) or "") in {
            "United States": ("USA", "United States"), "Côte d'Ivoire": ("Ivory Coast", "Côte d'Ivoire"),
            "Myanmar": ("Myanmar",), "Mexico": ("Mexico",),
        }[country]
    )
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "1", "f")
        await type_text(app, pilot, typed)
        assert highlighted(pane(app, "countries")).split("  ")[1].strip() == country
        await press(app, pilot, "enter")
        assert status(app) == f"Country: {country} {n_of(expected, TOTAL)}"


@pytest.mark.parametrize("dimension", ["violation", "region"])
async def test_the_alerts_holding_no_value_are_a_row_to_choose_or_leave_out(
    sample_db: Path, dimension: str
) -> None:
    """``No violation`` and ``No region`` are rows of their panes, as ``Unknown country`` is:
    chosen, they give the alerts ``stats --violation none`` counts; left out, the rest."""
    regions = regions_by_id(sample_db)
    named = NONE_LABELS[dimension]
    holding_none = sum(1 for i in ITEMS if values_of(i, dimension, regions) == [named])
    assert 0 < holding_none < TOTAL
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "3", *["d"] * SWITCH_PRESSES[dimension])
        assert drawn(pane(app, "topics"))[named] == holding_none
        await press(app, pilot, "f")
        await type_text(app, pilot, "none")  # as the command line names it
        await press(app, pilot, "enter")
        assert status(app) == f"{dimension.title()}: {named} {n_of(holding_none, TOTAL)}"
        await press(app, pilot, "escape", "e")  # the same row, left out: "none" there
        assert status(app) == (
            f"{dimension.title()}: not none {n_of(TOTAL - holding_none, TOTAL)}")


@pytest.mark.parametrize(("busier", "other"), [("South Korea", "North Korea"),
                                               ("North Korea", "South Korea")])
async def test_a_find_of_a_name_two_countries_share_takes_the_busiest(
    tmp_path: Path, busier: str, other: str
) -> None:
    """``korea`` begins another name of both Koreas (the importer keeps a bare "Korea" as
    written, for it cannot tell which): the find takes the busier in the archive, the first of
    the two in the pane, as it does for any tie."""
    countries = [busier] * 3 + [other]
    items = [{"id": f"k-{n}", "title": f"Alert {n}", "content_text": "x",
              "date_published": "2015-01-01T00:00:00Z", "_ifex": {"country": country}}
             for n, country in enumerate(countries)]
    feed = tmp_path / "koreas.feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}))
    async with browsing(build_archive(tmp_path / "koreas.db", [feed])) as (app, pilot):
        await press(app, pilot, "1", "f")
        await type_text(app, pilot, "korea")
        await press(app, pilot, "enter")
        assert status(app) == f"Country: {busier} {n_of(3, 4)}"


@pytest.mark.parametrize("typed", ["committee to", "reporters sans", "cpj"])
async def test_a_find_knows_a_reporting_organisations_other_names(sample_db: Path, typed: str) -> None:
    shown = {"committee to": "CPJ", "reporters sans": "RSF", "cpj": "CPJ"}[typed]
    expected = sum(1 for i in ITEMS if source_of(i) == shown)
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "3", "d", "d")  # the third pane shows sources
        assert pane(app, "topics").dimension == "source"
        await press(app, pilot, "f")
        await type_text(app, pilot, typed)
        assert highlighted(pane(app, "topics")).split("  ")[1].strip() == shown
        await press(app, pilot, "enter")
        assert status(app) == f"Source: {shown} {n_of(expected, TOTAL)}"


async def test_z_zooms_the_focused_pane_and_escape_brings_the_layout_back(sample_db: Path) -> None:
    async with browsing(sample_db, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "1", "z")
        assert app.screen.maximized is pane(app, "countries")
        assert pane(app, "countries").region.width == 80
        assert pane(app, "alerts").region.width == 0
        await press(app, pilot, "j", "enter")  # the zoomed pane keeps its keys
        assert status(app).startswith("Country: ")
        await press(app, pilot, "escape")
        assert app.screen.maximized is None
        assert pane(app, "alerts").region.width > 40


async def test_the_footer_follows_the_dimension_shown(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "3")
        assert "a Any/all" in screen_text(app).splitlines()[-1]  # violations: any or all
        await press(app, pilot, "d", "d")  # sources: one per alert
        assert "Sources" in pane(app, "topics").border_title
        assert "Any/all" not in screen_text(app).splitlines()[-1]
        await press(app, pilot, "d", "d")  # round to violations again
        assert "a Any/all" in screen_text(app).splitlines()[-1]


async def test_z_zooms_the_detail_pane_too(sample_db: Path) -> None:
    async with browsing(sample_db, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "5", "z")
        assert app.screen.maximized is pane(app, "detail")
        await press(app, pilot, "z")
        assert app.screen.maximized is None


async def test_every_dimension_is_reachable_in_80_by_24(sample_db: Path) -> None:
    async with browsing(sample_db, size=(80, 24)) as (app, pilot):
        titles = []
        await press(app, pilot, "3")
        for _ in range(4):
            titles.append(pane(app, "topics").border_title.split()[1])
            assert options(pane(app, "topics")), titles  # values shown, not an empty pane
            await press(app, pilot, "d")
        assert titles == ["Violations", "Targets", "Sources", "Regions"]
        assert pane(app, "topics").border_title.split()[1] == "Violations"  # round again
        for name in ("countries", "years", "topics"):
            assert pane(app, name).region.height >= 4


async def test_a_60_column_terminal_keeps_each_year_on_one_line_and_room_for_titles(
    sample_db: Path,
) -> None:
    async with browsing(sample_db, size=(60, 20)) as (app, _pilot):
        drawn = [line.split() for line in lines(pane(app, "years")) if line.strip()]
        assert drawn, "the years pane shows nothing"
        # each line whole: the year, its bar and its count (a wrapped line splits them)
        assert all(len(words) == 3 and set(words[1]) == {"█"} for words in drawn), drawn
        assert [(words[0], int(words[2])) for words in drawn] == year_series(ITEMS)[: len(drawn)]
        assert pane(app, "alerts").region.width >= 34  # the facets take 24 columns, not 30
