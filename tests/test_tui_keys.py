"""The key model under Pilot: bursts end as slow typing does, a user keymap rebinds by id,
enter on "no match" does nothing, escape ends a find only, a click toggles without a jump,
and worker failures (real SQLite errors, stale ones) never end the app or undo newer keys.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from textual import events
from tui_helpers import (
    browsing,
    build_archive,
    burst,
    country_of,
    n_of,
    option_for,
    options,
    pane,
    press,
    sample_items,
    screen_text,
    settle,
    static_text,
    status,
    type_text,
    typed,
)

from ifex_tui import paths
from ifex_tui.tui.escape_key import EscapeFirstParser
from ifex_tui.tui.screens.help import HelpScreen

ITEMS = sample_items()
TOTAL = len(ITEMS)
MEXICO = [i for i in ITEMS if country_of(i) == "Mexico"]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_archive(tmp_path_factory.mktemp("keys") / "samples.db")


def state(app) -> tuple:
    """What a sequence of keys decides: filters (status), focus, every pane's values with
    their counts, highlight and dimension, the list's cursor, the two boxes, the marks."""
    facets = tuple(
        (p.id, p.dimension, p.highlighted_key, p.by_name, p.relative, p.border_subtitle,
         tuple(options(p)))
        for p in app.screen.query("FacetList")
    )
    find, search = pane(app, "find"), pane(app, "search")
    return (
        status(app), app.focused.id if app.focused else None, facets,
        pane(app, "alerts").cursor, find.visible, find.value, search.visible, search.value,
        [pk for pk in range(app.screen.marks.bit_length()) if app.screen.marks >> pk & 1],
    )


BURSTS = [
    ("1", "f", *"mex", "enter", "2", "f", *"2010", "enter", "slash", *"radio", "enter", "x"),
    ("1", "f", *"mex", "enter", "f", *"phi", "enter", "2", "f", *"2011", "enter", "4", "j",
     "j"),
    ("3", "f", *"kil", "enter", "d", "f", *"journ", "enter", "1", "j", "j", "e", "4", "G", "k"),
    ("1", "f", *"zzz", "enter", "backspace", "backspace", "backspace", *"iraq", "enter", "s",
     "j", "space", "2", "r", "x"),
    ("slash", *"killed", "enter", "1", "f", *"pak", "enter", "slash", "backspace", "backspace",
     "enter", "5", "j", "escape", "G"),
    ("1", "f", *"côte", "enter", "e", "2", "f", *"201", "enter", "a", "j", "space"),
    ("1", "f", *"mex", "enter", "4", "G", "x", "j", "j"),  # G then x: the list starts over
    ("1", "f", *"zzz", "tab", "j", "enter"),  # tab ends the find: the pane after the one searched
    ("3", "f", "shift+tab", "j", "space", "slash", *"radio", "tab", "j"),
    ("1", "space", "3", "d"),  # d before the new counts: the dimension shown gets counted
    ("1", "space", "x", "3", "d", "d", "space"),
    # Keys on the highlighted alert or the marks wait for the answers before them:
    ("slash", *"journalist", "enter", "M", "v", "G"),  # v keeps the alert G went to
    ("4", "M", "v", "m", "m"),  # in the Marked view, m unmarks and the next m the next alert
    ("1", "f", *"mex", "enter", "4", "G", "m"),  # m marks the last alert of the new list
    ("4", "G", "m", "v", "j", "m", "v", "k"),
    ("1", "j", "space", "4", "m", "q"),  # q after a mark waits for it, then asks first
    ("4", "m", "j", "m", "M", "u", "v", "u", "j", "m"),  # u takes back M, then a mark
    # A screen opened behind a waiting key gets the keys after it once it is up.
    ("slash", *"radio", "enter", "j", "ctrl+e", "tab", "escape", "j"),
    # After a bad search the box reopens: the keys after enter are typed there.
    ("slash", "quotation_mark", "u", "n", "enter", "j", "j"),
    ("1", "f", *"mex", "enter", "slash", "quotation_mark", "u", "n", "enter", "x"),
    ("slash", "quotation_mark", "u", "n", "enter", "backspace", "backspace", "backspace",
     *"radio", "enter", "G"),
]


