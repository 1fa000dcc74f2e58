"""Judge one raw feed item and turn it into an archive row.

Every rule of the feed contract's item section lives here: required ``id``, field types, dates
read as written, the ``_ifex`` extension, the tags fallback for the country, and what is kept
as an extension.  A bad item raises :class:`ItemRejected` naming the field, so the importer
can report it with its position and go on.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson

from ifex_tui.archive import countries
from ifex_tui.archive.html_text import html_to_text

_DATE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?"
    r"([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?",
    re.ASCII,
)
#: Keys of ``_ifex`` that the archive models; any other key is kept as an extension.
IFEX_KEYS = ("country", "region", "violations", "targets", "source", "alert_type")
#: The columns of an alert row in the order the importer writes them.
COLUMNS = (
    "id", "url", "external_url", "title", "summary", "content_html", "content_text",
    "body_text", "published", "date", "year", "sort_date", "modified", "modified_utc",
    "language", "tags", "authors", "countries", "region", "violations", "targets", "source",
    "alert_type", "extensions", "hash",
)


#: Bump when :func:`normalise` makes another row from the same item (a new HTML converter,
#: country names the tables did not know): items an archive has seen are then read again
#: by the next import instead of being skipped by :func:`raw_digest`.
NORMALISER_VERSION = b"3"


class ItemRejected(Exception):
    """This item breaks the contract; the rest of the feed is still read."""

    def __init__(self, field: str, reason: str, item_id: str | None = None):
        self.field, self.reason, self.item_id = field, reason, item_id
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True)
class Stamp:
    """A date as the feed wrote it: its own calendar date, and the instant (UTC) for ordering."""

    written: str
    date: str
    year: int
    utc: str


def parse_date(value: str) -> Stamp:
    """Read an RFC 3339 date leniently (date only, space for ``T``, no seconds).

    The calendar date is the one written, in the offset written: ``2019-12-31T23:30:00-05:00``
    is 2019-12-31, never shifted to UTC.  Raises ValueError when it is not a real date.
    """
    match = _DATE.fullmatch(value.strip())
    if not match:
        raise ValueError("not an RFC 3339 date")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    local = datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0),
        min(int(second or 0), 59), int((fraction or "0")[:6].ljust(6, "0")),
    )
    shift = timedelta()
    if offset and offset not in "Zz":
        digits = offset[1:].replace(":", "").ljust(4, "0")
        if int(digits[:2]) > 23 or int(digits[2:]) > 59:
            raise ValueError("offset out of range")
        shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        shift = -shift if offset[0] == "-" else shift
    try:
        utc = (local - shift).replace(tzinfo=UTC)
    except OverflowError:  # 0001-01-01T00:00+05:00 is before the first representable instant
        raise ValueError("out of range") from None
    return Stamp(value, local.date().isoformat(), local.year, utc.isoformat(timespec="microseconds"))


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def human_date(written: str | None) -> str:
    """A date as a reader writes it: ``15 September 2016``, with the time and offset as the
    feed wrote them when it gave a time (``15 September 2016, 14:30 -05:00``).  Midnight UTC
    is how date-only feeds pad a date, so it is left out."""
    match = _DATE.fullmatch((written or "").strip())
    if not match:
        return written or "undated"
    year, month, day, hour, minute, second, _, offset = match.groups()
    if not 1 <= int(month) <= 12:
        return written or "undated"
    text = f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
    midnight_utc = (hour, minute, second or "00") == ("00", "00", "00") and (
        offset in (None, "Z", "z", "+00:00", "+0000", "+00"))
    if hour is None or midnight_utc:
        return text
    time = f"{hour}:{minute}" + (f":{second}" if second and second != "00" else "")
    zone = "UTC" if offset in ("Z", "z") else offset or "(no offset given)"
    return f"{text}, {time} {zone}"


def _text(item: dict, key: str, field: str | None = None) -> str | None:
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ItemRejected(field or key, f"expected a string, got {_kind(value)}")


def _kind(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", Decimal: "a number",
            list: "a list", dict: "an object", str: "a string",
            type(None): "null"}.get(type(value), "a value")


def _strings(container: dict, key: str, field: str) -> list[str]:
    """A list of strings; one string is read as a one-element list (harmless leniency)."""
    value = container.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ItemRejected(field, f"expected a string or a list of strings, got {_kind(value)}")
    for index, element in enumerate(value):
        if not isinstance(element, str):
            raise ItemRejected(f"{field}[{index}]", f"expected a string, got {_kind(element)}")
    return [element.strip() for element in value if element.strip()]


def raw_digest(item: Any) -> tuple[str, bytes] | None:
    """``(id, digest)`` of an item exactly as the feed gave it (and of this normaliser), so an
    import can tell an item it has seen before doing anything else with it; None when the
    item has no usable id or cannot be encoded (:func:`normalise` then says why)."""
    if not isinstance(item, dict):
        return None
    try:
        item_id = _item_id(item)
    except ItemRejected:
        return None
    try:  # orjson: ten times json's speed on bodies of HTML
        encoded = orjson.dumps(item, default=str, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # a lone surrogate, an integer past 64 bits, too deep
        try:
            encoded = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
            encoded = encoded.encode("utf-8", "surrogatepass")
        except (TypeError, ValueError, RecursionError):
            return None
    return item_id, hashlib.blake2b(encoded, digest_size=16, person=NORMALISER_VERSION).digest()


def _item_id(item: dict) -> str:
    value = item.get("id")
    if value is None:
        raise ItemRejected("id", "missing (every item needs an id)")
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ItemRejected("id", f"expected a string or number, got {_kind(value)}")
    if isinstance(value, Decimal):
        value = plain_number(value, "id")
    if isinstance(value, float):
        value = int(value) if value.is_integer() else value
    text = str(value).strip()
    if not text:
        raise ItemRejected("id", "empty")
    return text if text.isascii() else _without_surrogates(text)


#: The first year an alert's date may have: one before it is a typo (``0201`` for ``2010``),
#: which would stretch the years pane and ``stats`` over centuries of empty years.
FIRST_YEAR = 1800


def _stamp(item: dict, key: str) -> Stamp | None:
    """The date of ``key``; one before :data:`FIRST_YEAR` or in a year after the next is a
    typo (``0201``, ``9999``), which would stretch the years pane and ``stats`` over
    centuries of empty years."""
    written = _text(item, key)
    if written is None or not written.strip():
        return None
    try:
        stamp = parse_date(written)
    except ValueError as exc:
        raise ItemRejected(key, f"{exc}: {written[:60]!r}") from None
    if stamp.year > (latest := datetime.now(UTC).year + 1):
        raise ItemRejected(key, f"in the future (after {latest}): {written[:60]!r}")
    if stamp.year < FIRST_YEAR:
        raise ItemRejected(key, f"before {FIRST_YEAR}, a typo: {written[:60]!r}")
    return stamp


def _authors(item: dict) -> list[dict]:
    """Authors from JSON Feed 1.1 ``authors`` or 1.0 ``author``, as ``{name, url}``."""
    value = item.get("authors")
    field = "authors"
    if value is None and item.get("author") is not None:
        value, field = [item["author"]], "author"
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ItemRejected(field, f"expected a list of objects, got {_kind(value)}")
    authors = []
    for index, author in enumerate(value):
        if not isinstance(author, dict):
            raise ItemRejected(f"{field}[{index}]", f"expected an object, got {_kind(author)}")
        entry = {key: _text(author, key, f"{field}[{index}].{key}") for key in ("name", "url")}
        authors.append({key: text for key, text in entry.items() if text})
    return authors


def _countries(ifex: dict, tags: list[str]) -> tuple[list[dict], list[str]]:
    """The alert's countries as ``{code, name, written}`` and the names that were not matched."""
    written = _strings(ifex, "country", "_ifex.country")
    found = [(name, country) for name in written for country in countries.resolve(name)]
    if not written:
        found = [(None, country) for country in countries.from_tags(tags)]
    result, seen = [], set()
    for name, country in found:
        key = country.code or country.name.casefold()
        if key not in seen:
            seen.add(key)
            result.append({"code": country.code, "name": country.name, "written": name})
    unrecognised = [entry["name"] for entry in result if entry["code"] is None]
    return result, unrecognised


