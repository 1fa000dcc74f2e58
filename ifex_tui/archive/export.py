"""Write alert records as CSV, a JSON array, or a JSON Feed 1.1 that imports back unchanged.

Writers stream: they take an iterator of records (see :func:`queries.iter_records`) and write
each as it comes, so exporting a million alerts needs no more memory than exporting ten.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterable
from typing import TextIO

from ifex_tui.archive.items import human_date

FORMATS = ("csv", "json", "jsonfeed", "markdown", "csl-json", "ris", "biblatex", "bibtex")
#: The formats that cite each alert (``cite.py``).
CITATION_FORMATS = ("csl-json", "ris", "biblatex", "bibtex")
CSV_FIELDS = (
    "id", "date", "year", "title", "countries", "country_codes", "region", "violations",
    "targets", "source", "alert_type", "tags", "authors", "url", "summary", "body_text",
)
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dumps(value) -> str:
    """JSON that keeps accents readable but escapes every character a terminal could act on.

    The stdlib already escapes C0 controls; DEL, C1 controls (a raw U+009B is a CSI to some
    terminals) and bidi overrides are escaped here too, so the output is still valid JSON.
    It is always JSON: a non-finite float (which an archive made by an earlier version may
    hold, from a ``1e400`` in an extension) is written as its name in a string,
    ``"Infinity"``, never as the bare ``Infinity`` no JSON reader accepts.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(value), ensure_ascii=False, allow_nan=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _finite(value):
    """``value`` with every infinite or NaN float replaced by its name as a string."""
    if isinstance(value, float) and not math.isfinite(value):
        return {math.inf: "Infinity", -math.inf: "-Infinity"}.get(value, "NaN")
    if isinstance(value, list):
        return [_finite(element) for element in value]
    if isinstance(value, dict):
        return {key: _finite(element) for key, element in value.items()}
    return value


def public(record: dict) -> dict:
    """The record as ``export --format json`` shows it (internal keys dropped)."""
    return {key: value for key, value in record.items() if key != "pk"}


def write_json(records: Iterable[dict], out: TextIO) -> int:
    count = 0
    out.write("[")
    for count, record in enumerate(records, start=1):
        out.write(("\n" if count == 1 else ",\n") + dumps(public(record)))
    out.write("\n]\n" if count else "]\n")
    return count


#: What a spreadsheet evaluates at the start of a cell: a formula (``=HYPERLINK(...)``,
#: ``+``, ``-``, ``@``), also behind spaces, tabs or line breaks that an import may trim.
_FORMULA_STARTS = ("=", "+", "-", "@")


def neutralised(cell: str) -> str:
    """``cell`` as a spreadsheet shows it rather than evaluates it: a leading apostrophe when it
    starts like a formula (OWASP's advice for CSV injection); feed text is data, everywhere."""
    return "'" + cell if cell.lstrip(" \t\r\n").startswith(_FORMULA_STARTS) else cell