@pytest.mark.parametrize("keys", BURSTS, ids=[f"burst{n}" for n in range(len(BURSTS))])
async def test_a_burst_ends_exactly_as_the_same_keys_pressed_one_by_one(
    sample_db: Path, keys: tuple[str, ...]
) -> None:
    async with browsing(sample_db) as (app, pilot):
        burst(app, *keys)
        await settle(app, pilot)
        fast = state(app)
    async with browsing(sample_db) as (app, pilot):
        for key in keys:
            await press(app, pilot, key)
        slow = state(app)
    assert fast == slow


async def test_a_find_typed_at_paste_speed_shows_what_it_found(sample_db: Path) -> None:
    """The boxes float over the panes, so the pane's height, and where the find scrolls it
    to, are the same whether or not the box had been drawn yet."""
    for size in ((120, 40), (80, 24)):
        async with browsing(sample_db, size=size) as (app, pilot):
            burst(app, "1", "f", *"usa")
            await settle(app, pilot)
            countries = pane(app, "countries")
            top, height = int(countries.scroll_y), countries.scrollable_content_region.height
            assert top <= countries.highlighted < top + height
            assert options(countries)[countries.highlighted].split("  ")[1].strip() == (
                "United States"
            )


PUNCTUATION = "/+-@_\\«±»?.x1q"  # keys the screen or a pane binds, and keys Textual names oddly


#: Text in other scripts between Latin keys: the app used to type the Latin keys at once and
#: hand the others to the box a moment later, so a paste-speed burst came out reordered.
SCRIPTS = ["a \u0436\u0443\u0440\u043d\u0430\u043b b", "x 記者 y", "a مراسل b", "Đặng Văn",
           "na\u00efve \u201cquote\u201d", "\u03a9mega \U0001f642 ok"]


@pytest.mark.parametrize("text", SCRIPTS)
async def test_text_in_any_script_is_typed_in_the_order_sent(sample_db: Path, text: str) -> None:
    async with browsing(sample_db) as (app, pilot):
        for opening, box in ((("1", "f"), "find"), (("slash",), "search")):
            for fast in (True, False):
                await press(app, pilot, "escape", "4", *opening)
                if fast:
                    burst(app, *text)
                    await settle(app, pilot)
                else:
                    await type_text(app, pilot, text)
                assert pane(app, box).value == text, (box, fast)


async def test_a_paste_between_keys_lands_where_it_was_pasted(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "slash")
        burst(app, "a", "space")
        app.post_message(events.Paste("記者 OR reporter\r\n\tsecond  line\n"))
        burst(app, "space", "b")
        await settle(app, pilot)
        assert pane(app, "search").value == "a 記者 OR reporter second line b"  # lines joined


async def test_every_printable_key_is_text_in_the_find_and_search_boxes(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        for opening, box in ((("1", "f"), "find"), (("slash",), "search")):
            for typed in (list(PUNCTUATION), None):  # pressed one by one, then in one burst
                await press(app, pilot, "escape", "4", *opening)
                if typed is None:
                    burst(app, *PUNCTUATION)
                    await settle(app, pilot)
                else:
                    await type_text(app, pilot, PUNCTUATION)
                entry = pane(app, box)
                assert app.focused is entry and entry.visible
                assert entry.value == PUNCTUATION
                assert status(app).startswith("No filters")


def write_keymap(text: str) -> Path:
    path = paths.keymap_path()  # where `ifex-tui paths` says it is
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


async def test_a_user_keymap_rebinds_by_id_and_the_old_key_stops(sample_db: Path) -> None:
    write_keymap('[keymap]\n"browser.search" = "ctrl+f"\n"facet.exclude" = "n"\n')
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "slash")
        assert not pane(app, "search").visible  # / no longer opens the search
        await press(app, pilot, "ctrl+f")
        assert pane(app, "search").visible and app.focused is pane(app, "search")
        await press(app, pilot, "escape")
        assert "^f Search" in screen_text(app).splitlines()[-1]  # the footer shows the live key
        await press(app, pilot, "1", "f")
        await type_text(app, pilot, "iraq")
        await press(app, pilot, "escape", "e")  # e excludes no more
        assert status(app) == f"No filters {TOTAL:,} alerts"
        await press(app, pilot, "n")
        iraq = sum(1 for i in ITEMS if country_of(i) == "Iraq")
        assert status(app) == f"Country: not Iraq {n_of(TOTAL - iraq, TOTAL)}"

        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(static_text(w, 140) for w in app.screen.query("Static"))
        assert any(line.split()[:2] == ["ctrl+f", "Search"] for line in text.splitlines())
        assert any(line.split()[:2] == ["n", "Exclude"] for line in text.splitlines())
        assert not any(line.split()[:2] == ["/", "Search"] for line in text.splitlines())


