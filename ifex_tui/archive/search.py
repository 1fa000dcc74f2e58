"""Full-text search: the query checked (and taken literally if FTS5 cannot read it), and its
hits materialised once per connection and query for the list.

An FTS5 ``MATCH`` for a common word can return most of a million rows.  The counts (the total,
the facet panes) take them as a bitmap made straight from the index (``bitmap_counts.hits``), which
needs no sort key.  The list's pages and positions walk them in list order, and paging would
ask for them again for every block, so for those the hits are copied once into a temporary
table (with their sort key, in list order) and reused until the query or the archive changes
(``temp_sets.py``).  Copying costs several times the bare FTS5 query (a row
insert and a sort-date lookup per hit), which is why counting never waits for it.
"""

from __future__ import annotations

import re
import sqlite3

from ifex_tui.archive import temp_sets
from ifex_tui.archive.schema import FTS_COLUMNS

SEARCH_HELP = 'FTS5 syntax: words, "exact phrases", prefix*, AND, OR, NOT, NEAR(a b)'


class SearchError(ValueError):
    """The full-text query is not valid FTS5 syntax (the message says where)."""


def search_hits(conn: sqlite3.Connection, query: str, match: str) -> int:
    """Make ``temp.search_hits (sort_date, pk)`` hold the alerts matching ``query`` (``match``
    being the FTS5 query that runs it: :func:`runnable`'s form of it), and say how many.

    The table is keyed in list order (``WITHOUT ROWID``), so a large search's hits, copied in
    that order, are appended rather than inserted into two b-trees, and indexed by pk (for the
    lookups of a plan walking another table) once filled: a million hits in about 0.75 s
    rather than 1.1 to 1.2.
    """
    return temp_sets.made_once(
        conn, "search_hits", query,
        "(sort_date TEXT, pk INTEGER, PRIMARY KEY (sort_date, pk)) WITHOUT ROWID", "pk",
        lambda: _copy_hits(conn, match),
    )


_OPERATORS = {"AND", "OR", "NOT"}
_PLAIN_TOKEN = re.compile(r'"[^"]*"|\S+')


def runnable(conn: sqlite3.Connection, query: str) -> str:
    """``query`` if FTS5 accepts it, else the same words taken literally.

    Researchers type ``e-mail``, ``d'Ivoire`` or ``killed -Iraq``, which FTS5 reads as
    column filters or syntax errors; quoting each word (operators, prefixes and "phrases"
    kept, a leading minus read as NOT, as search engines do) gives the search they meant.
    Only when that fails too is the user told about the syntax.

    Raises:
        SearchError: neither the query nor its literal form is valid.
        sqlite3.Error: any other failure (a locked or damaged archive, an interrupt), as is.
    """
    literal = " ".join(_literal(token) for token in _PLAIN_TOKEN.findall(query))
    error = None
    for candidate in dict.fromkeys((query, literal)):
        try:
            conn.execute("SELECT 1 FROM alerts_fts WHERE alerts_fts MATCH ? LIMIT 1", [candidate])
            return candidate
        except sqlite3.OperationalError as exc:
            if not is_query_error(exc):
                raise
            error = error or exc
    raise SearchError(_message(str(error)))


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


#: Up to this many hits, sort dates are looked up row by row; above it, one pass over the
#: narrow (sort_date, pk) index beats hundreds of thousands of lookups into the wide rows.
LOOKUP_LIMIT = 50_000


def _copy_hits(conn: sqlite3.Connection, match: str) -> int:
    """Copy the hits of ``match`` with their sort dates into ``temp.search_hits``, by the way
    FTS5's count says is cheaper; return how many were copied."""
    [(hits,)] = conn.execute(
        "SELECT count(*) FROM alerts_fts WHERE alerts_fts MATCH ?", [match]
    ).fetchall()
    if hits <= LOOKUP_LIMIT:
        sql = """INSERT INTO temp.search_hits (sort_date, pk) SELECT a.sort_date, a.pk
                 FROM alerts_fts f JOIN alerts a ON a.pk = f.rowid WHERE alerts_fts MATCH ?"""
    else:
        sql = """INSERT INTO temp.search_hits (sort_date, pk)
                 SELECT a.sort_date, a.pk FROM alerts a INDEXED BY idx_alerts_sort_date_pk
                 WHERE a.pk IN (SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?)"""
    return conn.execute(sql, [match]).rowcount


def _message(message: str) -> str:
    """SQLite's words for a bad query, with the columns named when one was not found."""
    message = message.removeprefix("fts5: ")
    if message.startswith("no such column"):
        return f"{message} (columns: {', '.join(FTS_COLUMNS)})"
    if message.startswith("unknown special query"):
        return "a query cannot start with *"
    return message
