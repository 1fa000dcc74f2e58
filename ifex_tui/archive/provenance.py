"""How an export was made, so that a paper can say it and a reader can make it again.

Every export records the command that reproduces it (``ifex-tui export`` with its filters, as
:func:`filters.as_options` writes them back), the archive, a snapshot of it (the last import:
when it finished and the sha256 of its file, and how many alerts the archive held), when the
export was made, the ifex-tui version and how many alerts it holds.  Formats with a place for
it carry it (a JSON Feed's ``_ifex_export``); the others get a ``FILE.provenance.json`` beside
the file (or where ``--manifest`` says).
"""

from __future__ import annotations

import hashlib
import os
import shlex
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from ifex_tui import __version__
from ifex_tui.archive import marked
from ifex_tui.archive.filters import Filters, as_options

#: What the sidecar of ``FILE`` is called.
SIDECAR_SUFFIX = ".provenance.json"


def snapshot(conn: sqlite3.Connection) -> dict:
    """What identifies the archive's state: its last import and how many alerts it holds."""
    last = conn.execute(
        "SELECT finished, sha256, file FROM imports ORDER BY pk DESC LIMIT 1"
    ).fetchone()
    alerts = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
    return {
        "last_import_finished": last[0] if last else None,
        "last_import_sha256": last[1] if last else None,
        "last_import_file": last[2] if last else None,
        "alerts": alerts,
    }


#: Up to this many marked alerts, the recorded command names each (``--id``); more are listed
#: in a file beside the export (``--ids FILE``): a command line holds about 2 MB, and 200,000
#: ids are more.
INLINE_IDS = 100


def record(conn: sqlite3.Connection, archive: Path, filters: Filters, fmt: str,
           rows: int | None = None, how: list[str] | None = None,
           ids_file: Path | None = None) -> tuple[dict, list[str]]:
    """The provenance of an export of ``filters`` from ``archive`` in ``fmt``; ``how`` are the
    options that change the output beside the filters (``--raw``).

    Marked alerts are written as their ids: ``--id`` each, or, when there are more than
    :data:`INLINE_IDS` and ``ids_file`` is given, ``--ids ids_file``.  Returns the record and
    the ids to list in ``ids_file`` (none when the command names them), which
    :func:`writing.write_file` writes there with the export.
    """
    ids = marked.ids_of(conn, filters.marked) if filters.marked is not None else []
    listed = ids_file is not None and len(ids) > INLINE_IDS
    options = as_options(filters, [] if listed else ids)
    if listed:  # absolute, as the archive is: the command runs from any folder
        ids_file = Path(os.path.abspath(ids_file))
        options += ["--ids", str(ids_file)]
    command = ["ifex-tui", "export", "--db", str(archive), "--format", fmt, *(how or []), *options]
    made = {
        "command": shlex.join(command),
        "archive": str(archive),
        "snapshot": snapshot(conn),
        "filters": options,
        "format": fmt,
        "exported": datetime.now(UTC).isoformat(timespec="seconds"),
        "ifex_tui_version": __version__,
        "rows": rows,
    }
    if listed:  # and what it must hold, should it be moved or edited
        made["ids_file"] = str(ids_file)
        made["ids_sha256"] = hashlib.sha256(ids_text(ids).encode()).hexdigest()
    return made, (ids if listed else [])


def ids_text(ids: list[str]) -> str:
    """The ids file's text: one id a line."""
    return "".join(f"{alert_id}\n" for alert_id in ids)


def sidecar(output: Path) -> Path:
    return output.with_name(output.name + SIDECAR_SUFFIX)


def ids_sidecar(output: Path) -> Path:
    """Where the ids of an export of many marked alerts are listed (see :func:`record`)."""
    return output.with_name(output.name + ".ids.txt")
