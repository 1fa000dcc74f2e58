"""Sharing an archive read-only with Datasette: its facets and searches count what `stats` counts.

A real Datasette on 127.0.0.1 against a copy of the sample archive, with the metadata
`ifex-tui datasette-metadata` prints; skipped when Datasette is not installed (it is in the
test extra, so CI runs it).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import Invoke, stats_json

pytest.importorskip("datasette")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(cli: Invoke, sample_archive_file: Path, tmp_path: Path):
    archive = tmp_path / "archive.db"
    shutil.copyfile(sample_archive_file, archive)
    meta = tmp_path / "metadata.json"
    result = cli("datasette-metadata", "--db", archive)
    assert result.exit_code == 0, result.output
    meta.write_text(result.stdout, "utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "--immutable", str(archive), "-m", str(meta),
         "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/archive"

    def get(path: str) -> dict:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return json.loads(response.read())

    try:
        for _ in range(100):
            try:
                get(".json")
                break
            except OSError:
                time.sleep(0.1)
        yield get, archive
    finally:
        server.terminate()
        server.wait(timeout=10)


def _facet(data: dict, name: str) -> dict:
    return {f["value"]: f["count"] for f in data["facet_results"][name]["results"]}


def _named(values: list[dict], none: str) -> dict:
    """stats' values of a dimension, without its bucket of alerts with none (Datasette's facets
    count values only)."""
    return {v["name"]: v["alerts"] for v in values if v["name"] != none}


def test_datasettes_facets_and_searches_count_what_stats_counts(served, cli: Invoke) -> None:
    get, archive = served
    ours = stats_json(cli, "--db", archive)
    data = get("/alerts.json?_size=0&_facet=region&_facet_array=violations&_facet_array=targets")
    assert data["filtered_table_rows_count"] == ours["alerts"]
    assert _facet(data, "region") == _named(ours["regions"], "No region")
    assert _facet(data, "violations") == _named(ours["violations"], "No violation")
    assert _facet(data, "targets") == _named(ours["targets"], "No target")
    for word in ("radio", "killed", '"camera operator"'):
        searched = get(f"/alerts.json?_size=0&_search={urllib.parse.quote(word)}")
        assert searched["filtered_table_rows_count"] == stats_json(
            cli, "--db", archive, "--search", word)["alerts"], word
    assert get("/alerts_fts_text.json?_size=1")["rows"]  # the index's view reads: the plugin


def test_the_alerts_per_country_query_counts_what_stats_counts(served, cli: Invoke) -> None:
    get, archive = served
    ours = stats_json(cli, "--db", archive, "--values", "country")
    theirs = {row["country"]: row["alerts"] for row in get("/alerts_per_country.json?_shape=array")}
    assert theirs == _named(ours["values"], "Unknown country")
