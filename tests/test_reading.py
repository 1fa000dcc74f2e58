"""The detail pane reads like a page: a human date, the body as text with its links listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tui_helpers import browsing, build_archive, detail, screen_text, workers_done

from ifex_tui.archive.items import human_date


@pytest.mark.parametrize(("written", "shown"), [
    ("2016-09-15T00:00:00Z", "15 September 2016"),  # a date-only feed's padding
    ("2016-09-15", "15 September 2016"),
    ("2019-12-31T23:30:00-05:00", "31 December 2019, 23:30 -05:00"),  # the offset written
    ("2020-01-02T14:30Z", "2 January 2020, 14:30 UTC"),
    ("2020-01-02T14:30:15+02:00", "2 January 2020, 14:30:15 +02:00"),
    ("2021-03-04 08:00", "4 March 2021, 08:00 (no offset given)"),
    (None, "undated"),
])
def test_dates_read_as_people_write_them(written, shown) -> None:
    assert human_date(written) == shown


async def test_the_detail_shows_a_human_date_and_the_body_as_text(tmp_path: Path) -> None:
    html = ('<h2>Background</h2><p>Police raided <a href="https://example.org/paper">the '
            "paper</a>.</p><ul><li>one</li><li>two</li></ul>")
    feed = tmp_path / "f.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "r", "title": "Raid", "content_html": html,
         "date_published": "2019-12-31T23:30:00-05:00"}]}))
    db = build_archive(tmp_path / "r.db", [feed])
    async with browsing(db) as (app, _):
        text = detail(app)
        assert "31 December 2019, 23:30 -05:00" in text
        assert "Background\n\nPolice raided the paper [1].\n\n- one\n- two" in text
        assert "[1] https://example.org/paper" in text
        assert "<p>" not in text and "##" not in text
        assert "31 December 2019" in screen_text(app)


async def test_y_copies_a_citation_and_shows_it_and_the_palette_offers_the_formats(
    sample_archive_file: Path,
) -> None:
    from tui_helpers import press, settle, type_text

    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        await press(app, pilot, "4", "y")
        await settle(app, pilot)
        title = app.screen.query_one("#detail").record["title"]
        assert app.clipboard.startswith("Committee to Protect Journalists, ")
        assert f'"{title}"' in app.clipboard and "(accessed " in app.clipboard
        assert any(n.message == app.clipboard for n in app._notifications)  # shown too
        await press(app, pilot, "ctrl+p")
        await type_text(app, pilot, "Cite as BibTeX")
        await press(app, pilot, "enter")
        await settle(app, pilot)
        assert app.clipboard.startswith("@misc{ifex-")


async def test_o_opens_only_a_web_link_and_says_when_there_is_none(tmp_path: Path, monkeypatch) -> None:
    """The browser launch is the OS's: stubbed at that boundary only."""
    import webbrowser

    from tui_helpers import press, settle

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    feed = tmp_path / "links.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "web", "title": "Web", "url": "https://example.org/a?b=1",
         "date_published": "2020-01-03T00:00:00Z"},
        {"id": "js", "title": "Script", "url": "javascript:alert(1)",
         "date_published": "2020-01-02T00:00:00Z"},
        {"id": "none", "title": "No link", "date_published": "2020-01-01T00:00:00Z"}]}))
    db = build_archive(tmp_path / "links.db", [feed])
    async with browsing(db, notifications=True) as (app, pilot):
        await press(app, pilot, "4", "o")
        await settle(app, pilot)
        assert opened == ["https://example.org/a?b=1"]
        await press(app, pilot, "j", "o", "j", "o")
        await settle(app, pilot)
        assert opened == ["https://example.org/a?b=1"]  # never a script, never nothing
        said = [n.title or n.message for n in app._notifications]
        assert "Not a web link: not opened" in said
        assert any(n.message == "This alert has no link." for n in app._notifications)
        assert "Opening in your browser" in said

        monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)  # no browser here
        await press(app, pilot, "g", "o")
        await settle(app, pilot)
        assert list(app._notifications)[-1].title == "No browser could be opened: link copied instead"
        assert app.clipboard == "https://example.org/a?b=1"