def countries_of(written: list[str], tags: list[str]) -> list[dict]:
    """The countries the importer gives an item whose ``_ifex.country`` is ``written`` (the
    tags' first country when it is empty), for bringing stored alerts up to today's tables."""
    return _countries({"country": written}, tags)[0]


def unmatched_countries(item: dict) -> list[str]:
    """The country names of an item already accepted that no table matches (the import report
    lists them whether the item was read in full or skipped as seen before): what
    :func:`_countries` reports, without rebuilding the rest of the row."""
    ifex = item.get("_ifex")
    written = ifex.get("country") if isinstance(ifex, dict) else None
    names = [written] if isinstance(written, str) else written if isinstance(written, list) else []
    return [country.name for name in names if isinstance(name, str) and name.strip()
            for country in countries.resolve(name.strip()) if country.code is None]


def region_from(found: list[dict]) -> str | None:
    """The region of an alert whose feed wrote none: its first recognised country's."""
    return next((countries.region_of(c["code"]) for c in found if c["code"]), None)


def normalise(item: Any) -> tuple[dict, list[str]]:
    """One raw item as an archive row, plus the country names it could not match.

    Raises:
        ItemRejected: the item breaks the contract (the field says where).
    """
    if not isinstance(item, dict):
        raise ItemRejected("item", f"expected an object, got {_kind(item)}")
    item_id = _item_id(item)
    try:
        return _row(item, item_id)
    except ItemRejected as exc:
        exc.item_id = item_id
        raise


