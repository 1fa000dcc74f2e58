"""Writing an export: the one place that turns records into a file in any format, whole or
not at all, for the command line and the app's export dialog alike."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from ifex_tui.archive import export, provenance
from ifex_tui.safe_text import inert

#: The file name extension of each format (the app's dialog proposes a name with it).
EXTENSIONS = {"csv": "csv", "json": "json", "jsonfeed": "feed.json", "markdown": "md",
              "csl-json": "csl.json", "ris": "ris", "biblatex": "bib", "bibtex": "bib"}


def needs_sidecar(fmt: str) -> bool:
    """Whether ``fmt`` has no place of its own for how the export was made."""
    return fmt not in ("jsonfeed", "markdown")


def written_beside(path: Path, fmt: str, ids: int) -> list[Path]:
    """The files an export to ``path`` writes beside it: how it was made, for a format with no
    place of its own for that, and the ids its recorded command reads, when it picks more than
    ``provenance.INLINE_IDS`` alerts by id (``ids``: how many it picks)."""
    files = [provenance.sidecar(path)] if needs_sidecar(fmt) else []
    if ids > provenance.INLINE_IDS:
        files.append(provenance.ids_sidecar(path))
    return files


def cell_text(text: str) -> str:
    """A CSV or Markdown cell, always made inert, not only when stdout is a terminal.

    CSV is read by people (``export --format csv | head``, ``cat out.csv``: a pipe or a file
    that still ends on a terminal) and by spreadsheets, which have no use for escape sequences.
    Line breaks inside a cell survive; the JSON formats keep every character, escaped.
    """
    return inert(text, multiline=True)


def write_manifest(path: Path, made: dict, rows: int) -> None:
    """Write how an export was made (``provenance.record``, with its count) to ``path``, whole."""
    with replacing(path) as out:
        out.write(export.dumps({**made, "rows": rows}) + "\n")


def write(conn: sqlite3.Connection, records: Iterable[dict], out: TextIO, fmt: str,
          made: dict, clean: Callable[[str], str] = cell_text, *, raw: bool = False) -> int:
    """Write ``records`` to ``out`` in ``fmt`` (one of ``export.FORMATS``); return how many.
    ``made`` is the export's provenance, which JSON Feed and Markdown carry; ``clean`` makes
    CSV and Markdown cells inert."""
    if fmt in export.CITATION_FORMATS:
        from ifex_tui.archive import cite  # bibtexparser and rispy load only for these

        return cite.write(conn, records, out, fmt)
    if fmt == "csv":
        return export.write_csv(records, out, clean, raw=raw)
    if fmt == "json":
        return export.write_json(records, out)
    if fmt == "markdown":
        return export.write_markdown(records, out, made, clean)
    return export.write_jsonfeed(records, out, provenance=made)


#: How a SQLite database, its write-ahead log and its journal begin.
_DATABASE_MAGIC = (b"SQLite format 3\x00", b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83",
                   b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")
_DATABASE_SIDECARS = ("-wal", "-shm", "-journal")


def _is_database(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(16).startswith(_DATABASE_MAGIC)
    except OSError:
        return False


def target_of(written: str) -> Path:
    """The file a name typed for an export stands for (``~`` expanded).

    Raises:
        IsADirectoryError: the name is a folder's however the file system stands: it ends in
            a separator (``new/``, which a ``Path`` reads as the file ``new``), or is ``.``,
            ``..`` or empty.
    """
    path = Path(written).expanduser()
    if not written.strip() or written.endswith(("/", os.sep)) or path.name in ("", ".", ".."):
        raise IsADirectoryError(21, "is a folder, not a file", written)
    return path


def check_target(target: Path) -> None:
    """Raise what writing an export to ``target`` would fail on, before anything is written.

    Raises:
        IsADirectoryError: ``target`` is a folder.
        FileNotFoundError: its folder does not exist.
        NotADirectoryError: what should be its folder is a file.
        PermissionError: its folder cannot be written (read-only, or not the user's).
        OSError: a file made there to try fails (a read-only mount, ``/proc``).
        FileExistsError: it is a device, a pipe or a socket, or a SQLite database or one of
            its files (see below).
    """
    if target.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(target))
    if target.exists() and not target.is_file():  # replaced, a device would be gone
        raise FileExistsError(17, "is not a plain file (a device, a pipe, a socket): an export "
                                  "never replaces one; choose another file", str(target))
    if target.parent.exists() and not target.parent.is_dir():
        raise NotADirectoryError(20, f"{target.parent.name} is a file, not a folder", str(target))
    if not target.parent.is_dir():
        raise FileNotFoundError(2, "no such folder", str(target))
    if not os.access(target.parent, os.W_OK):
        raise PermissionError(13, "its folder cannot be written", str(target))
    _refuse_a_database(target)
    try:  # what only trying tells: a read-only mount, /proc, a folder that takes no new file
        with tempfile.TemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".probe"):
            pass
    except OSError as exc:
        raise OSError(exc.errno, f"its folder takes no new file ({exc.strerror})",
                      str(target)) from None


def _refuse_a_database(target: Path) -> None:
    """An export never replaces a SQLite database (the archive it reads, or any other) or one
    of its -wal, -shm and -journal files: they are not ours to write.

    Raises:
        FileExistsError: ``target`` is one.
    """
    base = next((target.with_name(target.name.removesuffix(suffix))
                 for suffix in _DATABASE_SIDECARS if target.name.endswith(suffix)), None)
    if _is_database(target) or (base is not None and _is_database(base)):
        what = "a SQLite database's own file" if base is not None else "a SQLite database"
        raise FileExistsError(17, f"{what} (an archive?): an export never replaces one; choose "
                                  "another file", str(target))


def write_file(conn: sqlite3.Connection, records: Iterable[dict], path: Path, fmt: str,
               made: dict, manifest: Path | None, *, raw: bool = False,
               ids: Sequence[str] = ()) -> int:
    """Write an export to ``path``, how it was made to ``manifest`` (if any) and the ids its
    recorded command reads (``ids``, to ``made["ids_file"]``), all whole or none: the export
    is on the disk before the others are written, and they are written before it takes its
    place, so a failure (a full disk, a folder in the way) leaves the old files as they were."""
    with replacing(path) as out:
        count = write(conn, records, out, fmt, made, raw=raw)
        out.flush()
        os.fsync(out.fileno())  # a full disk fails here, before the others are written
        target = None
        try:  # a full disk names no file: say which one did not fit
            if ids:
                target = Path(made["ids_file"])
                with replacing(target) as listing:
                    listing.write(provenance.ids_text(ids))
            if manifest is not None:
                target = manifest
                write_manifest(manifest, made, count)
        except OSError as exc:
            exc.filename = exc.filename or str(target)
            raise
    return count



@contextlib.contextmanager
def replacing(target: Path) -> Iterator[TextIO]:
    """A text file that becomes ``target`` only once it is whole.

    It is written beside ``target`` (same folder, so the rename is atomic) and renamed over it
    when the block ends without error; otherwise it is removed, so a full disk or a failure
    mid-way leaves the old ``target`` (or none), never a truncated file that looks like an export.
    """
    check_target(target)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    partial = Path(name)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(partial, mode)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
