"""The one filter model shared by the command line and the app.

Values of one dimension are OR-ed, dimensions are AND-ed, and search is an FTS5 query.  The
value stored for each dimension is the archive's facet key: an ISO code for a country (or
``?name`` for a name no table matched, ``""`` for alerts with no country), a year (0 for
undated), or the text of a violation, target, region or source (matched without regard to
case).  ``Filters`` is immutable, so the app can compare the current one with the one a query
was started for and drop stale answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ifex_tui.archive import countries

DIMENSIONS = ("country", "year", "region", "violation", "target", "source")
UNDATED = 0
UNKNOWN_COUNTRY = ""
_YEAR_RANGE = re.compile(r"\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4})\s*)?")


@dataclass(frozen=True)
class Filters:
    """Active filters: one frozenset of facet keys per dimension, plus a search query."""

    country: frozenset[str] = field(default_factory=frozenset)
    year: frozenset[int] = field(default_factory=frozenset)
    region: frozenset[str] = field(default_factory=frozenset)
    violation: frozenset[str] = field(default_factory=frozenset)
    target: frozenset[str] = field(default_factory=frozenset)
    source: frozenset[str] = field(default_factory=frozenset)
    search: str = ""

    def values(self, dimension: str) -> frozenset:
        return getattr(self, dimension)

    def active(self) -> tuple[str, ...]:
        """The dimensions with at least one value selected, in display order."""
        return tuple(d for d in DIMENSIONS if self.values(d))

    @property
    def empty(self) -> bool:
        return not self.active() and not self.search.strip()

    def toggled(self, dimension: str, value) -> Filters:
        return replace(self, **{dimension: self.values(dimension) ^ {value}})

    def without(self, dimension: str) -> Filters:
        return replace(self, **{dimension: frozenset()})

    def searching(self, query: str) -> Filters:
        return replace(self, search=query.strip())


def country_keys(written: str) -> set[str]:
    """Facet keys for a country the user typed: a name, variant or code; ``unknown`` for none."""
    if written.strip().casefold() in ("unknown", "unknown country", "none"):
        return {UNKNOWN_COUNTRY}
    return {c.code or f"?{c.name}" for c in countries.resolve(written)}


def year_keys(written: str) -> set[int]:
    """Years for ``2012``, ``2001-2005`` or ``undated``.

    Raises:
        ValueError: with a message for the user.
    """
    if written.strip().casefold() in ("undated", "none", "unknown"):
        return {UNDATED}
    match = _YEAR_RANGE.fullmatch(written)
    if not match:
        raise ValueError(f"not a year or range of years: {written!r} (try 2012 or 2001-2005)")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValueError(f"the range {written!r} ends before it starts")
    return set(range(first, last + 1))


def from_options(
    *,
    country: list[str] = (),
    year: list[str] = (),
    region: list[str] = (),
    violation: list[str] = (),
    target: list[str] = (),
    source: list[str] = (),
    search: str | None = None,
) -> Filters:
    """Build Filters from repeatable command-line options (each list is OR-ed)."""
    def texts(values) -> frozenset[str]:
        return frozenset(v.strip() for v in values if v.strip())

    return Filters(
        country=frozenset(k for written in country for k in country_keys(written)),
        year=frozenset(y for written in year for y in year_keys(written)),
        region=texts(region),
        violation=texts(violation),
        target=texts(target),
        source=texts(source),
        search=(search or "").strip(),
    )
