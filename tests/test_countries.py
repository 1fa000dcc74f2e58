"""Country names as feeds write them resolve to the codes, names and regions users see."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest

from ifex_tui.archive.countries import REGIONS, Country, from_tags, lookup, region_of, resolve

DATA = Path(__file__).parent.parent / "data"
ISRAEL_AND_OPT = "Israel and the Occupied Palestinian Territory"


def _feed_countries() -> list[str]:
    names: set[str] = set()
    for feed in ("cpj-sample.feed.json", "ifex-digest-sample.feed.json"):
        items = json.loads((DATA / feed).read_text(encoding="utf-8"))["items"]
        names.update(item["_ifex"]["country"] for item in items if item["_ifex"].get("country"))
    return sorted(names)


def _codes(written: str) -> list[str | None]:
    return [country.code for country in resolve(written)]


@pytest.mark.parametrize("written", _feed_countries())
def test_every_country_in_the_sample_feeds_is_recognised(written: str) -> None:
    countries = resolve(written)
    if written == ISRAEL_AND_OPT:
        assert [c.code for c in countries] == ["IL", "PS"]
    else:
        assert len(countries) == 1
    assert all(c.code and c.region in REGIONS for c in countries)


@pytest.mark.parametrize(
    ("written", "code", "name"),
    [
        ("USA", "US", "United States"),
        ("UK", "GB", "United Kingdom"),
        ("England", "GB", "United Kingdom"),
        ("Ivory Coast", "CI", "Côte d'Ivoire"),
        ("Cote d\u2019Ivoire", "CI", "Côte d'Ivoire"),
        ("Burma", "MM", "Myanmar"),
        ("DR Congo", "CD", "DR Congo"),
        ("Democratic Republic of Congo", "CD", "DR Congo"),
        ("Republic of Congo", "CG", "Republic of the Congo"),
        ("Congo", "CG", "Republic of the Congo"),
        ("Russia", "RU", "Russia"),
        ("Syria", "SY", "Syria"),
        ("Iran", "IR", "Iran"),
        ("Turkey", "TR", "Turkey"),
        ("Türkiye", "TR", "Turkey"),
        ("Bosnia", "BA", "Bosnia and Herzegovina"),
        ("Palestine", "PS", "Palestine"),
        ("Gaza", "PS", "Palestine"),
        ("The Gambia", "GM", "Gambia"),
        ("South Korea", "KR", "South Korea"),
        ("Korea, Republic of", "KR", "South Korea"),
        ("Vietnam", "VN", "Vietnam"),
        ("St. Lucia", "LC", "Saint Lucia"),
        ("Macao", "MO", "Macau"),
        ("mexico", "MX", "Mexico"),
        (" MX ", "MX", "Mexico"),
        ("mex", "MX", "Mexico"),
    ],
)
def test_variants_resolve_to_one_country(written: str, code: str, name: str) -> None:
    assert resolve(written) == [lookup(code)]
    assert resolve(written)[0].name == name


@pytest.mark.parametrize(
    ("written", "code"),
    [("Zaire", "CD"), ("East Timor", "TL"), ("Swaziland", "SZ"), ("Upper Volta", "BF")],
)
def test_renamed_states_count_under_todays_country(written: str, code: str) -> None:
    assert _codes(written) == [code]


def test_zaire_is_dr_congo_not_angola() -> None:
    assert resolve("Zaire") == [Country("CD", "DR Congo", "Africa")]


def test_kosovo_is_xk_not_serbia() -> None:
    assert resolve("Kosovo") == [Country("XK", "Kosovo", "Europe & Central Asia")]


@pytest.mark.parametrize(
    ("written", "code", "name"),
    [
        ("Yugoslavia", "YUCS", "Yugoslavia"),
        ("USSR", "SUHH", "USSR"),
        ("Soviet Union", "SUHH", "USSR"),
        ("Czechoslovakia", "CSHH", "Czechoslovakia"),
        ("German Democratic Republic", "DDDE", "East Germany"),
    ],
)
def test_dissolved_states_keep_their_historic_code(written: str, code: str, name: str) -> None:
    assert resolve(written) == [Country(code, name, "Europe & Central Asia")]


def test_unknown_name_is_kept_as_written() -> None:
    assert resolve("Atlantis") == [Country(None, "Atlantis", None)]
    assert resolve("  Atlantis ") == [Country(None, "Atlantis", None)]


def test_israel_and_the_occupied_palestinian_territory_names_both() -> None:
    assert resolve(ISRAEL_AND_OPT) == [lookup("IL"), lookup("PS")]


def test_from_tags_takes_the_first_tag_naming_a_country() -> None:
    assert from_tags(["Killed", "Journalist", "Television", "Mexico", "Peru"]) == [lookup("MX")]
    assert from_tags(["Detained", "USA"]) == [lookup("US")]
    assert from_tags(["MEX"]) == [lookup("MX")]


@pytest.mark.parametrize(
    "tags", [["TV", "IN"], ["Killed", "Journalist", "Television"], ["Can", "Pan"], []]
)
def test_from_tags_ignores_ordinary_words(tags: list[str]) -> None:
    assert from_tags(tags) == []


def test_every_pycountry_country_has_a_region() -> None:
    for country in pycountry.countries:
        assert region_of(country.alpha_2) in REGIONS, country.alpha_2


def test_region_of() -> None:
    assert region_of("IR") == "Middle East & North Africa"
    assert region_of("XK") == "Europe & Central Asia"
    assert region_of("YUCS") == "Europe & Central Asia"
    assert region_of(None) is None
    assert region_of("ZZ") is None


def test_lookup_gives_display_names() -> None:
    assert lookup("YUCS").name == "Yugoslavia"
    assert lookup("CD").name == "DR Congo"
    assert lookup("cd") == lookup("CD")
    assert lookup("ZZ") is None


def test_display_names_are_not_inverted() -> None:
    names = [lookup(country.alpha_2).name for country in pycountry.countries]
    assert [name for name in names if ", " in name] == [
        "Bonaire, Sint Eustatius and Saba",
        "Saint Helena, Ascension and Tristan da Cunha",
    ]


def test_every_display_name_resolves_back_to_its_country() -> None:
    codes = [country.alpha_2 for country in pycountry.countries] + ["XK", "YUCS", "SUHH"]
    for country in map(lookup, codes):
        assert resolve(country.name) == [country]


@pytest.mark.parametrize(
    ("written", "codes"),
    [("DPRK", ["KP"]), ("Bosnia & Herzegovina", ["BA"]), ("Trinidad & Tobago", ["TT"]),
     ("Israel and the Occupied Territories", ["IL", "PS"]), ("YU", ["YUCS"]), ("ZR", ["CD"]),
     ("CS", ["CSXX"]), ("SU", ["SUHH"])],
)
def test_more_variants_researchers_meet(written: str, codes: list[str]) -> None:
    assert [c.code for c in resolve(written)] == codes


def test_withdrawn_codes_are_not_read_from_tags() -> None:
    assert from_tags(["CS", "YU", "SU", "Killed"]) == []