async def test_a_keymap_that_cannot_be_used_is_one_line_and_the_defaults_apply(
    sample_db: Path,
) -> None:
    path = write_keymap('[keymap]\n"browser.serch" = "ctrl+f"\n"browser.clear" = 3\n')
    async with browsing(sample_db, notifications=True) as (app, pilot):
        messages = [n.message for n in app._notifications]
        assert f"{path}: no binding has the id 'browser.serch' (? lists them)" in messages
        assert any(m.startswith(f"{path}: browser.clear: keys must be") for m in messages)
        await press(app, pilot, "slash")
        assert pane(app, "search").visible  # the default keys still work
    path = write_keymap(
        '[keymap]\n"browser.search" = "e"\n"facet.find" = "a"\n"facet.exclude" = "ctrl+banana"\n'
    )
    async with browsing(sample_db, notifications=True) as (app, pilot):
        assert sorted(n.message for n in app._notifications) == [
            f"{path}: browser.search = 'e' left out: 'e' is already Exclude (facet.exclude) "
            "in facet panes",
            f"{path}: facet.exclude: 'ctrl+banana' is not a key name (try ctrl+f, f5, n)",
            f"{path}: facet.find = 'a' left out: 'a' is already Any/all (facet.any_all) "
            "in facet panes",
        ]
        await press(app, pilot, "1", "e")  # e still excludes, / still searches
        assert status(app).startswith("Country: not ")
    write_keymap("[keymap\n")
    async with browsing(sample_db, notifications=True) as (app, pilot):
        (message,) = [n.message for n in app._notifications]
        assert message.startswith(f"{path}: not read (") and "default keys apply" in message


async def test_enter_on_no_match_does_nothing_and_escape_ends_only_the_find(
    sample_db: Path,
) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "1", "f")
        await type_text(app, pilot, "mex")
        await press(app, pilot, "enter")
        mexico = f"Country: Mexico {n_of(len(MEXICO), TOTAL)}"
        assert status(app) == mexico
        find = pane(app, "find")

        await press(app, pilot, "f")
        await type_text(app, pilot, "zzq")
        assert find.border_subtitle == "no match"
        await press(app, pilot, "enter")
        assert status(app) == mexico  # nothing toggled
        assert find.visible and app.focused is find and find.value == "zzq"  # still to mend

        await press(app, pilot, "escape")
        assert status(app) == mexico  # the filters stay
        assert not find.visible and find.value == "" and find.border_subtitle == ""
        assert app.focused is pane(app, "countries")
        assert option_for(pane(app, "countries"), "Mexico").startswith("● ")


async def test_a_click_toggles_the_value_under_the_pointer_and_the_list_stays(
    sample_db: Path,
) -> None:
    async with browsing(sample_db) as (app, pilot):
        countries = pane(app, "countries")
        await press(app, pilot, "1", "pagedown", "pagedown")
        scrolled = countries.scroll_y
        assert scrolled > 0
        drawn_before = options(countries)
        await pilot.click("#countries", offset=(8, 3))  # the border is line 0: the third row
        await settle(app, pilot)
        clicked = drawn_before[int(scrolled) + 2]
        name = clicked[2:].rsplit(None, 1)[0].strip()
        assert status(app).startswith(f"Country: {name} ")
        assert countries.scroll_y == scrolled  # the list did not jump
        assert options(countries)[int(scrolled) + 2].startswith("● ")


@pytest.mark.parametrize("keys", [("question_mark", *"jjjjjjjj"),
                                  ("question_mark", "pagedown", "pagedown", "k", "j", "j"),
                                  ("slash", *"radio", "enter", "4", "j", "question_mark", "j")])
async def test_a_burst_in_the_help_scrolls_as_far_as_the_keys_one_by_one(
    sample_db: Path, keys: tuple[str, ...]
) -> None:
    ends = []
    for fast in (True, False):
        async with browsing(sample_db) as (app, pilot):
            await typed(app, pilot, keys, fast)
            assert isinstance(app.screen, HelpScreen)
            ends.append(app.screen.query_one("#help").scroll_y)
    assert ends[0] == ends[1] > 0


