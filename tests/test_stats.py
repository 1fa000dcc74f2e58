"""Counts a researcher can publish: what ``ifex-tui stats`` prints, as a user reads it.

Expected numbers come from the sample feeds read with the json module (``sample_items``) or
from the few items a test writes itself, never from the code under test.  Output is read the
way a user or a script reads it: stdout lines, CSV through the csv module, JSON parsed, the
exit status and stderr.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import Invoke, item

RULE_WORDS = "counts once under each value and once in every total"


def _country(i: dict) -> str | None:
    return (i.get("_ifex") or {}).get("country")


def _year(i: dict) -> int | None:
    published = i.get("date_published")
    return int(published[:4]) if published else None


def _killed(i: dict) -> bool:
    return "killed" in {v.casefold() for v in (i.get("_ifex") or {}).get("violations") or []}


def _ok(result) -> str:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def _csv(result) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_ok(result))))


def _json(result) -> dict:
    return json.loads(_ok(result))


def _numbers(line: str) -> list[int]:
    return [int(word.replace(",", "")) for word in line.split()[1:]]


def _row(lines: list[str], first: str) -> list[int]:
    """The numbers of the text table's row whose first word is ``first``."""
    [found] = [line for line in lines if line.split()[:1] == [first]]
    return _numbers(found)


# --- the crosstab a researcher asks for ---------------------------------------------------------

EXAMPLE = ["--by", "year", "--by", "country", "--country", "IQ", "--country", "SY",
           "--violation", "Killed", "--year", "2003-2008"]
YEARS = list(range(2003, 2009))


@pytest.fixture
def example(sample_items: list[dict]) -> dict[tuple[int, str], int]:
    """Journalists killed in Iraq and Syria per year 2003-2008, counted from the sample JSON."""
    return Counter(
        (_year(i), _country(i)) for i in sample_items
        if _country(i) in ("Iraq", "Syria") and _killed(i) and _year(i) in YEARS
    )


def test_crosstab_as_csv_is_rows_by_columns_with_totals(cli: Invoke, imported: Path, example) -> None:
    rows = _csv(cli("stats", *EXAMPLE, "--format", "csv"))
    assert rows[0] == ["year", "Iraq", "Syria", "total alerts"]
    assert [r[0] for r in rows[1:]] == [*map(str, YEARS), "total alerts"]  # every year, 0 or not
    for year, row in zip(YEARS, rows[1:], strict=False):
        cells = [example[year, "Iraq"], example[year, "Syria"]]
        assert row[1:] == [str(n) for n in [*cells, sum(cells)]]
    iraq, syria = (sum(n for (_, c), n in example.items() if c == name) for name in ("Iraq", "Syria"))
    assert rows[-1][1:] == [str(iraq), str(syria), str(iraq + syria)]
    assert syria == 0 and iraq > 100  # a chosen column with no alert is kept, filled with 0


def test_crosstab_as_json(cli: Invoke, imported: Path, example) -> None:
    table = _json(cli("stats", *EXAMPLE, "--format", "json"))
    assert table["unit"] == "alerts" and RULE_WORDS in table["note"]
    assert table["rows"] == {
        "dimension": "year", "values": YEARS,
        "alerts": [example[y, "Iraq"] + example[y, "Syria"] for y in YEARS],
    }
    assert table["columns"]["dimension"] == "country"
    assert table["columns"]["values"] == ["Iraq", "Syria"]
    assert table["cells"] == [[example[y, "Iraq"], example[y, "Syria"]] for y in YEARS]
    assert table["alerts"] == sum(example.values())
    assert _json(cli("stats", *EXAMPLE, "--json")) == table  # --json is --format json


