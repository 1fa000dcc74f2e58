"""The item rules of the feed contract, rejection reports, and what re-importing does.

Each test imports a small hand-made feed through the real CLI into a real archive and checks
what a user sees: the ``import --json`` report, the exit status, ``export`` records and
``stats``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from conftest import (
    FeedWriter,
    Invoke,
    export_json,
    import_json,
    item,
    snapshot,
    stats_json,
)

from ifex_tui.archive import schema


def _only(cli: Invoke) -> dict:
    [record] = export_json(cli)
    return record


def _by_id(cli: Invoke, *args) -> dict[str, dict]:
    return {record["id"]: record for record in export_json(cli, *args)}


def _rejection(report: dict) -> dict:
    [rejection] = report["rejections"]
    return rejection


# --- ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [("42", "42"), ("4.0", "4"), ("9007199254740993", "9007199254740993"), ("2.5", "2.5")],
)
def test_number_id_becomes_its_decimal_string(cli, write_feed: FeedWriter, written, stored) -> None:
    text = '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": ' + written + "}]}"
    code, report = import_json(cli, write_feed.raw(text))
    assert (code, report["new"]) == (0, 1)
    assert _only(cli)["id"] == stored


def test_number_id_and_its_string_are_the_same_alert(cli, write_feed: FeedWriter) -> None:
    import_json(cli, write_feed([item(7, title="first")]))
    code, report = import_json(cli, write_feed([item("7", title="second")]))
    assert (code, report["new"], report["updated"]) == (0, 0, 1)
    assert _only(cli)["title"] == "second"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [({"title": "no id"}, "missing"), ({"id": True}, "true/false"), ({"id": None}, "missing"),
     ({"id": ["a"]}, "a list"), ({"id": {"x": 1}}, "an object"), ({"id": "  "}, "empty")],
)
def test_bad_ids_are_rejected(cli, write_feed: FeedWriter, bad: dict, reason: str) -> None:
    code, report = import_json(cli, write_feed.array([item("good"), bad]))
    assert (code, report["read"], report["new"], report["rejected"]) == (1, 2, 1, 1)
    rejection = _rejection(report)
    assert rejection["field"] == "id" and reason in rejection["reason"]
    assert rejection["index"] == 1 and rejection["id"] is None


@pytest.mark.parametrize(
    ("bad", "kind"),
    [("just a string", "a string"), (3, "a number"), (None, "null"), (["id", "x"], "a list"),
     (True, "true/false")],
)
def test_non_object_item_is_rejected(cli, write_feed: FeedWriter, bad, kind: str) -> None:
    feed = write_feed([bad, item("good")])
    code, report = import_json(cli, feed)
    assert (code, report["new"], report["rejected"]) == (1, 1, 1)
    assert _rejection(report) == {
        "file": str(feed), "index": 0, "id": None, "field": "item",
        "reason": f"expected an object, got {kind}", "where": "item 0",
    }


# --- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "date", "year"),
    [
        ("2019-12-31T23:30:00-05:00", "2019-12-31", 2019),
        ("2020-01-01T01:00:00+09:00", "2020-01-01", 2020),
        ("2019-03-05", "2019-03-05", 2019),
        ("2019-03-05 14:30:00Z", "2019-03-05", 2019),
        ("2019-03-05T14:30Z", "2019-03-05", 2019),
        ("2019-03-05t14:30:00.123456789z", "2019-03-05", 2019),
        ("2019-03-05T14:30:00+0530", "2019-03-05", 2019),
    ],
)
def test_dates_are_read_as_written(cli, write_feed: FeedWriter, written, date, year) -> None:
    code, _ = import_json(cli, write_feed([item("d", date_published=written)]))
    record = _only(cli)
    assert code == 0
    assert (record["date"], record["year"], record["published"]) == (date, year, written)
    assert stats_json(cli)["years"] == [{"year": year, "alerts": 1}]


@pytest.mark.parametrize(
    "written", ["yesterday", "2019-02-30", "2019-13-01", "12/05/2019", "2019-03-05T25:00:00Z",
                "2019-03-05T10:00:00+25:00", "2019"],
)
def test_bad_date_published_is_rejected(cli, write_feed: FeedWriter, written: str) -> None:
    code, report = import_json(cli, write_feed([item("ok"), item("bad", date_published=written)]))
    assert (code, report["new"], report["rejected"]) == (1, 1, 1)
    rejection = _rejection(report)
    assert (rejection["index"], rejection["id"], rejection["field"]) == (1, "bad", "date_published")
    assert written in rejection["reason"]


def test_date_published_of_the_wrong_type_is_rejected(cli, write_feed: FeedWriter) -> None:
    code, report = import_json(cli, write_feed([item("n", date_published=20190305)]))
    assert (code, _rejection(report)["field"]) == (1, "date_published")


def test_bad_date_modified_is_rejected(cli, write_feed: FeedWriter) -> None:
    code, report = import_json(cli, write_feed([item("m", date_modified="soon")]))
    assert (code, _rejection(report)["field"]) == (1, "date_modified")


def test_undated_item_is_kept_without_a_year(cli, write_feed: FeedWriter) -> None:
    feed = write_feed([item("undated", date_published=None), item("dated"), item("blank", date_published="")])
    code, report = import_json(cli, feed)
    assert (code, report["new"]) == (0, 3)
    records = _by_id(cli)
    assert records["undated"]["year"] is None and records["undated"]["date"] is None
    assert records["blank"]["year"] is None
    stats = stats_json(cli)
    assert stats["years"] == [{"year": 2012, "alerts": 1}, {"year": None, "alerts": 2}]
    assert (stats["first_date"], stats["last_date"]) == ("2012-05-01", "2012-05-01")
    assert set(_by_id(cli, "--year", "undated")) == {"undated", "blank"}


# --- fields ---------------------------------------------------------------------------------------


def test_all_fields_are_kept(cli, write_feed: FeedWriter) -> None:
    full = item(
        "full", url="https://example.org/a", external_url="https://example.org/ext",
        title="A title", summary="A summary", content_html="<p>Body <b>bold</b> &amp; more</p>",
        tags=["Killed", "Radio"], authors=[{"name": "A. Writer", "url": "https://example.org/w"}],
        language="es", date_modified="2012-05-02T10:00:00Z",
        _ifex={"country": "Mexico", "region": "Americas", "violations": ["Killed"],
               "targets": ["Journalist"], "source": "CPJ", "alert_type": "Alert"},
    )
    assert import_json(cli, write_feed([full]))[0] == 0
    record = _only(cli)
    assert record["url"] == "https://example.org/a"
    assert record["external_url"] == "https://example.org/ext"
    assert record["summary"] == "A summary" and record["language"] == "es"
    assert record["body_text"] == "Body bold & more"
    assert record["countries"] == [{"code": "MX", "name": "Mexico", "written": "Mexico"}]
    assert (record["region"], record["violations"], record["targets"]) == (
        "Americas", ["Killed"], ["Journalist"])
    assert (record["source"], record["alert_type"]) == ("CPJ", "Alert")
    assert record["tags"] == ["Killed", "Radio"]
    assert record["authors"] == [{"name": "A. Writer", "url": "https://example.org/w"}]
    assert record["modified"] == "2012-05-02T10:00:00Z"
    assert record["extensions"] == {}


def test_content_text_wins_over_html_for_body_text(cli, write_feed: FeedWriter) -> None:
    import_json(cli, write_feed([item("b", content_text="plain", content_html="<p>html</p>")]))
    assert _only(cli)["body_text"] == "plain"


def test_html_body_is_text_never_markup(cli, write_feed: FeedWriter) -> None:
    html = '<script>alert(1)</script><p>Read <a href="https://example.org">this</a></p><img src=x>'
    import_json(cli, write_feed([item("h", content_html=html)]))
    body = _only(cli)["body_text"]
    assert "Read" in body and "https://example.org" in body
    assert not any(tag in body for tag in ("<script", "<p>", "<a ", "<img", "alert(1)"))


def test_external_url_is_the_link_when_url_is_absent(cli, write_feed: FeedWriter) -> None:
    import_json(cli, write_feed([item("e", external_url="https://example.org/ext")]))
    assert _only(cli)["url"] == "https://example.org/ext"


def test_tags_as_one_string_is_one_tag(cli, write_feed: FeedWriter) -> None:
    code, _ = import_json(cli, write_feed([item("t", tags="press freedom, Mexico")]))
    assert code == 0
    assert _only(cli)["tags"] == ["press freedom, Mexico"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": 3}, "title"),
        ({"tags": ["ok", 3]}, "tags[1]"),
        ({"tags": {"a": 1}}, "tags"),
        ({"authors": "me"}, "authors"),
        ({"authors": ["me"]}, "authors[0]"),
        ({"url": ["https://x"]}, "url"),
        ({"_ifex": "Mexico"}, "_ifex"),
        ({"_ifex": ["Mexico"]}, "_ifex"),
        ({"_ifex": {"violations": 3}}, "_ifex.violations"),
        ({"_ifex": {"country": {"name": "Mexico"}}}, "_ifex.country"),
        ({"_ifex": {"source": ["CPJ"]}}, "_ifex.source"),
    ],
)
def test_fields_of_the_wrong_type_are_rejected(cli, write_feed: FeedWriter, fields, field) -> None:
    code, report = import_json(cli, write_feed([item("x", **fields), item("ok")]))
    assert (code, report["new"], report["rejected"]) == (1, 1, 1)
    rejection = _rejection(report)
    assert (rejection["index"], rejection["id"], rejection["field"]) == (0, "x", field)
    assert rejection["reason"].startswith("expected")


@pytest.mark.parametrize("key", ["country", "violations", "targets"])
def test_a_number_where_one_name_or_a_list_goes_says_both_are_taken(
    cli, write_feed: FeedWriter, key: str
) -> None:
    code, report = import_json(cli, write_feed([item("x", _ifex={key: 42})]))
    assert code == 1
    assert _rejection(report)["reason"] == "expected a string or a list of strings, got a number"


def test_unknown_ifex_keys_and_other_extensions_are_kept(cli, write_feed: FeedWriter) -> None:
    odd = item(
        "ext", _ifex={"country": "MX", "severity": 3, "notes": {"a": [1, 2]}},
        _cpj={"list": "Motive Confirmed"}, _x="text", unknown_top_level="dropped quietly",
    )
    code, report = import_json(cli, write_feed([odd]))
    assert (code, report["rejected"]) == (0, 0)
    assert _only(cli)["extensions"] == {
        "_ifex": {"severity": 3, "notes": {"a": [1, 2]}},
        "_cpj": {"list": "Motive Confirmed"},
        "_x": "text",
    }


def test_lone_surrogate_escape_is_stored_as_replacement_character(cli, write_feed) -> None:
    line = '{"id": "s\\ud800", "title": "bad \\udc00 text", "_x": {"k\\ud800": "v"}}\n'
    code, report = import_json(cli, write_feed.raw(line, "surrogates.jsonl"))
    assert (code, report["new"]) == (0, 1)
    record = _only(cli)
    assert record["id"] == "s\ufffd" and record["title"] == "bad \ufffd text"


# --- countries and regions ---------------------------------------------------------------------


def test_country_from_tags_when_ifex_has_none(cli, write_feed: FeedWriter) -> None:
    feed = write_feed([
        item("no-ifex", tags=["Killed", "Radio", "Mexico", "Philippines"]),
        item("no-country", tags=["Burma"], _ifex={"violations": ["Detained"]}),
        item("nothing", tags=["Killed", "TV", "IN"]),
    ])
    code, report = import_json(cli, feed)
    assert (code, report["new"], report["unrecognised_countries"]) == (0, 3, [])
    records = _by_id(cli)
    assert records["no-ifex"]["countries"] == [{"code": "MX", "name": "Mexico", "written": None}]
    assert records["no-ifex"]["region"] == "Americas"
    assert [c["code"] for c in records["no-country"]["countries"]] == ["MM"]
    assert records["nothing"]["countries"] == [] and records["nothing"]["region"] is None
    assert {"code": None, "name": "Unknown country", "alerts": 1} in stats_json(cli)["countries"]


def test_unknown_country_is_kept_as_written_and_reported(cli, write_feed: FeedWriter) -> None:
    feed = write_feed([item("u1", _ifex={"country": "Atlantis"}),
                       item("u2", _ifex={"country": ["Mexico", "Lemuria "]})])
    code, report = import_json(cli, feed)
    assert (code, report["new"]) == (0, 2)
    assert report["unrecognised_countries"] == ["Atlantis", "Lemuria"]
    assert _by_id(cli)["u1"]["countries"] == [{"code": None, "name": "Atlantis", "written": "Atlantis"}]
    countries = stats_json(cli)["countries"]
    assert {"code": None, "name": "Atlantis", "alerts": 1} in countries
    assert {"code": "MX", "name": "Mexico", "alerts": 1} in countries
    human = cli("import", feed)
    assert "unrecognised countries (kept as written): Atlantis, Lemuria" in human.stdout


def test_two_countries_count_once_in_total_and_once_under_each(cli, write_feed: FeedWriter) -> None:
    feed = write_feed([item("both", _ifex={"country": ["Mexico", "PH", "mex"]}), item("mx", _ifex={"country": "MX"})])
    import_json(cli, feed)
    stats = stats_json(cli)
    assert stats["alerts"] == 2
    assert stats["countries"] == [
        {"code": "MX", "name": "Mexico", "alerts": 2},
        {"code": "PH", "name": "Philippines", "alerts": 1},
    ]
    assert stats_json(cli, "--country", "MX", "--country", "PH")["alerts"] == 2
    assert stats_json(cli, "--country", "PH")["alerts"] == 1


@pytest.mark.parametrize(
    ("written", "code", "name", "region"),
    [
        ("USA", "US", "United States", "Americas"),
        ("Ivory Coast", "CI", "Côte d'Ivoire", "Africa"),
        ("Burma", "MM", "Myanmar", "Asia & Pacific"),
        ("Zaire", "CD", "DR Congo", "Africa"),
        ("Yugoslavia", "YUCS", "Yugoslavia", "Europe & Central Asia"),
        ("MEX", "MX", "Mexico", "Americas"),
        ("russian federation", "RU", "Russia", "Europe & Central Asia"),
    ],
)
def test_country_variants_normalise(cli, write_feed, written, code, name, region) -> None:
    import_json(cli, write_feed([item("v", _ifex={"country": written})]))
    record = _only(cli)
    assert record["countries"] == [{"code": code, "name": name, "written": written}]
    assert record["region"] == region
    stats = stats_json(cli)
    assert stats["countries"] == [{"code": code, "name": name, "alerts": 1}]
    assert stats["regions"] == [{"name": region, "alerts": 1}]


def test_region_given_by_the_feed_is_kept(cli, write_feed: FeedWriter) -> None:
    import_json(cli, write_feed([item("r", _ifex={"country": "Mexico", "region": "Latin America"})]))
    assert _only(cli)["region"] == "Latin America"


# --- rejection reports, --strict, --dry-run -----------------------------------------------------


MIXED = [item("m-0"), {"title": "no id"}, item("m-2", date_published="not a date"), item("m-3")]


def test_rejections_are_reported_with_position_id_field_reason(cli, write_feed, archive) -> None:
    feed = write_feed(MIXED, "mixed.json")
    code, report = import_json(cli, feed)
    assert code == 1
    assert (report["read"], report["new"], report["rejected"], report["landed"]) == (4, 2, 2, True)
    assert report["rejections"] == [
        {"file": str(feed), "index": 1, "id": None, "field": "id",
         "reason": "missing (every item needs an id)", "where": "item 1"},
        {"file": str(feed), "index": 2, "id": "m-2", "field": "date_published",
         "reason": "not an RFC 3339 date: 'not a date'", "where": "item 2"},
    ]
    assert set(_by_id(cli)) == {"m-0", "m-3"}


def test_a_date_before_1800_or_after_next_year_is_a_typo_and_rejected(cli, write_feed, archive) -> None:
    """``9999`` or ``2104`` would stretch the years pane and ``stats`` over thousands of empty
    years; the next year is still taken (a date written in another time zone)."""
    from datetime import UTC, datetime

    next_year = datetime.now(UTC).year + 1
    feed = write_feed([item("typo", date_published="9999-12-31T23:59:59Z"),
                       item("modified", date_modified="2104-01-01"),
                       item("early", date_published="0201-05-01"),
                       item("next", date_published=f"{next_year}-01-01"),
                       item("old", date_published="1800-01-01")], "future.json")
    code, report = import_json(cli, feed)
    assert code == 1
    assert [(r["id"], r["field"], r["reason"]) for r in report["rejections"]] == [
        ("typo", "date_published", f"in the future (after {next_year}): '9999-12-31T23:59:59Z'"),
        ("modified", "date_modified", f"in the future (after {next_year}): '2104-01-01'"),
        ("early", "date_published", "before 1800, a typo: '0201-05-01'"),
    ]
    assert set(_by_id(cli)) == {"next", "old"}


def test_json_lines_rejections_carry_the_line_number(cli, write_feed: FeedWriter, tmp_path) -> None:
    text = "\n" + "\n".join(json.dumps(i) for i in MIXED) + "\n"  # a blank first line
    code, report = import_json(cli, write_feed.raw(text, "mixed.jsonl"))
    assert code == 1
    assert [(r["index"], r["field"]) for r in report["rejections"]] == [(3, "id"), (4, "date_published")]
    assert [r["where"] for r in report["rejections"]] == ["line 3", "line 4"]
    result = cli("import", write_feed.raw(text, "mixed.jsonl"), "--db", tmp_path / "again.db")
    assert "mixed.jsonl line 3: id: missing" in result.stdout


def test_rejections_in_the_human_report(cli, write_feed: FeedWriter) -> None:
    feed = write_feed(MIXED, "mixed.json")
    result = cli("import", feed)
    assert result.exit_code == 1
    assert "4 read, 2 new, 0 updated, 0 unchanged, 2 rejected" in result.stdout
    assert f"rejected {feed} item 1: id: missing" in result.stdout
    assert f"rejected {feed} item 2 (id 'm-2'): date_published:" in result.stdout


def test_strict_on_a_mixed_file_lands_nothing(cli, write_feed, imported) -> None:
    before = snapshot(imported)
    code, report = import_json(cli, "--strict", write_feed(MIXED))
    assert code == 1
    assert report["rejected"] == 2 and report["landed"] is False
    assert any("--strict" in warning for warning in report["warnings"])
    assert snapshot(imported) == before
    human = cli("import", "--strict", write_feed(MIXED))
    assert human.exit_code == 1 and human.stdout.startswith("nothing imported into")


def test_strict_on_a_clean_file_lands_everything(cli, write_feed: FeedWriter) -> None:
    code, report = import_json(cli, "--strict", write_feed([item("s1"), item("s2")]))
    assert (code, report["new"], report["landed"]) == (0, 2, True)
    assert len(export_json(cli)) == 2


def test_dry_run_reports_counts_and_lands_nothing(cli, write_feed, imported) -> None:
    before = snapshot(imported)
    feed = write_feed([*MIXED, item("cpj-killed:2011-11-06:gelson-domingos-da-silva", title="changed")])
    code, report = import_json(cli, "--dry-run", feed)
    assert code == 1
    assert (report["read"], report["new"], report["updated"], report["rejected"]) == (5, 2, 1, 2)
    assert report["dry_run"] is True and report["landed"] is False
    assert snapshot(imported) == before
    human = cli("import", "--dry-run", feed)
    assert human.stdout.startswith("dry run, ")
    assert snapshot(imported) == before


def test_many_rejections_are_counted_exactly(cli, write_feed: FeedWriter) -> None:
    feed = write_feed([{"title": f"no id {n}"} for n in range(1200)] + [item("ok")])
    code, report = import_json(cli, feed)
    assert (code, report["rejected"], report["new"]) == (1, 1200, 1)
    assert len(report["rejections"]) == 1000
    assert any("first 1000" in warning for warning in report["warnings"])
    human = cli("import", feed)
    assert "… and 1,180 more rejected" in human.stdout


# --- re-import, updates, date_modified, duplicates ------------------------------------------------


def test_reimporting_the_samples_changes_nothing(cli, imported, sample_feeds) -> None:
    before = snapshot(imported)
    code, report = import_json(cli, *sample_feeds)
    assert code == 0
    assert (report["read"], report["new"], report["updated"], report["unchanged"]) == (1403, 0, 0, 1403)
    after = snapshot(imported)
    assert after["alerts"] == before["alerts"] and after["counts"] == before["counts"]
    assert after["imports"] == before["imports"] + 2  # one log row per file


def test_update_by_id(cli, write_feed, imported) -> None:
    alert_id = "cpj-killed:2011-11-06:gelson-domingos-da-silva"
    original = _by_id(cli, "--search", "Gelson")[alert_id]
    changed = item(alert_id, title="Corrected title", date_published="2011-11-06T00:00:00Z",
                   _ifex={"country": "Mexico", "violations": ["Killed"]})
    brazil, mexico = (stats_json(cli, "--country", c)["alerts"] for c in ("BR", "MX"))
    code, report = import_json(cli, write_feed([changed]))
    assert (code, report["new"], report["updated"], report["unchanged"]) == (0, 0, 1, 0)
    updated = _by_id(cli, "--search", "Corrected")
    assert updated[alert_id]["title"] == "Corrected title"
    assert original["title"] != "Corrected title"
    assert stats_json(cli)["alerts"] == 1403
    assert stats_json(cli, "--country", "BR")["alerts"] == brazil - 1
    assert stats_json(cli, "--country", "MX")["alerts"] == mexico + 1
    assert alert_id not in _by_id(cli, "--search", "Gelson")  # the old text left the index


def test_counts_stay_exact_after_updates(cli, write_feed, imported, sample_items) -> None:
    """Updates that move alerts between years, countries and violations keep every count exact."""
    moved = [
        {**i, "date_published": f"{2000 + n % 5}-01-01", "tags": ["changed"],
         "_ifex": {**i["_ifex"], "country": ["Mexico", "Burma"][n % 2],
                   "violations": ["Threatened"] if n % 3 else []}}
        for n, i in enumerate(sample_items[::25])
    ]
    undated = [{**i, "date_published": None} for i in sample_items[1::40]]
    code, report = import_json(cli, write_feed([*moved, *undated]))
    assert (code, report["updated"], report["new"]) == (0, len(moved) + len(undated), 0)
    records = export_json(cli)
    stats = stats_json(cli)
    assert stats["alerts"] == len(records) == 1403
    assert {y["year"]: y["alerts"] for y in stats["years"]} == dict(Counter(r["year"] for r in records))
    countries = Counter(c["code"] or c["name"] for r in records for c in r["countries"])
    countries.update("Unknown country" for r in records if not r["countries"])
    assert {c["code"] or c["name"]: c["alerts"] for c in stats["countries"]} == dict(countries)
    assert {v["name"]: v["alerts"] for v in stats["violations"]} == dict(
        Counter(v for r in records for v in r["violations"] or ["No violation"]))
    for year in (2000, 2003):
        by_table = stats_json(cli, "--year", str(year), "--country", "MM")["alerts"]
        assert by_table == sum(1 for r in records if r["year"] == year
                               and any(c["code"] == "MM" for c in r["countries"]))
    assert stats_json(cli, "--search", "changed")["alerts"] == len(moved)


def test_newer_date_modified_replaces_older_never_overwrites(cli, write_feed) -> None:
    def version(title: str, modified: str | None) -> Path:
        return write_feed([item("dm", title=title, date_modified=modified)])

    assert import_json(cli, version("v2", "2020-01-02T00:00:00Z"))[1]["new"] == 1
    code, older = import_json(cli, version("v1", "2020-01-01T00:00:00Z"))
    assert (code, older["updated"], older["unchanged"]) == (0, 0, 1)
    assert any("older" in warning for warning in older["warnings"])
    assert _only(cli)["title"] == "v2"
    # 2020-01-02T01:00+02:00 is 2020-01-01T23:00Z: older, although its calendar date is later.
    assert import_json(cli, version("v-offset", "2020-01-02T01:00:00+02:00"))[1]["updated"] == 0
    assert _only(cli)["title"] == "v2"
    assert import_json(cli, version("v3", "2020-01-03T00:00:00Z"))[1]["updated"] == 1
    assert _only(cli)["title"] == "v3"


def test_duplicate_ids_in_one_file_newest_modified_wins(cli, write_feed: FeedWriter) -> None:
    feed = write_feed([
        item("dup", title="newest", date_modified="2020-01-03T00:00:00Z"),
        item("dup", title="older but later", date_modified="2020-01-01T00:00:00Z"),
    ])
    code, report = import_json(cli, feed)
    assert (code, report["read"], report["new"]) == (0, 2, 1)
    assert "1 item repeated an id already read in this import (\"dup\" twice); of each, the " \
        "copy with the later date_modified was kept (of two equal, the one read later)" \
        in report["warnings"]
    assert _only(cli)["title"] == "newest"


def test_the_repeated_ids_are_named_first_read_first(cli, write_feed: FeedWriter) -> None:
    """A feed to mend: the report names the ids read more than once (the first five), so that
    they can be found in it; which copy was kept is as before."""
    ids = ["b", "a", "b", "c", "d", "e", "f", "g", "g", "f", "e", "d", "c", "b"]
    code, report = import_json(cli, write_feed.jsonl([item(i, title=f"{i}{n}")
                                                      for n, i in enumerate(ids)]))
    assert (code, report["read"], report["new"]) == (0, len(ids), 7)
    [warning] = [w for w in report["warnings"] if "repeated an id" in w]
    assert warning.startswith('7 items repeated an id already read in this import ("b" 3 times, '
                              '"c" twice, "d" twice, "e" twice, "f" twice and 1 other id); ')
    assert _by_id(cli)["b"]["title"] == "b13"  # the copy read last


def test_duplicate_ids_without_modified_the_later_wins(cli, write_feed: FeedWriter) -> None:
    feed = write_feed.jsonl([item("dup", title="first"), item("other"), item("dup", title="second")])
    code, report = import_json(cli, feed)
    assert (code, report["read"], report["new"]) == (0, 3, 2)
    assert _by_id(cli)["dup"]["title"] == "second"
    assert stats_json(cli)["alerts"] == 2


def test_duplicate_ids_across_files_in_one_import(cli, write_feed: FeedWriter) -> None:
    first = write_feed([item("x", title="from first")])
    second = write_feed([item("x", title="from second")])
    code, report = import_json(cli, first, second)
    assert (code, report["new"]) == (0, 1)
    assert _only(cli)["title"] == "from second"


# --- the archive file ---------------------------------------------------------------------------


def test_schema_version_wal_and_import_log(cli, write_feed, archive, cpj_feed) -> None:
    packed = write_feed.gzip(cpj_feed, "cpj.json.gz")
    code, _ = import_json(cli, packed)
    assert code == 0
    conn = sqlite3.connect(archive)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = conn.execute(
            "SELECT file, sha256, format, started, finished, read, new, updated, unchanged, rejected "
            "FROM imports"
        ).fetchall()
    finally:
        conn.close()
    [(file, sha, fmt, started, finished, *counts)] = rows
    assert file == str(packed)
    assert sha == hashlib.sha256(packed.read_bytes()).hexdigest()
    assert fmt == "jsonfeed" and started <= finished
    assert counts == [1043, 1043, 0, 0, 0]


def test_import_log_hashes_stdin(cli, write_feed, archive) -> None:
    data = write_feed.jsonl([item("in")]).read_bytes()
    assert import_json(cli, "-", input=data)[0] == 0
    conn = sqlite3.connect(archive)
    try:
        [(file, sha)] = conn.execute("SELECT file, sha256 FROM imports").fetchall()
    finally:
        conn.close()
    assert (file, sha) == ("<stdin>", hashlib.sha256(data).hexdigest())


def test_dry_run_and_strict_refusal_leave_no_log_row(cli, write_feed, archive) -> None:
    import_json(cli, "--dry-run", write_feed([item("a")]))
    import_json(cli, "--strict", write_feed(MIXED))
    assert sorted(p.name for p in archive.parent.iterdir()) == ["feeds"]  # not even a file
    assert import_json(cli, write_feed([item("b")]))[0] == 0
    import_json(cli, "--dry-run", write_feed([item("a")]))
    import_json(cli, "--strict", write_feed(MIXED))
    conn = sqlite3.connect(archive)
    try:
        assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
        assert conn.execute("SELECT id FROM alerts").fetchall() == [("b",)]
    finally:
        conn.close()