def _row(item: dict, item_id: str) -> tuple[dict, list[str]]:
    ifex = item.get("_ifex") or {}
    if not isinstance(ifex, dict):
        raise ItemRejected("_ifex", f"expected an object, got {_kind(ifex)}")
    tags = _strings(item, "tags", "tags")
    published, modified = _stamp(item, "date_published"), _stamp(item, "date_modified")
    content_html, content_text = _text(item, "content_html"), _text(item, "content_text")
    found, unrecognised = _countries(ifex, tags)
    region = (_text(ifex, "region", "_ifex.region") or "").strip()
    if not region:
        region = region_from(found)
    extensions = {key: value for key, value in item.items() if key.startswith("_") and key != "_ifex"}
    unmodelled = {key: value for key, value in ifex.items() if key not in IFEX_KEYS}
    if unmodelled:
        extensions["_ifex"] = unmodelled
    row = {
        "id": item_id,
        "url": _text(item, "url"),
        "external_url": _text(item, "external_url"),
        "title": _text(item, "title"),
        "summary": _text(item, "summary"),
        "content_html": content_html,
        "content_text": content_text,
        "body_text": content_text if content_text else html_to_text(content_html or ""),
        "published": published.written if published else None,
        "date": published.date if published else None,
        "year": published.year if published else None,
        "sort_date": published.date if published else "",
        "modified": modified.written if modified else None,
        "modified_utc": modified.utc if modified else None,
        "language": _text(item, "language"),
        "tags": tags,
        "authors": _authors(item),
        "countries": found,
        "region": region or None,
        "violations": _strings(ifex, "violations", "_ifex.violations"),
        "targets": _strings(ifex, "targets", "_ifex.targets"),
        "source": (_text(ifex, "source", "_ifex.source") or "").strip() or None,
        "alert_type": (_text(ifex, "alert_type", "_ifex.alert_type") or "").strip() or None,
        "extensions": extensions,
    }
    try:
        row["hash"] = content_hash(row)
    except TypeError:
        # A number with a fraction or an exponent in an extension, read exactly (a Decimal).
        plain = {k: _plain_numbers(v, k) if k.startswith("_") else v for k, v in item.items()}
        return _row(plain, item_id)
    except UnicodeEncodeError:
        # A lone surrogate written as an escape ("\\ud800") is valid JSON but not text that
        # UTF-8 (or SQLite) can hold; it becomes U+FFFD like any other unreadable character.
        return _row(_without_surrogates(item), item_id)  # the id is clean already
    except RecursionError:
        raise ItemRejected("item", "nested too deeply to store") from None
    return row, unrecognised


def content_hash(row: dict) -> str:
    """The hash of a row's content (every column but ``hash``), by which an import tells an
    unchanged item from an updated one; ``row`` holds the JSON columns as values, not text.

    Raises:
        TypeError, UnicodeEncodeError, RecursionError: as ``json.dumps`` and ``str.encode``.
    """
    content = {name: value for name, value in row.items() if name != "hash"}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


def plain_number(value: Decimal, field: str) -> float | int:
    """A number read exactly (with a fraction or an exponent) as the archive keeps it.

    It becomes the nearest 64-bit float (``0.1`` stays ``0.1``, ``1e-400`` is ``0.0``), which
    JSON export writes back as it reads in; an integer stays exact however wide, so it never
    gets here.  One beyond the float range (``1e400``) has no such value: the item is rejected
    rather than store a number no export could write.

    Raises:
        ItemRejected: the number is larger than a 64-bit float can hold.
    """
    number = float(value)
    if number in (float("inf"), float("-inf")) or number != number:
        shown = str(value) if len(str(value)) <= 24 else f"{str(value)[:20]}…"
        raise ItemRejected(field, f"the number {shown} is beyond the range of a 64-bit float")
    return number


def _plain_numbers(value: Any, path: str) -> Any:
    """``value`` with every Decimal in it made :func:`plain_number` (``path`` names the field)."""
    if isinstance(value, Decimal):
        return plain_number(value, path)
    if isinstance(value, list):
        return [_plain_numbers(element, f"{path}[{index}]") for index, element in enumerate(value)]
    if isinstance(value, dict):
        return {k: _plain_numbers(v, f"{path}.{k}") for k, v in value.items()}
    return value


def _without_surrogates(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_surrogates(element) for element in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value
