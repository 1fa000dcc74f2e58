"""One plan per :class:`Filters`: which table counts the matches and which index walks them.

Every read of the archive (a total, a breakdown, a position, a page, a date span) asks a
:class:`Plan` built once from the connection and the filters, so exclusion, ALL and search
are handled in one place rather than by each query.  The plan decides two things:

*Rows*: with a search or marks, the matches as ranks in the list's order (``list_order.py``):
the counts' bitmap of the matches, each page a slice of it in list order, so no hit is copied
anywhere.  Otherwise the matching alerts as ordered walks over the narrowest table, plus
checks on each walked row.  The table is the one whose estimate is smallest among

- ``alert_facets (kind, value, sort_date, alert)`` for a selected facet, one walk per value
  (values OR-ed) or, for ALL, the walk of its rarest value,
- ``alerts (sort_date, pk)`` when nothing is selected,

each bounded by the selected years as ``sort_date`` ranges.  What the walk does not apply is
checked row by row on the ``alert_facets (alert)`` index: ``EXISTS`` for another selected
dimension (one per value for ALL), ``NOT EXISTS`` for excluded values, a ``sort_date``
condition for excluded years.

*Counts*: read from ``facet_counts`` when it answers (nothing but years filtered, or one value
of one facet plus years); otherwise from the stored bitmaps (``bitmap_counts.py``): the filter
is a few big-integer ANDs and ORs (a search's hits, made a bitmap once per query straight from
the FTS5 index, and the marks AND-ed in), and a pane's counts one
pass over its values' bitmaps, the same cost whatever the filter (the facet index would cost
one probe per matching alert).  When only exclusions and years are filtered, a position is
found as the ``alerts`` walk *minus* the excluded alerts (so "all but Iraq" costs what Iraq
costs).

The alerts with no region, violation, target or source (:data:`~filters.NONE` in those
dimensions) have no facet rows: as a filter they are a check on the walked row (``NOT
EXISTS`` a value of the dimension, never a walk), and as a count the ``all`` bitmap minus the
union of the dimension's values (made once per loaded set of bitmaps).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

from ifex_tui.archive import bitmap_counts, list_order
from ifex_tui.archive.filters import FACETS, NONE, NONE_UNSTORED, UNDATED, Filters, folded
from ifex_tui.archive.search import runnable

Query = tuple[str, list]
_ALL = ("all", "")  # the facet_counts key of the per-year totals
#: A plan whose walk would read more than this many rows per match pages its matches' ranks
#: instead (as a search does): the walk checks each row it reads, and "all of Mexico and
#: Turkey, all of Attacked and Other" at a million alerts (11 matches, Turkey's 20,000 rows
#: walked) took 2.5 to 5 s for its first page on a cold disk, 90 ms warm; from the ranks, a page is
#: a slice.
SPARSE_WALK = 8


def year_runs(years: Iterable[int]) -> list[tuple[int, int]]:
    """The dated years as ``(first, last)`` runs of consecutive years, oldest first."""
    runs: list[list[int]] = []
    for year in sorted(y for y in years if y != UNDATED):
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return [(lo, hi) for lo, hi in runs]


def year_ranges(years: frozenset[int]) -> list[tuple[str, str] | None]:
    """The selected years as inclusive ``sort_date`` ranges, neighbouring years merged.

    No years is ``[None]`` (one unbounded walk); undated alerts have ``sort_date ''``.
    """
    if not years:
        return [None]
    ranges: list[tuple[str, str] | None] = [(f"{lo:04d}-", f"{hi:04d}-~") for lo, hi in year_runs(years)]
    if UNDATED in years:
        ranges.append(("", ""))
    return ranges


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


def _holds(pk: str, kind: str, values: list, *, holds: bool = True) -> Query:
    """The walked alert holds (or holds none of) these values of ``kind``."""
    sql = (
        f"EXISTS (SELECT 1 FROM alert_facets x WHERE x.alert = {pk} AND x.kind = ? "
        f"AND x.value IN ({_marks(values)}))"
    )
    return ("" if holds else "NOT ") + sql, [kind, *values]


def _holds_some(pk: str, kind: str, *, holds: bool = True) -> Query:
    """The walked alert holds some value of ``kind`` (or, ``holds=False``, none at all)."""
    sql = f"EXISTS (SELECT 1 FROM alert_facets x WHERE x.alert = {pk} AND x.kind = ?)"
    return ("" if holds else "NOT ") + sql, [kind]


def _none_check(pk: str, kind: str, values: list, all_of: bool) -> Query:
    """Alerts with no value of ``kind`` were chosen, with ``values`` besides (OR-ed, or AND-ed
    when ``all_of``: an alert cannot hold none and a value at once)."""
    if not values:
        return _holds_some(pk, kind, holds=False)
    if all_of:
        return "0", []
    held, held_params = _holds(pk, kind, values)
    none, none_params = _holds_some(pk, kind, holds=False)
    return f"({held} OR {none})", [*held_params, *none_params]


_none_lock = threading.Lock()
#: Per loaded set of bitmaps: each dimension's alerts with no value of it.
_none_bits: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def none_bits(loaded: bitmap_counts.Bitmaps, dimension: str) -> int:
    """The alerts holding no value of ``dimension`` (one of :data:`NONE_UNSTORED`): every
    alert but those in the union of its values' bitmaps, made once per loaded set."""
    with _none_lock:
        made = _none_bits.setdefault(loaded, {})
        if dimension in made:
            return made[dimension]
    found = loaded.every & ~loaded.union(dimension)
    with _none_lock:
        made[dimension] = found
    return found


