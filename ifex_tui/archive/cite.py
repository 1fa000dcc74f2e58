"""Citations of alerts: plain text, CSL-JSON, RIS, BibLaTeX (``@online``) and BibTeX (``@misc``).

:func:`records_for` reads alerts as records (``queries.to_record``) with what a citation needs
besides: the reporting organisation's name and the date the archive took the alert in
(``accessed``); :func:`render` writes one or many of them in one of :data:`FORMATS`.

What each part of a citation is:

- **author**: the reporting organisation (``_ifex.source``), as one corporate author, never
  split into given and family names: CSL ``{"literal": ...}``, one RIS ``AU``, a BibTeX name
  in its own braces (``{{Committee to Protect Journalists}}``).  It is the organisation's full
  name when the built-in table of sources (``data/sources.toml``) has it, else the name as the
  feed wrote it (:func:`organisation`).
- **container**: ``IFEX``.  The archive does not keep a feed's title, so a caller that knows
  it sets the record's ``"container"``.
- **issued**: the alert's date (``date``, else the start of ``published``) with the precision
  written: a day, a month or a year.  None makes an undated citation (``n.d.`` in text).
- **accessed**: the day (UTC) the import that brought the alert finished, or the one that
  wrote a change the feed dated (:func:`accessed`).
- **URL**: the alert's web link, ``url`` (else ``external_url``; ``javascript:``, ``file:``
  and other schemes are no URL to cite), percent-encoded where a URL may not
  hold a character as it is.  Many alerts have none (CPJ rows): the plain citation says
  ``No URL`` and the others carry no URL field but a note saying ``No URL``.

Feed text is data.  The libraries escape it for their formats (``export.dumps`` for JSON,
pylatexenc for LaTeX, as bibtexparser does; rispy writes RIS); before that, :func:`clean`
makes every field one line of text: line breaks, tabs and runs of spaces become one space,
terminal escape sequences (whole: ``\x1b[31m`` leaves no ``[31m``), other control characters
and the bidi embeddings, overrides and isolates (which would reorder the rest of the line, the
URL with it) are dropped.  Marks (LRM, RLM, ALM) and every other
character stay.  So no citation holds a control character but the newlines between its lines.

The data layer: nothing here imports Rich or Textual.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from urllib.parse import quote

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import (
    RULE_CALLABLE,
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from ifex_tui.archive import export, queries, sources
from ifex_tui.safe_text import web_link

__all__ = [
    "CONTAINER",
    "FORMATS",
    "NO_URL",
    "accessed",
    "clean",
    "key",
    "organisation",
    "records_for",
    "render",
]

#: Every format :func:`render` writes; the first is the default.
FORMATS = ("text", "csl-json", "ris", "biblatex", "bibtex")
#: The container of an alert whose record names none.
CONTAINER = "IFEX"
#: What a citation says where an alert has no URL.
NO_URL = "No URL"
#: An alert's title where the feed gave none, in every format: the citation says there is
#: none (a reference manager would list a nameless entry, and BibTeX warns of an empty title).
NO_TITLE = "[no title]"
#: A pair of straight double quotes and what is between them (a title's own quotes).
_QUOTED = re.compile(r'"([^"]*)"')

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                  "dec")


# --- reading ------------------------------------------------------------------------------------


def records_for(
    conn: sqlite3.Connection, pks: Iterable[int], names: sources.Table | None = None,
) -> list[dict]:
    """The alerts ``pks`` (in that order, each once; a pk the archive lacks is left out) as
    records ready to cite: ``queries.to_record`` plus ``organisation`` (:func:`organisation`
    under ``names``, the table of sources in effect by default) and ``accessed``
    (:func:`accessed`, ``YYYY-MM-DD`` or None)."""
    records = [record for pk in dict.fromkeys(pks) if (record := queries.alert(conn, pk))]
    return ready(conn, records, names)


def ready(conn: sqlite3.Connection, records: list[dict], names: sources.Table | None = None) -> list[dict]:
    """``records`` (``queries.to_record``: an export's, say) with what a citation needs
    besides: ``organisation`` and ``accessed`` (see :func:`records_for`)."""
    when = accessed(conn, [record["pk"] for record in records])
    names = names if names is not None else sources.table()
    for record in records:
        record["organisation"] = organisation(record["source"], names)
        record["accessed"] = when.get(record["pk"])
    return records


def write(conn: sqlite3.Connection, records: Iterable[dict], out, fmt: str, batch: int = 500) -> int:
    """Cite every record of ``records`` (an export's stream) to ``out`` in ``fmt``, a batch at a
    time (a million alerts are never held at once); return how many."""
    between = {"csl-json": ",\n", "text": "\n"}.get(fmt, "\n\n")
    count, first = 0, True
    if fmt == "csl-json":
        out.write("[\n")
    for group in _batched(records, batch):
        cited = render(ready(conn, group), fmt)
        if fmt == "csl-json":
            cited = cited.strip()[1:-1].strip("\n")  # the items, without the array's brackets
        out.write(("" if first else between) + cited)
        first = False
        count += len(group)
    out.write("\n]\n" if fmt == "csl-json" else "\n")
    return count


def _batched(items: Iterable[dict], size: int):
    group: list[dict] = []
    for item in items:
        group.append(item)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def accessed(conn: sqlite3.Connection, pks: Sequence[int]) -> dict[int, str | None]:
    """The day (UTC, ``YYYY-MM-DD``) each alert of ``pks`` was taken into the archive.

    The archive keeps no import per alert, but its imports log says how many alerts each
    import added (``new``), and an import gives the alerts it adds the next pks in one
    statement (alerts are never deleted).  So the log, added up import by import, tells which
    import brought each pk.  An alert changed since then holds the text of a later import,
    which the log cannot name; when the feed said when it changed (``date_modified``, kept as
    ``modified_utc``), the first import that finished after that date is taken instead, as the
    earliest one that can have written what the archive holds (the latest import when none
    did).  A change the feed did not date keeps the import that brought the alert.

    When the log does not add up to the alerts the archive holds (an archive whose log was
    kept otherwise by an earlier version), every alert gets the latest import's day.  With no
    import logged at all, none has a day (None).
    """
    landed = _imports(conn)
    if not landed or not pks:
        return dict.fromkeys(pks)
    ends = [end for end, _ in landed]
    finished = [when for _, when in landed]
    count, highest = conn.execute("SELECT count(*), coalesce(max(pk), 0) FROM alerts").fetchone()
    if not (ends[-1] == count == highest):
        return dict.fromkeys(pks, finished[-1].date().isoformat())
    modified: dict[int, str] = {}
    for start in range(0, len(pks), 500):
        chunk = list(pks[start:start + 500])
        modified.update(conn.execute(
            f"""SELECT pk, modified_utc FROM alerts
                WHERE pk IN ({', '.join('?' * len(chunk))}) AND modified_utc IS NOT NULL""",
            chunk,
        ).fetchall())
    days: dict[int, str | None] = {}
    for pk in pks:
        brought = min(bisect.bisect_left(ends, pk), len(landed) - 1)
        if changed := _instant(modified.get(pk)):
            later = next((i for i in range(brought, len(landed)) if finished[i] >= changed), None)
            brought = len(landed) - 1 if later is None else later
        days[pk] = finished[brought].date().isoformat()
    return days


def _imports(conn: sqlite3.Connection) -> list[tuple[int, datetime]]:
    """The imports that landed, oldest first: (the highest pk after it, when it finished).

    An import logs one row per file, each with the whole import's counts, so consecutive rows
    with the same times and counts are one import."""
    landed: list[tuple[int, datetime]] = []
    last = None
    total = 0
    for row in conn.execute(
        """SELECT started, finished, read, new, updated, unchanged, rejected FROM imports
           ORDER BY pk"""
    ):
        finished = _instant(row[1])
        if finished is None or row == last:
            continue
        last = row
        total += row[3] or 0
        landed.append((total, finished))
    return landed


def _instant(text: str | None) -> datetime | None:
    """An ISO 8601 instant as stored (``imports.finished``, ``alerts.modified_utc``: UTC)."""
    if not text:
        return None
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


# --- the parts of a citation --------------------------------------------------------------------


#: Terminal escape sequences whole (ECMA-48): strings (OSC, DCS, APC, PM, SOS) up to their
#: terminator, control sequences (CSI) up to their final byte, other escapes; in 7-bit and
#: 8-bit form.  Dropping only their escape character left ``[31m`` in a title.
_ESCAPE_SEQUENCES = re.compile(
    "(?:\x1b[]P_^X]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)"
    "|(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"
    "|\x1b[ -/]*[0-~]"
)
#: Controls that are not white space, and the bidi embeddings, overrides and isolates.
#: Also the invisible ones that only hide (zero-width space, word joiner, byte order mark):
#: pdflatex stops at them.  The zero-width (non-)joiners stay: scripts need them.
_DROPPED = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


#: The most of a field a citation holds: more than any real title, and a feed's title of
#: megabytes would take LaTeX encoding minutes (its time grows with the square of the length).
FIELD_CHARS = 1000


def clean(text: str | None) -> str | None:
    """``text`` as one line of a citation: white space of every kind (line breaks, tabs, runs
    of spaces) is one space, terminal escape sequences (whole), other control characters and
    bidi embeddings, overrides and isolates are dropped, and past :data:`FIELD_CHARS` it is
    cut (``…``); None when nothing is left."""
    if text is None:
        return None
    text = " ".join(_DROPPED.sub("", _ESCAPE_SEQUENCES.sub("", text)).split())
    return (text[:FIELD_CHARS].rstrip() + "…" if len(text) > FIELD_CHARS else text) or None


def organisation(written: str | None, names: sources.Table | None = None) -> str | None:
    """The name an alert from source ``written`` is cited under: the organisation's full name
    when the table of sources has it, else ``written`` as the feed wrote it.

    The table shows an organisation under its short name, an acronym where it goes by one
    (``CPJ``), and lists its full name first among the aliases (``data/sources.toml``).  So
    the first alias is the full name when the shown name holds an acronym (a word of two or
    more capitals) that the alias, a longer name, does not: CPJ is the Committee to Protect
    Journalists; ARTICLE 19 (whose first alias is "Article 19 International"), PEN America and
    Human Rights Watch keep their names.  Only the built-in table's entries give a full name:
    a source the user's table shows under a name of its own is cited as written.
    """
    written = clean(written)
    if written is None:
        return None
    shown = (names if names is not None else sources.table()).canonical(written)
    for entry in sources.builtin():
        if entry.name == shown:
            return _full_name(entry)
    return written


def _full_name(entry: sources.Entry) -> str:
    if not entry.aliases:
        return entry.name
    first = entry.aliases[0]
    acronyms = [word for word in re.split(r"[\s-]+", entry.name) if len(word) > 1 and word.isupper()]
    words = set(sources.key(first).split())
    if (acronyms and len(first.split()) > len(entry.name.split())
            and not any(sources.key(acronym) in words for acronym in acronyms)):
        return first
    return entry.name


_KEY_UNSAFE = re.compile(r"[^a-z0-9:._-]+")
_KEY_LENGTH = 80


def key(record: dict) -> str:
    """The citation key of an alert, ``ifex-<id>``: the same for the alert every time, whatever
    else is cited with it.

    A key is lower case: BibTeX and biber compare keys without regard to case, so ``Case`` and
    ``case`` must not give keys that differ only in case.  An id of lower-case letters, digits
    and ``: . _ -`` is kept whole (``ifex-cpj-killed:2011-11-06:gelson-domingos-da-silva``); any
    other (capitals, accents, spaces, slashes, past 80 characters) is folded to those and
    followed by a digest of the id as written, so two ids never share a key, in any case.
    """
    alert_id = str(record["id"])
    folded = unicodedata.normalize("NFKD", alert_id).encode("ascii", "ignore").decode().lower()
    slug = _KEY_UNSAFE.sub("-", folded).strip("-")[:_KEY_LENGTH].strip("-")
    if slug != alert_id:
        digest = hashlib.blake2b(alert_id.encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()
        slug = f"{slug}-{digest}" if slug else digest
    return f"ifex-{slug}"


def _keys(records: Sequence[dict]) -> list[str]:
    """:func:`key` of each record, made distinct within one citation (``-2``, ``-3``), in any
    case: only the same alert cited twice (or an id written to look like another's key and
    digest) needs it."""
    seen: set[str] = set()
    keys = []
    for record in records:
        base = candidate = key(record)
        n = 1
        while candidate.casefold() in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate.casefold())
        keys.append(candidate)
    return keys


_DATE = re.compile(r"\s*([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def issued(record: dict) -> tuple[int, ...]:
    """The alert's date as ``(year,)``, ``(year, month)`` or ``(year, month, day)``, with the
    precision written; ``()`` when undated.  A part that is not a real month or day ends it."""
    for value in (record.get("date"), record.get("published")):
        if not value or not (match := _DATE.match(value)):
            continue
        year, month, day = (int(part) if part else None for part in match.groups())
        if month is None or not 1 <= month <= 12:
            return (year,)
        try:
            datetime(year, month, day or 1)
        except ValueError:
            return (year, month)
        return (year, month) if day is None else (year, month, day)
    return ()


def _accessed_parts(record: dict) -> tuple[int, ...]:
    when = record.get("accessed")
    return issued({"date": when}) if when else ()


def _url(record: dict) -> str | None:
    """The alert's web link (``url``, else ``external_url``; a link of another scheme is no
    URL to cite), percent-encoding what a URL may not hold as it is (spaces, braces, quotes,
    backslashes, non-ASCII), so it is one token in every format."""
    url = next((clean(link) for link in (record.get("url"), record.get("external_url"))
                if web_link(clean(link))), None)
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~") if url else None


def _countries(record: dict) -> list[str]:
    named = []
    for country in record.get("countries") or []:
        name = queries.country_label(country["code"]) if country.get("code") else country.get("name")
        if (name := clean(name)) and name not in named:
            named.append(name)
    return named


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _human(parts: tuple[int, ...]) -> str:
    if not parts:
        return "n.d."
    if len(parts) == 1:
        return str(parts[0])
    named = f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return named if len(parts) == 2 else f"{parts[2]} {named}"


def _iso(parts: tuple[int, ...]) -> str:
    return "-".join(f"{part:04d}" if i == 0 else f"{part:02d}" for i, part in enumerate(parts))


def _container(record: dict) -> str:
    return clean(record.get("container")) or CONTAINER


def _author(record: dict) -> str | None:
    if "organisation" in record:
        return clean(record["organisation"])
    return organisation(record.get("source"))


# --- the formats --------------------------------------------------------------------------------


def render(records: Iterable[dict], fmt: str = "text") -> str:
    """``records`` (from :func:`records_for`) cited in ``fmt``, one of :data:`FORMATS`: one
    citation per line in text, one CSL-JSON array, or one entry each, a blank line between.

    Raises:
        ValueError: ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    records = list(records)
    keys = _keys(records)
    if fmt == "text":
        return "\n".join(map(text, records))
    if fmt == "csl-json":
        items = [csl(record, k) for record, k in zip(records, keys, strict=True)]
        return "[\n" + ",\n".join(map(export.dumps, items)) + "\n]" if items else "[]"
    if fmt == "ris":
        entries = [ris(record, k) for record, k in zip(records, keys, strict=True)]
        return rispy.dumps(entries, implementation=_RisWriter).rstrip("\n")
    entries = [bib(record, k, biblatex=fmt == "biblatex") for record, k in zip(records, keys, strict=True)]
    return _bib_string(entries)


def text(record: dict) -> str:
    """``Source, "Title", Country, Date. URL (accessed YYYY-MM-DD)``; an undated alert has
    ``n.d.``, one without URL says ``No URL``; a part the alert lacks is left out.  Quotes in
    the title become single ones (``"Rolando 'Dodong' Morales …"``), so the title's own
    quotes still show where it ends."""
    title = clean(record.get("title"))
    if title:
        title = _QUOTED.sub(r"'\1'", title)  # quotes within the quotes
    parts = [
        _author(record),
        f'"{title}"' if title else NO_TITLE,
        _listed(named) if (named := _countries(record)) else None,
        _human(issued(record)),
    ]
    cited = ", ".join(part for part in parts if part)
    cited += f"{'' if cited.endswith('.') else '.'} {_url(record) or NO_URL}"
    if when := _accessed_parts(record):
        cited += f" (accessed {_iso(when)})"
    return cited


def csl(record: dict, cite_key: str | None = None) -> dict:
    """The alert as a CSL-JSON item (CSL data schema 1.0): a ``webpage`` whose author is the
    organisation as a ``literal`` name."""
    item: dict = {"id": cite_key or key(record), "type": "webpage"}
    item["title"] = clean(record.get("title")) or NO_TITLE
    if author := _author(record):
        item["author"] = [{"literal": author}]
    item["container-title"] = _container(record)
    if parts := issued(record):
        item["issued"] = {"date-parts": [list(parts)]}
    if when := _accessed_parts(record):
        item["accessed"] = {"date-parts": [list(when)]}
    if url := _url(record):
        item["URL"] = url
    else:
        item["note"] = NO_URL
    if language := clean(record.get("language")):
        item["language"] = language
    return item


def ris(record: dict, cite_key: str | None = None) -> dict:
    """The alert as a rispy entry: an ``ELEC`` reference with one ``AU``, the organisation."""
    entry: dict = {"type_of_reference": "ELEC", "id": cite_key or key(record)}
    if author := _author(record):
        entry["authors"] = [author]
    entry["title"] = clean(record.get("title")) or NO_TITLE
    entry["secondary_title"] = _container(record)
    if parts := issued(record):
        entry["year"] = f"{parts[0]:04d}"
        written = [f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:])]
        entry["date"] = "/".join([*written, "", ""][:3]) + "/"  # 2011/11/06/, 2011/11//, 2011///
    if when := _accessed_parts(record):
        entry["access_date"] = "/".join(f"{part:02d}" for part in when)
    if url := _url(record):
        entry["urls"] = [url]
    else:
        entry["notes"] = [NO_URL]
    if language := clean(record.get("language")):
        entry["language"] = language
    return entry


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its ``1.`` line before each reference (not a RIS tag)."""

    def set_header(self, count: int) -> str:
        return ""


def _keep_non_ascii(text: str, pos: int) -> tuple[int, str] | None:
    """A pylatexenc rule: a run of non-ASCII characters stays as written (biber reads UTF-8)."""
    end = pos
    while end < len(text) and ord(text[end]) > 127:
        end += 1
    return (end - pos, text[pos:end]) if end > pos else None


def _other_script(code: int) -> bool:
    """Greek, Cyrillic, Hebrew, Arabic, the scripts of India and East Asia...: letters no
    LaTeX macro of a default preamble writes (pylatexenc's would need T2A for Cyrillic and
    math mode for Greek), as against Latin letters, punctuation and symbols."""
    return 0x0370 <= code < 0x1E00 or 0x1F00 <= code < 0x2000 or code >= 0x2E80


def _keep_other_scripts(text: str, pos: int) -> tuple[int, str] | None:
    """A pylatexenc rule: a run of letters of another script than Latin stays as written, in
    UTF-8, as CJK and Arabic do anyway (``{\\CYRZH}`` only works where T2A is loaded)."""
    end = pos
    while end < len(text) and _other_script(ord(text[end])):
        end += 1
    return (end - pos, text[pos:end]) if end > pos else None


#: BibTeX counts braces even behind a backslash, so pylatexenc's ``\{`` would leave a field
#: with one brace unbalanced; the text-mode symbols are the same braces and always balanced.
_BRACES = UnicodeToLatexConversionRule(
    rule_type=RULE_DICT, rule={ord("{"): r"\textbraceleft", ord("}"): r"\textbraceright"}
)
#: BibTeX: Latin letters, punctuation and symbols pylatexenc knows as macros (``{\'e}``);
#: other scripts, and what it does not know, stay UTF-8.
_BIBTEX = UnicodeToLatexEncoder(
    conversion_rules=[
        _BRACES, UnicodeToLatexConversionRule(rule_type=RULE_CALLABLE, rule=_keep_other_scripts),
        "defaults",
    ], replacement_latex_protection="braces-all",
    unknown_char_policy="keep", unknown_char_warning=False,
)
#: BibLaTeX: LaTeX's special characters escaped, the rest kept as UTF-8.
_BIBLATEX = UnicodeToLatexEncoder(
    conversion_rules=[
        _BRACES, UnicodeToLatexConversionRule(rule_type=RULE_CALLABLE, rule=_keep_non_ascii),
        "defaults",
    ],
    replacement_latex_protection="braces-after-macro",
    unknown_char_policy="keep", unknown_char_warning=False,
)


def _paired_quotes(text: str) -> str:
    """Straight double quotes in pairs as opening and closing ones: LaTeX has no straight
    double quote, and pylatexenc writes every one as a closing one (``''free''``)."""
    return _QUOTED.sub("\u201c\\1\u201d", text)


def bib(record: dict, cite_key: str | None = None, *, biblatex: bool = True) -> Entry:
    """The alert as a bibtexparser entry: BibLaTeX ``@online`` (``date``, ``urldate``) or
    BibTeX ``@misc`` (``year``, ``month``: it has no day); the access date goes in ``note``
    where there is no ``urldate`` to hold it (BibTeX, or an alert without URL).

    Text fields are LaTeX (pylatexenc), the author and organisation in a brace group of
    their own so that neither is split into names, the BibTeX title in one so that a style
    does not lower its case; ``url`` is a URL, not LaTeX."""
    encoder = _BIBLATEX if biblatex else _BIBTEX

    def latex(text: str) -> str:
        return encoder.unicode_to_latex(_paired_quotes(text))

    fields: list[Field] = []
    if author := _author(record):
        fields.append(Field("author", "{" + latex(author) + "}"))
    title = clean(record.get("title")) or NO_TITLE
    fields.append(Field("title", latex(title) if biblatex else "{" + latex(title) + "}"))
    parts, when, url = issued(record), _accessed_parts(record), _url(record)
    notes = [] if url else [NO_URL]
    if biblatex:
        fields.append(Field("organization", "{" + latex(_container(record)) + "}"))
        if parts:
            fields.append(Field("date", _iso(parts)))
    else:
        fields.append(Field("howpublished", latex(_container(record))))
        if parts:
            fields.append(Field("year", f"{parts[0]:04d}"))
        if len(parts) > 1:
            fields.append(Field("month", _BIBTEX_MONTHS[parts[1] - 1], enclosing="no-enclosing"))
    if url:
        fields.append(Field("url", url))
    if when and biblatex and url:
        fields.append(Field("urldate", _iso(when)))
    elif when:  # BibTeX has no access date, and BibLaTeX prints urldate only with a url
        notes.append(f"Accessed {_iso(when)}")
    if notes:
        fields.append(Field("note", ". ".join(notes)))
    return Entry("online" if biblatex else "misc", cite_key or key(record), fields)


def _bib_string(entries: list[Entry]) -> str:
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    layout.block_separator = "\n"  # each block ends in a line break: one blank line between
    return bibtexparser.write_string(bibtexparser.Library(entries), bibtex_format=layout).strip("\n")
