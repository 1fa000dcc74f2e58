"""The user's settings: ``config.toml`` in the config dir, read when the app starts.

What a researcher would otherwise set again in every session::

    # ~/.config/ifex-tui/config.toml  (`ifex-tui paths` prints where)
    theme = "nord"             # a Textual theme: textual-dark (default), textual-light, nord, ...
    order = "name"             # the facet panes: "busiest" first (the default) or by "name"
    year_bars = "selection"    # the years' bars: on the "archive"'s scale (default) or the selection's
    citation = "bibtex"        # what y and Y copy: text (default), csl-json, ris, biblatex, bibtex

The file is the user's: the app reads it and never writes it (a key changed in the app lasts
the session).  A setting that cannot be used is left at its default, with one line naming the
file, the setting and why, as the keymap's are.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ifex_tui import paths
from ifex_tui.archive.export import CITATION_FORMATS

#: The choices of each setting but the theme (the app knows its themes), the default first.
CHOICES = {
    "order": ("busiest", "name"),
    "year_bars": ("archive", "selection"),
    "citation": ("text", *CITATION_FORMATS),
}


@dataclass(frozen=True)
class Settings:
    theme: str = "textual-dark"
    order: str = CHOICES["order"][0]
    year_bars: str = CHOICES["year_bars"][0]
    citation: str = CHOICES["citation"][0]


def load(themes: Collection[str], path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings in ``path`` (default: the config dir's ``config.toml``), ``themes`` being
    the theme names the app has, and one line per setting left at its default (at most
    :data:`~ifex_tui.paths.MAX_PROBLEMS`)."""
    path = path or paths.settings_path()
    table, problem = paths.read_toml(path)
    if problem:
        return Settings(), [f"{problem}; the defaults apply"]
    names = [field.name for field in fields(Settings)]
    settings, problems = Settings(), []
    for name, value in table.items():
        if name not in names:
            problems.append(f"{path}: no setting named {name!r} (there are {', '.join(names)})")
            continue
        choices = sorted(themes) if name == "theme" else CHOICES[name]
        if value not in choices:
            problems.append(f"{path}: {name} = {paths.as_toml(value)} left out: it must be one "
                            f"of {', '.join(choices)}")
            continue
        settings = replace(settings, **{name: value})
    return settings, paths.at_most(problems, path)
