"""Turn the country names that feeds write into ISO codes, display names and IFEX regions.

Feeds name countries the way their authors speak ("USA", "Ivory Coast", "Burma", "Zaire"), so
filtering by country or region needs one code per country, whatever the spelling.  Matching is
exact against pycountry's names plus an alias table; pycountry's fuzzy search is never used
because it guesses wrong (Zaire becomes Angola, Kosovo becomes Serbia), and a wrong country is
worse than an unrecognised one.  The lookup tables are built on first use, not at import, so
the command line starts without paying for pycountry's data files.

Researchers merge alerts with datasets that write names their own way: "Korea, Rep." (World
Bank), "Iran (Islamic Republic of)" (UN), "Russia (Soviet Union)" (UCDP), "Korea, South" (CIA).
A name that is not matched exactly is therefore rewritten by a few rules, and each rewriting
must again match exactly (:func:`_by_rules`): abbreviations spelled out, an inverted
"X, Qualifier" or "X (Qualifier)" put back in reading order, and a qualifier dropped only when
it agrees with the rest (another name of the same country, the state that country continues,
or the state a territory belongs to) or is nothing but a form of state ("Republic of") next to
a name no other country's name contains.  No rule ever picks the nearest spelling.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
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
    "YDYE": ("South Yemen", "Middle East & North Africa",
             "People's Democratic Republic of Yemen|Yemen People's Republic|"
             "People's Republic of Yemen"),
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
    "MK": "Macedonia|Former Yugoslav Republic of Macedonia",
    "SZ": "Swaziland",
    "TL": "East Timor",
    "VA": "Vatican|Holy See",
    "AE": "UAE",
    "NL": "Holland",
    "KG": "Kirghizia",
    "FK": "Falklands|Malvinas|Islas Malvinas",
    "BJ": "Dahomey",
    "BF": "Upper Volta",
    "ZW": "Rhodesia|Southern Rhodesia",
    "LK": "Ceylon",
    "TH": "Siam",
    "KH": "Kampuchea",
    # Former names and spellings that conflict and event datasets still use (Gleditsch-Ward,
    # UCDP, Correlates of War).  ISO's DE and YE were West and North Germany's and Yemen's codes
    # before unification, so those states count under today's code.
    "IR": "Persia",
    "MG": "Malagasy Republic|Malagasy",
    "BY": "Byelorussia|Belorussia|Byelorussian SSR",
    "RO": "Rumania",
    "SR": "Surinam",
    "DE": "West Germany|German Federal Republic",
    "YE": "North Yemen|Yemen Arab Republic",
    # Other names official lists use: the UN's former name for North Macedonia and its name for
    # Kosovo, Venezuela's own name, and the UN/FAO long forms of a few territories.
    "XK": "Kosovo (under UNSC res. 1244)",
    "VE": "República Bolivariana de Venezuela",
    "IE": "Republic of Ireland",
    "BQ": "Caribbean Netherlands|Bonaire, Saint Eustatius and Saba",
    "SH": "Saint Helena",
    "VI": "United States Virgin Islands",
    "WF": "Wallis and Futuna Islands",
    "SJ": "Svalbard and Jan Mayen Islands",
    "FO": "Faeroe Islands",
}

# Territories that ISO 3166-2 also lists as subdivisions of a state.  Datasets qualify them with
# that state ("Hong Kong SAR, China", "Aruba, Kingdom of the Netherlands"), which names the
# territory, not the state.
_TERRITORIES_OF: dict[str, str] = {
    "CN": "HK MO TW", "FR": "BL GF GP MF MQ NC PF PM RE TF WF YT", "NL": "AW BQ CW SX",
    "US": "AS GU MP PR UM VI", "NO": "SJ", "FI": "AX",
}  # fmt: skip

# Dissolved states and the country that continues them as the same state in the Gleditsch-Ward
# list, which UCDP writes as "today's name (former name)": "Russia (Soviet Union)".
_CONTINUED_BY = {"SUHH": "RU", "YUCS": "RS", "CSXX": "RS", "VDVN": "VN"}

# Abbreviations datasets write, spelled out; a word with several meanings is tried with each in
# turn ("Fed. Sts." is Federated States, "Fed. Rep." Federal Republic).
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "st": ("saint",), "is": ("islands", "island"), "isl": ("islands", "island"),
    "isls": ("islands",), "dem": ("democratic",), "democ": ("democratic",),
    "rep": ("republic",), "fed": ("federated", "federal", "federation"), "sts": ("states",),
    "pdr": ("people's democratic republic",), "rb": ("bolivarian republic",),
    "fyr": ("former yugoslav republic of",), "tfyr": ("former yugoslav republic of",),
    "sar": ("special administrative region",),
}  # fmt: skip
_ABBREVIATION = re.compile(r"\b(?:" + "|".join(_ABBREVIATIONS) + r")\b")
_MOST_SPELLINGS = 12
# Longer than any country's name in any dataset (the longest, IMF's "Hong Kong Special
# Administrative Region, People's Republic of China", has 67 characters): not taken apart.
_LONGEST_NAME = 120

# Words that say only what form of state a country is, or that it is one (Our World in Data's
# "Micronesia (country)").  A qualifier made of nothing else may be dropped ("Kosovo, Republic
# of"); "democratic", "people's" and the compass points are not among them, because they are
# what tells the two Congos, Koreas, Yemens and Sudans apart.
_FORM_OF_STATE = frozenset({
    "the", "of", "republic", "islamic", "plurinational", "bolivarian", "federal", "kingdom",
    "principality", "commonwealth", "bailiwick", "country",
})  # fmt: skip
# Compass points, which Polity writes after the name ("Korea North") and Freedom House after a
# comma, abbreviated ("Vietnam, N.").
_COMPASS = ("north", "south", "east", "west")
_COMPASS_LETTERS = {point[0]: point for point in _COMPASS}
_QUALIFIED = re.compile(r"(.+?)\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]")
_SPECIAL_REGION = re.compile(r"(.+?)\s+(?:sar|special administrative region)")
_FORM_PREFIX = re.compile(r"((?:\S+\s+)*?of)\s+(.+)")

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


def _fold(text: str) -> str:
    """A written name in lower case without accents, dots or doubled spaces, commas kept.

    A space after an apostrophe goes too: FIPS writes "CÔTE D' IVOIRE" (with a curly quote).
    """
    text = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION)).casefold()
    text = " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())
    return text.replace("' ", "'")


def _key(text: str) -> str:
    """Normalise a written name so spelling variants that mean the same country compare equal.

    Commas are dropped too, so "Saint Helena, Ascension, and Tristan da Cunha" (CIA) is ISO's
    "Saint Helena, Ascension and Tristan da Cunha".
    """
    text = " ".join(_fold(text).replace(",", " ").split()).removeprefix("the ")
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


def _spellings(folded: str) -> Iterator[str]:
    """The name as written, then with its abbreviations spelled out ("Lao PDR", "Dem. Rep.").

    Only the first few combinations of meanings are tried: real names need three at most
    ("Fed. Sts."), and a feed must not make one name cost thousands of lookups.
    """
    yield folded
    parts = _ABBREVIATION.split(folded)
    if len(parts) > 1:
        meanings = [_ABBREVIATIONS[word] for word in _ABBREVIATION.findall(folded)]
        for chosen in itertools.islice(itertools.product(*meanings), _MOST_SPELLINGS):
            yield "".join(
                itertools.chain.from_iterable(itertools.zip_longest(parts, chosen, fillvalue=""))
            )


def _spelled(folded: str) -> tuple[str, ...] | None:
    """Codes the name gives exactly, as written or with its abbreviations spelled out."""
    names = _index().names
    return next(filter(None, (names.get(_key(text)) for text in _spellings(folded))), None)


def _one(folded: str, depth: int) -> str | None:
    """The single code a part of a name gives (a name, by the rules, or a code), else None."""
    codes = _by_rules(folded, depth) or (
        (code,) if (code := _index().codes.get(_key(folded))) else None
    )
    return codes[0] if codes and len(codes) == 1 else None


@cache
def _named_elsewhere(key: str, code: str) -> bool:
    """Whether ``key`` is part of a name of another country, as "Guinea" is of "Equatorial Guinea".

    Such a name cannot lose a qualifier safely: "Congo (Democratic Republic)" is not "Congo",
    and "China (Republic of)" is Taiwan.
    """
    padded = f" {key} "
    return any(padded in f" {name} " for name, codes in _index().names.items() if codes != (code,))


def _qualified(
    base: str, qualifier: str, depth: int, reorder: tuple[str, ...]
) -> tuple[str, ...] | None:
    """Codes for a name made of a base and a qualifier ("Korea" and "Rep."), if they agree.

    The qualifier is first put back where English writes it (``reorder`` templates such as
    "{q} of {b}": "Republic of Korea"); if no such reading is a name, base and qualifier are
    matched apart and kept only when the qualifier names the same country, the dissolved state
    that country continues, or the state a territory belongs to, or is only a form of state next
    to a base no other country's name contains.  A qualifier naming another country, or a word
    that may tell countries apart, leaves the whole unmatched.  The state comes after its
    territory ("Taiwan, China"); written first it must be named again in the territory's name
    ("China, Taiwan Province of China"), so that a list such as "China, Taiwan" is not read as
    one of its countries.
    """
    if not base or not qualifier:
        return None
    for template in reorder:
        if codes := _spelled(template.format(b=base, q=qualifier)):
            return codes
    mine, theirs = _one(base, depth), _one(qualifier, depth)
    if mine is None:
        return None
    if theirs is not None:
        if theirs == mine or _CONTINUED_BY.get(theirs) == mine:
            return (mine,)
        if mine in _TERRITORIES_OF.get(theirs, "").split():
            return (mine,)
        if (
            theirs in _TERRITORIES_OF.get(mine, "").split()
            and f" {_key(base)} " in f" {_key(qualifier)} "
        ):
            return (theirs,)
        return None
    if set(qualifier.split()) <= _FORM_OF_STATE and not _named_elsewhere(_key(base), mine):
        return (mine,)
    return None


def _by_rules(folded: str, depth: int = 0) -> tuple[str, ...] | None:
    """Codes for a folded name that no table holds as written, or None.

    Each rule rewrites the name into something that must match exactly; none guesses:

    - abbreviations spelled out: "Lao PDR", "Micronesia, Fed. Sts.", "St. Kitts and Nevis";
    - "X (Q)" or "X [Q]": "Iran (Islamic Republic of)", "Virgin Islands (U.S.)", "Cambodia
      (Kampuchea)", "Russia (Soviet Union)";
    - "X, Q": "Gambia, The", "Korea, Rep.", "Korea, South", "Germany, E.", "Taiwan, China";
    - "X/Y" and "X and Y" naming one country twice: "Burma/Myanmar", "West Bank and Gaza";
    - a compass point after the name: "Korea North";
    - "X SAR" for Hong Kong and Macao, and a form of state before the name: "Bailiwick of Jersey".
    """
    if codes := _spelled(folded):
        return codes
    if depth > 3 or len(folded) > _LONGEST_NAME:
        return None
    depth += 1
    if match := _QUALIFIED.fullmatch(folded):
        return _qualified(match[1], match[2], depth, ("{q} {b}", "{q} of {b}", "{b} {q}"))
    if "," in folded:
        base, qualifier = (part.strip() for part in folded.split(",", 1))
        qualifier = _COMPASS_LETTERS.get(qualifier, qualifier)
        return _qualified(base, qualifier, depth, ("{q} {b}", "{q} of {b}"))
    for joint in ("/", " and "):
        if joint in folded:
            found = {_one(part.strip(), depth) for part in folded.split(joint)}
            return (found.pop(),) if len(found) == 1 and None not in found else None
    words = folded.split()
    if len(words) > 1 and words[-1] in _COMPASS:
        return _spelled(" ".join([words[-1], *words[:-1]]))
    if match := _SPECIAL_REGION.fullmatch(folded):
        code = _one(match[1], depth)
        return (code,) if code and code in _TERRITORIES_OF["CN"].split() else None
    if match := _FORM_PREFIX.fullmatch(folded):
        return _qualified(match[2], match[1], depth, ())
    return None


@lru_cache(maxsize=4096)
def _codes_for(written: str) -> tuple[str, ...] | None:
    """Codes a written country names: exactly, as a code, or by the rules; None if nothing.

    Cached because an import asks the same few names over and over, unmatched ones included.
    """
    key, index = _key(written), _index()
    if codes := index.names.get(key):
        return codes
    if code := index.codes.get(key):
        return (code,)
    return _by_rules(_fold(written))


def _named(codes: Iterable[str]) -> list[Country]:
    """The shared Country objects for stored codes, so equal countries are one object."""
    table = _countries()
    return [table[code] for code in codes]


def resolve(written: str) -> list[Country]:
    """Country or countries named by a feed's ``_ifex.country`` string.

    Accepts a name, a variant or an ISO alpha-2/alpha-3 code in any case, so every feed's
    spelling lands on the same stored code, and names as indicator and event datasets write
    them ("Korea, Rep.", "Iran (Islamic Republic of)", "Russia (Soviet Union)"), so alerts
    merge with those datasets (see :func:`_by_rules`).

    Args:
        written: The country as the feed wrote it.

    Returns:
        Usually one Country.  A few names cover several countries (CPJ's "Israel and the
        Occupied Palestinian Territory" gives Israel and Palestine).  An unrecognised name
        gives ``[Country(None, name, None)]`` so the alert keeps its place; a blank one gives [].
    """
    if not written.strip():
        return []
    if codes := _codes_for(written.strip()):
        return _named(codes)
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


def prepare() -> None:
    """Build the lookup tables now (the app's start-up worker does, so that the first find or
    palette search does not read pycountry's files on the UI thread)."""
    _index()


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
    exact = list(_codes_for(typed.strip()) or ())
    starting = [
        code
        for name in sorted(n for n in index.names if n.startswith(key))
        for code in index.names[name]
    ]
    return exact, list(dict.fromkeys(starting))
