"""Full-text search: the query checked, and taken literally if FTS5 cannot read it.

An FTS5 ``MATCH`` for a common word can return most of a million rows.  The counts (the total,
the facet panes) take them as a bitmap made straight from the index (``bitmap_counts.hits``),
and the list pages that bitmap in list order (``list_order.py``): no hit is copied.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from itertools import pairwise

from ifex_tui.archive.schema import FTS_COLUMNS, database_file

SEARCH_HELP = 'FTS5 syntax: words, "exact phrases", prefix*, AND, OR, NOT, NEAR(a b)'


class SearchError(ValueError):
    """The full-text query is not valid FTS5 syntax (the message says where), or too broad."""


def too_broad(query: str) -> SearchError:
    """The error of a search (or of its prefix ``query``) FTS5 would run out of memory for:
    SQLite may use only so much in the app (``app.SQLITE_HEAP``), and FTS5 merges the lists
    of every word a prefix stands for at once (``a*`` or ``the*``: over 100 MB at a million
    alerts)."""
    return SearchError(f"{query!r} stands for too many words: use a longer prefix")


_OPERATORS = {"AND", "OR", "NOT"}
#: The quotes a phrase comes in when pasted from a document (“…”, „…“, «…»): FTS5's is ".
_PHRASE_QUOTES = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb", '"'))
_PLAIN_TOKEN = re.compile(r'"[^"]*"|\S+')


#: The newest queries found runnable per archive file, and the form of each that runs.  Every
#: plan of a search asks (a keypress makes ten or more), and FTS5 checks a prefix query such
#: as ``journ*`` by merging the lists of every word it stands for: 30 to 90 ms and about 24 MB
#: at a million alerts, each time.  Whether FTS5 reads a query depends only on the query and
#: the index's columns, so the answer is kept.
_RUNNABLE: dict[tuple[str, str], str] = {}
_KEPT = 64
_lock = threading.Lock()


#: A prefix in a query: ``journ*``, ``title:journ*`` or ``"press free" *`` (its last word).
_PREFIX = re.compile(r'(?:"((?:[^"]|"")*)"|([^\s"():*^+]+))\s*\*')
#: The bytes of a leaf page of the index (FTS5's ``pgsz``, left at its default).
_LEAF_BYTES = 4050
#: The memory FTS5's merge of a prefix's lists takes per byte of them on disk (about 2.2 for
#: ``journ*``).  With 2.5, at a million alerts, this refuses exactly the prefixes the app's cap
#: refuses among the 26 letters and 13 common two-letter ones (``z*`` runs at 39 MiB, ``ar*`` is
#: refused at 44).
_MERGE_PER_BYTE = 2.5
#: The leaf pages of the main index (its terms begin with ``0``) holding the terms from
#: ``:lo`` up to ``:hi``, summed over the segments: ``alerts_fts_idx`` has a row per leaf
#: page that begins a term, keyed by the shortest prefix that tells it from the page before,
#: with the page's number shifted left one bit (FTS5's file format, fts5_index.c).
_PAGES = """SELECT coalesce(sum(
    coalesce((SELECT min(pgno) FROM alerts_fts_idx i WHERE i.segid = s.segid AND term >= :hi),
             (SELECT max(pgno) FROM alerts_fts_idx i WHERE i.segid = s.segid) + 2) / 2
  - coalesce((SELECT max(pgno) FROM alerts_fts_idx i WHERE i.segid = s.segid AND term <= :lo),
             (SELECT min(pgno) FROM alerts_fts_idx i WHERE i.segid = s.segid)) / 2), 0)
