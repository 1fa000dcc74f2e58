"""Where the archive lives: ``--db``, else ``$IFEX_TUI_DB``, else the platform's data dir."""

from __future__ import annotations

import os
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