def _not_years(years: frozenset[int]) -> list[Query]:
    """Checks leaving out excluded years (undated as ``sort_date > ''``, which bounds a walk)."""
    dated = years - {UNDATED}
    checks = [("d.sort_date NOT BETWEEN ? AND ?", list(b)) for b in year_ranges(dated)] if dated else []
    if UNDATED in years:
        checks.append(("d.sort_date > ''", []))
    return checks


@dataclass(frozen=True, eq=False)
class Rows:
    """A set of alerts: ordered walks over one table (alias ``d``) and checks on each row."""

    table: str
    #: ``(kind, value)`` walked in ``alert_facets``; each alert holding one is a candidate.
    pairs: tuple[tuple[str, str], ...] = ()
    #: Selected years: ``sort_date`` bounds of every walk.
    years: frozenset[int] = frozenset()
    checks: tuple[Query, ...] = ()

    @property
    def pk(self) -> str:
        return "d.alert" if self.table == "alert_facets" else "d.pk"

    def checked(self, sql: str, params: list | None = None) -> Rows:
        return replace(self, checks=(*self.checks, (sql, params or [])))

    def condition(self) -> Query:
        """The WHERE condition of every matching row (several per alert for several pairs)."""
        parts, params = [], []
        if self.pairs:
            kinds: dict[str, list] = {}
            for kind, value in self.pairs:
                kinds.setdefault(kind, []).append(value)
            parts.append("(" + " OR ".join(
                f"(d.kind = ? AND d.value IN ({_marks(values)}))" for values in kinds.values()
            ) + ")")
            params.extend(p for kind, values in kinds.items() for p in (kind, *values))
        if self.years:
            ranges = year_ranges(self.years)
            parts.append("(" + " OR ".join(["d.sort_date BETWEEN ? AND ?"] * len(ranges)) + ")")
            params.extend(b for bounds in ranges for b in bounds)
        for sql, check_params in self.checks:
            parts.append(sql)
            params.extend(check_params)
        return " AND ".join(parts) or "1", params

    def count(self, extra: str = "", extra_params: list | None = None) -> Query:
        condition, params = self.condition()
        counted = f"count(DISTINCT {self.pk})" if len(self.pairs) > 1 else "count(*)"
        return (
            f"SELECT {counted} FROM {self.table} d WHERE {condition}{extra}",
            [*params, *(extra_params or [])],
        )

    def walk(
        self, after: tuple[str, int] | None, limit: int, offset: int, from_end: bool
    ) -> Query:
        """``sort_date, pk`` of one page: each walk's first rows, merged and cut to the page."""
        order = "ASC" if from_end else "DESC"
        checks = "".join(f" AND {sql}" for sql, _ in self.checks)
        check_params = [p for _, params in self.checks for p in params]
        branches: list[Query] = []
        for pair in self.pairs or [None]:
            for bounds in year_ranges(self.years):
                sql = f"SELECT d.sort_date, {self.pk} AS pk FROM {self.table} d WHERE 1"
                params: list = []
                if pair is not None:
                    sql += " AND d.kind = ? AND d.value = ?"
                    params.extend(pair)
                if bounds is not None:
                    sql += " AND d.sort_date BETWEEN ? AND ?"
                    params.extend(bounds)
                if after is not None:
                    sql += f" AND (d.sort_date, {self.pk}) {'>' if from_end else '<'} (?, ?)"
                    params.extend(after)
                sql += f"{checks} ORDER BY d.sort_date {order}, {self.pk} {order} LIMIT ?"
                branches.append((sql, [*params, *check_params]))
        if len(branches) == 1:
            sql, params = branches[0]
            return f"{sql} OFFSET ?", [*params, limit, offset]
        union = " UNION ".join(f"SELECT * FROM ({sql})" for sql, _ in branches)
        keys = f"SELECT * FROM ({union}) ORDER BY sort_date {order}, pk {order} LIMIT ? OFFSET ?"
        return keys, [p for _, branch in branches for p in [*branch, limit + offset]] + [limit, offset]


