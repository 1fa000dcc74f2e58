"""Country names as other datasets write them resolve to their ISO code; lookalikes do not.

Researchers merge alert feeds with indicator and event datasets, so ``data/country_names_
other_datasets.csv`` lists names exactly as those datasets write them, each with its code and
the datasets that write it so.  The forms were taken from the datasets' own files: the World
Bank API and its CLASS.xlsx economy list, the UN, UNHCR, FAO, IMF, ISO, Correlates of War,
Gleditsch-Ward, Polity, V-Dem, FIPS and GENC lists in the ``countrycode`` R package's
dictionary folder (downloaded from each source), Our World in Data's harmonisation files for
IMF WEO, UN WPP, Freedom House, Polity and Gapminder, the ACLED country list in the ``Ecdat``
R package, and the names UCDP, the CIA World Factbook, JHU CSSE and the ITU write as other
projects quote them.  Expected codes come from that file, never from the code under test.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pycountry
import pytest
from conftest import FeedWriter, Invoke, export_json, import_json, item, stats_json

from ifex_tui.archive.countries import Country, named_by, resolve

NAMES_FILE = Path(__file__).parent / "data" / "country_names_other_datasets.csv"


def _rows() -> list[dict[str, str]]:
    with NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()
CODE = {row["name"]: row["code"] for row in ROWS}


def _codes(written: str) -> list[str | None]:
    return [country.code for country in resolve(written)]


def test_the_list_is_large_names_each_once_and_codes_real() -> None:
    assert len(ROWS) >= 60
    assert len(CODE) == len(ROWS), "a name is listed twice"
    stored = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    stored |= {c.alpha_4 for c in pycountry.historic_countries}
    assert {row["code"] for row in ROWS} <= stored
    assert all(row["dataset"].strip() for row in ROWS)


@pytest.mark.parametrize(("name", "code"), [(r["name"], r["code"]) for r in ROWS], ids=list(CODE))
def test_each_dataset_name_resolves_to_its_code(name: str, code: str) -> None:
    assert _codes(name) == [code]


@pytest.mark.parametrize(("name", "code"), [(r["name"], r["code"]) for r in ROWS], ids=list(CODE))
def test_case_and_surrounding_space_do_not_matter(name: str, code: str) -> None:
    assert _codes(f"  {name.upper()} ") == [code]
    assert _codes(name.lower()) == [code]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Congo, Rep.", "Congo, Dem. Rep."),
        ("Congo (Brazzaville)", "Congo (Kinshasa)"),
        ("Korea, Rep.", "Korea, Dem. People's Rep."),
        ("Korea, South", "Korea, North"),
        ("Sudan", "South Sudan"),
        ("Guinea", "Equatorial Guinea"),
        ("Niger", "Nigeria"),
        ("Dominica", "Dominican Rep."),
        ("Virgin Islands (U.S.)", "Virgin Islands (British)"),
        ("Yemen, N.", "Yemen, S."),
        ("Germany, W.", "Germany, E."),
        ("Vietnam (North Vietnam)", "Vietnam, N."),
    ],
)
def test_lookalikes_are_told_apart(one: str, other: str) -> None:
    assert CODE[one] != CODE[other]
    assert (_codes(one), _codes(other)) == ([CODE[one]], [CODE[other]])


# Names that must stay unmatched (kept as written and reported): each could only be matched by
# guessing, or would match a wrong country.  A wrong country is worse than an unrecognised one.
UNMATCHED = {
    "Korea": "COW, Gleditsch-Ward, Polity: Korea before 1910; older IMF WEO: South Korea",
    "Virgin Islands": "CIA World Factbook: the US islands, but the British ones share the name",
    "Channel Islands": "World Bank: Jersey and Guernsey together, two ISO codes",
    "Republic of Vietnam": "COW, Gleditsch-Ward, V-Dem: South Vietnam, not today's Vietnam",
    "Vietnam, S.": "Freedom House: South Vietnam",
    "Vietnam South": "Polity: South Vietnam",
    "Northern Cyprus": "Freedom House: not the Republic of Cyprus",
    "Sudan-North": "Polity: no state is named 'North Sudan'; compass points are never dropped",
    "Sudan (North)": "a compass point tells the Sudans apart and is never dropped",
    "Cyprus (North)": "a compass point is never dropped: this is not the Republic of Cyprus",
    "Germany (Prussia)": "Gleditsch-Ward: Prussia; 'Germany' is also part of 'East Germany'",
    "Palestine/British Mandate": "V-Dem: Mandatory Palestine, not the State of Palestine",
    "Congo (Democratic)": "'Democratic' tells the Congos apart and is never dropped",
    "China (Republic of)": "the Republic of China is Taiwan; 'China' is part of other names",
    "Georgia (USA)": "the qualifier names another country",
    "Georgia (U.S. state)": "the qualifier is not a form of state and names the US",
    "China, Taiwan": "a list of two countries, not the World Bank's 'Taiwan, China'",
    "Russia, Ukraine": "a list of two countries",
    "Sudan, South Sudan": "a list of two countries",
    "Serbia and Kosovo": "two countries",
    "Virginia": "not the Virgin Islands: nothing is matched by likeness",
    "Niger Delta": "a region of Nigeria, not Niger",
    "New Guinea": "an island shared by Indonesia and Papua New Guinea",
}


@pytest.mark.parametrize("name", UNMATCHED)
def test_ambiguous_or_lookalike_names_stay_unmatched(name: str) -> None:
    assert resolve(name) == [Country(None, name, None)], UNMATCHED[name]


def test_the_find_box_finds_what_the_import_stores() -> None:
    for name in ("Korea, Rep.", "Iran (Islamic Republic of)", "Russia (Soviet Union)"):
        assert named_by(name)[0] == [CODE[name]]
    assert named_by("Korea")[0] == []


FEED_NAMES = [
    "Korea, Rep.",
    "Korea, South",
    "KOREA, NORTH",
    "Iran (Islamic Republic of)",
    "Russia (Soviet Union)",
    "Congo, Dem. Rep.",
    "Congo (Brazzaville)",
    "Hong Kong SAR, China",
    "Germany, E.",
]


def test_an_imported_feed_shows_the_dataset_names_under_their_countries(
    cli: Invoke, write_feed: FeedWriter
) -> None:
    items = [item(f"n{i}", _ifex={"country": name}) for i, name in enumerate(FEED_NAMES)]
    items.append(item("k", _ifex={"country": ["Korea", "Egypt, Arab Rep."]}))
    code, report = import_json(cli, write_feed(items))
    assert (code, report["new"], report["unrecognised_countries"]) == (0, len(items), ["Korea"])

    expected = Counter(CODE[name] for name in [*FEED_NAMES, "Egypt, Arab Rep."])
    expected["Korea"] = 1
    countries = stats_json(cli)["countries"]
    assert {c["code"] or c["name"]: c["alerts"] for c in countries} == dict(expected)

    korea_rep = stats_json(cli, "--country", "Korea, Rep.")["alerts"]
    assert korea_rep == expected[CODE["Korea, Rep."]] == 2
    records = {record["id"]: record for record in export_json(cli)}
    assert records["n0"]["countries"][0]["code"] == CODE["Korea, Rep."]
    assert records["n0"]["countries"][0]["written"] == "Korea, Rep."
    assert [c["code"] for c in records["k"]["countries"]] == [None, CODE["Egypt, Arab Rep."]]