async def test_keys_after_a_search_slow_to_check_go_on_after_a_moment(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search whose check takes minutes (as a short prefix's merge can on a cold disk at a
    million alerts; here a slow query on the counts' connection): ``x`` typed after its
    enter is not held for it, and stops it."""
    from ifex_tui.archive import queries

    real_check = queries.check_search

    def slow_check(conn, filters) -> None:
        if filters.search == "radio":
            conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                         "WHERE x < 10000000000) SELECT count(*) FROM c").fetchall()
        real_check(conn, filters)

    monkeypatch.setattr(queries, "check_search", slow_check)
    async with browsing(sample_db) as (app, pilot):
        burst(app, "slash", *"radio", "enter", "x")
        searched = False
        for _ in range(100):  # up to 5 s; the check alone would take minutes
            await pilot.pause(0.05)
            searched = searched or app.screen.filters.search == "radio"
            if searched and not app.screen.filters.search:
                break
        assert searched and not app.screen.filters.search  # x applied, the check not done
        await settle(app, pilot)
        assert searched and status(app) == f"No filters {TOTAL:,} alerts"


async def test_keys_typed_after_a_bad_search_go_into_the_box_it_reopens(
    sample_db: Path,
) -> None:
    """``/"un⏎jj`` at once: the box reopens, as typed slowly, and the j's typed after enter
    are typed there (``"unjj``), not moves of a list that never came."""
    async with browsing(sample_db, notifications=True) as (app, pilot):
        burst(app, "slash", "quotation_mark", "u", "n", "enter", "j", "j")
        await settle(app, pilot)
        assert pane(app, "search").value == '"unjj'
        assert app.focused is pane(app, "search")
        assert pane(app, "alerts").cursor == 0
        assert pane(app, "search").border_title == 'Not applied: a "phrase" has no closing quote'


@pytest.mark.parametrize(
    ("before", "kept"),
    [([], f"Country: Mexico {len(MEXICO):,} of {TOTAL:,} alerts"),
     (["e"], f"Country: not Mexico {TOTAL - len(MEXICO):,} of {TOTAL:,} alerts")],
    ids=["toggle", "toggle then exclude"],
)
async def test_a_bad_search_takes_back_only_the_search_not_the_keys_before_it(
    sample_db: Path, before: list[str], kept: str
) -> None:
    """Facet keys then a bad search typed at once: the facet keys stay applied (the search
    failed before their answers had come)."""
    async with browsing(sample_db, notifications=True) as (app, pilot):
        burst(app, "1", "f", *"mex", "enter", *before, "slash", "quotation_mark", "u", "n", "enter")
        await settle(app, pilot)
        assert status(app) == kept
        assert pane(app, "search").border_title.startswith("Not applied: ")
        assert pane(app, "search").value == '"un'  # there to be mended


async def test_an_archive_error_in_any_worker_is_a_notification_and_the_app_stays_up(
    tmp_path: Path,
) -> None:
    db = build_archive(tmp_path / "breaking.db")
    async with browsing(db, notifications=True) as (app, pilot):
        other = sqlite3.connect(db)  # another program damages the archive under the app
        other.executescript(  # in one transaction: the app sees one change, not two
            "BEGIN; DROP TABLE alerts_fts; ALTER TABLE alerts RENAME TO alerts_gone; COMMIT;"
        )
        other.close()
        await press(app, pilot, "slash")
        await type_text(app, pilot, "killed")
        await press(app, pilot, "enter")  # counts: the search table is gone
        await press(app, pilot, "4", "G")  # list blocks and detail: the alerts are gone
        await settle(app, pilot)
        assert app.is_running
        titles = {n.title for n in app._notifications}
        assert titles == {"Archive error"}
        messages = [n.message for n in app._notifications]
        assert len(messages) == len(set(messages))  # each problem told once
        assert status(app).endswith("not counted: archive error")  # no "counting…" for ever
        shown = screen_text(app)
        assert "The archive could not be read." in shown  # no rows of other filters
        assert all(m.startswith(f"{db}: ") for m in messages)
        assert any("no such table" in m for m in messages)
        assert not any("FTS5" in m or "Search:" in m for m in messages)  # not a syntax error
        await press(app, pilot, "1", "j")  # still answering keys
        assert app.focused is pane(app, "countries")


def test_a_superseded_query_is_interrupted_and_the_lane_stays_usable(sample_db: Path) -> None:
    """What apply() does to the running count when newer filters arrive."""
    import threading

    from ifex_tui.tui.reader import ArchiveReader

    reader = ArchiveReader(sample_db)
    started, outcome = threading.Event(), {}

    def slow_count() -> None:
        with reader.connect("counts") as conn:
            started.set()
            try:  # a count that would take minutes
                conn.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                    "SELECT count(*) FROM n, alerts"
                ).fetchone()
            except sqlite3.OperationalError as exc:
                outcome["error"] = str(exc)

    worker = threading.Thread(target=slow_count)
    worker.start()
    started.wait(5)
    for _ in range(100):  # an interrupt before the statement has begun does nothing: repeat
        reader.interrupt("counts")
        worker.join(0.05)
        if not worker.is_alive():
            break
    assert not worker.is_alive()
    assert outcome == {"error": "interrupted"}
    with reader.connect("counts") as conn:  # the next request runs as usual
        assert conn.execute("SELECT count(*) FROM alerts").fetchone()[0] == TOTAL


async def test_typing_in_a_reopened_search_box_replaces_the_old_search(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "slash")
        await type_text(app, pilot, "radio")
        await press(app, pilot, "enter", "slash")
        assert pane(app, "search").value == "radio"  # shown, selected
        await type_text(app, pilot, "killed")
        assert pane(app, "search").value == "killed"
        burst(app, "enter", "slash", *"bbc")
        await settle(app, pilot)
        assert pane(app, "search").value == "bbc"


@pytest.mark.parametrize(("sent", "keys"), [
    ("\x1bj", ["escape", "j"]),
    ("\x1bG", ["escape", "G"]),
    ("\x1b1", ["escape", "1"]),  # Textual alone: "¡", a macOS option key
    ("\x1b/", ["escape", "slash"]),  # Textual alone: "slash", the escape lost
    ("\x1b\r", ["escape", "enter"]),
    ("\x1b\t", ["escape", "tab"]),
    ("\x1bж", ["escape", "ж"]),
    ("\x1b\x1bj", ["escape", "escape", "j"]),
    # what terminals send for keys of their own stays those keys
    ("\x1b[A", ["up"]),
    ("\x1bOB", ["down"]),
    ("\x1b[1;5C", ["ctrl+right"]),
    ("\x1bf", ["ctrl+right"]),  # option+right on macOS
    ("\x1b\x7f", ["ctrl+w"]),  # alt+backspace: delete a word
])
def test_an_escape_and_the_key_right_behind_it_are_two_keys(sent: str, keys: list[str]) -> None:
    """The bytes a terminal sends when escape and a key arrive together, through the parser
    the app's driver reads keys with."""
    parser = EscapeFirstParser()
    read = list(parser.feed(sent))
    time.sleep(0.15)  # past the escape delay, as the driver's ticks would be
    read += list(parser.tick())
    assert [event.key for event in read if isinstance(event, events.Key)] == keys


async def test_escape_f_is_a_word_on_in_a_box_and_escape_then_find_in_a_pane(
    sample_db: Path,
) -> None:
    """``ESC f`` is what macOS terminals send for option+right, and what an escape with ``f``
    right behind it sends: in the search box a word on, in a facet pane the pane cleared and a
    find opened (where ``ctrl+right`` alone did nothing and both keys were lost)."""
    from ifex_tui.tui.escape_key import EscapePair

    def escape_f() -> EscapePair:
        return EscapePair("ctrl+right", events.Key("f", "f"))

    async with browsing(sample_db) as (app, pilot):
        await press(app, pilot, "1", "f")
        await type_text(app, pilot, "iraq")
        await press(app, pilot, "enter")
        assert status(app).startswith("Country: Iraq ")
        app.post_message(escape_f())
        await settle(app, pilot)
        await type_text(app, pilot, "mex")
        await press(app, pilot, "enter")
        assert status(app).startswith("Country: Mexico ")

        await press(app, pilot, "slash")
        await type_text(app, pilot, "press freedom")
        search = pane(app, "search")
        await press(app, pilot, "home")
        app.post_message(escape_f())
        await settle(app, pilot)
        assert app.focused is search and search.cursor_position == len("press ")