async def test_ctrl_e_exports_the_alerts_in_view_in_a_worker(
    sample_archive_file: Path, tmp_path: Path, monkeypatch
) -> None:
    import csv

    from tui_helpers import find_and_toggle, press, settle, static_text, status, type_text

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    monkeypatch.chdir(tmp_path)
    async with browsing(sample_archive_file, notifications=True) as (app, pilot):
        await find_and_toggle(app, pilot, "1", "iraq")
        shown = int(status(app).split(" of ")[0].split()[-1].replace(",", ""))
        await press(app, pilot, "ctrl+e")
        assert isinstance(app.screen, ExportDialog)
        proposed = app.screen.query_one("#export-path").value
        assert proposed.startswith(str(tmp_path)) and proposed.endswith(".csv")
        await press(app, pilot, "escape")  # cancel: nothing written
        assert not isinstance(app.screen, ExportDialog) and list(tmp_path.iterdir()) == []

        target = tmp_path / "iraq.csv"
        await press(app, pilot, "ctrl+e", "tab")  # to the file
        await type_text(app, pilot, str(target))
        await press(app, pilot, "enter")
        await settle(app, pilot)
        await workers_done(app)
        await settle(app, pilot)
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert len(rows) == shown and all("Iraq" in row["countries"] for row in rows)
        made = json.loads((tmp_path / "iraq.csv.provenance.json").read_text("utf-8"))
        assert made["rows"] == shown and "--country IQ" in made["command"]
        assert any(n.title == f"Wrote {shown:,} alerts" and n.message == (
            f"iraq.csv\nhow it was made: iraq.csv.provenance.json\nin {tmp_path}"
        ) for n in app._notifications)

        await press(app, pilot, "ctrl+e", "tab")
        await type_text(app, pilot, "relative.csv")  # in the folder the app was started in
        await press(app, pilot, "enter")
        await settle(app, pilot)
        await workers_done(app)
        await settle(app, pilot)
        assert (tmp_path / "relative.csv").exists()
        assert any(n.message.startswith("relative.csv\n") and n.message.endswith(f"\nin {tmp_path}")
                   for n in app._notifications)  # the folder in full, not "in ."

        await press(app, pilot, "ctrl+e", "down", "down", "down")  # Markdown
        assert app.screen.query_one("#export-path").value.endswith(".md")
        await press(app, pilot, "tab")
        await type_text(app, pilot, str(tmp_path / "missing" / "x.md"))
        await press(app, pilot, "enter")  # a folder that is not there: said in the dialog
        assert isinstance(app.screen, ExportDialog)
        hint = " ".join(static_text(app.screen.query_one("#export-hint")).split())
        assert hint.endswith("missing/x.md: no such folder")

        await press(app, pilot, "escape", "ctrl+e", "down", "tab")  # JSON, to an existing file
        await type_text(app, pilot, str(target))
        await press(app, pilot, "shift+tab", "enter")  # enter exports from the list too
        hint = " ".join(static_text(app.screen.query_one("#export-hint")).split())
        assert "iraq.csv is named like CSV, but the format is JSON" in hint
        await press(app, pilot, "enter")
        hint = " ".join(static_text(app.screen.query_one("#export-hint")).split())
        assert isinstance(app.screen, ExportDialog)
        assert "iraq.csv and iraq.csv.provenance.json exist: enter again to replace them" in hint
        await press(app, pilot, "enter")
        await workers_done(app)
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert len(json.loads(target.read_text("utf-8"))) == shown  # replaced, as JSON


async def test_the_dialog_never_replaces_the_archive(sample_archive_file: Path, tmp_path: Path) -> None:
    import shutil

    from tui_helpers import press, static_text, type_text

    archive = tmp_path / "copy.db"
    shutil.copyfile(sample_archive_file, archive)
    before = archive.read_bytes()
    async with browsing(archive, notifications=True) as (app, pilot):
        await press(app, pilot, "ctrl+e", "tab")
        await type_text(app, pilot, str(archive))
        await press(app, pilot, "enter", "enter")  # said in the dialog, however often asked
        hint = " ".join(static_text(app.screen.query_one("#export-hint"), 300).split())
        assert "never replaces" in hint and str(archive) in hint
    assert archive.read_bytes()[:100] == before[:100]  # still the archive (the app wrote nothing)


async def test_a_file_named_for_another_format_is_written_only_when_asked_twice(
    sample_archive_file: Path, tmp_path: Path
) -> None:
    from tui_helpers import press, settle, static_text, type_text

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    target = tmp_path / "refs.ris"
    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "ctrl+e", "tab")  # CSV, to a file named like RIS
        await type_text(app, pilot, str(target))
        await press(app, pilot, "enter")
        hint = " ".join(static_text(app.screen.query_one("#export-hint")).split())
        assert isinstance(app.screen, ExportDialog) and "named like RIS" in hint
        assert "format is CSV" in hint and not target.exists()
        await press(app, pilot, "enter")
        await workers_done(app)
        await settle(app, pilot)
        assert target.read_text("utf-8").startswith("id,date,")  # CSV, as asked twice


async def test_a_burst_that_changes_the_format_then_types_the_file_keeps_what_was_typed(
    sample_archive_file: Path,
) -> None:
    from tui_helpers import burst, press, settle

    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "ctrl+e")
        burst(app, "down", "down", "tab", "ctrl+u", *"out.feed.json")  # JSON Feed, then a file
        await settle(app, pilot)
        assert app.screen.fmt == "jsonfeed"
        assert app.screen.query_one("#export-path").value == "out.feed.json"


