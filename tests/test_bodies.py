"""An alert's body is kept once (the HTML compressed, its text made when read) and is the same
everywhere it is read: export, search, the index's own checks, after updates and after a new
HTML converter."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import export_json, import_json, item, stats_json

from ifex_tui.archive import schema
from ifex_tui.archive.html_text import html_to_text
from ifex_tui.archive.items import NORMALISER_VERSION

HTML = ('<p>The editor of <a href="https://example.org/paper">the paper</a> was '
        "<strong>detained</strong> in Zanzibar.</p><ul><li>first</li><li>second</li></ul>")


def _stored(archive: Path, item_id: str) -> tuple:
    conn = sqlite3.connect(archive)
    try:
        return conn.execute(
            "SELECT typeof(content_html), body_text FROM alerts WHERE id = ?", [item_id]
        ).fetchone()
    finally:
        conn.close()


def test_the_html_is_kept_compressed_and_its_text_is_made_when_read(
    cli, write_feed, archive: Path
) -> None:
    import_json(cli, write_feed([item("h", content_html=HTML), item("t", content_text="Plain words")]))
    assert _stored(archive, "h") == ("blob", None)  # the body once, not twice
    assert _stored(archive, "t")[1] is None
    records = {r["id"]: r for r in export_json(cli)}
    assert records["h"]["content_html"] == HTML
    assert records["h"]["body_text"] == html_to_text(HTML)
    assert records["t"]["body_text"] == "Plain words"
    feed = json.loads(cli("export", "--format", "jsonfeed").stdout)
    assert {i["id"]: i.get("content_html") for i in feed["items"]}["h"] == HTML
    assert stats_json(cli, "--search", "zanzibar")["alerts"] == 1
    assert stats_json(cli, "--search", "plain")["alerts"] == 1
    assert cli("check").exit_code == 0


def test_an_updated_body_leaves_the_index_with_the_new_words_only(cli, write_feed) -> None:
    import_json(cli, write_feed([item("h", content_html=HTML)]))
    changed = HTML.replace("Zanzibar", "Pemba")
    assert import_json(cli, write_feed([item("h", content_html=changed)]))[1]["updated"] == 1
    assert stats_json(cli, "--search", "zanzibar")["alerts"] == 0
    assert stats_json(cli, "--search", "pemba")["alerts"] == 1
    assert cli("check").exit_code == 0  # the old text was taken out exactly


def test_a_new_html_converter_rebuilds_the_index_at_the_next_import(
    cli, write_feed, archive: Path
) -> None:
    import_json(cli, write_feed([item("h", content_html=HTML), item("k", content_html="<p>kept</p>")]))
    conn = sqlite3.connect(archive)
    conn.execute("UPDATE meta SET value = 'older' WHERE key = ?", [schema.FTS_BODIES])
    conn.commit()
    conn.close()
    changed = HTML.replace("Zanzibar", "Pemba")
    assert import_json(cli, write_feed([item("h", content_html=changed)]))[1]["updated"] == 1
    assert stats_json(cli, "--search", "pemba")["alerts"] == 1
    assert stats_json(cli, "--search", "zanzibar")["alerts"] == 0
    assert stats_json(cli, "--search", "kept")["alerts"] == 1
    assert cli("check").exit_code == 0
    conn = sqlite3.connect(archive)
    try:
        version = conn.execute("SELECT value FROM meta WHERE key = ?", [schema.FTS_BODIES]).fetchone()
    finally:
        conn.close()
    assert version == (NORMALISER_VERSION.decode(),)
