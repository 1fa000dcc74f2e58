"""Exclusion and ALL, through every read the app and the CLI make, against a stdlib reference.

The archive holds both real samples plus a small synthetic feed of alerts with several
countries, violations and targets (the samples have one of each, so ALL would be trivial on
them).  Which alerts match is decided here from the feed JSON alone, with the few written
names the cases filter on spelled out by hand.  Breakdowns by country and region are keyed by
what the importer stored for each alert (its normalisation is tested in test_import.py and
test_countries.py); every count is still made here, by Python, over the expected alerts.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import (
    CPJ_NAME,
    DATA,
    DIGEST_NAME,
    Invoke,
    export_json,
    load_items,
    source_of,
    stats_json,
)
from typer.testing import CliRunner

from ifex_tui.archive import filters, queries
from ifex_tui.archive.filters import DIMENSIONS, Filters
from ifex_tui.archive.plan import Plan
from ifex_tui.cli import app

#: CPJ as the archive shows it: "CPJ" and "Committee to Protect Journalists" count as one source.
CPJ = "CPJ"
RSF = "RSF"
CODES = {  # written name -> the country keys a case filters on
    "Mexico": {"MX"}, "Iraq": {"IQ"}, "Philippines": {"PH"}, "Brazil": {"BR"},
    "Israel and the Occupied Palestinian Territory": {"IL", "PS"},
}


def synthetic_items() -> list[dict]:
    """Alerts about several countries, with several violations and targets (seeded, fixed)."""
    rng = random.Random(20240611)
    found = []
    for n in range(80):
        day = None if n % 9 == 0 else f"{rng.choice([2009, 2010, 2011, 2012])}-0{rng.randint(1, 9)}-1{n % 10}"
        ifex = {
            "country": rng.sample(["Mexico", "Iraq", "Philippines", "Brazil"], rng.randint(1, 3)),
            "violations": rng.sample(["Killed", "Detained", "Attacked", "Threatened"], rng.randint(0, 3)),
            "targets": rng.sample(["Journalist", "Blogger", "Writer"], rng.randint(1, 2)),
            "source": rng.choice(["RSF", "CPJ", "PEN"]),
        }
        if n % 13 == 0:  # spelt differently: counted as the same violation
            ifex["violations"] = ["killed", "Detained"]
        title = f"Synthetic alert {n}" + (" zebra crossing" if n % 3 == 0 else "")
        item = {"id": f"synthetic-{n}", "title": title, "_ifex": ifex}
        if day:
            item["date_published"] = f"{day}T12:00:00Z"
        found.append(item)
    return found


@pytest.fixture(scope="session")
def plan_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    folder = tmp_path_factory.mktemp("plan-archive")
    extra = synthetic_items()
    feed = folder / "synthetic.feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": extra}))
    path = folder / "plan.db"
    result = CliRunner().invoke(app, ["import", str(DATA / CPJ_NAME), str(DATA / DIGEST_NAME), str(feed), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path, load_items(DATA / CPJ_NAME) + load_items(DATA / DIGEST_NAME) + extra


@pytest.fixture(scope="module")
def world(plan_archive):
    path, items = plan_archive
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    stored = {
        row[0]: row[1:] for row in conn.execute("SELECT id, pk, sort_date, region, countries FROM alerts")
    }
    yield conn, items, stored
    conn.close()


# --- the reference ------------------------------------------------------------------------


def _written(i: dict) -> list:
    country = i["_ifex"].get("country")
    return country if isinstance(country, list) else [country]


def countries_of(i: dict) -> set[str]:
    keys = set()
    for name in _written(i):
        keys |= {""} if name is None else CODES.get(name, {f"other:{name}"})
    return keys


def year_of(i: dict) -> int:
    return int(i["date_published"][:4]) if i.get("date_published") else 0


def violations_of(i: dict) -> set[str]:
    return {v.casefold() for v in i["_ifex"].get("violations", [])}


def targets_of(i: dict) -> set[str]:
    return set(i["_ifex"].get("targets", []))


Pred = Callable[[dict], bool]
CASES: list[tuple[str, dict, Pred]] = [
    ("not Iraq", dict(not_country=["Iraq"]), lambda i: "IQ" not in countries_of(i)),
    ("not Iraq, not unknown, 2000-2010",
     dict(not_country=["IQ", "unknown"], year=["2000-2010"]),
     lambda i: not countries_of(i) & {"IQ", ""} and 2000 <= year_of(i) <= 2010),
    ("not undated", dict(not_year=["undated"]), lambda i: year_of(i) != 0),
    ("not 2006, not 2009-2010, not Killed",
     dict(not_year=["2006", "2009-2010"], not_violation=["killed"]),
     lambda i: year_of(i) not in (2006, 2009, 2010) and "killed" not in violations_of(i)),
    ("not CPJ (full name), not Journalist",
     dict(not_source=[CPJ], not_target=["Journalist"]),
     lambda i: source_of(i) != CPJ and "Journalist" not in targets_of(i)),
    ("Mexico, not undated", dict(country=["MX"], not_year=["undated"]),
     lambda i: "MX" in countries_of(i) and year_of(i) != 0),
    ("Killed AND Detained", dict(violation=["Killed", "Detained"], all_of=["violation"]),
     lambda i: {"killed", "detained"} <= violations_of(i)),
    ("Killed AND Detained AND Attacked, 2009-2011",
     dict(violation=["Killed", "Detained", "Attacked"], all_of=["violation"], year=["2009-2011"]),
     lambda i: {"killed", "detained", "attacked"} <= violations_of(i) and 2009 <= year_of(i) <= 2011),
    ("Mexico AND Iraq", dict(country=["Mexico", "Iraq"], all_of=["country"]),
     lambda i: {"MX", "IQ"} <= countries_of(i)),
    ("Israel AND Palestine, not 2003", dict(country=["IL", "PS"], all_of=["country"], not_year=["2003"]),
     lambda i: {"IL", "PS"} <= countries_of(i) and year_of(i) != 2003),
    ("Journalist AND Blogger, not Philippines",
     dict(target=["Journalist", "Blogger"], all_of=["target"], not_country=["PH"]),
     lambda i: {"Journalist", "Blogger"} <= targets_of(i) and "PH" not in countries_of(i)),
    ("Mexico or Philippines, Killed AND Detained, not CPJ, 2009-2012, zebra",
     dict(country=["MX", "PH"], violation=["Killed", "Detained"], all_of=["violation"],
          not_source=[CPJ], year=["2009-2012"], search="zebra"),
     lambda i: bool(countries_of(i) & {"MX", "PH"}) and {"killed", "detained"} <= violations_of(i)
     and source_of(i) != CPJ and 2009 <= year_of(i) <= 2012
     and "zebra" in i["title"].casefold().split()),
    ("zebra, not Iraq, not Blogger",
     dict(search="zebra", not_country=["Iraq"], not_target=["Blogger"]),
     lambda i: "zebra" in i["title"].casefold().split() and "IQ" not in countries_of(i)
     and "Blogger" not in targets_of(i)),
    ("RSF, not Killed, 2009-2012", dict(source=[RSF], not_violation=["Killed"], year=["2009-2012"]),
     lambda i: source_of(i) == RSF and "killed" not in violations_of(i)
     and 2009 <= year_of(i) <= 2012),
    ("Brazil or Mexico, not Iraq, not Writer, ALL with one value",
     dict(country=["BR", "MX"], not_country=["IQ"], not_target=["Writer"], violation=["Killed"],
          all_of=["violation", "target"]),
     lambda i: bool(countries_of(i) & {"BR", "MX"}) and "IQ" not in countries_of(i)
     and "Writer" not in targets_of(i) and "killed" in violations_of(i)),
    # the alerts with no value of a dimension stored without facet rows (filters.NONE)
    ("no violation", dict(violation=["none"]), lambda i: not violations_of(i)),
    ("Killed or no violation, 2009-2011, not Mexico",
     dict(violation=["Killed", "No violation"], year=["2009-2011"], not_country=["MX"]),
     lambda i: (not violations_of(i) or "killed" in violations_of(i))
     and 2009 <= year_of(i) <= 2011 and "MX" not in countries_of(i)),
    ("Killed AND no violation", dict(violation=["Killed", "none"], all_of=["violation"]),
     lambda i: False),
    ("not no violation, not no source", dict(not_violation=["none"], not_source=["No source"]),
     lambda i: bool(violations_of(i)) and source_of(i) is not None),
    ("Iraq, no violation, zebra", dict(country=["IQ"], violation=["none"], search="zebra"),
     lambda i: "IQ" in countries_of(i) and not violations_of(i)
     and "zebra" in i["title"].casefold().split()),
    ("Detained, not no target", dict(violation=["Detained"], not_target=["none"]),
     lambda i: "detained" in violations_of(i) and bool(targets_of(i))),
]


def _expected_counts(items: list[dict], stored, dimension: str) -> Counter:
    """Alerts per value, and those holding no value under ``""`` (the panes list them too)."""
    counts: Counter = Counter()
    for i in items:
        if dimension == "country":
            found = json.loads(stored[i["id"]][3])
            counts.update({c["code"] or (f"?{c['name']}" if c["name"] else "") for c in found} or {""})
        elif dimension == "region":
            counts[stored[i["id"]][2] or ""] += 1
        elif dimension == "year":
            counts[year_of(i)] += 1
        elif dimension == "violation":
            counts.update(set(violations_of(i)) or {""})
        elif dimension == "target":
            counts.update(set(targets_of(i)) or {""})
        else:
            counts[source_of(i) or ""] += 1
    return counts


def _got(counts: list[queries.FacetCount], dimension: str) -> Counter:
    fold = dimension == "violation"
    return Counter({(f.key.casefold() if fold else f.key): f.count for f in counts})


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def case(request, world):
    conn, items, stored = world
    _, options, pred = request.param
    chosen = filters.from_options(**options)
    expected = [i for i in items if pred(i)]
    return conn, items, stored, chosen, expected


def test_total_and_every_breakdown(case) -> None:
    conn, _, stored, chosen, expected = case
    assert queries.total(conn, chosen) == len(expected)
    for dimension in DIMENSIONS:
        got = _got(queries.breakdown(conn, dimension, chosen), dimension)
        assert got == _expected_counts(expected, stored, dimension), dimension


@pytest.mark.parametrize("sparse", [10**9, 0], ids=["walked", "ranked when checked"])
def test_pages_walk_exactly_the_matches_newest_first(case, sparse, monkeypatch) -> None:
    """Both ways a plan pages: its walks, or its matches' ranks, which it takes when the walk
    would check too many rows per match (``plan.SPARSE_WALK``: here never, or always)."""
    from ifex_tui.archive import plan

    monkeypatch.setattr(plan, "SPARSE_WALK", sparse)
    conn, _, stored, chosen, expected = case
    walked, cursor = [], None
    while rows := queries.page(conn, chosen, cursor, limit=53):
        walked.extend(rows)
        cursor = rows[-1].cursor
    pks = {stored[i["id"]][0] for i in expected}
    assert len(walked) == len({r.pk for r in walked}) == len(expected)
    assert {r.pk for r in walked} == pks
    keys = [(r.sort_date, r.pk) for r in walked]
    assert keys == sorted(keys, reverse=True)
    if walked:
        assert queries.page(conn, chosen, limit=5, from_end=True) == walked[-5:]
        assert queries.page(conn, chosen, limit=3, offset=len(walked) // 2) == walked[len(walked) // 2:][:3]
    for place in sorted({0, len(walked) // 3, len(walked) - 1}):
        if walked:
            assert queries.position(conn, chosen, walked[place].pk) == place
    outside = next(pk for pk, *_ in stored.values() if pk not in pks)
    assert queries.position(conn, chosen, outside) is None


def test_facet_panes_count_under_the_other_filters(case) -> None:
    conn, items, stored, chosen, _ = case
    for dimension in DIMENSIONS:
        others = chosen.without(dimension)
        # the reference of "the other filters": the case's filters read back off the alerts
        expected = [i for i in items if _matches(i, others, stored)]
        counts = queries.facet(conn, dimension, chosen)
        want = _expected_counts(expected, stored, dimension)
        fold = (lambda k: k.casefold()) if dimension == "violation" else (lambda k: k)
        left_out = {_folded(k) for k in chosen.excluded_values(dimension)}
        if left_out and dimension in filters.MULTI_VALUED:
            # the pane's own exclusions apply to its other values (what selecting one gives)
            kept = replace(others, excluded=others.excluded
                           | {(dimension, k) for k in chosen.excluded_values(dimension)})
            also = _expected_counts([i for i in items if _matches(i, kept, stored)], stored,
                                    dimension)
            want = Counter({k: n for k, n in want.items() if _folded(k) in left_out}
                           | {k: n for k, n in also.items() if _folded(k) not in left_out and n})
        for key in chosen.values(dimension) | chosen.excluded_values(dimension):
            want.setdefault(fold(key), 0)
        got = Counter()
        for f in counts:
            got[fold(f.key)] += f.count
        assert got == want, dimension
        assert len(counts) == len({fold(f.key) for f in counts})


def _folded(key):
    return key.casefold() if isinstance(key, str) else key


def _matches(i: dict, chosen: Filters, stored) -> bool:
    """Whether alert ``i`` matches ``chosen``, by the documented rules, from its JSON."""
    have = {
        "country": {c["code"] or (f"?{c['name']}" if c["name"] else "") for c in json.loads(stored[i["id"]][3])} or {""},
        "year": {year_of(i)},
        "region": {stored[i["id"]][2].casefold()} if stored[i["id"]][2] else set(),
        "violation": violations_of(i),
        "target": {t.casefold() for t in targets_of(i)},
        "source": {source_of(i).casefold()} if source_of(i) else set(),
    }
    for dimension in filters.NONE_UNSTORED:  # an alert with none holds the NONE key
        have[dimension] = have[dimension] or {filters.NONE}
    for dimension in DIMENSIONS:
        fold = str.casefold if dimension not in ("country", "year") else (lambda k: k)
        wanted = {fold(k) for k in chosen.values(dimension)}
        if wanted and not (wanted <= have[dimension] if chosen.matches_all(dimension) else wanted & have[dimension]):
            return False
        if {fold(k) for k in chosen.excluded_values(dimension)} & have[dimension]:
            return False
    return not chosen.search or chosen.search in i["title"].casefold().split()


def test_the_rules_reference_agrees_with_the_cases(case) -> None:
    """The facet test's rule-based reference is the cases' hand-written one."""
    _, items, stored, chosen, expected = case
    assert [i for i in items if _matches(i, chosen, stored)] == expected


def test_stats_dates_are_the_dated_matches(case) -> None:
    conn, _, stored, chosen, expected = case
    result = queries.stats(conn, chosen)
    dates = sorted(stored[i["id"]][1] for i in expected if year_of(i))
    assert (result["first_date"], result["last_date"]) == ((dates[0], dates[-1]) if dates else (None, None))


def test_plan_counts_from_the_narrowest_source(world) -> None:
    conn, *_ = world
    assert Plan(conn, filters.from_options(year=["2009"], not_year=["undated"])).source == "facet_counts"
    assert Plan(conn, filters.from_options(country=["MX"], year=["2009"])).source == "facet_counts"
    assert Plan(conn, filters.from_options(not_country=["IQ"])).source == "bitmaps"
    assert Plan(conn, filters.from_options(country=["MX", "PH"], not_country=["IQ"])).source == "bitmaps"
    assert Plan(conn, filters.from_options(violation=["Killed"], year=["2009"])).source == "facet_counts"
    # the rarest value of an ALL group drives the walk
    plan = Plan(conn, filters.from_options(violation=["Killed", "Detained"], all_of=["violation"]))
    assert plan.rows.pairs == (("violation", "Detained"),)
    assert Plan(conn, filters.from_options(search="zebra", country=["IQ"])).source == "bitmaps and search hits"
    assert Plan(conn, filters.from_options(not_country=["IQ"], search="zebra")).source == "bitmaps and search hits"


@pytest.mark.parametrize("options", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_no_plan_reads_wide_alert_rows_or_scans_the_facet_index(world, options) -> None:
    """EXPLAIN QUERY PLAN: alerts are only walked on a covering index, alert_facets only searched."""
    conn, *_ = world
    plan = Plan(conn, filters.from_options(**options))
    after = " AND (d.sort_date, {pk}) > ('2010-', 5)"
    queries_run = [plan.walk(("2010-", 5), 200, 0, False)]
    if plan.ranked is None:  # (a search's pages are ranks of its bitmap: nothing is walked)
        queries_run.append(plan.rows.count(after.format(pk=plan.rows.pk)))
        if plan.removed:  # a position is the alerts walk minus these
            queries_run.append(plan.removed.count(after.format(pk=plan.removed.pk)))
        elif not plan.counted:
            queries_run.append(plan.rows.count())
    for sql, params in queries_run:
        steps = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        for step in steps:
            assert not step.startswith(("SCAN f", "SCAN x")), steps
            if step.startswith("SCAN d"):
                assert "COVERING INDEX" in step, steps


def test_year_series_fills_gaps_newest_first_undated_last() -> None:
    counts = [queries.FacetCount(2009, "2009", 3), queries.FacetCount(0, "Undated", 2),
              queries.FacetCount(2012, "2012", 1)]
    series = queries.year_series(counts)
    assert [(f.key, f.label, f.count) for f in series] == [
        (2012, "2012", 1), (2011, "2011", 0), (2010, "2010", 0), (2009, "2009", 3), (0, "Undated", 2),
    ]
    assert queries.year_series([queries.FacetCount(0, "Undated", 4)]) == [queries.FacetCount(0, "Undated", 4)]
    assert queries.year_series([]) == []


def test_year_series_of_the_sample_archive(world) -> None:
    conn, items, *_ = world
    series = queries.year_series(queries.facet(conn, "year", Filters()))
    years = Counter(year_of(i) for i in items)
    dated = sorted((y for y in years if y), reverse=True)
    assert [f.key for f in series] == [*range(dated[0], dated[-1] - 1, -1), 0]
    assert all(f.count == years.get(f.key, 0) for f in series)


# --- the value object ---------------------------------------------------------------------


def test_exclusion_and_all_toggles() -> None:
    chosen = Filters().toggled("country", "MX").toggled_exclusion("country", "MX")
    assert chosen.country == frozenset() and chosen.excluded_values("country") == {"MX"}
    assert chosen.active() == ("country",) and not chosen.empty
    back = chosen.toggled("country", "MX")
    assert back.country == {"MX"} and back.excluded == frozenset()
    assert chosen.toggled_exclusion("country", "MX") == Filters()
    both = Filters().toggled("violation", "Killed").toggled_match_all("violation")
    assert both.matches_all("violation") and not both.matches_all("country")
    assert both.toggled_match_all("violation") == Filters().toggled("violation", "Killed")
    assert both.without("violation") == Filters()
    assert hash(both) == hash(Filters(violation=frozenset({"Killed"}), match_all=frozenset({"violation"})))
    for dimension in ("year", "region", "source"):
        with pytest.raises(ValueError):
            Filters().toggled_match_all(dimension)
    undated = Filters().toggled_exclusion("year", 0)
    assert undated.active() == ("year",) and undated.excluded_values("year") == {0}


def test_from_options_reads_exclusions_and_all() -> None:
    chosen = filters.from_options(
        country=["Mexico", "Iraq"], not_country=["iraq"], not_year=["2001-2002", "undated"],
        not_region=["Africa"], not_violation=["Killed"], not_target=["Blogger"], not_source=["RSF"],
        all_of=["country", "country"],
    )
    assert chosen.country == {"MX"}  # excluded wins over selected
    assert chosen.excluded == {("country", "IQ"), ("year", 2001), ("year", 2002), ("year", 0),
                               ("region", "Africa"), ("violation", "Killed"), ("target", "Blogger"),
                               ("source", "RSF")}
    assert chosen.match_all == {"country"}
    with pytest.raises(ValueError, match="region"):
        filters.from_options(all_of=["region"])


# --- the CLI ------------------------------------------------------------------------------


@pytest.fixture
def plan_db(plan_archive, archive: Path) -> tuple[Path, list[dict]]:
    path, items = plan_archive
    shutil.copyfile(path, archive)
    return archive, items


CLI_CASES = [
    (["--violation", "Killed", "--violation", "Detained", "--all-violations", "--not-country", "IQ"],
     lambda i: {"killed", "detained"} <= violations_of(i) and "IQ" not in countries_of(i)),
    (["--country", "MX", "--country", "IQ", "--all-countries", "--not-year", "undated",
      "--not-source", "PEN"],
     lambda i: {"MX", "IQ"} <= countries_of(i) and year_of(i) and source_of(i) != "PEN"),
    (["--target", "Journalist", "--target", "Writer", "--all-targets", "--not-violation", "Killed",
      "--not-target", "Blogger"],
     lambda i: {"Journalist", "Writer"} <= targets_of(i) and "killed" not in violations_of(i)
     and "Blogger" not in targets_of(i)),
    (["--not-year", "2000-2012", "--not-source", CPJ], lambda i: not 2000 <= year_of(i) <= 2012
     and source_of(i) != CPJ),
]


@pytest.mark.parametrize(("options", "pred"), CLI_CASES, ids=[" ".join(c[0]) for c in CLI_CASES])
def test_cli_stats_and_export_honour_exclusion_and_all(cli: Invoke, plan_db, options, pred) -> None:
    _, items = plan_db
    expected = [i for i in items if pred(i)]
    stats = stats_json(cli, *options)
    assert stats["alerts"] == len(expected)
    assert {y["year"] or 0: y["alerts"] for y in stats["years"]} == Counter(year_of(i) for i in expected)
    assert {v["name"].casefold(): v["alerts"] for v in stats["violations"]} == Counter(
        v for i in expected for v in violations_of(i) or {"no violation"})
    exported = export_json(cli, *options)
    assert {r["id"] for r in exported} == {i["id"] for i in expected}
    assert len(exported) == len(expected)


def test_cli_region_exclusion(cli: Invoke, plan_db) -> None:
    _, items = plan_db
    every = stats_json(cli)
    africa = {r["name"]: r["alerts"] for r in every["regions"]}["Africa"]
    assert stats_json(cli, "--not-region", "africa")["alerts"] == len(items) - africa
