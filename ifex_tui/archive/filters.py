"""The one filter model shared by the command line and the app, and the facet conventions.

Selected values of one dimension are OR-ed (*any*), or AND-ed for a multi-valued dimension
in ``match_all`` (*all*: an alert must hold every one); excluded values remove every alert
holding any of them; dimensions are AND-ed; search is an FTS5 query; marked alerts (the app's
marks, the command line's ``--id``) are the only ones that can match when there are any.  The value stored for
each dimension is the archive's facet key: an ISO code for a country (or ``?name`` for a name
no table matched, :data:`UNKNOWN_COUNTRY` for alerts with no country), a year
(:data:`UNDATED` for undated), or the text of a violation, target, region or source (matched
without regard to case; :data:`NONE` for alerts with none).  Every dimension has such a key
for alerts without a value (:func:`none_key`), named as :data:`NONE_LABELS` says, so every
breakdown of the alerts adds up.  ``Filters`` is immutable, so the app can compare the current one
with the one a query was started for and drop stale answers.

This module is where the conventions live; the queries, pages and the app import them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ifex_tui.archive import countries

#: Every filter dimension, in display order.
DIMENSIONS = ("country", "year", "region", "violation", "target", "source")
#: The dimensions stored as rows of ``alert_facets`` (the year is a column there instead).
FACETS = ("country", "region", "violation", "target", "source")
#: Dimensions an alert can hold several values of: only these can be matched ALL.
MULTI_VALUED = ("country", "violation", "target")
#: The year key of undated alerts (keys in the facet tables cannot be NULL).
UNDATED = 0
#: The key of alerts with no value of a dimension other than the year: no country, region,
#: violation, target or source.  Countries store it as facet rows (:data:`UNKNOWN_COUNTRY`);
#: the dimensions in :data:`NONE_UNSTORED` do not: their alerts without a value are every alert
#: but those holding one of its values (the ``all`` bitmap minus the union of the values').
NONE = ""
#: The country key of alerts with no country.
UNKNOWN_COUNTRY = NONE
#: The dimensions whose :data:`NONE` key has no facet rows, counts or bitmaps of its own.
NONE_UNSTORED = ("region", "violation", "target", "source")
#: What the alerts without a value of each dimension are called wherever values are listed.
NONE_LABELS = {
    "country": "Unknown country", "year": "Undated", "region": "No region",
    "violation": "No violation", "target": "No target", "source": "No source",
}
#: What a person may type for them (any case), besides the label.
_NONE_WORDS = {
    "country": ("unknown", "none"), "year": ("none", "unknown"),
    **{d: ("none",) for d in NONE_UNSTORED},
}
#: How many characters of a value a line of text shows (a longer one is cut with an
#: ellipsis): a feed or a file can hold names of any length, and CSV and JSON keep them whole.
NAME_WIDTH = 60
#: How many values of each dimension ``stats`` shows a person unless ``--top`` says otherwise
#: (here rather than in ``counting``, so that ``stats --help`` can name it without loading it).
TOP = 15
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_YEAR_RANGE = re.compile(r"\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4})\s*)?")


@dataclass(frozen=True)
class Filters:
    """Active filters: selected facet keys per dimension, excluded keys, ALL dimensions, search."""

    country: frozenset[str] = field(default_factory=frozenset)
    year: frozenset[int] = field(default_factory=frozenset)
    region: frozenset[str] = field(default_factory=frozenset)
    violation: frozenset[str] = field(default_factory=frozenset)
    target: frozenset[str] = field(default_factory=frozenset)
    source: frozenset[str] = field(default_factory=frozenset)
    search: str = ""
    #: ``(dimension, key)`` pairs: alerts holding any of them are left out.
    excluded: frozenset[tuple[str, str | int]] = frozenset()
    #: Dimensions whose selected values must all be held (AND) rather than any (OR).
    match_all: frozenset[str] = frozenset()
    #: The alerts chosen one by one, as a bitmap of their pks (see ``marked.py``): only they
    #: can match.  None chooses none that way (every alert can match); 0 is a choice of none.
    marked: int | None = None

    def values(self, dimension: str) -> frozenset:
        """The selected (included) keys of ``dimension``."""
        return getattr(self, dimension)

    def excluded_values(self, dimension: str) -> frozenset:
        """The excluded keys of ``dimension``."""
        return frozenset(key for d, key in self.excluded if d == dimension)

    def matches_all(self, dimension: str) -> bool:
        """Whether ``dimension``'s selected values are AND-ed (same as OR for 0 or 1 value)."""
        return dimension in self.match_all

    def active(self) -> tuple[str, ...]:
        """The dimensions with a value selected or excluded, in display order."""
        excluded = {d for d, _ in self.excluded}
        return tuple(d for d in DIMENSIONS if self.values(d) or d in excluded)

    @property
    def empty(self) -> bool:
        return not self.active() and not self.search.strip() and self.marked is None

    def toggled(self, dimension: str, value) -> Filters:
        """Select ``value`` (no longer excluded), or deselect it if it was selected."""
        return replace(
            self,
            **{dimension: self.values(dimension) ^ {value}},
            excluded=self.excluded - {(dimension, value)},
        )

    def toggled_exclusion(self, dimension: str, value) -> Filters:
        """Exclude ``value`` (no longer selected), or stop excluding it if it was excluded."""
        _check_dimension(dimension)
        return replace(
            self,
            **{dimension: self.values(dimension) - {value}},
            excluded=self.excluded ^ {(dimension, value)},
        )

    def toggled_match_all(self, dimension: str) -> Filters:
        """Flip ``dimension`` between ANY and ALL of its selected values.

        Raises:
            ValueError: ``dimension`` is not one an alert can hold several values of.
        """
        if dimension not in MULTI_VALUED:
            raise ValueError(
                f"only {', '.join(MULTI_VALUED)} can be matched all at once, not {dimension!r}"
            )
        return replace(self, match_all=self.match_all ^ {dimension})

    def without(self, dimension: str) -> Filters:
        """No selection, exclusion or ALL in ``dimension``."""
        return replace(
            self,
            **{dimension: frozenset()},
            excluded=frozenset(p for p in self.excluded if p[0] != dimension),
            match_all=self.match_all - {dimension},
        )

    def searching(self, query: str) -> Filters:
        return replace(self, search=query.strip())

    def marking(self, bits: int | None) -> Filters:
        """Only the alerts of ``bits`` (a bitmap of pks) can match; None lifts that."""
        return replace(self, marked=bits)


