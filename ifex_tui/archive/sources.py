"""Reporting organisations reconciled like countries: one source, whatever name a feed writes.

Feeds name the same member "CPJ" and "Committee to Protect Journalists", or "RSF" and
"Reporters sans frontières", so the source facet would count one organisation several times.
A table of organisations (``data/sources.toml``, with its sources in its header, plus the
user's ``sources.toml`` in the config dir) gives each its shown name, acronyms and names in
other languages.  Matching is exact after :func:`key` (case, compatibility forms, diacritics
and punctuation folded, a leading "The" dropped), never by similarity: a wrong organisation is
worse than an unmatched one, which is kept as written.  A name two entries give is ambiguous
and matches neither.

The archive keeps each alert's source as written (``alerts.source``); ``source_names`` maps
every written source to the name its facet rows, counts and bitmaps hold, as the table in
effect when it was last reconciled.  :func:`rederive` brings that up to the table in effect
now, moving only the facet rows of the names that changed, in its caller's transaction: the
migration to schema 4 runs it once, every import runs it when the table has changed (the user
edited their file), and :func:`stale` tells a reader that it has.  We keep this mapping rather
than a fingerprint of the table because it says which names changed: a reader hears of a
change only when a name the archive holds would move, and a reconciliation touches only those
values' facet rows, found from the facet itself, never reading the wide alert rows (unless a
name leaves an organisation whose other names stay).
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import sqlite3
import threading
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ifex_tui import paths
from ifex_tui.archive import bitmaps
from ifex_tui.archive.filters import clipped, folded

#: ``source_names``: every source as written in the archive and the name its facet holds.
TABLE = """CREATE TABLE IF NOT EXISTS source_names (
    written TEXT PRIMARY KEY,
    name TEXT NOT NULL
) WITHOUT ROWID"""

#: The ``meta`` key counting the reconciliations that changed a facet (readers' caches key
#: on it, since a reconciliation on its own logs no import).
GENERATION = "sources_reconciled"

#: What a reader says when the archive was reconciled with another table than the one in
#: effect now.
STALE = ("source names were reconciled with an older table; run ifex-tui import or "
         "ifex-tui reconcile")

_DROPPED = str.maketrans({"'": None, "\u2018": None, "\u2019": None, "\u02bc": None, "`": None,
                          ".": None, "&": " and "})
#: The largest user file read (a table of sources is a few kilobytes; every command reads it).
MAX_BYTES = 1_000_000
#: The longest name or alias a user entry may give, in characters.
MAX_NAME = 200
_PARTS = re.compile(r"\s*(.*?\S)\s*\(\s*([^()]*?\S)\s*\)\s*")
_FIELDS = ("name", "aliases")


@functools.lru_cache(maxsize=1 << 16)  # a table asks for each name's key several times
def key(text: str) -> str:
    """``text`` as names are compared: ``Reporters sans Frontieres`` is ``Reporters sans
    frontières``, ``HRNJ Uganda`` is ``HRNJ-Uganda``, ``The Guardian`` is ``Guardian``."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_DROPPED)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _parts(name: str) -> tuple[str, str] | None:
    """``("Name", "ACRONYM")`` for ``"Name (ACRONYM)"``, else None."""
    match = _PARTS.fullmatch(name)
    return (match.group(1), match.group(2)) if match else None


@dataclass(frozen=True)
class Entry:
    """One organisation: the name it is shown under and the other names that mean it."""

    name: str
    aliases: tuple[str, ...] = ()

    def match_keys(self) -> set[str]:
        found = {key(self.name), *(key(alias) for alias in self.aliases)}
        if parts := _parts(self.name):
            found.update(key(part) for part in parts)
        found.discard("")
        return found


