"""Shared fixtures: a private archive and data dirs per test, the real sample feeds, feed writers.

Every test runs against real SQLite files under its own ``tmp_path``: the autouse fixture points
``$IFEX_TUI_DB`` and the platformdirs locations there, so no test can touch a real archive.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ifex_tui.archive import schema
from ifex_tui.cli import app

DATA = Path(__file__).parent.parent / "data"
CPJ_NAME = "cpj-sample.feed.json"
DIGEST_NAME = "ifex-digest-sample.feed.json"
JSONFEED_11 = "https://jsonfeed.org/version/1.1"


#: The name every source the sample feeds (and tests/data/archive-schema3.feed.json) write
#: counts under where it is not the name itself, written out by hand from
#: ifex_tui/archive/data/sources.toml: the independent reference for source counts.
SOURCE_NAMES = {
    "Committee to Protect Journalists": "CPJ",
    "Committee to Protect Journalists (CPJ)": "CPJ",
    "rsf": "RSF",
    "Reporters sans frontières": "RSF",
    "WiPC": "PEN International",
    "ABRAJI": "Abraji",
    "PEN American Center": "PEN America",
}


def source_name(written: str | None) -> str | None:
    """The name an item's source counts under (the reference for source counts)."""
    return None if written is None else SOURCE_NAMES.get(written, written)


def source_of(i: dict) -> str | None:
    """The name the source of sample item ``i`` counts under, or None if it names none."""
    return source_name((i.get("_ifex") or {}).get("source"))


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Archive, data and config dirs inside this test's tmp_path; returns the archive path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    archive = tmp_path / "archive.db"
    monkeypatch.setenv("IFEX_TUI_DB", str(archive))
    return archive


@pytest.fixture
def archive(private_dirs: Path) -> Path:
    """The archive file the CLI uses by default in this test (``$IFEX_TUI_DB``)."""
    return private_dirs


@pytest.fixture
def cpj_feed() -> Path:
    return DATA / CPJ_NAME


@pytest.fixture
def digest_feed() -> Path:
    return DATA / DIGEST_NAME


@pytest.fixture
def sample_feeds(cpj_feed: Path, digest_feed: Path) -> list[Path]:
    return [cpj_feed, digest_feed]


def load_items(path: Path) -> list[dict]:
    """A sample feed's items, read with the stdlib only (the independent reference)."""
    return json.loads(path.read_text(encoding="utf-8"))["items"]


@pytest.fixture(scope="session")
def sample_items() -> list[dict]:
    """Every item of both real samples, as the stdlib reads them."""
    return load_items(DATA / CPJ_NAME) + load_items(DATA / DIGEST_NAME)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


Invoke = Callable[..., Any]


@pytest.fixture
def cli(runner: CliRunner) -> Invoke:
    """Run ``ifex-tui ARGS`` in-process; never lets an exception escape as a pass."""

    def invoke(*args: str | Path, input: str | bytes | None = None):
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(
                f"ifex-tui {' '.join(map(str, args))} raised {result.exception!r}\n{result.output}"
            ) from result.exception
        return result

    return invoke


@pytest.fixture(scope="session")
def sample_archive_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both real samples imported once per session by the real CLI (copied, never written)."""
    path = tmp_path_factory.mktemp("sample-archive") / "samples.db"
    feeds = [str(DATA / CPJ_NAME), str(DATA / DIGEST_NAME)]
    result = CliRunner().invoke(app, ["import", *feeds, "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert not Path(f"{path}-wal").exists()  # checkpointed on close: the file is the archive
    return path


@pytest.fixture
def imported(archive: Path, sample_archive_file: Path) -> Path:
    """The default archive holding both real samples."""
    shutil.copyfile(sample_archive_file, archive)
    return archive


def item(item_id: Any = "a-1", **fields: Any) -> dict:
    """A valid minimal item; keyword arguments add or replace fields (None removes one)."""
    base = {"id": item_id, "title": f"Alert {item_id}", "date_published": "2012-05-01T00:00:00Z"}
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


class FeedWriter:
    """Write feeds in any container into tmp_path: ``write_feed.jsonfeed(items)`` and friends."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def _path(self, name: str | None, suffix: str) -> Path:
        self.count += 1
        return self.folder / (name or f"feed{self.count}{suffix}")

    def raw(self, data: bytes | str, name: str | None = None) -> Path:
        """Exactly these bytes (str is written as UTF-8)."""
        path = self._path(name, ".json")
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def jsonfeed(
        self, items: Iterable[Any], name: str | None = None, version: Any = JSONFEED_11, **top: Any
    ) -> Path:
        feed = {"version": version, "title": "test feed", **top, "items": list(items)}
        if version is None:
            del feed["version"]
        return self.raw(json.dumps(feed), name or None)

    def array(self, items: Iterable[Any], name: str | None = None) -> Path:
        return self.raw(json.dumps(list(items)), name)

    def jsonl(self, items: Iterable[Any], name: str | None = None) -> Path:
        text = "".join(json.dumps(i) + "\n" for i in items)
        return self.raw(text, name or f"feed{self.count + 1}.jsonl")

    def gzip(self, path: Path, name: str | None = None) -> Path:
        """A gzip copy of ``path``."""
        return self.raw(gzip.compress(path.read_bytes()), name or path.name + ".gz")

    def __call__(self, items: Iterable[Any], name: str | None = None, **top: Any) -> Path:
        return self.jsonfeed(items, name, **top)


@pytest.fixture
def write_feed(tmp_path: Path) -> FeedWriter:
    folder = tmp_path / "feeds"
    folder.mkdir()
    return FeedWriter(folder)


def import_json(cli: Invoke, *args: str | Path, input: str | bytes | None = None) -> tuple[int, dict]:
    """``ifex-tui import --json ARGS``: exit code and the parsed report."""
    result = cli("import", "--json", *args, input=input)
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def stats_json(cli: Invoke, *args: str | Path) -> dict:
    result = cli("stats", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def export_json(cli: Invoke, *args: str | Path) -> list[dict]:
    result = cli("export", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def snapshot(archive: Path) -> dict:
    """Everything a user could see change: alert ids and hashes, facet counts, import log."""
    if not archive.exists():
        return {"exists": False}
    conn = sqlite3.connect(archive)
    schema.register_functions(conn)  # the search index reads its text through a view
    try:
        return {
            "alerts": conn.execute("SELECT id, hash FROM alerts ORDER BY id").fetchall(),
            "facets": conn.execute("SELECT count(*) FROM alert_facets").fetchone()[0],
            "counts": conn.execute("SELECT * FROM facet_counts ORDER BY 1, 2, 3").fetchall(),
            "imports": conn.execute("SELECT count(*) FROM imports").fetchone()[0],
            "fts": conn.execute("SELECT count(*) FROM alerts_fts").fetchone()[0],
        }
    finally:
        conn.close()


@contextlib.contextmanager
def read_only_view(archive: Path, folder: Path) -> Iterator[Path]:
    """``archive`` copied into ``folder``/src and seen through a read-only bind mount at
    ``folder``/ro (even root cannot write there); skips the test where mounting is not allowed.
    """
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    source, view = folder / "src", folder / "ro"
    source.mkdir()
    view.mkdir()
    shutil.copyfile(archive, source / "archive.db")
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", source, view], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount: {mounted.stderr.decode().strip()}")
    try:
        yield view / "archive.db"
    finally:
        subprocess.run(["umount", view], check=True)