def test_crosstab_as_text_is_an_aligned_table(cli: Invoke, imported: Path, example) -> None:
    lines = _ok(cli("stats", *EXAMPLE)).splitlines()
    assert lines[0] == f"{sum(example.values())} alerts by year and country"
    assert lines[1] == "matching country Iraq or Syria; years 2003-2008; violation Killed"
    header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["year"])
    assert lines[header].split() == ["year", "Iraq", "Syria", "Total"]
    for year in YEARS:
        cells = [example[year, "Iraq"], example[year, "Syria"]]
        assert _row(lines, str(year)) == [*cells, sum(cells)]
    # right-aligned: every number of a column ends where its heading ends
    table = lines[header:header + len(YEARS) + 2]
    assert len({len(line) for line in table}) == 1
    assert "alerts" in lines[-1] and RULE_WORDS in lines[-1]


def test_any_two_dimensions_make_a_crosstab(cli: Invoke, imported: Path, sample_items) -> None:
    rows = _csv(cli("stats", "--by", "targets", "--by", "violation", "--country", "Uganda",
                    "--format", "csv"))
    uganda = [i for i in sample_items if _country(i) == "Uganda"]
    targets = Counter(t for i in uganda for t in i["_ifex"]["targets"])
    def violations_of(i: dict) -> list[str]:  # alerts with none are a column of their own
        return i["_ifex"].get("violations") or ["No violation"]

    violations = Counter(v for i in uganda for v in violations_of(i))
    assert violations["No violation"]
    assert rows[0][0] == "target" and set(rows[0][1:-1]) == set(violations)
    assert {r[0]: int(r[-1]) for r in rows[1:-1]} == targets  # a row's total is its alerts
    for row in rows[1:-1]:
        for violation, cell in zip(rows[0][1:-1], row[1:-1], strict=True):
            assert int(cell) == sum(
                1 for i in uganda if row[0] in i["_ifex"]["targets"] and violation in violations_of(i)
            )
    assert rows[-1] == ["total alerts", *(str(violations[v]) for v in rows[0][1:-1]), str(len(uganda))]


def test_an_alert_with_two_countries_counts_under_both_and_once_in_totals(
    cli: Invoke, write_feed
) -> None:
    feed = write_feed([
        item("both", date_published="2004-03-01", _ifex={"country": ["Iraq", "Syria"]}),
        item("iq", date_published="2004-07-01", _ifex={"country": "Iraq"}),
        item("sy", date_published="2006-01-01", _ifex={"country": "Syria"}),
        item("undated", date_published=None, _ifex={"country": "Iraq"}),
    ])
    assert cli("import", feed).exit_code == 0
    table = _json(cli("stats", "--by", "year", "--by", "country", "--json"))
    assert table["rows"]["values"] == [2004, 2005, 2006, None]  # 2005 has none; undated apart
    assert table["columns"]["values"] == ["Iraq", "Syria"]
    assert table["cells"] == [[2, 1], [0, 0], [0, 1], [1, 0]]
    assert table["rows"]["alerts"] == [2, 0, 1, 1]  # 2004 holds two alerts, not three
    assert table["columns"]["alerts"] == [3, 2]
    assert table["alerts"] == 4  # 3 + 2 columns, but four alerts
    lines = _ok(cli("stats", "--by", "year", "--by", "country")).splitlines()
    assert _row(lines, "2004") == [2, 1, 2]
    assert _row(lines, "2005") == [0, 0, 0]
    assert _row(lines, "Undated") == [1, 0, 1]
    assert _row(lines, "Total") == [3, 2, 4]
    assert RULE_WORDS in lines[-1]
    rows = _csv(cli("stats", "--by", "country", "--by", "year", "--format", "csv"))
    assert rows == [
        ["country", "2004", "2005", "2006", "Undated", "total alerts"],
        ["Iraq", "2", "0", "0", "1", "3"],
        ["Syria", "1", "0", "1", "0", "2"],
        ["total alerts", "2", "0", "1", "1", "4"],
    ]


