"""Where the archive lives: ``--db``, else ``$IFEX_TUI_DB``, else the platform's data dir."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import platformdirs

APP_NAME = "ifex-tui"
ENV_DB = "IFEX_TUI_DB"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def keymap_path() -> Path:
    """The user's keymap (``keymap.toml``): binding id = keys."""
    return config_dir() / "keymap.toml"


def settings_path() -> Path:
    """The user's settings (``config.toml``): theme, the panes' order, the year bars' scale,
    the citation ``y`` copies."""
    return config_dir() / "config.toml"


def sources_path() -> Path:
    """The user's table of reporting organisations (``sources.toml``): names, acronyms and
    language variants that count as one source, on top of the built-in table."""
    return config_dir() / "sources.toml"


def archive_path(db: Path | None = None) -> Path:
    """The archive to use: the explicit one, the environment's, or the default."""
    if db is not None:
        return db.expanduser()
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    return data_dir() / "archive.db"


def demo_archive_path() -> Path:
    """The archive that ``ifex-tui demo`` fills from the bundled sample."""
    return data_dir() / "demo.db"


#: The user's TOML files are read up to this size: a config is a few lines, and parsing a
#: file of megabytes (a wrong file named so) held the app's first screen for a minute.
MAX_TOML_BYTES = 1024 * 1024
#: Problems told about one file at most (each is a notification; 50 covered the screen).
MAX_PROBLEMS = 5


def read_toml(path: Path) -> tuple[dict, str | None]:
    """The table in the user's TOML file ``path`` (empty when there is none), or a problem
    naming it.  A byte order mark (as Windows editors write) is read past."""
    try:
        if not path.exists():
            return {}, None
        if path.stat().st_size > MAX_TOML_BYTES:
            return {}, f"{path}: not read (larger than {MAX_TOML_BYTES // 1024 // 1024} MB)"
        return tomllib.loads(path.read_text("utf-8-sig")), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, f"{path}: not read ({getattr(exc, 'strerror', None) or exc})"


def as_toml(value) -> str:
    """A value as TOML writes it (``true``, ``["nord"]``), for saying what a file held."""
    return json.dumps(value, ensure_ascii=False, default=str)


def at_most(problems: list[str], path: Path) -> list[str]:
    """``problems`` about ``path``, the first :data:`MAX_PROBLEMS` of them and how many more."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    shown = problems[: MAX_PROBLEMS - 1]
    return [*shown, f"{path}: {len(problems) - len(shown):,} more entries left out likewise"]