FROM (SELECT DISTINCT segid FROM alerts_fts_idx) s"""


def _prefixes(query: str) -> list[tuple[str, str]]:
    """The prefixes of ``query``: as typed (``Jóurn*``), and as the index holds words (lower
    case, no diacritics: ``journ``)."""
    found = []
    for match in _PREFIX.finditer(query):
        folded = unicodedata.normalize("NFKD", (match[1] or match[2]).lower())
        words = re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))
        if words:
            found.append((match[0], words[-1]))
    return found


def _merges(conn: sqlite3.Connection, query: str) -> list[tuple[str, int]]:
    """Each prefix of ``query`` as typed, and about how much memory FTS5 takes to merge the
    lists of the words it stands for, told from where those words' leaf pages start in the
    index (a few milliseconds at a million alerts, whatever the prefix)."""
    found = []
    for typed, prefix in _prefixes(query):
        lo = b"0" + prefix.encode()
        hi = lo[:-1] + bytes([lo[-1] + 1])
        pages = conn.execute(_PAGES, {"lo": lo, "hi": hi}).fetchone()[0]
        found.append((typed, int(pages * _LEAF_BYTES * _MERGE_PER_BYTE)))
    return found


def merge_bytes(conn: sqlite3.Connection, query: str) -> int:
    """About how much memory FTS5 takes to merge the lists of the words ``query``'s prefixes
    stand for (:func:`_merges`); 0 without a prefix."""
    return sum(size for _, size in _merges(conn, query))


def runnable(conn: sqlite3.Connection, query: str) -> str:
    """``query`` if FTS5 accepts it, else the same words taken literally.

    Researchers type ``e-mail``, ``d'Ivoire`` or ``killed -Iraq``, which FTS5 reads as
    column filters or syntax errors; quoting each word (operators, prefixes and "phrases"
    kept, a leading minus read as NOT, as search engines do) gives the search they meant.
    A phrase pasted in a document's quotes (“…”, «…») is a phrase.
    Only when that fails too is the user told about the syntax.

    Where SQLite's memory is capped (the app caps it), a prefix whose merge would take more
    than the cap (:func:`merge_bytes`) is refused before FTS5 reads its lists: found by
    running it, ``c*`` took 8 to 18 s at a million alerts on a cold disk to run out of memory.
    The cap still refuses what this misjudges.

    Raises:
        SearchError: neither the query nor its literal form is valid, or it is too broad.
        sqlite3.Error: any other failure (a locked or damaged archive, an interrupt), as is.
    """
    key = (database_file(conn), query)
    with _lock:
        if (known := _RUNNABLE.get(key)) is not None:
            return known
    query = query.translate(_PHRASE_QUOTES)
    [(cap,)] = conn.execute("PRAGMA hard_heap_limit").fetchall()
    merges = _merges(conn, query) if cap else []
    if sum(size for _, size in merges) > cap > 0:
        broadest, _ = max(merges, key=lambda merge: merge[1])
        raise too_broad(broadest)  # the prefix to lengthen, not a long query cut off
    literal = " ".join(_literal(token) for token in _PLAIN_TOKEN.findall(query))
    error = None
    for candidate in dict.fromkeys((query, literal)):
        try:
            conn.execute("SELECT 1 FROM alerts_fts WHERE alerts_fts MATCH ? LIMIT 1", [candidate])
        except MemoryError:
            raise too_broad(query) from None
        except sqlite3.OperationalError as exc:
            if not is_query_error(exc):
                raise
            error = error or exc
            continue
        with _lock:
            _RUNNABLE[key] = candidate
            while len(_RUNNABLE) > _KEPT:
                del _RUNNABLE[next(iter(_RUNNABLE))]
        return candidate
    raise SearchError(_message(query, str(error)))


#: How FTS5 words a query it cannot read (see fts5_expr.c; all with the plain SQLITE_ERROR
#: code).  A message not listed reaches the user as SQLite's own error, never as bad syntax.
_QUERY_ERRORS = (
    "fts5:", "fts5 expression tree is too large", "no such column", "unknown special query",
    "malformed MATCH expression", "unterminated string", "expected integer",
)


def is_query_error(exc: sqlite3.Error) -> bool:
    """Whether ``exc`` is about the search's syntax, not the archive (locked, I/O, interrupted)."""
    code = getattr(exc, "sqlite_errorcode", sqlite3.SQLITE_ERROR)
    return (
        isinstance(exc, sqlite3.OperationalError)
        and code == sqlite3.SQLITE_ERROR
        and str(exc).startswith(_QUERY_ERRORS)
    )


def _literal(token: str) -> str:
    if token in _OPERATORS or token.startswith('"') or token.endswith("*"):
        return token
    if token.startswith("-") and len(token) > 1:
        return "NOT " + _literal(token[1:])
    return '"' + token.replace('"', '""') + '"'


def _message(query: str, message: str) -> str:
    """What is wrong with ``query``, in words about the query where FTS5's are about its
    parser (``syntax error near ""`` for ``radio OR``, ``no such column`` for ``-radio``);
    else SQLite's words, with the columns named when one was not found."""
    tokens = _PLAIN_TOKEN.findall(query)
    words = [t for t in tokens if t not in _OPERATORS and not t.startswith("-")]
    message = message.removeprefix("fts5: ")
    if message.startswith("unterminated string"):
        return 'a "phrase" has no closing quote'
    if not words and any(t == "NOT" or t.startswith("-") for t in tokens):
        return ("a search cannot only leave words out: add a word the alerts must have, "
                "as in killed -Iraq")
    if tokens and tokens[0] in _OPERATORS:
        return f"{tokens[0]} needs a word before it"
    if tokens and tokens[-1] in _OPERATORS:
        return f"{tokens[-1]} needs a word after it"
    pairs = [f"{a} {b}" for a, b in pairwise(tokens) if {a, b} <= _OPERATORS]
    if pairs:
        return f"{pairs[0]}: two operators in a row"
    if message.startswith("no such column"):
        return f"{message} (columns: {', '.join(FTS_COLUMNS)})"
    if message.startswith("unknown special query"):
        return "a query cannot start with *"
    return message
