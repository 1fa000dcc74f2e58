"""Filters and counts over the real sample archive, checked against counts made independently.

The reference side never touches ifex_tui: it reads the sample JSON with the stdlib, with the
few facts it needs (which written names are which country, which are in Africa) spelled out
here by hand.  The published numbers of the samples' README are checked too.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Invoke, export_json, source_name, source_of, stats_json

from ifex_tui.archive import filters, queries

# Written names in the samples, by country, for the countries the tests filter on.
WRITTEN = {
    "MX": {"Mexico"},
    "PH": {"Philippines"},
    "IQ": {"Iraq"},
    "CD": {"Democratic Republic of Congo", "Democratic Republic of the Congo"},
    "CI": {"Côte d'Ivoire", "Ivory Coast"},
    "US": {"USA", "United States"},
    "YUCS": {"Yugoslavia"},
}
# IFEX's Africa (sub-Saharan; North Africa is with the Middle East), as written in the samples.
AFRICA = {
    "Angola", "Burkina Faso", "Burundi", "Cameroon", "Central African Republic", "Chad",
    "Côte d'Ivoire", "Democratic Republic of Congo", "Democratic Republic of the Congo",
    "Djibouti", "Equatorial Guinea", "Eritrea", "Ethiopia", "Gabon", "Gambia", "Guinea",
    "Ivory Coast", "Kenya", "Liberia", "Madagascar", "Malawi", "Mozambique", "Nigeria",
    "Republic of Congo", "Rwanda", "Senegal", "Sierra Leone", "Somalia", "South Africa",
    "South Sudan", "Sudan", "The Gambia", "Uganda", "Zimbabwe",
}  # fmt: skip

Item = dict
Pred = Callable[[Item], bool]


def _country(i: Item) -> str | None:
    return i["_ifex"].get("country")


def _year(i: Item) -> int | None:
    return int(i["date_published"][:4]) if i.get("date_published") else None


def _in(code: str) -> Pred:
    return lambda i: _country(i) in WRITTEN[code]


def _years(first: int, last: int) -> Pred:
    return lambda i: _year(i) is not None and first <= _year(i) <= last


def _violation(name: str) -> Pred:
    return lambda i: name.casefold() in {v.casefold() for v in i["_ifex"].get("violations", [])}


def _target(name: str) -> Pred:
    return lambda i: name in i["_ifex"].get("targets", [])


#: Sources as the archive shows them: "CPJ" and "Committee to Protect Journalists" count as one.
CPJ = "CPJ"
RSF = "RSF"
HRNJ = "HRNJ-Uganda"


def _source(name: str) -> Pred:
    return lambda i: source_of(i) == name


def _any(*preds: Pred) -> Pred:
    return lambda i: any(p(i) for p in preds)


def _all(*preds: Pred) -> Pred:
    return lambda i: all(p(i) for p in preds)


def _words(i: Item) -> list[str]:
    """The indexed text's words, lower-cased and without accents, in order."""
    text = " ".join([
        i.get("title", ""), i.get("summary", ""), i.get("content_text", ""),
        " ".join(i.get("tags", [])), i["_ifex"].get("source", ""),
    ])
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return re.findall(r"\w+", folded.casefold())


def _word(word: str) -> Pred:
    return lambda i: word in _words(i)


def _prefix(prefix: str) -> Pred:
    return lambda i: any(w.startswith(prefix) for w in _words(i))


def _phrase(*words: str) -> Pred:
    def pred(i: Item) -> bool:
        found = _words(i)
        return any(tuple(found[k:k + len(words)]) == words for k in range(len(found)))

    return pred


def _count(items: list[Item], pred: Pred) -> int:
    return sum(1 for i in items if pred(i))


@pytest.fixture
def archive_items(imported: Path, sample_items: list[Item]) -> list[Item]:
    """The sample archive in place, and its items as the reference reads them."""
    return sample_items


