"""Alerts chosen one by one: the app's marks and the command line's ``--id``.

A researcher marks the alerts a paper cites, or picks them by id in a script; either way the
choice is a filter of its own (:attr:`Filters.marked`), AND-ed with the others.  It is held as
a bitmap of alert pks, like the facets' (``bitmaps.py``): marking every alert in view is one
OR of the view's bitmap, and counting under the marks one more AND.  The list pages them in
list order straight from that bitmap (``list_order.py``), as it does a search's hits.
Ids are what a person and a command line see; pks never leave the archive.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator

from ifex_tui.archive import bitmaps

#: The set bits of each byte value, and the runs of bytes with one set.
_OFFSETS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]
_SET_BYTES = re.compile(rb"[^\x00]+")


def members(bits: int) -> Iterator[int]:
    """The pks set in ``bits``, smallest first (the zero bytes of a sparse bitmap skipped in C)."""
    data = bitmaps.as_blob(bits)
    for run in _SET_BYTES.finditer(data):
        for index in range(run.start(), run.end()):
            base = index << 3
            for bit in _OFFSETS[data[index]]:
                yield base + bit


def pks_of(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, int]:
    """The archive's pk of each alert id given that it holds (an id it lacks is left out)."""
    wanted = list(dict.fromkeys(ids))
    found = dict(conn.execute(
        "SELECT a.id, a.pk FROM json_each(?) j JOIN alerts a ON a.id = j.value", [json.dumps(wanted)]
    ))
    return {alert_id: found[alert_id] for alert_id in wanted if alert_id in found}


#: Marks looked up per statement by :func:`ids_of`: SQLite holds a statement's JSON list of pks
#: parsed, and the app lets it hold only so much (``app.SQLITE_HEAP``); 800,000 at once failed.
IDS_PER_LOOKUP = 50_000


def ids_of(conn: sqlite3.Connection, bits: int) -> list[str]:
    """The ids of the marked alerts the archive holds, sorted (as a command line lists them)."""
    pks = list(members(bits))
    ids = []
    for start in range(0, len(pks), IDS_PER_LOOKUP):
        ids += [alert_id for (alert_id,) in conn.execute(
            "SELECT a.id FROM json_each(?) j JOIN alerts a ON a.pk = j.value",
            [json.dumps(pks[start:start + IDS_PER_LOOKUP])],
        )]
    return sorted(ids)  # code point order: SQLite's for UTF-8 text
