"""Make archive-schema3.feed.json and archive-schema3.sql (kept for their provenance).

The dump is an archive as ifex-tui made it at schema 3, so that test_sources.py can bring a
real old archive forward.  Run it with that code first on the path, from any folder::

    git archive c729d6e | tar -x -C /tmp/ifex-c729d6e
    PYTHONPATH=/tmp/ifex-c729d6e .venv/bin/python tests/data/make_archive_schema3.py

The feed is 29 real items of the two samples (CPJ under both of its spellings, RSF, WiPC,
PEN American Center ...) and 5 synthetic ones (a French and a lower-case RSF, bare "PEN",
an unrecognised country, a source with a leading "The", a name with its acronym).  The dump
is ``Connection.iterdump()`` of the imported archive, with the full-text index left out and
re-created by its own statement and a 'rebuild' (its shadow tables are derived data).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE.parent.parent / "data"
FEED = HERE / "archive-schema3.feed.json"
DUMP = HERE / "archive-schema3.sql"


def make_feed() -> None:
    digest = json.loads((DATA / "ifex-digest-sample.feed.json").read_text())["items"]
    cpj = json.loads((DATA / "cpj-sample.feed.json").read_text())["items"]
    want = {"CPJ": 8, "RSF": 5, "PEN American Center": 2, "WiPC": 2, "IPI": 2, "ARTICLE 19": 2,
            "Freedom House": 1, "IFLA": 1, "HRNJ-Uganda": 1}
    picked = []
    for item in digest:
        source = item["_ifex"].get("source")
        if want.get(source, 0) > 0:
            want[source] -= 1
            picked.append(item)
    assert not any(want.values()), want
    picked += cpj[:4] + [i for i in cpj[4:] if "date_published" not in i][:1]
    synthetic = [
        {"id": "synthetic:rsf-fr", "title": "Journaliste détenu",
         "date_published": "2011-03-02T00:00:00Z",
         "_ifex": {"country": "Mexico", "violations": ["Detained"],
                   "source": "Reporters sans frontières"}},
        {"id": "synthetic:rsf-lower", "title": "Radio closed", "date_published": "2010-07-01T00:00:00Z",
         "_ifex": {"country": "Atlantis", "violations": ["Censored"], "source": "rsf"}},
        {"id": "synthetic:pen", "title": "Writer sued", "date_published": "2012-01-09T00:00:00Z",
         "_ifex": {"country": ["Iraq", "Atlantis"], "violations": ["Legal action"], "source": "PEN"}},
        {"id": "synthetic:club", "title": "Press club raided", "tags": ["Atlantis", "Raid"],
         "date_published": "2012-02-10T00:00:00Z",
         "_ifex": {"violations": ["Attacked"], "source": "The Zanzibar Press Club"}},
        {"id": "synthetic:cpj-long", "title": "Reporter missing", "date_published": "2009-11-30T00:00:00Z",
         "_ifex": {"country": "Somalia", "source": "Committee to Protect Journalists (CPJ)"}},
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1",
            "title": "ifex-tui test feed: sample items and synthetic ones (see test_sources.py)",
            "items": picked + synthetic}
    FEED.write_text(json.dumps(feed, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def make_dump() -> None:
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "archive.db"
        subprocess.run([sys.executable, "-m", "ifex_tui", "import", str(FEED), "--db", str(archive)],
                       check=True)
        conn = sqlite3.connect(archive)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == 3, version
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        fts = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'alerts_fts'").fetchone()[0]
        conn.execute("DROP TABLE alerts_fts")
        conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
        conn.commit()
        lines = list(conn.iterdump())
        conn.close()
    assert lines[0] == "BEGIN TRANSACTION;" and lines[-1] == "COMMIT;"
    header = [
        "-- An ifex-tui archive at schema 3, made by importing archive-schema3.feed.json with the",
        "-- code of commit c729d6e; see make_archive_schema3.py.",
        f"PRAGMA application_id = {app_id};",
        "BEGIN TRANSACTION;",
    ]
    footer = [
        f"{fts};",
        "INSERT INTO alerts_fts (alerts_fts) VALUES ('rebuild');",
        f"PRAGMA user_version = {version};",
        "COMMIT;",
    ]
    DUMP.write_text("\n".join(header + lines[1:-1] + footer) + "\n", encoding="utf-8")


if __name__ == "__main__":
    make_feed()
    make_dump()
    shutil.rmtree(HERE / "__pycache__", ignore_errors=True)