CASES: list[tuple[list[str], Pred]] = [
    ([], lambda i: True),
    (["--country", "MX"], _in("MX")),
    (["--country", "Mexico"], _in("MX")),
    (["--country", "mex"], _in("MX")),
    (["--country", "MX", "--country", "PH"], _any(_in("MX"), _in("PH"))),
    (["--country", "MX", "--country", "PH", "--year", "2009"],
     _all(_any(_in("MX"), _in("PH")), _years(2009, 2009))),
    (["--country", "Zaire"], _in("CD")),
    (["--country", "Ivory Coast", "--country", "USA"], _any(_in("CI"), _in("US"))),
    (["--country", "Yugoslavia"], _in("YUCS")),
    (["--country", "unknown"], lambda i: _country(i) is None),
    (["--country", "unknown", "--country", "Iraq"], _any(lambda i: _country(i) is None, _in("IQ"))),
    (["--year", "2009"], _years(2009, 2009)),
    (["--year", "2001-2005"], _years(2001, 2005)),
    (["--year", "1992-1993", "--year", "2011"], _any(_years(1992, 1993), _years(2011, 2011))),
    (["--year", "undated"], lambda i: _year(i) is None),
    (["--year", "undated", "--year", "2016"], _any(lambda i: _year(i) is None, _years(2016, 2016))),
    (["--violation", "killed"], _violation("Killed")),
    (["--violation", "KILLED", "--violation", "detained"],
     _any(_violation("Killed"), _violation("Detained"))),
    (["--violation", "Killed", "--year", "2011"], _all(_violation("Killed"), _years(2011, 2011))),
    (["--target", "Journalist"], _target("Journalist")),
    (["--target", "Blogger", "--target", "Writer"], _any(_target("Blogger"), _target("Writer"))),
    (["--source", CPJ], _source(CPJ)),
    (["--source", CPJ, "--source", RSF, "--year", "2011"],
     _all(_any(_source(CPJ), _source(RSF)), _years(2011, 2011))),
    (["--region", "Africa"], lambda i: _country(i) in AFRICA),
    (["--region", "Africa", "--violation", "Killed", "--year", "2000-2010"],
     _all(lambda i: _country(i) in AFRICA, _violation("Killed"), _years(2000, 2010))),
    (["--search", "radio"], _word("radio")),
    (["--search", "Mogadishu"], _word("mogadishu")),
    (["--search", "crossfire murder"], _all(_word("crossfire"), _word("murder"))),
    (["--search", '"dangerous assignment"'], _phrase("dangerous", "assignment")),
    (["--search", "photograph*"], _prefix("photograph")),
    (["--search", "Mogadishu OR Baghdad"], _any(_word("mogadishu"), _word("baghdad"))),
    (["--search", "television NOT murder"], _all(_word("television"), lambda i: not _word("murder")(i))),
    (["--search", "radio", "--country", "PH", "--year", "1990-2005"],
     _all(_word("radio"), _in("PH"), _years(1990, 2005))),
    (["--search", "uganda", "--source", HRNJ], _all(_word("uganda"), _source(HRNJ))),
    (["--country", "Atlantis"], lambda i: False),
]


@pytest.mark.parametrize(("options", "pred"), CASES, ids=[" ".join(c[0]) or "all" for c in CASES])
def test_filter_counts_match_an_independent_count(cli: Invoke, archive_items, options, pred) -> None:
    expected = _count(archive_items, pred)
    stats = stats_json(cli, *options)
    assert stats["alerts"] == expected
    assert sum(y["alerts"] for y in stats["years"]) == expected
    exported = export_json(cli, *options)
    assert len(exported) == expected
    assert len({r["id"] for r in exported}) == expected
    assert {r["id"] for r in exported} == {i["id"] for i in archive_items if pred(i)}