def test_chosen_values_are_the_only_rows_or_columns(cli: Invoke, write_feed) -> None:
    feed = write_feed([
        item("iq-mx", date_published="2004-03-01", _ifex={"country": ["Iraq", "Mexico"]}),
        item("mx", date_published="2005-03-01", _ifex={"country": "Mexico"}),
    ])
    assert cli("import", feed).exit_code == 0
    table = _json(cli("stats", "--by", "year", "--by", "country", "--country", "IQ",
                      "--country", "SY", "--json"))
    assert table["columns"] == {"dimension": "country", "values": ["Iraq", "Syria"], "alerts": [1, 0]}
    assert table["rows"]["values"] == [2004] and table["cells"] == [[1, 0]]
    listed = _json(cli("stats", "--values", "country", "--json"))["values"]
    assert [(v["name"], v["alerts"]) for v in listed] == [("Mexico", 2), ("Iraq", 1)]


# --- alerts without a value: a row, column and line of their own ----------------------------------


def _violations(i: dict) -> list[str]:
    return (i.get("_ifex") or {}).get("violations") or []


def test_crosstab_rows_and_columns_add_up_with_alerts_without_a_value(
    cli: Invoke, imported: Path, sample_items
) -> None:
    # The samples write no region: an alert's region is its country's, so the alerts with no
    # region are those with no country (every country they write is one the importer knows).
    no_region = [i for i in sample_items if not _country(i)]
    no_violation = [i for i in sample_items if not _violations(i)]
    assert (len(no_region), len(no_violation)) == (148, 137)
    rows = _csv(cli("stats", "--by", "region", "--by", "violation", "--format", "csv"))
    header, body, totals = rows[0], rows[1:-1], rows[-1]
    assert "No violation" in header and "No region" in [r[0] for r in body]
    cells = {(r[0], column): int(n) for r in body for column, n in zip(header[1:], r[1:], strict=True)}
    assert cells["No region", "total alerts"] == len(no_region)
    assert int(totals[header.index("No violation")]) == len(no_violation)
    assert cells["No region", "No violation"] == sum(1 for i in no_region if not _violations(i))
    # one region and at most one violation per sample alert: every row and column adds up
    assert max(len(_violations(i)) for i in sample_items) == 1
    for row in body:
        assert sum(int(n) for n in row[1:-1]) == int(row[-1]), row[0]
    for index, column in enumerate(header[1:-1], 1):
        assert sum(int(row[index]) for row in body) == int(totals[index]), column
    assert sum(int(row[-1]) for row in body) == int(totals[-1]) == len(sample_items)
    table = _json(cli("stats", "--by", "violation", "--by", "region", "--json"))
    assert table["rows"]["values"][table["rows"]["values"].index("No violation")]
    assert sum(table["rows"]["alerts"]) == sum(table["columns"]["alerts"]) == table["alerts"]
    lines = _ok(cli("stats", "--by", "region", "--by", "violation")).splitlines()
    [line] = [line for line in lines if line.startswith("No region ")]
    assert _numbers(line.removeprefix("No "))[-1] == len(no_region)


def test_values_and_summary_list_the_alerts_without_a_value(
    cli: Invoke, imported: Path, sample_items
) -> None:
    no_violation = sum(1 for i in sample_items if not _violations(i))
    violations = Counter(v for i in sample_items for v in _violations(i))
    rows = _csv(cli("stats", "--values", "violation", "--format", "csv"))
    assert {name: int(n) for name, n in rows[1:]} == {**violations, "No violation": no_violation}
    assert sum(int(n) for _, n in rows[1:]) == len(sample_items)
    summary = _json(cli("stats", "--json"))
    assert {"name": "No violation", "alerts": no_violation} in summary["violations"]
    assert {"name": "No region", "alerts": sum(1 for i in sample_items if not _country(i))} in summary["regions"]
    for key in ("regions", "violations", "sources"):  # one value or none per sample alert
        assert sum(v["alerts"] for v in summary[key]) == len(sample_items), key
    assert not any(v["name"] == "No target" for v in summary["targets"])  # every alert has one
    csv_rows = _csv(cli("stats", "--format", "csv"))
    assert ["violation", "No violation", str(no_violation)] in csv_rows
    shown = _section(_ok(cli("stats", "--top", "0")).splitlines(), "Violations")
    assert f"No violation {no_violation:,}" in [" ".join(line.split()) for line in shown]


