"""Re-importing: an item the archive holds exactly as given is skipped before any other work
(its digest is stored), and every other change still lands: an edited field, a duplicate
later in the feed, an archive from before the digests were kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import export_json, import_json, item, snapshot, stats_json


def _digests(archive: Path) -> int:
    conn = sqlite3.connect(archive)
    try:
        return conn.execute("SELECT count(*) FROM item_hashes").fetchone()[0]
    finally:
        conn.close()


def _titles(cli) -> dict[str, str]:
    return {r["id"]: r["title"] for r in export_json(cli)}


ITEMS = [item(f"a-{n}", _ifex={"country": "Mexico", "violations": ["Killed"]}) for n in range(5)]


def test_an_unchanged_feed_is_skipped_whole_and_leaves_the_alerts_as_they_were(
    cli, write_feed, archive: Path
) -> None:
    feed = write_feed(ITEMS)
    assert import_json(cli, feed)[1]["new"] == 5
    assert _digests(archive) == 5
    before = snapshot(archive)
    code, report = import_json(cli, feed)
    assert (code, report["new"], report["updated"], report["unchanged"]) == (0, 0, 0, 5)
    after = snapshot(archive)
    assert {k: v for k, v in after.items() if k != "imports"} == \
        {k: v for k, v in before.items() if k != "imports"}


def test_keys_in_another_order_are_the_same_item(cli, write_feed) -> None:
    import_json(cli, write_feed(ITEMS))
    reordered = [dict(reversed(list(i.items()))) for i in ITEMS]
    assert import_json(cli, write_feed(reordered))[1]["unchanged"] == 5


def test_any_edit_lands_whatever_was_seen_before(cli, write_feed) -> None:
    import_json(cli, write_feed(ITEMS))
    edited = [*ITEMS[:3],
              {**ITEMS[3], "title": "Corrected"},
              {**ITEMS[4], "_ifex": {"country": "Peru", "violations": ["Killed"]}}]
    code, report = import_json(cli, write_feed(edited))
    assert (code, report["updated"], report["unchanged"]) == (0, 2, 3)
    assert _titles(cli)["a-3"] == "Corrected"
    assert stats_json(cli, "--country", "PE")["alerts"] == 1
    assert stats_json(cli, "--country", "MX")["alerts"] == 4
    # and the edit is itself remembered: the same feed again changes nothing
    assert import_json(cli, write_feed(edited))[1]["unchanged"] == 5


def test_a_later_duplicate_wins_whether_it_or_the_earlier_one_was_seen(cli, write_feed) -> None:
    import_json(cli, write_feed(ITEMS))
    changed = {**ITEMS[0], "title": "Later wins"}
    assert import_json(cli, write_feed([ITEMS[0], changed]))[1]["updated"] == 1
    assert _titles(cli)["a-0"] == "Later wins"
    code, report = import_json(cli, write_feed([{**ITEMS[0], "title": "Earlier"}, changed]))
    assert (code, report["updated"], report["unchanged"]) == (0, 0, 1)  # the later one is held
    assert _titles(cli)["a-0"] == "Later wins"


def test_an_item_seen_before_still_names_its_unknown_country(cli, write_feed) -> None:
    feed = write_feed([item("x", _ifex={"country": "Atlantis"})])
    assert import_json(cli, feed)[1]["unrecognised_countries"] == ["Atlantis"]
    code, report = import_json(cli, feed)
    assert (code, report["unchanged"], report["unrecognised_countries"]) == (0, 1, ["Atlantis"])


def test_an_archive_without_digests_gets_them_from_its_next_import(
    cli, write_feed, archive: Path
) -> None:
    feed = write_feed(ITEMS)
    import_json(cli, feed)
    conn = sqlite3.connect(archive)
    conn.execute("DROP TABLE item_hashes")  # as an archive made before they were kept
    conn.commit()
    conn.close()
    assert import_json(cli, feed)[1]["unchanged"] == 5  # read in full, found unchanged
    assert _digests(archive) == 5
    assert import_json(cli, feed)[1]["unchanged"] == 5
    result = cli("check")
    assert result.exit_code == 0, result.output


def test_a_dry_run_keeps_no_digest(cli, write_feed, archive: Path) -> None:
    import_json(cli, write_feed(ITEMS[:2]))
    code, report = import_json(cli, write_feed(ITEMS), "--dry-run")
    assert (code, report["new"]) == (0, 3)
    assert _digests(archive) == 2
    assert json.loads(cli("stats", "--json").stdout)["alerts"] == 2


def test_an_item_older_than_the_archives_copy_is_judged_again_every_time(cli, write_feed) -> None:
    newer = item("d", title="Newer", date_modified="2020-01-02T00:00:00Z")
    older = item("d", title="Older", date_modified="2020-01-01T00:00:00Z")
    import_json(cli, write_feed([newer]))
    for _ in range(2):  # the same feed twice: the same report
        code, report = import_json(cli, write_feed([older]))
        assert (code, report["updated"], report["unchanged"]) == (0, 0, 1)
        assert any("older" in warning for warning in report["warnings"])
    assert _titles(cli)["d"] == "Newer"


def _warnings(report: dict) -> str:
    return " ".join(report["warnings"])


def test_the_original_without_date_modified_never_overwrites_its_revision(cli, write_feed) -> None:
    """The revision carries date_modified, the original none: importing the original again
    (an older feed, a mirror) leaves the revision in place, and says so."""
    original = ITEMS[0]
    revised = {**original, "title": "Update: corrected", "date_modified": "2026-06-01T00:00:00Z"}
    import_json(cli, write_feed([original]))
    assert import_json(cli, write_feed([revised]))[1]["updated"] == 1
    code, report = import_json(cli, write_feed([original]))
    assert (code, report["updated"], report["unchanged"]) == (0, 0, 1)
    assert "1 item counted unchanged is older than the archive's copy" in _warnings(report)
    assert _titles(cli)["a-0"] == "Update: corrected"
    # a later revision still lands, and two copies without dates: the later one read wins
    newer = {**revised, "title": "Second update", "date_modified": "2026-07-01T00:00:00Z"}
    assert import_json(cli, write_feed([newer]))[1]["updated"] == 1
    assert _titles(cli)["a-0"] == "Second update"
    import_json(cli, write_feed([{**ITEMS[1], "title": "One"}]))
    assert import_json(cli, write_feed([{**ITEMS[1], "title": "Two"}]))[1]["updated"] == 1
    assert _titles(cli)["a-1"] == "Two"


def test_of_duplicates_in_one_feed_the_dated_revision_is_kept(cli, write_feed) -> None:
    revised = {**ITEMS[0], "title": "Revised", "date_modified": "2021-01-01T00:00:00Z"}
    older = {**ITEMS[0], "title": "Older revision", "date_modified": "2020-01-01T00:00:00Z"}
    undated = {**ITEMS[0], "title": "Undated copy"}
    code, report = import_json(cli, write_feed([undated, revised, older, undated]))
    assert (code, report["new"]) == (0, 1)
    assert _titles(cli)["a-0"] == "Revised"