@pytest.mark.parametrize(
    "options",
    [[], ["--year", "2009"], ["--year", "2001-2005", "--violation", "Killed"], ["--country", "MX"],
     ["--country", "MX", "--year", "2009"], ["--source", RSF, "--year", "2011", "--year", "2012"],
     ["--year", "undated"], ["--region", "Africa", "--region", "Americas"]],
)
def test_every_breakdown_matches_the_filtered_set(cli: Invoke, archive_items, options) -> None:
    """Each list in ``stats`` describes exactly the filtered alerts, whichever path counts it."""
    stats = stats_json(cli, *options)
    records = export_json(cli, *options)
    years = Counter(r["year"] for r in records)
    listed = [(y["year"], y["alerts"]) for y in stats["years"]]
    assert {y: n for y, n in listed if n} == years  # years between with none are listed with 0
    assert [y for y, _ in listed] == sorted({y for y, _ in listed}, key=lambda y: (y is None, y or 0))
    countries = Counter(c["code"] or c["name"] for r in records for c in r["countries"])
    countries.update("Unknown country" for r in records if not r["countries"])
    assert {c["code"] or c["name"]: c["alerts"] for c in stats["countries"]} == countries
    # the alerts without a value of a dimension are listed as one more value, so each adds up
    for key, field, none in (("violations", "violations", "No violation"), ("targets", "targets", "No target")):
        expected = Counter(v for r in records for v in r[field] or [none])
        assert {v["name"]: v["alerts"] for v in stats[key]} == expected
    assert {s["name"]: s["alerts"] for s in stats["sources"]} == Counter(
        source_name(r["source"]) or "No source" for r in records)  # exported as written
    assert {s["name"]: s["alerts"] for s in stats["regions"]} == Counter(
        r["region"] or "No region" for r in records)
    dates = sorted(r["date"] for r in records if r["date"])
    assert (stats["first_date"], stats["last_date"]) == ((dates[0], dates[-1]) if dates else (None, None))


def test_sample_readme_numbers(cli: Invoke, imported: Path, sample_items: list[Item]) -> None:
    stats = stats_json(cli)
    assert stats["alerts"] == 1043 + 360
    countries = {c["name"]: c for c in stats["countries"]}
    assert countries["Iraq"] == {"code": "IQ", "name": "Iraq", "alerts": 185}
    assert countries["Unknown country"] == {"code": None, "name": "Unknown country", "alerts": 148}
    assert stats["countries"][0]["name"] == "Iraq"
    assert (stats["first_date"], stats["last_date"]) == ("1992-01-01", "2016-09-15")
    assert stats["years"][-1] == {"year": None, "alerts": 36}
    # CPJ's own feed (the README's numbers) and the digest's "CPJ" count as one source
    digest_cpj = [i for i in sample_items if i["_ifex"].get("source") == "CPJ"]
    cpj = stats_json(cli, "--source", CPJ)
    assert cpj["alerts"] == 1043 + len(digest_cpj) == 1043 + 39
    cpj_years = {y["year"]: y["alerts"] for y in cpj["years"]}
    assert cpj_years[1992] == 50 and cpj_years[2006] == 101 and cpj_years[None] == 36
    assert len([c for c in cpj["countries"] if c["code"]]) >= 91 - 1  # IL+PS is one written name
    assert {c["name"]: c["alerts"] for c in cpj["countries"]}["Philippines"] == 98 + sum(
        i["_ifex"].get("country") == "Philippines" for i in digest_cpj)
    digest_targets = Counter(t for i in digest_cpj for t in i["_ifex"].get("targets", []))
    assert {t["name"]: t["alerts"] for t in cpj["targets"]} == (
        Counter({"Journalist": 938, "Media worker": 105}) + digest_targets)
    digest = stats_json(cli, "--year", "2009-2012", "--country", "unknown")
    assert digest["alerts"] == 148
    digest_years = {y["year"]: y["alerts"] for y in stats_json(
        cli, "--source", RSF, "--source", CPJ, "--year", "2009-2012")["years"]}
    cpj_feed_2009_2012 = 76 + 47 + 45 + 2  # data/README.md
    assert sum(digest_years.values()) == 63 + 39 + cpj_feed_2009_2012 == _count(
        sample_items, _all(_any(_source(RSF), _source(CPJ)), _years(2009, 2012)))
    violations = {v["name"]: v["alerts"] for v in stats["violations"]}
    assert violations == {"Killed": 1043 + 29, "Legal action": 47, "Detained": 46,
                          "Attacked": 46, "Threatened": 30, "Censored": 25,
                          "No violation": sum(not i["_ifex"].get("violations") for i in sample_items)}