@pytest.mark.parametrize("written", ["No violation", "none", "NO VIOLATION"])
def test_alerts_without_a_value_feed_back_as_a_filter(
    cli: Invoke, imported: Path, sample_items, written: str
) -> None:
    without = {i["id"] for i in sample_items if not _violations(i)}
    result = cli("stats", "--violation", written, "--json")
    assert result.stderr == "" and _json(result)["alerts"] == len(without)
    exported = json.loads(_ok(cli("export", "--violation", written, "--format", "json")))
    assert {r["id"] for r in exported} == without and len(exported) == len(without)
    left = _json(cli("stats", "--not-violation", written, "--json"))
    assert left["alerts"] == len(sample_items) - len(without)
    no_region = sum(1 for i in sample_items if not _country(i))
    assert _json(cli("stats", "--region", "No region", "--json"))["alerts"] == no_region


def test_no_alert_without_a_value_is_noted(cli: Invoke, imported: Path) -> None:
    result = cli("stats", "--target", "none", "--json")
    assert _json(result)["alerts"] == 0
    assert result.stderr.startswith("ifex-tui: note: no alert in the archive has target 'No target'")


# --- long names --------------------------------------------------------------------------------

LONG = "Long Source " + "x" * 10_000


def test_a_long_name_is_cut_in_text_and_kept_whole_in_csv_and_json(cli: Invoke, write_feed) -> None:
    feed = write_feed([
        item("long", _ifex={"source": LONG, "violations": ["V" + "y" * 5_000]}),
        item("short", _ifex={"source": "RSF", "violations": ["Killed"]}),
    ])
    assert cli("import", feed).exit_code == 0
    shown = LONG[:59] + "…"
    for options in ([], ["--values", "source"], ["--by", "source", "--by", "violation"],
                    ["--by", "violation", "--by", "source"]):
        lines = _ok(cli("stats", *options)).splitlines()
        assert RULE_WORDS in lines[-1]
        assert max(len(line) for line in lines[:-1]) < 150, options  # not 10,000 columns
        assert any(line.startswith(shown) or f"  {shown}" in line for line in lines), options
    rows = _csv(cli("stats", "--values", "source", "--format", "csv"))
    assert sorted(rows[1:]) == [[LONG, "1"], ["RSF", "1"]]
    table = _json(cli("stats", "--by", "source", "--by", "violation", "--json"))
    assert LONG in table["rows"]["values"] and "V" + "y" * 5_000 in table["columns"]["values"]
    result = cli("stats", "--source", "Long Source", "--json")  # no alert has it: the closest
    assert _json(result)["alerts"] == 0
    assert result.stderr.splitlines() == [
        f"ifex-tui: note: no alert in the archive has source 'Long Source'; closest: {shown!r}"
    ]
    result = cli("stats", "--source", LONG + "z")
    assert _ok(result).splitlines()[1] == f"matching source {(LONG + 'z')[:59]}…"
    assert result.stderr.startswith(f"ifex-tui: note: no alert in the archive has source {shown!r}; ")
    assert len(result.stderr) < 200


# --- years complete -----------------------------------------------------------------------------


def test_years_run_first_to_last_with_gaps_as_zero_and_undated_apart(
    cli: Invoke, imported: Path, sample_items
) -> None:
    syria = Counter(_year(i) for i in sample_items if _country(i) == "Syria")
    dated = sorted(y for y in syria if y)
    expected = [(y, syria.get(y, 0)) for y in range(dated[0], dated[-1] + 1)] + [(None, syria[None])]
    assert any(n == 0 for _, n in expected[:-1]) and syria[None]  # the sample has a gap year
    stats = _json(cli("stats", "--country", "Syria", "--json"))
    assert [(y["year"], y["alerts"]) for y in stats["years"]] == expected
    lines = _ok(cli("stats", "--country", "Syria")).splitlines()
    start = lines.index(next(line for line in lines if line.strip() == "Years"))
    shown = [line.split() for line in lines[start + 1:start + 1 + len(expected)]]
    assert shown == [[str(y or "Undated"), str(n)] for y, n in expected]
    rows = _csv(cli("stats", "--values", "year", "--country", "Syria", "--format", "csv"))
    assert rows == [["year", "alerts"], *([str(y or "Undated"), str(n)] for y, n in expected)]