async def test_a_file_typed_back_after_another_is_warned_of_again(
    sample_archive_file: Path, tmp_path: Path
) -> None:
    """The second enter goes past the warning only on the file it was given for, unchanged
    since: typed away and back, the existing file is warned of again (it was replaced)."""
    from tui_helpers import press, static_text, type_text

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    kept = tmp_path / "kept.csv"
    kept.write_text("my own notes\n", encoding="utf-8")
    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "ctrl+e", "tab")
        await type_text(app, pilot, str(kept))
        await press(app, pilot, "enter")  # warned: it exists
        await press(app, pilot, "backspace")
        await type_text(app, pilot, "v")  # kept.csv again, typed back
        await press(app, pilot, "enter")
        hint = " ".join(static_text(app.screen.query_one("#export-hint")).split())
        assert isinstance(app.screen, ExportDialog) and "exists: enter again" in hint
    assert kept.read_text(encoding="utf-8") == "my own notes\n"


async def test_a_file_typed_on_a_list_goes_to_the_file_box(tmp_path: Path) -> None:
    """With marks the dialog has three parts, so one tab lands on the formats: the file typed
    there goes to the file box (it was dropped, and enter exported to the proposed file)."""
    import csv

    from tui_helpers import press, settle, type_text

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    archive = build_archive(tmp_path / "archive.db")
    target = tmp_path / "out" / "typed.csv"
    target.parent.mkdir()
    async with browsing(archive) as (app, pilot):
        await press(app, pilot, "4", "m", "j", "m", "ctrl+e", "tab")  # two marked; on the formats
        assert app.screen.query_one("#export-formats").has_focus
        await type_text(app, pilot, str(target))
        assert app.screen.query_one("#export-path").value == str(target)  # replaced, as after tab
        await press(app, pilot, "enter")
        await workers_done(app)
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
    with target.open(newline="", encoding="utf-8") as file:
        assert len(list(csv.DictReader(file))) == 2
    assert sorted(p.name for p in target.parent.iterdir()) == ["typed.csv",
                                                               "typed.csv.provenance.json"]


async def test_the_export_dialog_is_not_drawn_under_what_was_said_before_it(
    sample_archive_file: Path,
) -> None:
    """``y`` then ``ctrl+e``: the citation's toast was drawn over the dialog's file box."""
    from tui_helpers import press, sample_items

    async with browsing(sample_archive_file, notifications=True, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "4", "y")
        assert "Citation" in screen_text(app)
        await press(app, pilot, "ctrl+e")
        shown = screen_text(app)
        assert f"Export {len(sample_items()):,} alerts" in shown and "Citation" not in shown


async def test_an_existing_provenance_file_is_warned_of_before_it_is_replaced(
    sample_archive_file: Path, tmp_path: Path
) -> None:
    """A CSV export writes how it was made beside it: that file, there already, is warned of
    as the export's own is (it was replaced without a word)."""
    from tui_helpers import press, settle, static_text, type_text

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    target, beside = tmp_path / "p.csv", tmp_path / "p.csv.provenance.json"
    beside.write_text("my notes\n", encoding="utf-8")
    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "ctrl+e", "tab")
        await type_text(app, pilot, str(target))
        await press(app, pilot, "enter")
        hint = " ".join(static_text(app.screen.query_one("#export-hint"), 300).split())
        assert isinstance(app.screen, ExportDialog)
        assert hint == (f"{beside} exists: enter again to replace it, or tab to the file.")
        assert beside.read_text(encoding="utf-8") == "my notes\n" and not target.exists()
        await press(app, pilot, "enter")  # asked twice: written, both
        await workers_done(app)
        await settle(app, pilot)
    assert target.exists() and '"rows"' in beside.read_text(encoding="utf-8")


async def test_two_enters_in_one_burst_replace_an_existing_file_as_typed_slowly(
    sample_archive_file: Path, tmp_path: Path
) -> None:
    """The second enter came before the first one's check had answered, and the burst ended on
    the warning: the file was never written (typed slowly, the second enter replaces it)."""
    from tui_helpers import burst, press, settle, type_text

    from ifex_tui.tui.screens.export_dialog import ExportDialog

    kept = tmp_path / "exist.csv"
    kept.write_text("precious\n", encoding="utf-8")
    async with browsing(sample_archive_file) as (app, pilot):
        await press(app, pilot, "ctrl+e", "tab")
        await type_text(app, pilot, str(kept))
        burst(app, "enter", "enter")
        await settle(app, pilot)
        await workers_done(app)
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
    assert kept.read_text(encoding="utf-8").startswith("id,date,")
