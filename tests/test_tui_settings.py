"""The user's settings (``config.toml`` in the config dir, where ``ifex-tui paths`` says):
what the app shows from its first screen, and one line for each setting it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import _name_of, browsing, build_archive, options, pane, press, settle

from ifex_tui import paths
from ifex_tui.tui.settings import Settings


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_archive(tmp_path_factory.mktemp("settings") / "samples.db")


def write_settings(text: str, encoding: str = "utf-8") -> Path:
    path = paths.settings_path()  # where `ifex-tui paths` says it is
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding)
    return path


def names(facet_pane) -> list[str]:
    return [_name_of(option) for option in options(facet_pane)]


async def test_with_no_settings_the_app_starts_as_documented(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, _pilot):
        assert app.theme == Settings().theme == "textual-dark"
        countries = names(pane(app, "countries"))
        assert countries[0] == "Iraq"  # busiest first
        assert "bars: archive" in pane(app, "years").border_title


async def test_settings_choose_the_theme_order_bars_and_citation(sample_db: Path) -> None:
    async with browsing(sample_db) as (app, pilot):  # the orders s and r give
        busiest = names(pane(app, "countries"))
        await press(app, pilot, "1", "s", "3", "s")
        by_name = {name: names(pane(app, name)) for name in ("countries", "topics")}
    assert by_name["countries"] != busiest
    write_settings('theme = "nord"\norder = "name"\nyear_bars = "selection"\n'
                   'citation = "bibtex"\n')
    async with browsing(sample_db, notifications=True) as (app, pilot):
        assert not app._notifications
        assert app.theme == "nord"
        assert {name: names(pane(app, name)) for name in by_name} == by_name
        assert "bars: selection" in pane(app, "years").border_title
        await press(app, pilot, "4", "y")
        await settle(app, pilot)
        assert app.clipboard.startswith("@misc{")
        assert [n.title for n in app._notifications] == ["Citation copied (bibtex)"]
        await press(app, pilot, "1", "s")  # a key still changes it for the session
        assert names(pane(app, "countries")) == busiest


async def test_settings_that_cannot_be_used_are_one_line_each_and_the_defaults_apply(
    sample_db: Path,
) -> None:
    path = write_settings('theme = "nrod"\norder = "alphabetical"\ncolour = "red"\n'
                          'citation = "ris"\n')
    async with browsing(sample_db, notifications=True) as (app, pilot):
        messages = sorted(n.message for n in app._notifications)
        assert messages[0] == (f"{path}: no setting named 'colour' (there are theme, order, "
                               "year_bars, citation)")
        assert messages[1] == (f'{path}: order = "alphabetical" left out: it must be one of '
                               "busiest, name")
        assert messages[2].startswith(f'{path}: theme = "nrod" left out: it must be one of ')
        assert "nord" in messages[2] and len(messages) == 3
        assert app.theme == "textual-dark"
        await press(app, pilot, "4", "y")  # the usable setting applies
        await settle(app, pilot)
        assert app.clipboard.startswith("TY  - ELEC")
    write_settings("theme = \n")
    async with browsing(sample_db, notifications=True) as (app, _pilot):
        (message,) = [n.message for n in app._notifications]
        assert message.startswith(f"{path}: not read (") and "defaults apply" in message


async def test_a_settings_file_with_a_byte_order_mark_or_many_problems_stays_readable(
    sample_db: Path,
) -> None:
    """A BOM (as Windows editors write) is read past; fifty unknown keys are five lines, not
    fifty notifications over the screen; values are named as TOML writes them."""
    path = write_settings('theme = "nord"\norder = true\n'
                          + "".join(f"k{n} = 1\n" for n in range(50)), "utf-8-sig")
    async with browsing(sample_db, notifications=True) as (app, _pilot):
        assert app.theme == "nord"
        messages = [n.message for n in app._notifications]
        assert len(messages) == 5
        assert messages[0] == (f"{path}: order = true left out: it must be one of busiest, "
                               "name")
        assert messages[-1] == f"{path}: 47 more entries left out likewise"