def test_chosen_years_are_all_listed_within_the_archive(cli: Invoke, imported, sample_items) -> None:
    first = min(y for i in sample_items if (y := _year(i)))
    years = Counter(_year(i) for i in sample_items)
    stats = _json(cli("stats", "--year", f"{first - 3}-{first + 1}", "--json"))
    assert [(y["year"], y["alerts"]) for y in stats["years"]] == [
        (first, years[first]), (first + 1, years[first + 1])
    ]
    stats = _json(cli("stats", "--year", str(first), "--year", str(first + 2), "--json"))
    assert [y["year"] for y in stats["years"]] == [first, first + 2]  # not the year between


@pytest.mark.parametrize("asked", ["2020-2030", "1000-9999"])
def test_years_no_alert_has_are_one_stderr_line(cli: Invoke, imported: Path, sample_items, asked) -> None:
    dated = {y for i in sample_items if (y := _year(i))}
    first, last = min(dated), max(dated)
    assert dated == set(range(first, last + 1)) and last < 2020  # no gap year in the samples
    lo, hi = map(int, asked.split("-"))
    missing = ", ".join(f"{a}-{b}" for a, b in ((lo, first - 1), (max(lo, last + 1), hi)) if a <= b)
    result = cli("stats", "--year", asked, "--json")
    assert _json(result)["alerts"] == sum(1 for i in sample_items if lo <= (_year(i) or 0) <= hi)
    assert result.stderr.splitlines() == [
        f"ifex-tui: note: no alert in the archive has years {missing}; its years run {first}-{last} and undated"
    ]


def test_many_runs_of_years_no_alert_has_are_one_line(cli: Invoke, write_feed) -> None:
    feed = write_feed([item(f"y{y}", date_published=f"{y}-06-01T00:00:00Z") for y in range(2000, 2020, 2)])
    assert cli("import", feed).exit_code == 0
    result = cli("stats", "--year", "1990-2030", "--json")
    assert _json(result)["alerts"] == 10
    assert result.stderr.splitlines() == [
        "ifex-tui: note: no alert in the archive has years 1990-1999, 2001, 2003, 2005, 2007 and "
        "17 more years; its years run 2000-2018"
    ]


# --- --top: never a silent cut ------------------------------------------------------------------


def _section(lines: list[str], title: str) -> list[str]:
    start = lines.index(next(line for line in lines if line.strip() == title))
    end = lines.index("", start)
    return [line.strip() for line in lines[start + 1:end]]


def test_stats_text_says_how_many_more_values_there_are(cli: Invoke, write_feed) -> None:
    violations = {f"Violation {n:02d}": n for n in range(1, 21)}  # 20 values, 1 to 20 alerts
    feed = write_feed([
        item(f"{name}-{k}", _ifex={"violations": [name]})
        for name, n in violations.items() for k in range(n)
    ])
    assert cli("import", feed).exit_code == 0
    shown = _section(_ok(cli("stats")).splitlines(), "Violations")
    assert len(shown) == 16
    assert [line.split() for line in shown[:2]] == [["Violation", "20", "20"], ["Violation", "19", "19"]]
    assert shown[-1] == "… and 5 more (--top 0 for all)"
    shown = _section(_ok(cli("stats", "--top", "0")).splitlines(), "Violations")
    assert {line.rsplit(None, 1)[0]: int(line.rsplit(None, 1)[1]) for line in shown} == violations
    shown = _section(_ok(cli("stats", "--top", "3")).splitlines(), "Violations")
    assert shown[-1] == "… and 17 more (--top 0 for all)" and len(shown) == 4