def test_country_years_are_the_filtered_years(cli: Invoke, imported: Path) -> None:
    """``stats --year 2009`` lists only 2009, also when one facet value is counted by table."""
    assert [y["year"] for y in stats_json(cli, "--year", "2009")["years"]] == [2009]
    assert [y["year"] for y in stats_json(cli, "--year", "2009", "--country", "MX")["years"]] == [2009]
    assert [y["year"] for y in stats_json(cli, "--year", "undated", "--violation", "Killed")["years"]] == [None]


@pytest.mark.parametrize(("query", "said"), [
    ('"unterminated', 'a "phrase" has no closing quote'),
    ("radio AND", "AND needs a word after it"),
    ("OR radio", "OR needs a word before it"),
    ("radio OR OR tv", "OR OR: two operators in a row"),
    ("NOT radio", "NOT needs a word before it"),
    ("-radio", "a search cannot only leave words out: add a word the alerts must have, "
               "as in killed -Iraq"),
    ("*", "a query cannot start with *"),
])
@pytest.mark.parametrize("command", ["stats", "export"])
def test_bad_search_is_a_gentle_usage_error_in_words_about_the_query(
    cli: Invoke, imported: Path, query, said, command
) -> None:
    result = cli(command, "--search", query)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"ifex-tui: error: search: {said}")
    assert "FTS5 syntax" in line


def test_a_search_of_spaces_only_is_a_search_error_not_a_crash(imported: Path) -> None:
    """(The filters strip a search; ``search.runnable`` called on its own gets it as is.)"""
    from ifex_tui.archive import search

    connection = sqlite3.connect(f"{imported.as_uri()}?mode=ro", uri=True)
    with pytest.raises(queries.SearchError):
        search.runnable(connection, "   ")
    connection.close()


@pytest.mark.parametrize(
    ("typed", "literal"),
    [("e-mail", '"e-mail"'), ("d'Ivoire", '"d\'Ivoire"'), ("killed -Iraq", "killed NOT Iraq"),
     ("nosuchcolumn: radio", '"nosuchcolumn:" "radio"'), ("(", '"("'),
     ("\u201cjournalist killed\u201d", '"journalist killed"'),  # pasted from a document
     ("\u00abjournalist killed\u00bb", '"journalist killed"')],
)
def test_words_fts5_cannot_parse_are_searched_literally(
    cli: Invoke, imported: Path, typed: str, literal: str
) -> None:
    assert stats_json(cli, "--search", typed) == stats_json(cli, "--search", literal)


def test_search_column_filter(cli: Invoke, archive_items) -> None:
    expected = _count(archive_items, lambda i: "mexico" in i["title"].casefold().split())
    assert stats_json(cli, "--search", "title: mexico")["alerts"] == expected


@pytest.mark.parametrize("year", ["20x9", "2012-2009", "12", "2009-"])
def test_bad_year_is_a_usage_error(cli: Invoke, imported: Path, year: str) -> None:
    result = cli("stats", "--year", year)
    assert result.exit_code == 2
    assert result.stderr.startswith("ifex-tui: error: ") and "Traceback" not in result.output


# --- the data layer's own API, as the app uses it ------------------------------------------------


@pytest.fixture
def conn(imported: Path):
    connection = sqlite3.connect(f"{imported.as_uri()}?mode=ro", uri=True)
    yield connection
    connection.close()


def test_facet_keeps_other_values_and_selected_ones(conn, archive_items) -> None:
    chosen = filters.from_options(country=["MX", "Atlantis"], year=["2009"])
    counts = {f.key: f.count for f in queries.facet(conn, "country", chosen)}
    in_2009 = Counter(_country(i) for i in archive_items if _year(i) == 2009)
    assert counts["MX"] == in_2009["Mexico"]
    assert counts["PH"] == in_2009["Philippines"]  # other countries stay visible
    assert counts["?Atlantis"] == 0  # selected, matches nothing, still listed to deselect


