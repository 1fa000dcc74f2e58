"""Turn the country names that feeds write into ISO codes, display names and IFEX regions.

Feeds name countries the way their authors speak ("USA", "Ivory Coast", "Burma", "Zaire"), so
filtering by country or region needs one code per country, whatever the spelling.  Matching is
exact against pycountry's names plus an alias table; pycountry's fuzzy search is never used
because it guesses wrong (Zaire becomes Angola, Kosovo becomes Serbia), and a wrong country is
worse than an unrecognised one.  The lookup tables are built on first use, not at import, so
the command line starts without paying for pycountry's data files.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

REGIONS: tuple[str, ...] = (
    "Africa",
    "Americas",
    "Asia & Pacific",
    "Europe & Central Asia",
    "Middle East & North Africa",
)

# IFEX's five regions.  Remote territories sit with their nearest neighbours: the Indian Ocean
# and sub-Antarctic ones near Africa with Africa, South Georgia with the Falklands, the rest of
# the Antarctic and the US Pacific islands with Asia & Pacific.
_REGION_CODES: dict[str, str] = {
    "Africa": (
        "AO BF BI BJ BV BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW IO KE KM LR LS MG ML MU MW "
        "MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TZ UG YT ZA ZM ZW"
    ),
    "Americas": (
        "AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GS GT GY HN "
        "HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI"
    ),
    "Asia & Pacific": (
        "AF AQ AS AU BD BN BT CC CK CN CX FJ FM GU HK HM ID IN JP KH KI KP KR LA LK MH MM MN MO MP "
        "MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TH TK TL TO TV TW UM VN VU WF WS"
    ),
    "Europe & Central Asia": (
        "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IM IS "
        "IT JE KG KZ LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TJ TM TR UA UZ "
        "VA XK"
    ),
    "Middle East & North Africa": (
        "AE BH DZ EG EH IL IQ IR JO KW LB LY MA MR OM PS QA SA SY TN YE"
    ),
}

# Display names where pycountry's name (or common_name) is not what a researcher would say.
_SHORT_NAMES: dict[str, str] = {
    "BN": "Brunei", "CD": "DR Congo", "CG": "Republic of the Congo", "CV": "Cape Verde",
    "FK": "Falkland Islands", "FM": "Micronesia", "MF": "Saint Martin", "MO": "Macau",
    "PN": "Pitcairn Islands", "PS": "Palestine", "RU": "Russia", "SX": "Sint Maarten",
    "TR": "Turkey", "VA": "Vatican City", "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
}  # fmt: skip

# States that no longer exist and have no single successor, keyed by ISO 3166-3 code:
# (display name, region, other names).  Renamed states are aliases of today's country instead.
_DISSOLVED: dict[str, tuple[str, str, str]] = {
    "YUCS": ("Yugoslavia", "Europe & Central Asia",
             "Federal Republic of Yugoslavia|Socialist Federal Republic of Yugoslavia"),
    "CSXX": ("Serbia and Montenegro", "Europe & Central Asia", ""),
    "SUHH": ("USSR", "Europe & Central Asia",
             "Soviet Union|Union of Soviet Socialist Republics"),
    "CSHH": ("Czechoslovakia", "Europe & Central Asia", ""),
    "DDDE": ("East Germany", "Europe & Central Asia", "German Democratic Republic|GDR"),
    "ANHH": ("Netherlands Antilles", "Americas", ""),
    "YDYE": ("South Yemen", "Middle East & North Africa", "People's Democratic Republic of Yemen"),
    "VDVN": ("North Vietnam", "Asia & Pacific", "Democratic Republic of Vietnam"),
}  # fmt: skip

# Names feeds use beyond pycountry's names and our display names, "|"-separated; a
# space-separated key names several countries at once.  "America" alone is left out as too vague.
_ALIASES: dict[str, str] = {
    "US": "US|USA",
    "GB": "UK|Great Britain|Britain|England|Scotland|Wales|Northern Ireland",
    "CI": "Ivory Coast",
    "MM": "Burma",
    "CD": "DRC|Democratic Republic of the Congo|Democratic Republic of Congo|"
    "Congo-Kinshasa|Congo (Kinshasa)|Zaire|Republic of Zaire",
    "CG": "Republic of Congo|Congo-Brazzaville|Congo (Brazzaville)",
    "BA": "Bosnia|Bosnia-Herzegovina",
    "PS": "Palestinian Territories|Palestinian Territory|Occupied Palestinian Territory|"
    "Occupied Palestinian Territories|West Bank|Gaza|Gaza Strip",
    "IL PS": "Israel and the Occupied Palestinian Territory|"
    "Israel and the Occupied Palestinian Territories|Israel and the Occupied Territories|"
    "Israel and Palestine",
    "KR": "Republic of Korea|ROK",
    "KP": "DPRK|Democratic People's Republic of Korea",
    "MK": "Macedonia",
    "SZ": "Swaziland",
    "TL": "East Timor",
    "VA": "Vatican|Holy See",
    "AE": "UAE",
    "NL": "Holland",
    "KG": "Kirghizia",
    "FK": "Falklands|Malvinas",
    "BJ": "Dahomey",
    "BF": "Upper Volta",
    "ZW": "Rhodesia|Southern Rhodesia",
    "LK": "Ceylon",
    "TH": "Siam",
    "KH": "Kampuchea",
}

# Two-letter codes ISO withdrew, which older feeds still write (codes only, never tags).
_WITHDRAWN_CODES = {"yu": "YUCS", "cs": "CSXX", "su": "SUHH", "dd": "DDDE", "zr": "CD",
                    "bu": "MM", "tp": "TL", "an": "ANHH"}  # fmt: skip

# Curly quotes are folded to straight ones, dots dropped ("St." and "U.S."), dashes to spaces.
_PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", ".": None,
                              "-": " ", "\u2010": " ", "\u2013": " ", "&": " and "})  # fmt: skip


@dataclass(frozen=True)
class Country:
    """One country as the archive stores and shows it.

    Attributes:
        code: ISO 3166-1 alpha-2 code, the ISO 3166-3 four-letter code of a dissolved state,
            or None when the name was not recognised.
        name: Short English display name, or the name as written when unrecognised.
        region: One of :data:`REGIONS`, or None when unrecognised.
    """

    code: str | None
    name: str
    region: str | None


class _Index(NamedTuple):
    names: dict[str, tuple[str, ...]]  # normalised name or alias -> codes
    codes: dict[str, str]  # normalised alpha-2, alpha-3 or alpha-4 code -> stored code


def _key(text: str) -> str:
    """Normalise a written name so spelling variants that mean the same country compare equal."""
    text = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION)).casefold()
    text = " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())
    text = text.removeprefix("the ")
    return "saint " + text[3:] if text.startswith("st ") else text


@cache
def _countries() -> dict[str, Country]:
    """Every country a stored code can name, built once because loading pycountry is slow."""
    import pycountry  # deferred: it costs tens of milliseconds at start-up

    region = {code: name for name, codes in _REGION_CODES.items() for code in codes.split()}
    table = {
        c.alpha_2: Country(
            c.alpha_2,
            _SHORT_NAMES.get(c.alpha_2) or getattr(c, "common_name", None) or c.name,
            region[c.alpha_2],
        )
        for c in pycountry.countries
    }
    # Kosovo's XK is user-assigned, so pycountry lacks it, but it is in wide use.
    table["XK"] = Country("XK", "Kosovo", region["XK"])
    table.update((code, Country(code, name, reg)) for code, (name, reg, _) in _DISSOLVED.items())
    return table


@cache
def _index() -> _Index:
    """Exact lookup tables from display names, pycountry's names and codes, then the aliases."""
    import pycountry

    # Display names are indexed too, so every name the archive shows resolves back to itself.
    names = {_key(country.name): (code,) for code, country in _countries().items()}
    codes: dict[str, str] = {"xk": "XK", "xkx": "XK", **_WITHDRAWN_CODES}
    for c in pycountry.countries:
        codes[c.alpha_2.lower()] = codes[c.alpha_3.lower()] = c.alpha_2
        for attr in ("name", "official_name", "common_name"):
            if written := getattr(c, attr, None):
                names[_key(written)] = (c.alpha_2,)
    for code, (_, _, aliases) in _DISSOLVED.items():
        historic = pycountry.historic_countries.get(alpha_4=code)
        codes[code.lower()] = codes[historic.alpha_3.lower()] = code
        for written in (historic.name, *filter(None, aliases.split("|"))):
            names[_key(written)] = (code,)
    for targets, aliases in _ALIASES.items():
        for written in aliases.split("|"):
            names[_key(written)] = tuple(targets.split())
    return _Index(names, codes)