def test_years_are_never_cut(cli: Invoke, imported: Path, sample_items) -> None:
    years = {_year(i) for i in sample_items}
    assert len(years) > 15
    assert len(_section(_ok(cli("stats", "--top", "2")).splitlines(), "Years")) == len(years)


def test_crosstab_text_cuts_with_top_but_says_so_and_keeps_true_totals(
    cli: Invoke, imported: Path, sample_items
) -> None:
    chosen = [i for i in sample_items if _year(i) in (2010, 2011)]
    targets = Counter(t for i in chosen for t in i["_ifex"]["targets"])
    lines = _ok(cli("stats", "--by", "target", "--by", "year", "--year", "2010-2011",
                    "--top", "2")).splitlines()
    busiest = [name for name, _ in targets.most_common(2)]
    assert [line.split()[0] for line in lines[4:6]] == busiest
    assert f"… and {len(targets) - 2} more targets, counted in the totals (--top 0 for all)" in lines
    years = Counter(_year(i) for i in chosen)
    assert _row(lines, "Total") == [years[2010], years[2011], len(chosen)]  # the whole total


# --- values no alert has ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "hint"),
    [
        ("--region", "Middle East", "closest: 'Middle East & North Africa'"),
        ("--violation", "Kiled", "closest: 'Killed'"),
        ("--target", "journalists", "closest: 'Journalist'"),
        ("--target", "Media", "closest: 'Media worker', 'Media outlet'"),
        ("--source", "Reporters w/o Borders", "closest: 'RSF'"),
        ("--source", "Reporters sans frontiere", "closest: 'RSF'"),
        ("--target", "Poet laureate", "ifex-tui stats --values target lists the archive's targets"),
    ],
)
@pytest.mark.parametrize("command", ["stats", "export"])
def test_a_value_no_alert_has_is_one_stderr_line_with_the_closest(
    cli: Invoke, imported: Path, command: str, option: str, value: str, hint: str
) -> None:
    result = cli(command, option, value, "--format", "json")
    assert result.exit_code == 0
    dimension = option.removeprefix("--")
    assert result.stderr.splitlines() == [
        f"ifex-tui: note: no alert in the archive has {dimension} {value!r}; {hint}"
    ]
    parsed = json.loads(result.stdout)
    assert (parsed["alerts"] if command == "stats" else len(parsed)) == 0


def test_an_unknown_country_is_noted_and_counts_zero(cli: Invoke, imported: Path) -> None:
    result = cli("stats", "--by", "year", "--by", "country", "--country", "Narnia", "--format", "csv")
    [line] = result.stderr.splitlines()
    assert line.startswith("ifex-tui: note: no alert in the archive has country 'Narnia'; closest: ")
    assert list(csv.reader(io.StringIO(_ok(result)))) == [
        ["year", "Narnia", "total alerts"], ["total alerts", "0", "0"],
    ]


# --- --values: what a script can ask for ---------------------------------------------------------


def test_values_lists_every_value_with_its_alerts(cli: Invoke, imported: Path, sample_items) -> None:
    targets = Counter(t for i in sample_items for t in i["_ifex"]["targets"])
    rows = _csv(cli("stats", "--values", "target", "--format", "csv"))
    assert rows[0] == ["target", "alerts"]
    assert {name: int(n) for name, n in rows[1:]} == targets
    assert len(rows) == len(targets) + 1  # values only: no total row to trip a script
    listed = _json(cli("stats", "--values", "targets", "--json"))
    assert listed["dimension"] == "target" and listed["alerts"] == len(sample_items)
    assert {v["name"]: v["alerts"] for v in listed["values"]} == targets
    assert listed["unit"] == "alerts" and RULE_WORDS in listed["note"]
    lines = _ok(cli("stats", "--values", "target")).splitlines()
    assert lines[0] == f"{len(sample_items):,} alerts by target"
    body = lines[2:2 + len(targets)]
    assert [line.rsplit(None, 1)[0] for line in body] == [n for n, _ in rows[1:]]
    assert [n for n, _ in rows[1:]][:2] == [t for t, _ in targets.most_common(2)]  # busiest first
    assert lines[2 + len(targets)] == "" and RULE_WORDS in lines[-1]
    assert _ok(cli("stats", "--by", "target")) == "\n".join(lines) + "\n"  # one --by is --values