class Table:
    """Written source -> the name it counts under; built by :func:`build`."""

    def __init__(
        self, names: dict[str, str], ambiguous: frozenset[str], problem: str | None = None,
        *, error: str | None = None,
    ):
        self._names = names
        #: Keys two entries give: they match no entry.
        self.ambiguous = ambiguous
        #: One line for the user about their file (None when all of it is used, or there is
        #: none): why it was not used, or which of its entries were left out.
        self.problem = problem
        #: Every line for the user about their file: :attr:`problem`, or one per entry left out.
        self.problems: tuple[str, ...] = ()
        #: Why the user's file cannot be used, naming the file (and the line and field when
        #: one is at fault), without what is done instead: a command that would write the
        #: archive under this table refuses with it (None when the file is used, or absent).
        self.error = error

    def canonical(self, written: str) -> str:
        """The name ``written`` counts under: its entry's, or ``written`` itself when no entry
        (or more than one) names it.  ``Name (ACRONYM)`` counts under the entry both name."""
        if found := self._names.get(key(written)):
            return found
        if parts := _parts(written):
            outer, inner = (self._names.get(key(part)) for part in parts)
            if outer and outer == inner:
                return outer
        return written

    def close_to(self, written: str, n: int = 3) -> list[str]:
        """Shown names of the entries with a name or alias spelt like ``written`` (a hint after
        a name that matches nothing, ``Reporters w/o Borders``; never used to match)."""
        near = difflib.get_close_matches(key(written), list(self._names), n=n * 3, cutoff=0.75)
        return list(dict.fromkeys(self._names[each] for each in near))[:n]

    def names(self) -> set[str]:
        """Every name an entry is shown under."""
        return set(self._names.values())

    def named_by(self, typed: str) -> tuple[list[str], list[str]]:
        """Shown names a person may mean by ``typed``, for finding a source in a list (like
        ``countries.named_by``): ``(exact, starting)``, the name ``typed`` names outright and
        those of every name or alias that begins with it (``commit`` finds CPJ)."""
        wanted = key(typed)
        if not wanted:
            return [], []
        exact = [found] if (found := self.canonical(typed)) in self.names() else []
        starting = sorted({shown for each, shown in self._names.items() if each.startswith(wanted)},
                          key=str.casefold)
        return exact, starting


def build(
    builtin: Iterable[Entry], yours: Iterable[Entry] = (), problem: str | None = None,
    *, error: str | None = None,
) -> Table:
    """The table of the built-in entries with the user's applied on top.

    Within one of the two, a name two entries give is ambiguous: it matches neither.  A user
    entry whose name the built-in table knows is that organisation: it is shown under the
    user's name and gains the user's aliases; any other user entry is a new organisation.
    Every name a user entry gives is that entry's, whatever the built-in table said (an
    entry whose shown name was taken is shown under the first of its names it keeps).
    """
    shown: list[str] = []
    spellings: list[list[str]] = []  # each entry's names, its shown name first
    owner: dict[str, int | None] = {}
    for layer, entries in enumerate((builtin, yours)):
        claims: dict[str, set[int]] = {}
        by_name: dict[str, int] = {}
        for entry in entries:
            name_key = key(entry.name)
            target = by_name.get(name_key)
            if target is None and layer:
                target = _owner(owner, entry.name)
            if target is None:
                target = len(shown)
                shown.append(entry.name)
                spellings.append([])
            else:
                shown[target] = entry.name
            spellings[target][:0] = [entry.name, *entry.aliases]
            by_name[name_key] = target
            for each in entry.match_keys():
                claims.setdefault(each, set()).add(target)
        for each, targets in claims.items():
            owner[each] = next(iter(targets)) if len(targets) == 1 else None
    for target, name in enumerate(shown):  # a user entry took this one's name: its next one
        if owner.get(key(name)) != target:
            shown[target] = next((n for n in spellings[target] if owner.get(key(n)) == target), name)
    names = {each: shown[target] for each, target in owner.items() if target is not None}
    ambiguous = frozenset(each for each, target in owner.items() if target is None)
    return Table(names, ambiguous, problem, error=error)


def _owner(owner: dict[str, int | None], name: str) -> int | None:
    """The entry ``name`` names (as :meth:`Table.canonical` finds it), or None."""
    if (found := owner.get(key(name))) is not None:
        return found
    if parts := _parts(name):
        outer, inner = (owner.get(key(part)) for part in parts)
        if outer is not None and outer == inner:
            return outer
    return None