def _named(codes: Iterable[str]) -> list[Country]:
    """The shared Country objects for stored codes, so equal countries are one object."""
    table = _countries()
    return [table[code] for code in codes]


def resolve(written: str) -> list[Country]:
    """Country or countries named by a feed's ``_ifex.country`` string.

    Accepts a name, a variant or an ISO alpha-2/alpha-3 code in any case, so every feed's
    spelling lands on the same stored code.

    Args:
        written: The country as the feed wrote it.

    Returns:
        Usually one Country.  A few names cover several countries (CPJ's "Israel and the
        Occupied Palestinian Territory" gives Israel and Palestine).  An unrecognised name
        gives ``[Country(None, name, None)]`` so the alert keeps its place; a blank one gives [].
    """
    if not written.strip():
        return []
    key, index = _key(written), _index()
    if codes := index.names.get(key):
        return _named(codes)
    if code := index.codes.get(key):
        return _named([code])
    return [Country(None, written.strip(), None)]


def from_tags(tags: Iterable[str]) -> list[Country]:
    """Countries named by the first tag that names one, for items with no country field.

    Bare alpha-2 codes are ignored because tags such as "TV", "IN" and "AT" are ordinary words;
    longer codes count only when written in capitals, so "Can" or "Pan" stay words while "MEX"
    means Mexico.

    Args:
        tags: The item's tags, in feed order.

    Returns:
        The countries the first matching tag names, or [] when no tag names a country.
    """
    index = _index()
    for tag in tags:
        key = _key(tag)
        if codes := index.names.get(key):
            return _named(codes)
        if len(key) > 2 and tag.strip().isupper() and (code := index.codes.get(key)):
            return _named([code])
    return []


def lookup(code: str) -> Country | None:
    """The Country for a stored code (alpha-2 or four-letter historic), or None if unknown.

    Lets views turn the codes kept in the archive back into display names and regions.
    """
    return _countries().get(code.strip().upper())


def region_of(code: str | None) -> str | None:
    """The IFEX region of a stored code, or None when the code is missing or unknown."""
    country = lookup(code) if code else None
    return country.region if country else None


def named_by(typed: str) -> tuple[list[str], list[str]]:
    """Stored codes a person may mean by ``typed``, for finding a country in a list.

    Uses the very tables :func:`resolve` uses, so ``usa``, ``ivory``, ``burma`` or ``mx`` find
    the country an import would have stored for them.

    Returns:
        ``(exact, starting)``: the codes ``typed`` names outright (a name, alias or code), and
        the codes of every name or alias that begins with it, in alphabetical order of name.
    """
    key, index = _key(typed), _index()
    if not key:
        return [], []
    exact = list(index.names.get(key) or ([index.codes[key]] if key in index.codes else []))
    starting = [
        code
        for name in sorted(n for n in index.names if n.startswith(key))
        for code in index.names[name]
    ]
    return exact, list(dict.fromkeys(starting))