def test_pages_walk_every_alert_once_newest_first(conn, archive_items) -> None:
    seen, cursor = [], None
    while rows := queries.page(conn, filters.Filters(), cursor, limit=97):
        seen.extend(rows)
        cursor = rows[-1].cursor
    assert len(seen) == len({r.pk for r in seen}) == len(archive_items)
    keys = [(r.sort_date, r.pk) for r in seen]
    assert keys == sorted(keys, reverse=True)
    assert seen[-1].date is None  # undated last
    assert queries.page(conn, filters.Filters(), limit=1, offset=10)[0].pk == seen[10].pk
    assert queries.position(conn, filters.Filters(), seen[10].pk) == 10


def test_position_under_a_filter_is_the_place_in_the_filtered_list(conn, archive_items) -> None:
    """Where the list puts an alert under a filter, and None for one the filter leaves out."""
    killed = filters.from_options(violation=["Killed"], country=["MX"])
    walked, cursor = [], None
    while rows := queries.page(conn, killed, cursor, limit=7):
        walked.extend(rows)
        cursor = rows[-1].cursor
    assert len(walked) == _count(archive_items, _all(_violation("Killed"), _in("MX"))) > 10
    for place in (0, 1, 7, len(walked) // 2, len(walked) - 1):
        assert queries.position(conn, killed, walked[place].pk) == place
    inside = {row.pk for row in walked}
    everything = queries.page(conn, filters.Filters(), limit=200)
    outside = [row.pk for row in everything if row.pk not in inside][:5]
    assert len(outside) == 5
    assert all(queries.position(conn, killed, pk) is None for pk in outside)


def test_alert_detail_record(conn) -> None:
    [row] = queries.page(conn, filters.from_options(search="Gelson"), limit=5)
    record = queries.alert(conn, row.pk)
    assert record["id"] == "cpj-killed:2011-11-06:gelson-domingos-da-silva"
    assert record["countries"] == [{"code": "BR", "name": "Brazil", "written": "Brazil"}]
    assert queries.alert(conn, 10**9) is None


def test_filters_value_object() -> None:
    chosen = filters.from_options(country=["Mexico", "MX"], violation=[" Killed "])
    assert chosen.country == {"MX"} and chosen.violation == {"Killed"}
    assert chosen.active() == ("country", "violation")
    assert chosen.toggled("country", "MX").without("violation").empty
    assert filters.Filters().searching("  radio ").search == "radio"
    assert filters.year_keys("2001–2003") == {2001, 2002, 2003}
    with pytest.raises(ValueError):
        filters.year_keys("2003-2001")


def test_export_json_records_are_in_newest_first_order(cli: Invoke, imported: Path) -> None:
    records = export_json(cli)
    dated = [r["date"] for r in records if r["date"]]
    assert dated == sorted(dated, reverse=True)
    assert all(r["date"] is None for r in records[len(dated):])
    assert json.loads(json.dumps(records)) == records


def test_an_alert_in_two_selected_countries_counts_once(cli: Invoke, archive_items) -> None:
    both = "Israel and the Occupied Palestinian Territory"  # CPJ's name for IL and PS together
    expected = _count(archive_items, lambda i: (i.get("_ifex") or {}).get("country") == both)
    assert expected == 7  # the sample's README
    result = stats_json(cli, "--country", "IL", "--country", "PS")
    assert result["alerts"] == expected
    assert sum(y["alerts"] for y in result["years"]) == expected
    assert {c["code"]: c["alerts"] for c in result["countries"]} == {"IL": 7, "PS": 7}


def test_an_interrupted_search_is_not_a_syntax_error(conn) -> None:
    """The app interrupts a stale query: that is SQLite's error, never "bad FTS5 syntax"."""
    def interrupt_the_probe(sql: str) -> None:
        if sql.startswith("SELECT 1 FROM alerts_fts"):
            conn.interrupt()

    conn.set_trace_callback(interrupt_the_probe)
    with pytest.raises(sqlite3.OperationalError, match="interrupted") as raised:
        queries.total(conn, filters.from_options(search="radio"))
    assert not isinstance(raised.value, queries.SearchError)
    conn.set_trace_callback(None)
    with pytest.raises(queries.SearchError, match="AND needs a word after it"):
        queries.total(conn, filters.from_options(search="radio AND"))


def test_a_prefix_is_weighed_by_where_its_words_lie_in_the_index(conn) -> None:
    """``merge_bytes`` reads how many of the index's leaf pages the words of a prefix take (a
    leaf page is about 4 KB): more for a shorter prefix, nothing without one, and the prefix
    as the index holds words (lower case, no accents; a column's or a phrase's last word)."""
    from ifex_tui.archive import search

    assert search.merge_bytes(conn, "radio station") == 0
    one_letter, longer = search.merge_bytes(conn, "s*"), search.merge_bytes(conn, "stat*")
    assert one_letter > longer > 0
    for spelled in ("Stát*", "title:stat*", '"radio stat" *', "radio AND stat*"):
        assert search.merge_bytes(conn, spelled) == longer, spelled
    assert search.merge_bytes(conn, "s* OR stat*") == one_letter + longer


def test_where_sqlite_memory_is_capped_a_prefix_too_broad_for_it_is_refused_unread(
    conn, monkeypatch
) -> None:
    """The app caps SQLite's memory; a prefix whose merge would pass the cap is refused
    before FTS5 reads its lists (at a million alerts FTS5 took seconds to run out).  Here
    each byte of the lists is made to cost a megabyte, so that the sample's ``s*`` is too
    broad under the app's cap; without a cap (the command line) it runs."""
    from ifex_tui.archive import search
    from ifex_tui.tui import app as app_module

    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    monkeypatch.setattr(search, "_MERGE_PER_BYTE", 1 << 20)
    app_module._sqlite_heap_limit(app_module.SQLITE_HEAP)
    try:
        with pytest.raises(queries.SearchError, match="'s\\*' stands for too many words"):
            search.runnable(conn, "s*")
        assert not any("MATCH" in sql for sql in statements)  # FTS5 never ran it
        with pytest.raises(queries.SearchError) as refused:  # the prefix is named, not the query
            search.runnable(conn, "radio OR television OR Stát* OR newspaper")
        assert str(refused.value) == "'Stát*' stands for too many words: use a longer prefix"
        assert search.runnable(conn, "radio") == "radio"  # no prefix: nothing to weigh
    finally:
        app_module._sqlite_heap_limit(0)
    assert search.runnable(conn, "s*") == "s*"
    assert any("MATCH" in sql for sql in statements)


@pytest.mark.parametrize(("typed", "shown"), [
    ('"camera operator"', 'search "camera operator"'),
    ("radio", 'search "radio"'),
    ("camera operator", "search camera operator"),  # words, not the phrase
    ("radi*", "search radi*"),  # a prefix, not the phrase "radi*" (which finds nothing)
    ('"camera operator" OR radio', 'search "camera operator" OR radio'),
])
def test_a_search_is_shown_in_quotes_once(cli: Invoke, imported: Path, typed: str, shown: str) -> None:
    """One word in quotes; a phrase as typed; words as typed, not in quotes that would make
    them look like the phrase."""
    lines = cli("stats", "--search", typed, "--country", "Iraq").stdout.splitlines()
    assert lines[1] == f"matching country Iraq; {shown}"
    assert queries.describe(filters.from_options(search=typed)) == shown
    assert queries.search_shown(typed) == shown.removeprefix("search ")


@pytest.mark.parametrize(("options", "said"), [
    (dict(year=["undated"]), "undated"),
    (dict(not_year=["undated"]), "not undated"),
    (dict(year=["2010", "undated"]), "years 2010 or undated"),
    (dict(year=["2010-2012"]), "years 2010-2012"),
])
def test_years_in_words(options: dict, said: str) -> None:
    assert queries.describe(filters.from_options(**options)) == said