class Plan:
    """How to answer ``filters`` over ``conn``: see the module's docstring.

    Raises:
        SearchError: the search is not valid FTS5 syntax (on construction).
    """

    def __init__(self, conn: sqlite3.Connection, filters: Filters):
        self.conn = conn
        self.filters = filters
        #: The FTS5 query the search runs (its literal form if need be); checked here, so a
        #: bad search raises now, but its hits are read only for the counts or the rows.
        self._match = runnable(conn, filters.search) if filters.search else ""
        #: Dimensions (of NONE_UNSTORED) whose alerts without a value are chosen / left out:
        #: they have no facet rows to walk or count, so they are checks and bitmaps.
        self._none_in = {d for d in NONE_UNSTORED if NONE in filters.values(d)}
        self._none_out = {d for d in NONE_UNSTORED if NONE in filters.excluded_values(d)}
        self._included = {
            d: values for d in FACETS
            if (values := sorted(filters.values(d) - ({NONE} if d in self._none_in else set())))
        }
        self._excluded = {
            d: values for d in FACETS
            if (values := sorted(filters.excluded_values(d) - ({NONE} if d in self._none_out else set())))
        }
        self._year_checks = _not_years(filters.excluded_values("year"))
        #: The facet_counts key that counts the matches by itself, if one does.
        self.counted: tuple[str, str] | None = None
        #: The excluded alerts, when a position is the alerts walk minus them.
        self.removed: Rows | None = None
        if self._none_in or self._none_out or filters.marked is not None:
            pass  # checks on the walked rows (ranks for the marks), counts from the bitmaps
        elif not filters.search and not self._excluded:
            if not self._included:
                self.counted = _ALL
            elif len(self._included) == 1:
                [(kind, values)] = self._included.items()
                if len(values) == 1:
                    self.counted = (kind, values[0])
        elif not filters.search and not self._included:
            self.removed = Rows(
                "alert_facets",
                pairs=tuple((d, v) for d, values in self._excluded.items() for v in values),
                years=filters.year,
                checks=tuple(self._year_checks),
            )

    @cached_property
    def _pages_ranks(self) -> bool:
        """Whether the list pages ranks or walks: ranks when a search or marks restrict the
        matches, or when the walk would check more than :data:`SPARSE_WALK` rows per match."""
        if self.filters.search or self.filters.marked is not None:
            return True
        walked, size = self._walks
        if not walked.checks:  # the walk reads matches only: every page from its first rows
            return False
        if size is None:  # the alerts walk: the archive's alerts
            size = self._run(self._table("", *_ALL))[0][0]
        return size > SPARSE_WALK * max(self.total(), 1)

    @cached_property
    def rows(self) -> Rows:
        """The walks and checks (of a plan that does not page ranks: see :attr:`ranked`).

        Raises:
            ValueError: the plan pages ranks; its walks would not apply a search or marks.
        """
        if self._pages_ranks:
            raise ValueError("a plan that pages ranks has no walks")
        return self._walks[0]

    @cached_property
    def ranked(self) -> list_order.Ranked | None:
        """With a search or marks, or matches too sparse to walk for, the matches as ranks in
        the list's order: sets the counts hold as bitmaps, paged without copying them
        (``list_order.py``)."""
        if not self._pages_ranks:
            return None
        return list_order.ranked(self.conn, self.filters, lambda: self._bitmaps[1])

    @property
    def source(self) -> str:
        """Where the counts come from, for people (and tests) reading the plan."""
        if self.counted:
            return "facet_counts"
        return "bitmaps and search hits" if self.filters.search else "bitmaps"

    def _estimate(self, kind: str, values: list) -> list[int]:
        return [
            self.conn.execute(
                "SELECT coalesce(sum(n), 0) FROM facet_counts WHERE kind = ? AND value = ?",
                [kind, value],
            ).fetchone()[0]
            for value in values
        ]

    @cached_property
    def _walks(self) -> tuple[Rows, int | None]:
        """The walks and checks, driven by the rarest selected facet, and about how many rows
        they walk (None when no facet drives them: they walk the archive's alerts)."""
        f = self.filters
        best: tuple[int, str | None, list] = (-1, None, [])
        for kind, values in self._included.items():
            if kind in self._none_in:  # a walk of its values would miss the alerts without one
                continue
            sizes = self._estimate(kind, values)
            if f.matches_all(kind) and len(values) > 1:
                size, walked = min(zip(sizes, values, strict=True))
                walked = [walked]
            else:
                size, walked = sum(sizes), values
            if best[0] < 0 or size < best[0]:
                best = (size, kind, walked)
        size, driver, walked = best
        if driver is not None:
            rows = Rows("alert_facets", pairs=tuple((driver, v) for v in walked), years=f.year)
        else:
            rows, size = Rows("alerts", years=f.year), None
        pk = rows.pk
        checks: list[Query] = []
        for kind in sorted(self._none_in):
            checks.append(_none_check(pk, kind, self._included.get(kind, []), f.matches_all(kind)))
        for kind, values in self._included.items():
            if kind in self._none_in:
                continue
            if kind == driver:
                values = [v for v in values if v not in walked]
                if values:  # the driver walked one value of an ALL group
                    checks.extend(_holds(pk, kind, [v]) for v in values)
            elif f.matches_all(kind):
                checks.extend(_holds(pk, kind, [v]) for v in values)
            else:
                checks.append(_holds(pk, kind, values))
        for kind, values in self._excluded.items():
            checks.append(_holds(pk, kind, values, holds=False))
        checks.extend(_holds_some(pk, kind) for kind in sorted(self._none_out))
        checks.extend(self._year_checks)
        return replace(rows, checks=tuple(checks)), size

    def walk(
        self, after: tuple[str, int] | None, limit: int, offset: int, from_end: bool
    ) -> Query:
        """``sort_date, pk`` of one page (see :meth:`Rows.walk`): the ranked matches' pks for
        that page, or the walks' first rows."""
        if self.ranked is None:
            return self.rows.walk(after, limit, offset, from_end)
        around = self.ranked.order.around(self.conn, after) if after else None
        pks = self.ranked.page(around, limit, offset, from_end)
        return ("SELECT d.sort_date, d.pk AS pk FROM alerts d"
                " WHERE d.pk IN (SELECT value FROM json_each(?))", [json.dumps(pks)])

    # --- counts -----------------------------------------------------------------------------

    def _run(self, query: Query) -> list[tuple]:
        sql, params = query
        return self.conn.execute(sql, params).fetchall()

    def _table_years(self) -> Query:
        sql, params = "", []
        if self.filters.year:
            sql += f" AND year IN ({_marks(list(self.filters.year))})"
            params.extend(sorted(self.filters.year))
        if excluded := sorted(self.filters.excluded_values("year")):
            sql += f" AND year NOT IN ({_marks(excluded)})"
            params.extend(excluded)
        return sql, params

    def _table(self, group: str, kind: str, value: str | None) -> Query:
        """``facet_counts`` summed (grouped by ``group`` unless empty) for one kind/value."""
        years, params = self._table_years()
        select = f"{group}, sum(n)" if group else "coalesce(sum(n), 0)"
        sql = f"SELECT {select} FROM facet_counts WHERE kind = ?"
        params = [kind, *params]
        if value is not None:
            sql += " AND value = ?"
            params.insert(1, value)
        return sql + years + (f" GROUP BY {group}" if group else ""), params

    @cached_property
    def _bitmaps(self) -> tuple[bitmap_counts.Bitmaps, int]:
        """The archive's bitmaps and the matching alerts as one (a search's hits AND-ed in)."""
        loaded = bitmap_counts.load(self.conn)
        f = self.filters
        plain = f
        for kind in self._none_in:  # the loaded set has no bitmap of NONE: made here
            plain = replace(plain, **{kind: frozenset()})
        matching = loaded.matching(plain)
        for kind in self._none_in:
            values = self._included.get(kind, [])
            if f.matches_all(kind) and values:  # no value and a value: no alert
                matching = 0
                continue
            chosen = none_bits(loaded, kind)
            for value in values:
                chosen |= loaded.bits(kind, value)
            matching &= chosen
        for kind in self._none_out:
            matching &= ~none_bits(loaded, kind)
        if self.filters.search:
            matching &= bitmap_counts.hits(self.conn, self.filters.search, self._match)
        if self.filters.marked is not None:
            matching &= self.filters.marked
        return loaded, matching

    def matching(self) -> int:
        """The matches as a bitmap of pks (what "mark every alert in view" adds to the marks)."""
        return self._bitmaps[1]

    def total(self) -> int:
        if self.counted:
            return self._run(self._table("", *self.counted))[0][0]
        return self._bitmaps[1].bit_count()

    def breakdown(self, dimension: str, *, none: bool = False) -> list[tuple]:
        """``(key, alerts)`` per value of ``dimension`` among the matches (zeros possible);
        with ``none``, also ``(NONE, alerts)`` for the matches holding no value of it (the
        country's and year's are values already), so the counts add up to the total."""
        if self.counted == _ALL or (dimension == "year" and self.counted):
            group = "year" if dimension == "year" else "value"
            kind, value = self.counted if dimension == "year" else (dimension, None)
            found = self._run(self._table(group, kind, value))
        else:
            loaded, matching = self._bitmaps
            found = loaded.breakdown(dimension, matching)
        if none and dimension in NONE_UNSTORED:
            loaded, matching = self._bitmaps
            found.append((NONE, (matching & none_bits(loaded, dimension)).bit_count()))
        return found

    def breakdown_leaving_out(self, dimension: str, left_out: frozenset) -> list[tuple]:
        """``(key, alerts)`` per value of ``dimension`` among the matches that hold none of
        ``left_out`` (values of it), and for those values among all the matches: a pane's
        counts under its own exclusions, in one pass over the dimension; ``(NONE, alerts)``
        too, as :meth:`breakdown` with ``none``.  (Alerts with no value of the dimension hold
        none of its values: leaving them out changes no value's count.)"""
        loaded, matching = self._bitmaps
        missing = none_bits(loaded, dimension) if dimension in NONE_UNSTORED else None
        held = {folded(key): missing if key == NONE and missing is not None
                else loaded.bits(dimension, key) for key in left_out}
        union = 0
        for bits in held.values():
            union |= bits
        shown = {key: (matching & bits).bit_count() for key, bits in held.items()}
        found = [(value, shown.get(folded(value), alerts))
                 for value, alerts in loaded.breakdown(dimension, matching & ~union)]
        if missing is not None:
            found.append((NONE, shown.get(NONE, (matching & missing).bit_count())))
        return found

    def cross(
        self, rows: str, columns: str, *, none: bool = False
    ) -> list[tuple[object, int, list[tuple]]]:
        """Per value of ``rows`` held by a match: its key, its alerts, and ``(key, alerts)`` per
        value of ``columns`` among those (zeros possible); with ``none``, the alerts holding no
        value of a dimension are a row or column too (see :meth:`breakdown`).  A crosstab from
        the bitmaps: one AND per row, then one AND and a bit count per cell, whatever the
        filter."""
        loaded, matching = self._bitmaps
        groups = loaded.each(rows)
        if none and rows in NONE_UNSTORED:
            groups.append((NONE, none_bits(loaded, rows)))
        missing = none_bits(loaded, columns) if none and columns in NONE_UNSTORED else None
        table = []
        for key, bits in groups:
            if among := matching & bits:
                cells = loaded.breakdown(columns, among)
                if missing is not None:
                    cells.append((NONE, (among & missing).bit_count()))
                table.append((key, among.bit_count(), cells))
        return table

    def position(self, pk: int) -> int | None:
        """How many matches come before alert ``pk`` in the list, or None if it is not one."""
        if self.ranked is not None:
            return self.ranked.position(pk)
        found = self._run(("SELECT sort_date FROM alerts WHERE pk = ?", [pk]))
        if not found:
            return None
        key = [found[0][0], pk]
        if not self._run(self.rows.count(f" AND d.sort_date = ? AND {self.rows.pk} = ?", key))[0][0]:
            return None
        before = " AND (d.sort_date, {pk}) > (?, ?)"
        if self.removed:
            base = Rows("alerts", years=self.filters.year, checks=tuple(self._year_checks))
            return (
                self._run(base.count(before.format(pk=base.pk), key))[0][0]
                - self._run(self.removed.count(before.format(pk=self.removed.pk), key))[0][0]
            )
        return self._run(self.rows.count(before.format(pk=self.rows.pk), key))[0][0]

    def dates(self) -> tuple[str | None, str | None]:
        """The first and last date (``sort_date``) of the dated matches: two walks of one row
        (two ranks' alerts, for ranked matches)."""
        if self.ranked is not None:
            return tuple(
                None if pk is None else self._run(("SELECT sort_date FROM alerts WHERE pk = ?", [pk]))[0][0]
                for pk in self.ranked.dated_ends()
            )
        dated = self.rows.checked("d.sort_date > ''")
        ends = []
        for from_end in (True, False):
            sql, params = dated.walk(None, 1, 0, from_end)
            ends.append(next(iter(self._run((sql, params))), (None,))[0])
        return ends[0], ends[1]

