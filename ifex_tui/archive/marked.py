"""Alerts chosen one by one: the app's marks and the command line's ``--id``.

A researcher marks the alerts a paper cites, or picks them by id in a script; either way the
choice is a filter of its own (:attr:`Filters.marked`), AND-ed with the others.  It is held as
a bitmap of alert pks, like the facets' (``bitmaps.py``): marking every alert in view is one
OR of the view's bitmap, and counting under the marks one more AND.  Walking the marked alerts
in list order needs them as rows: :func:`materialise` copies them into a temporary table with
their sort key (as the search hits are, see ``search.py``), once per marks and archive state.
Ids are what a person and a command line see; pks never leave the archive.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator

from ifex_tui.archive import bitmaps, temp_sets

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


def ids_of(conn: sqlite3.Connection, bits: int) -> list[str]:
    """The ids of the marked alerts the archive holds, sorted (as a command line lists them)."""
    return [alert_id for (alert_id,) in conn.execute(
        "SELECT a.id FROM json_each(?) j JOIN alerts a ON a.pk = j.value ORDER BY a.id",
        [json.dumps(list(members(bits)))],
    )]


#: Up to this many marked alerts, each is looked up by pk; above it, one pass over the
#: ``(sort_date, pk)`` index tests every alert's bit, cheaper than a lookup per mark.
LOOKUP_LIMIT = 50_000


def materialise(conn: sqlite3.Connection, bits: int) -> int:
    """Make ``temp.marked (pk, sort_date)`` hold the alerts of ``bits`` that the archive
    holds, indexed in list order, and say how many (once per marks and archive state:
    ``temp_sets.py``): about a second for a million marks."""
    blob = bitmaps.as_blob(bits)

    def fill() -> int:
        if bits.bit_count() <= LOOKUP_LIMIT:
            return conn.execute(
                """INSERT INTO temp.marked (pk, sort_date) SELECT a.pk, a.sort_date
                   FROM json_each(?) j JOIN alerts a ON a.pk = j.value""",
                [json.dumps(list(members(bits)))],
            ).rowcount
        length = len(blob)

        def is_marked(pk: int) -> bool:
            return (pk >> 3) < length and bool(blob[pk >> 3] >> (pk & 7) & 1)

        conn.create_function("ifex_is_marked", 1, is_marked, deterministic=True)
        return conn.execute(
            """INSERT INTO temp.marked (pk, sort_date) SELECT a.pk, a.sort_date
               FROM alerts a INDEXED BY idx_alerts_sort_date_pk WHERE ifex_is_marked(a.pk)
               ORDER BY a.pk"""
        ).rowcount

    return temp_sets.made_once(
        conn, "marked", blob, "(pk INTEGER PRIMARY KEY, sort_date TEXT)", "sort_date, pk", fill
    )