# --- reading the tables ------------------------------------------------------------------------


class SourcesFileError(ValueError):
    """A table of sources that cannot be used; the message is one line naming file, line, field."""


def builtin_path() -> Path:
    """The built-in table shipped in the package (``data/sources.toml``)."""
    return Path(str(resources.files("ifex_tui.archive") / "data" / "sources.toml"))


@functools.cache
def builtin() -> tuple[Entry, ...]:
    text = (resources.files("ifex_tui.archive") / "data" / "sources.toml").read_text("utf-8")
    return parse(text, "the built-in table of sources")


def parse(text: str, where: str) -> tuple[Entry, ...]:
    """The entries of a table in the ``[[source]]`` format of ``data/sources.toml``.

    Raises:
        SourcesFileError: one line naming ``where``, the line and the field.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if found := re.search(r"\(at line (\d+), column (\d+)\)$", message):
            message = f"line {found.group(1)}, column {found.group(2)}: " + message[:found.start()].strip()
        elif found := re.search(r"\(at end of document\)$", message):
            end = max(len(text.splitlines()), 1)
            message = f"line {end} (the end of the file): " + message[:found.start()].strip()
        raise SourcesFileError(f"{where}: {message}") from None
    for name in data:
        if name != "source":
            raise SourcesFileError(
                f"{where}: line {_line_of(text, name)}: unknown key {name!r} "
                "(entries are [[source]] tables with name and aliases)"
            )
    listed = data.get("source", [])
    if not isinstance(listed, list) or not all(isinstance(e, dict) for e in listed):
        raise SourcesFileError(
            f"{where}: line {_line_of(text, 'source')}: 'source' must be [[source]] tables"
        )
    headers = _headers(text)
    return tuple(_entry(raw, text, where, headers, i) for i, raw in enumerate(listed))


def _headers(text: str) -> list[int]:
    """The line of each ``[[source]]`` header."""
    return [n for n, line in enumerate(text.splitlines(), 1)
            if re.match(r'\s*\[\[\s*"?source"?\s*\]\]', line)]


#: How many entries left out a reader is told of one by one (then how many more).
_CLASHES_SAID = 10


def without_clashes(entries: tuple[Entry, ...], text: str, where: str) -> tuple[tuple[Entry, ...], list[str]]:
    """The user's ``entries`` less each one giving a name an earlier entry gives (``CPJ`` and
    ``cpj``, or one alias in two entries: which organisation it means is anybody's guess), and
    one line per entry left out naming the file, its line, the name and the entry that has it
    (as the keymap says a key bound twice).  The built-in table is not checked this way: a name
    two of its entries give matches neither (:attr:`Table.ambiguous`)."""
    headers = _headers(text)
    claimed: dict[str, int] = {}
    kept: list[Entry] = []
    said: list[str] = []
    left_out = 0
    for index, entry in enumerate(entries):
        names = [(entry.name, "name"), *((alias, "aliases") for alias in entry.aliases)]
        if parts := _parts(entry.name):
            names.extend((part, "name") for part in parts)
        clash = next(((name, field) for name, field in names if key(name) in claimed), None)
        if clash is None:
            kept.append(entry)
            for each in entry.match_keys():
                claimed.setdefault(each, index)
            continue
        left_out += 1
        if len(said) < _CLASHES_SAID:
            name, field = clash
            other = claimed[key(name)]
            said.append(
                f"{where}: line {_field_line(text, headers, index, field)}: source {index + 1} "
                f"({clipped(entry.name)!r}) left out: {clipped(name)!r} is already a name of "
                f"source {other + 1} ({clipped(entries[other].name)!r}, line "
                f"{_field_line(text, headers, other, 'name')})"
            )
    if left_out > len(said):
        said.append(f"{where}: … and {left_out - len(said):,} more sources left out, each giving "
                    "a name an earlier source gives")
    return tuple(kept), said


def _entry(raw: dict, text: str, where: str, headers: list[int], index: int) -> Entry:
    def fail(field: str, reason: str) -> SourcesFileError:
        line = _field_line(text, headers, index, field)
        return SourcesFileError(f"{where}: line {line}: source {index + 1}, {field}: {reason}")

    for field in raw:
        if field not in _FIELDS:
            raise fail(field, "unknown field (a source has name and aliases)")
    name = raw.get("name")
    if name is None:
        raise fail("name", "missing")
    if wrong := _wrong_name(name):
        raise fail("name", wrong)
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list):
        raise fail("aliases", f'must be a list of names in brackets (aliases = ["..."]), not {_kind(aliases)}')
    for number, alias in enumerate(aliases, 1):
        if wrong := _wrong_name(alias):
            raise fail("aliases", f"alias {number} {wrong}")
    return Entry(name.strip(), tuple(alias.strip() for alias in aliases))


def _wrong_name(name: object) -> str | None:
    """What is wrong with ``name`` as a name of a source, or None."""
    if not isinstance(name, str):
        return f"must be text in quotes, not {_kind(name)}"
    if not name.strip():
        return "is empty"
    if len(name) > MAX_NAME:
        return f"is {len(name):,} characters long; a name is at most {MAX_NAME}"
    if not key(name):
        return f"{clipped(name.strip())!r} has no letters or digits"
    return None


def _kind(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "a table", str: "text"}.get(type(value), "a date or time")


def _line_of(text: str, name: str) -> int:
    """The first line that starts with ``name`` as a key or table header (1 when none does)."""
    pattern = re.compile(rf'\s*(\[\[?\s*)?"?{re.escape(name)}"?\s*(=|\]|\.)')
    return next((n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)), 1)


def _field_line(text: str, headers: list[int], index: int, field: str) -> int:
    """The line of ``field`` in the ``index``-th [[source]] table, else that table's header."""
    lines = text.splitlines()
    start = headers[index] if index < len(headers) else 1
    end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1
    pattern = re.compile(rf'\s*"?{re.escape(field)}"?\s*=')
    return next((n for n in range(start, end) if pattern.match(lines[n - 1])), start)