def folded(key):
    """A facet key as the archive compares it (SQLite's NOCASE: ASCII letters folded), so
    ``Killed`` and ``killed`` are one value."""
    return key.translate(_ASCII_LOWER) if isinstance(key, str) else key


def none_key(dimension: str):
    """The key of the alerts with no value of ``dimension`` (:data:`UNDATED` for the year)."""
    return UNDATED if dimension == "year" else NONE


def means_none(dimension: str, written: str) -> bool:
    """Whether ``written`` names the alerts without a value of ``dimension`` (``none``, or the
    label: ``Unknown country``, ``undated``, ``No region``...)."""
    wanted = written.strip().casefold()
    return wanted in _NONE_WORDS[dimension] or wanted == NONE_LABELS[dimension].casefold()


def clipped(text: str, width: int = NAME_WIDTH) -> str:
    """``text`` cut to ``width`` characters with an ellipsis, as a line of text shows a value."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _check_dimension(dimension: str) -> None:
    if dimension not in DIMENSIONS:
        raise ValueError(f"not a filter dimension: {dimension!r}")


_ALL_OPTIONS = {"country": "--all-countries", "violation": "--all-violations",
                "target": "--all-targets"}


def as_options(filters: Filters, marked_ids: Iterable[str] = ()) -> list[str]:
    """The command-line options that make ``filters`` (``from_options`` reads them back to the
    same value, ``--id`` aside): what an export records so that it can be made again.  Marked
    alerts are written as ``--id`` with the ids ``marked_ids`` gives (the archive knows them,
    the filters hold pks)."""
    options: list[str] = []

    def written(dimension: str, key) -> str:
        if key == (UNDATED if dimension == "year" else NONE):
            return _NONE_WORDS[dimension][0]
        if dimension == "country" and isinstance(key, str) and key.startswith("?"):
            return key[1:]  # a name no table knows, as written
        return str(key)

    for dimension in DIMENSIONS:
        for key in sorted(filters.values(dimension), key=str):
            options += [f"--{dimension}", written(dimension, key)]
        for key in sorted(filters.excluded_values(dimension), key=str):
            options += [f"--not-{dimension}", written(dimension, key)]
        if filters.matches_all(dimension) and dimension in _ALL_OPTIONS:
            options.append(_ALL_OPTIONS[dimension])
    if filters.search:
        options += ["--search", filters.search]
    for alert_id in marked_ids:
        options += ["--id", alert_id]
    return options


def country_keys(written: str) -> set[str]:
    """Facet keys for a country the user typed: a name, variant or code; ``unknown`` for none."""
    if means_none("country", written):
        return {UNKNOWN_COUNTRY}
    return {c.code or f"?{c.name}" for c in countries.resolve(written)}


def year_keys(written: str) -> set[int]:
    """Years for ``2012``, ``2001-2005`` or ``undated``.

    Raises:
        ValueError: with a message for the user.
    """
    if means_none("year", written):
        return {UNDATED}
    match = _YEAR_RANGE.fullmatch(written)
    if not match:
        raise ValueError(f"not a year or range of years: {written!r} (try 2012 or 2001-2005)")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValueError(f"the range {written!r} ends before it starts")
    return set(range(first, last + 1))


def source_key(written: str) -> str:
    """The facet key of a source the user typed: the name it counts under (``cpj``,
    ``Committee to Protect Journalists`` -> ``CPJ``; see ``sources.py``), else what was typed."""
    from ifex_tui.archive import sources  # it imports this module

    return sources.table().canonical(written.strip())


def _keys(dimension: str, written: Iterable[str]) -> frozenset:
    if dimension == "country":
        return frozenset(k for w in written for k in country_keys(w))
    if dimension == "year":
        return frozenset(y for w in written for y in year_keys(w))
    written = [w for w in written if w.strip()]
    if dimension == "source":
        return frozenset(NONE if means_none(dimension, w) else source_key(w) for w in written)
    return frozenset(NONE if means_none(dimension, w) else w.strip() for w in written)


def from_options(
    *,
    country: Iterable[str] = (),
    year: Iterable[str] = (),
    region: Iterable[str] = (),
    violation: Iterable[str] = (),
    target: Iterable[str] = (),
    source: Iterable[str] = (),
    search: str | None = None,
    not_country: Iterable[str] = (),
    not_year: Iterable[str] = (),
    not_region: Iterable[str] = (),
    not_violation: Iterable[str] = (),
    not_target: Iterable[str] = (),
    not_source: Iterable[str] = (),
    all_of: Iterable[str] = (),
) -> Filters:
    """Build Filters from repeatable command-line options.

    Each included list is OR-ed, or AND-ed for the dimensions named in ``all_of``; each
    ``not_*`` list names values to leave out.  A value both selected and excluded is excluded.

    Raises:
        ValueError: with a message for the user (a bad year, a dimension that cannot be ALL).
    """
    included = {
        "country": country, "year": year, "region": region,
        "violation": violation, "target": target, "source": source,
    }
    left_out = {
        "country": not_country, "year": not_year, "region": not_region,
        "violation": not_violation, "target": not_target, "source": not_source,
    }
    excluded = frozenset(
        (d, key) for d in DIMENSIONS for key in _keys(d, left_out[d] or ())
    )
    chosen = Filters(
        **{d: _keys(d, included[d] or ()) - {k for e, k in excluded if e == d} for d in DIMENSIONS},
        search=(search or "").strip(),
        excluded=excluded,
    )
    for dimension in dict.fromkeys(all_of or ()):
        chosen = chosen.toggled_match_all(dimension)
    return chosen
