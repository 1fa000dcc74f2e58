"""The list's order as an array, so that a set the counts hold as a bitmap is paged without
copying it: a search's hits and the marks, with every other filter AND-ed in.

The counts know those sets as bitmaps (``bitmap_counts.hits``, the marks' own ``int``).  The
list needs the same alerts in list order (``sort_date`` then pk, both descending), a page at a
time at any depth, and the position of one alert.  Copying them into a temporary table with
their sort key cost about a second per million hits, and the first page of a search for a
common word waited for it.  Instead:

- the pk of every alert in list order (:class:`Order`) is read once per archive state, in one
  pass over the ``(sort_date, pk)`` index, and shared like the bitmaps: about 0.2 s and 4 MB
  at a million alerts;
- a set's members are their ranks in that order (:class:`Ranked`): one gather of the set's
  flags in list order, about 5 ms at a million alerts, kept for the newest set;
- a page is a slice of the ranks, a position a binary search in them.

Dated alerts sort before undated ones (``sort_date`` is ``''`` for those), so the first
:attr:`Order.dated` ranks are the dated alerts.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ifex_tui.archive import bitmap_counts

#: Alerts read per statement when the order is loaded (a keyset range each), and ranks found
#: per step when a set is ranked: no array the size of the archive is made but the order, a
#: set's flags and its ranks (what is made and freed counts against the app's peak memory).
_CHUNK = 1 << 16

_WALK = "SELECT pk FROM alerts INDEXED BY idx_alerts_sort_date_pk {where} ORDER BY sort_date DESC, pk DESC"


@dataclass(frozen=True, eq=False)
class Order:
    """``pks[rank]``: the alert at each rank of the list; the first ``dated`` ranks are dated;
    ``top`` is the largest pk."""

    pks: np.ndarray
    dated: int
    top: int

    def rank(self, pk: int) -> int | None:
        """Where alert ``pk`` stands in the list (a scan of the order: under a millisecond at a
        million alerts, and no second array of 4 MB to keep the inverse)."""
        found = np.flatnonzero(self.pks == pk)
        return int(found[0]) if len(found) else None

    def around(self, conn: sqlite3.Connection, cursor: tuple[str, int]) -> tuple[int, int]:
        """The ranks before and after which the list's cursor ``(sort_date, pk)`` stands: its
        alert's rank and the next; for an alert this state does not hold, the number of alerts
        sorting ahead of it, twice (counted on the index: a cursor from an older state only)."""
        rank = self.rank(cursor[1])
        if rank is not None:
            return rank, rank + 1
        [(ahead,)] = conn.execute(
            "SELECT count(*) FROM alerts INDEXED BY idx_alerts_sort_date_pk"
            " WHERE (sort_date, pk) > (?, ?)", list(cursor)).fetchall()
        return ahead, ahead

    def ranked(self, bits: int) -> Ranked:
        """The alerts of the bitmap ``bits`` as ranks, in list order."""
        size = (self.top >> 3) + 1  # bytes up to the largest pk's (no alert has a larger one)
        data = bits.to_bytes(max(size, -(-bits.bit_length() // 8)), "little")[:size]
        flags = np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little").view(np.bool_)
        held = flags[self.pks]
        ranks = np.empty(np.count_nonzero(held), np.int32)
        filled = 0
        for start in range(0, len(held), _CHUNK):
            found = np.flatnonzero(held[start:start + _CHUNK])
            ranks[filled:filled + len(found)] = found + start
            filled += len(found)
        return Ranked(self, ranks)


def _read(conn: sqlite3.Connection) -> Order:
    """Every alert's pk in list order, read a range of the index at a time (in one read
    transaction: ``bitmap_counts.per_state``)."""
    [(count, top)] = conn.execute("SELECT count(*), coalesce(max(pk), 0) FROM alerts").fetchall()
    pks = np.empty(count, np.int32 if top < 2**31 else np.int64)
    filled, after = 0, []
    while filled < count:
        where = "WHERE (sort_date, pk) < (?, ?)" if after else ""
        [(text,)] = conn.execute(
            f"SELECT group_concat(pk) FROM ({_WALK.format(where=where)} LIMIT ?)", [*after, _CHUNK]
        ).fetchall()
        chunk = np.fromstring(text or "", dtype=np.int64, sep=",")
        if not len(chunk) or filled + len(chunk) > count:  # in one snapshot: a damaged index
            raise sqlite3.DatabaseError(
                "the index of the alerts in list order does not hold every alert once")
        pks[filled:filled + len(chunk)] = chunk
        filled += len(chunk)
        last = int(chunk[-1])
        after = [conn.execute("SELECT sort_date FROM alerts WHERE pk = ?", [last]).fetchone()[0], last]
    [(dated,)] = conn.execute(
        "SELECT count(*) FROM alerts INDEXED BY idx_alerts_sort_date_pk WHERE sort_date > ''"
    ).fetchall()
    return Order(pks, dated, top)


def order(conn: sqlite3.Connection) -> Order:
    """The list's order as ``conn`` sees the archive: read once per archive state and shared."""
    return bitmap_counts.per_state(conn, "list order", _read)


@dataclass(frozen=True, eq=False)
class Ranked:
    """A set of alerts as their ranks in the list (ascending: newest first)."""

    order: Order
    ranks: np.ndarray

    def __len__(self) -> int:
        return len(self.ranks)

    def page(self, around: tuple[int, int] | None, limit: int, offset: int, from_end: bool) -> list[int]:
        """The pks of one page, as ``Rows.walk`` chooses them: behind the cursor (older than
        it; with ``from_end``, ahead of it: newer), ``offset`` rows on, ``limit`` rows.  The
        cursor is :meth:`Order.around`'s ranks of it; with none the page starts at an end."""
        if around is None:
            ahead, behind = len(self), 0
        else:
            ahead, behind = (int(np.searchsorted(self.ranks, rank, "left")) for rank in around)
        if from_end:
            end = max(ahead - offset, 0)
            chosen = self.ranks[max(end - limit, 0):end]
        else:
            start = behind + offset
            chosen = self.ranks[start:start + limit]
        return self.order.pks[chosen].tolist()

    def position(self, pk: int) -> int | None:
        """How many members come before alert ``pk`` in the list, or None if it is not one."""
        rank = self.order.rank(pk)
        if rank is None:
            return None
        at = int(np.searchsorted(self.ranks, rank, "left"))
        return at if at < len(self) and self.ranks[at] == rank else None

    def dated_ends(self) -> tuple[int | None, int | None]:
        """The pks of the oldest and the newest dated member (None if none is dated)."""
        dated = int(np.searchsorted(self.ranks, self.order.dated, "left"))
        if not dated:
            return None, None
        return int(self.order.pks[self.ranks[dated - 1]]), int(self.order.pks[self.ranks[0]])


_lock = threading.Lock()
#: The newest set ranked: the order it is ranked in, its key and the set (one: a million
#: members take 4 MB, and the list pages one set at a time).
_newest: tuple[Order, object, Ranked] | None = None


def ranked(conn: sqlite3.Connection, key: object, bits: Callable[[], int]) -> Ranked:
    """The set ``key`` stands for (the filters that make it), as ranks: ``bits()`` makes its
    bitmap.  The newest set is kept while the archive's state (its order, read once per
    state) is the same, so each page of a burst of page-downs is a slice."""
    global _newest
    found = order(conn)
    with _lock:
        if _newest is not None and _newest[0] is found and _newest[1] == key:
            return _newest[2]
    members = found.ranked(bits())
    with _lock:
        _newest = (found, key, members)
    return members