_lock = threading.Lock()
_loaded: tuple[tuple, Table] | None = None


def table(path: Path | None = None) -> Table:
    """The table in effect: the built-in one with the user's file (``paths.sources_path()``)
    applied.  A user file that cannot be used leaves the built-in table alone, and
    ``Table.problem`` says why in one line; an entry giving a name an earlier one gives is
    left out, one line each in ``Table.problems``.  Read again only when the file changed."""
    global _loaded
    path = path or paths.sources_path()
    try:
        with path.open("rb") as file:
            content: bytes | str | None = file.read(MAX_BYTES + 1)
            if len(content) > MAX_BYTES:
                size = os.fstat(file.fileno()).st_size
                content = (f"is {max(size, len(content)):,} bytes, more than the {MAX_BYTES:,} "
                           "a table of sources may have")
    except FileNotFoundError:
        content = None
    except OSError as exc:
        content = f"cannot be read ({exc.strerror or exc})"
    stamp = (str(path), content)
    with _lock:
        if _loaded is not None and _loaded[0] == stamp:
            return _loaded[1]
    yours: tuple[Entry, ...] = ()
    error = None
    said: list[str] = []
    if isinstance(content, str):
        error = f"{path}: {content}"
    elif content is not None:
        try:
            text = content.decode("utf-8-sig")  # a byte order mark, as Windows editors write
            yours, said = without_clashes(parse(text, str(path)), text, str(path))
        except UnicodeDecodeError:
            error = f"{path}: not UTF-8 text"
        except SourcesFileError as exc:
            error = str(exc)
    if error:
        said = [error + "; only the built-in table of sources is used"]
    problem = None
    if said:
        problem = said[0] + (f" (and {len(said) - 1} more like it)" if len(said) > 1 else "")
    built = build(builtin(), yours, problem, error=error)
    built.problems = tuple(said)
    with _lock:
        _loaded = (stamp, built)
    return built


# --- the archive's source facet ----------------------------------------------------------------