def write_csv(records: Iterable[dict], out: TextIO, clean: Callable[[str], str] = str,
              raw: bool = False) -> int:
    """One row per alert; list fields joined by ``; ``; ``clean`` guards a terminal; cells
    that would be formulas are :func:`neutralised` unless ``raw``."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    count = 0
    for record in records:
        count += 1
        row = {
            **{key: record.get(key) for key in CSV_FIELDS},
            "countries": "; ".join(c["name"] for c in record["countries"]),
            "country_codes": "; ".join(c["code"] or "" for c in record["countries"]),
            "violations": "; ".join(record["violations"]),
            "targets": "; ".join(record["targets"]),
            "tags": "; ".join(record["tags"]),
            "authors": "; ".join(a.get("name", "") for a in record["authors"]),
        }
        cells = {k: clean(str(v)) if v is not None else "" for k, v in row.items()}
        writer.writerow(cells if raw else {k: neutralised(v) for k, v in cells.items()})
    return count


def feed_item(record: dict) -> dict:
    """The record as a JSON Feed 1.1 item with ``_ifex``: what was imported, as it was written."""
    written = [c["written"] for c in record["countries"] if c.get("written")]
    ifex = {
        "country": written[0] if len(written) == 1 else written or None,
        "region": record["region"] or None,  # an earlier version kept a blank region as ""
        "violations": record["violations"] or None,
        "targets": record["targets"] or None,
        "source": record["source"],
        "alert_type": record["alert_type"],
        **record["extensions"].get("_ifex", {}),
    }
    item = {
        "id": record["id"],
        "url": record["url"] if record["url"] != record["external_url"] else None,
        "external_url": record["external_url"],
        "title": record["title"],
        "summary": record["summary"],
        "content_html": record["content_html"],
        "content_text": record["content_text"],
        "date_published": record["published"],
        "date_modified": record["modified"],
        "tags": record["tags"] or None,
        "authors": record["authors"] or None,
        "language": record["language"],
        "_ifex": {key: value for key, value in ifex.items() if value is not None},
        **{key: value for key, value in record["extensions"].items() if key != "_ifex"},
    }
    return {key: value for key, value in item.items() if value is not None}


def write_jsonfeed(records: Iterable[dict], out: TextIO, title: str = "IFEX alerts (export)",
                   provenance: dict | None = None) -> int:
    """A JSON Feed that ``ifex-tui import`` reads back; ``provenance`` goes after the items as
    the extension ``_ifex_export``, with the count of items written."""
    header = {"version": "https://jsonfeed.org/version/1.1", "title": title}
    out.write(dumps(header)[:-1] + ', "items": [')
    count = 0
    for count, record in enumerate(records, start=1):
        out.write(("\n" if count == 1 else ",\n") + dumps(feed_item(record)))
    out.write("\n]")
    if provenance is not None:
        out.write(', "_ifex_export": ' + dumps({**provenance, "rows": count}))
    out.write("}\n")
    return count


def write_markdown(records: Iterable[dict], out: TextIO, provenance: dict | None = None,
                   clean: Callable[[str], str] = str) -> int:
    """A Markdown document: how it was made as YAML front matter (JSON is YAML), then each
    alert as a section: its title as a heading, a list of fields (date, countries, source,
    violations, link, id), the summary, then the body.

    Feed text is data here too: a CommonMark reader makes nothing of it but text.  The title
    and the fields are one line each (line breaks become spaces), so the heading an alert gets
    is its only one; the summary and the body are paragraphs (a blank line starts another)
    whose lines are escaped so that none is read as a heading, rule, list, quote, code block,
    HTML, link definition or table, and no character as emphasis, code, a link, HTML or an
    entity (:func:`_md_lines`).  A title ``**x**`` or a body line ``# y`` shows as written.
    """
    if provenance is not None:
        out.write("---\n" + "\n".join(f"{key}: {dumps(value)}" for key, value in provenance.items())
                  + "\n---\n\n")
    count = 0
    for record in records:
        count += 1
        title = _one_line(clean(record["title"] or ""))
        out.write(f"## {_md(title, heading=True) if title else '(untitled)'}\n\n")
        facts = [
            ("Date", human_date(record["published"]) if record["published"] else "undated"),
            ("Countries", ", ".join(c["name"] for c in record["countries"]) or "Unknown country"),
            ("Source", record["source"] or ""),
            ("Violations", ", ".join(record["violations"])),
            ("Link", record["url"] or "none"),
            ("Id", record["id"]),
        ]
        for label, value in facts:
            if value and (value := _one_line(clean(value))):
                out.write(f"- **{label}:** {_md(value)}\n")
        summary, body = clean(record["summary"] or ""), clean(record["body_text"] or "")
        for text in (summary, body if body.strip() != summary.strip() else ""):
            if paragraphs := _md_lines(text):
                out.write("\n" + paragraphs + "\n")
        out.write("\n")
    return count


#: Characters that mean something anywhere in a line, each behind a backslash (a translation
#: table: C speed, where a substitution expanded its template in Python for each), and what
#: means something at a line's start.
_MD_INLINE = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|~"})
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # "&amp;" would be read as "&"
_MD_LINE_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")


def _one_line(text: str) -> str:
    """``text`` as one line: its lines joined by one space, white space at their ends dropped."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _md(text: str, *, heading: bool = False) -> str:
    """One line of ``text`` (no line breaks) as literal Markdown inline text: what Markdown would
    read as emphasis, code, a link, HTML or an entity is escaped; ordinary punctuation is left as
    written.  In a ``heading`` every ``#`` is escaped too (a closing ``#`` sequence is dropped)."""
    text = _MD_ENTITY.sub(r"\\&", text.translate(_MD_INLINE))
    return text.replace("#", "\\#") if heading else text


def _md_lines(text: str) -> str:
    """``text`` as Markdown paragraphs that read back as exactly its lines: a blank line (or one
    of white space only) ends a paragraph; in every other line what a line may start with to
    make a block (``#``, ``-``, ``+``, ``=``, ``1.``) is escaped, and white space at either end,
    which Markdown would drop or read as indentation (a code block, a hard break), is written
    as character references (``&#32;``), which it takes as text."""
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        # the white space at either end: what Markdown would drop or read as indentation
        core = line.strip()
        lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()):]
        core = _MD_LINE_START.sub(_escape_start, _md(core))
        paragraphs[-1].append(_references(lead) + core + _references(trail))
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)


def _escape_start(m: re.Match) -> str:  # "\\#", "\\-" …, and "1\\." for a numbered line
    return "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3)


def _references(space: str) -> str:
    return "".join(f"&#{ord(ch)};" for ch in space)