def test_values_feed_back_as_filters(cli: Invoke, imported: Path) -> None:
    rows = _csv(cli("stats", "--values", "country", "--format", "csv"))[1:6]
    for name, count in rows:
        result = cli("stats", "--country", name, "--json")
        assert result.stderr == "" and _json(result)["alerts"] == int(count), name


def test_summary_as_csv(cli: Invoke, imported: Path, sample_items) -> None:
    rows = _csv(cli("stats", "--format", "csv"))
    assert rows[:2] == [["dimension", "value", "alerts"], ["total", "", str(len(sample_items))]]
    assert {r[1]: int(r[2]) for r in rows if r[0] == "target"} == Counter(
        t for i in sample_items for t in i["_ifex"]["targets"])
    years = Counter(_year(i) for i in sample_items)
    assert [(r[1], int(r[2])) for r in rows if r[0] == "year"][-1] == ("Undated", years[None])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--by", "year", "--by", "year"], "two different dimensions"),
        (["--by", "year", "--by", "country", "--by", "source"], "two dimensions"),
        (["--by", "colour"], "'colour' is not a dimension"),
        (["--values", "year", "--by", "country"], "give one or the other"),
        (["--json", "--format", "csv"], "--json is --format json"),
        (["--format", "xml"], "--format must be one of text, csv, json"),
        (["--top", "-1"], "--top must be 0 or more (0 shows all), not -1"),
        (["--top", "many"], "--top must be a whole number of values (0 shows all), not 'many'"),
        (["--values", "year", "--values", "country"],
         "--values lists one dimension, not 2 (year, country); for a crosstab of two, --by year --by country"),
    ],
)
def test_stats_usage_errors_are_one_line(cli: Invoke, imported: Path, options, message) -> None:
    result = cli("stats", *options)
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("ifex-tui: error: ") and message in line


def test_one_more_value_is_singular(cli: Invoke, imported: Path) -> None:
    lines = _ok(cli("stats", "--by", "year", "--by", "country", "--country", "IQ", "--country", "SY",
                    "--top", "1")).splitlines()
    assert "… and 1 more country, counted in the totals (--top 0 for all)" in lines
    lines = _ok(cli("stats", "--values", "country", "--country", "IQ", "--country", "SY",
                    "--top", "1")).splitlines()
    assert "… and 1 more country (--top 0 for all)" in lines
    lines = _ok(cli("stats", "--values", "country", "--country", "IQ", "--country", "SY",
                    "--country", "MX", "--top", "1")).splitlines()
    assert "… and 2 more countries (--top 0 for all)" in lines


def test_values_typed_in_another_case_are_shown_as_the_archive_spells_them(
    cli: Invoke, imported: Path, sample_items
) -> None:
    def matches(i: dict) -> bool:
        ifex = i["_ifex"]
        return ("Killed" in (ifex.get("violations") or []) and "Media worker" not in ifex["targets"]
                and ifex.get("source") == "MFWA")

    lines = _ok(cli("stats", "--violation", "killed", "--source", "mfwa",
                    "--not-target", "MEDIA WORKER")).splitlines()
    expected = sum(1 for i in sample_items if matches(i))
    assert expected == 1 and lines[0].startswith("1 alert (")  # one alert, not "1 alerts"
    assert lines[1] == "matching violation Killed; source MFWA; not target Media worker"
    lines = _ok(cli("stats", "--violation", "Kiled", "--by", "year")).splitlines()
    assert lines[1] == "matching violation Kiled"  # no alert has it: as typed