def seed(conn: sqlite3.Connection) -> None:
    """Fill ``source_names`` from an archive made before it (schema 3), whose source facet rows
    hold each alert's source exactly as written: every name maps to itself."""
    conn.execute(
        """INSERT OR IGNORE INTO source_names (written, name)
           SELECT written, written FROM (
               SELECT DISTINCT value COLLATE BINARY AS written FROM alert_facets
               WHERE kind = 'source')"""
    )


def add_names(conn: sqlite3.Connection, written: Iterable[str | None], names: Table) -> None:
    """Map the sources in ``written`` that ``source_names`` lacks (an import's new ones)."""
    known = {row[0] for row in conn.execute("SELECT written FROM source_names")}
    new = sorted({w for w in written if w is not None and w not in known})
    conn.executemany("INSERT INTO source_names (written, name) VALUES (?, ?)",
                     [(w, names.canonical(w)) for w in new])


def stale(conn: sqlite3.Connection, names: Table | None = None) -> bool:
    """Whether some written source would now count under another name than the archive's."""
    names = names or table()
    return any(names.canonical(w) != name
               for w, name in conn.execute("SELECT written, name FROM source_names"))


def notes(conn: sqlite3.Connection) -> list[str]:
    """What a reader of the archive should say about sources: the user's file that cannot be
    used (or its entries left out), and :data:`STALE` when the facet was reconciled with
    another table."""
    names = table()
    said = list(names.problems)
    try:
        if stale(conn, names):
            said.append(STALE)
    except sqlite3.OperationalError:  # an archive from before source_names: the migration says
        pass
    return said


def archive_notes(path: Path) -> list[str]:
    """:func:`notes` for the archive at ``path``, read without writing (none when it cannot be
    read: the command reading it says why)."""
    from ifex_tui.archive import schema  # it imports this module

    try:
        conn = schema.connect(path, readonly=True)
    except schema.ArchiveError:
        return []
    try:
        return notes(conn)
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def rederive(conn: sqlite3.Connection, names: Table) -> int:
    """Bring the source facet (rows, counts, bitmaps) up to ``names``; return how many alerts
    now count under another name (or spelling).  The caller holds the transaction.

    Only the facet values whose names change are touched.  All rows of such a value (as the
    facet's NOCASE key groups them) are rewritten to its new name when every written source
    shown under it moves alike (a rename, or a merge into another value: the usual case,
    answered from the facet alone), and the old values' counts and bitmaps are added to the
    new ones'.  Otherwise (a name moved to another organisation while others stay) each row
    gets the name of its alert's source, and the counts and bitmaps of the values involved
    are made again from the rows.
    """
    rows = conn.execute("SELECT written, name FROM source_names").fetchall()
    now = {written: names.canonical(written) for written, _ in rows}
    changed = [(written, name, now[written]) for written, name in rows if now[written] != name]
    if not changed:
        return 0
    after: dict[str, set[str]] = {}
    for written, name in rows:
        after.setdefault(folded(name), set()).add(now[written])
    moves = {folded(old): (old, next(iter(after[folded(old)])) if len(after[folded(old)]) == 1 else None)
             for _, old, _ in changed}
    conn.executemany("UPDATE source_names SET name = ? WHERE written = ?",
                     [(new, written) for written, _, new in changed])
    conn.execute("DROP TABLE IF EXISTS temp.source_moves")
    conn.execute("CREATE TEMP TABLE source_moves (old TEXT PRIMARY KEY COLLATE NOCASE, new TEXT)")
    conn.executemany("INSERT INTO temp.source_moves VALUES (?, ?)", list(moves.values()))
    conn.execute("DROP TABLE IF EXISTS temp.source_values")
    conn.execute("CREATE TEMP TABLE source_values (value TEXT PRIMARY KEY COLLATE NOCASE)")
    conn.executemany("INSERT OR IGNORE INTO temp.source_values VALUES (?)",
                     [(value,) for _, old, new in changed for value in (old, new)])
    # The rows to move, then delete and insert them in alert order: the alert index is
    # walked once in order, and the key (value, sort_date, alert) follows the alert closely
    # enough, where the value order would update the alert index at random (10 s vs 4 at 1M).
    conn.execute("DROP TABLE IF EXISTS temp.source_moved")
    conn.execute("CREATE TEMP TABLE source_moved (alert INTEGER PRIMARY KEY, sort_date, year, old, value)")
    conn.execute(
        """INSERT INTO temp.source_moved (alert, sort_date, year, old, value)
           SELECT f.alert, f.sort_date, f.year, f.value,
                  coalesce(m.new, (SELECT n.name FROM alerts a JOIN source_names n
                                   ON n.written = a.source WHERE a.pk = f.alert), f.value)
           FROM temp.source_moves m JOIN alert_facets f ON f.kind = 'source' AND f.value = m.old"""
    )
    conn.execute("""DELETE FROM alert_facets WHERE kind = 'source'
                    AND alert IN (SELECT alert FROM temp.source_moved)""")
    conn.execute("""INSERT INTO alert_facets (kind, value, sort_date, year, alert)
                    SELECT 'source', value, sort_date, year, alert FROM temp.source_moved
                    ORDER BY alert""")
    moved = conn.execute(
        "SELECT count(*) FROM temp.source_moved WHERE value != old COLLATE BINARY"
    ).fetchone()[0]
    if all(new is not None for _, new in moves.values()):
        _merge_totals(conn, {key_: new for key_, (_, new) in moves.items()})
    else:
        conn.execute("""DELETE FROM facet_counts WHERE kind = 'source'
                        AND value IN (SELECT value FROM temp.source_values)""")
        conn.execute(
            """INSERT INTO facet_counts (kind, value, year, n)
               SELECT 'source', value, year, count(*) FROM alert_facets
               WHERE kind = 'source' AND value IN (SELECT value FROM temp.source_values)
               GROUP BY value, year"""
        )
        bitmaps.rewrite(conn, "source", "SELECT value FROM temp.source_values")
    conn.execute(
        """INSERT INTO meta (key, value) VALUES (?, 1)
           ON CONFLICT (key) DO UPDATE SET value = value + 1""",
        [GENERATION],
    )
    for name in ("source_moves", "source_values", "source_moved"):
        conn.execute(f"DROP TABLE temp.{name}")
    return moved


def _merge_totals(conn: sqlite3.Connection, renamed: dict[str, str]) -> None:
    """Counts and bitmaps after every row of the values ``renamed`` (folded old value -> new
    name) took its new name: each new value's are the sum (union) of its old values' and its
    own.  A few rows per value instead of a pass over the moved facet rows."""
    def target(value: str) -> tuple[str, str]:
        name = renamed.get(folded(value), value)
        return folded(name), name

    totals: dict[tuple[str, int], int] = {}
    spelled = {folded(name): name for name in renamed.values()}
    for value, year, n in conn.execute(
        """SELECT value, year, n FROM facet_counts WHERE kind = 'source'
           AND value IN (SELECT value FROM temp.source_values)"""
    ).fetchall():
        folded_name, name = target(value)
        spelled.setdefault(folded_name, name)
        totals[folded_name, year] = totals.get((folded_name, year), 0) + n
    conn.execute("""DELETE FROM facet_counts WHERE kind = 'source'
                    AND value IN (SELECT value FROM temp.source_values)""")
    conn.executemany("INSERT INTO facet_counts (kind, value, year, n) VALUES ('source', ?, ?, ?)",
                     [(spelled[folded_name], year, n) for (folded_name, year), n in totals.items()])
    merged: dict[str, int] = {}
    for value, blob in conn.execute(
        """SELECT value, bits FROM facet_bitmaps WHERE kind = 'source'
           AND value IN (SELECT value FROM temp.source_values)"""
    ).fetchall():
        folded_name, name = target(value)
        spelled.setdefault(folded_name, name)
        merged[folded_name] = merged.get(folded_name, 0) | int.from_bytes(blob, "little")
    conn.execute("""DELETE FROM facet_bitmaps WHERE kind = 'source'
                    AND value IN (SELECT value FROM temp.source_values)""")
    for folded_name, bits in merged.items():
        bitmaps.store(conn, "source", spelled[folded_name], bits)
