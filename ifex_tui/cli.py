"""The ``ifex-tui`` command: bare, it opens the app; its subcommands script the archive.

The CLI is thin: it parses options into the data layer's :class:`Filters` and calls the same
functions the app does.  Textual is imported only when the app opens, so ``import``,
``stats`` and ``--help`` start fast and work without a terminal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import itertools
import signal
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ifex_tui import paths, terminal
from ifex_tui.archive import filters, schema
from ifex_tui.safe_text import inert
from ifex_tui.wording import counted

if TYPE_CHECKING:
    from ifex_tui.archive.feed import FeedSource
    from ifex_tui.archive.ingest import ImportReport

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Browse and script an offline archive of IFEX free-expression alerts.",
)

Db = Annotated[
    Path | None,
    typer.Option("--db", metavar="PATH", help="Archive file (default: $IFEX_TUI_DB, else the user data dir)."),
]


def _values(flag: str, metavar: str, help: str):
    """A repeatable filter option (``--country``, ``--not-year``...): its values, or None."""
    return Annotated[list[str] | None, typer.Option(flag, metavar=metavar, help=help)]


def _all_of(dimension: str, help: str):
    """A flag that makes ``dimension``'s values all required (ALL) rather than any."""
    return Annotated[bool, typer.Option(f"--all-{dimension}", help=help)]


#: Every filter option: its parameter name, annotation and default.  ``stats`` and ``export``
#: get them all through :func:`filtered`, so both take the same filters, spelt the same way.
FILTER_OPTIONS = {
    "country": (_values("--country", "NAME", "Name or ISO code; repeat to OR."), None),
    "year": (_values("--year", "YEARS", "2012, 2001-2005 or undated; repeat to OR."), None),
    "region": (_values("--region", "REGION", "IFEX region; repeat to OR."), None),
    "violation": (_values("--violation", "VIOLATION", "e.g. Killed; repeat to OR."), None),
    "target": (_values("--target", "TARGET", "e.g. Journalist; repeat to OR."), None),
    "source": (_values("--source", "SOURCE", "Reporting member; repeat to OR."), None),
    "search": (
        Annotated[str | None, typer.Option("--search", metavar="QUERY", help="Full-text query (FTS5 syntax).")],
        None,
    ),
    "not_country": (_values("--not-country", "NAME", "Leave out alerts about this country; repeatable."), None),
    "not_year": (_values("--not-year", "YEARS", "Leave out these years (or undated); repeatable."), None),
    "not_region": (_values("--not-region", "REGION", "Leave out this region; repeatable."), None),
    "not_violation": (_values("--not-violation", "VIOLATION", "Leave out alerts with this violation; repeatable."), None),
    "not_target": (_values("--not-target", "TARGET", "Leave out alerts with this target; repeatable."), None),
    "not_source": (_values("--not-source", "SOURCE", "Leave out this source; repeatable."), None),
    "all_countries": (_all_of("countries", "An alert must be about every --country given."), False),
    "all_violations": (_all_of("violations", "An alert must have every --violation given."), False),
    "all_targets": (_all_of("targets", "An alert must have every --target given."), False),
    "ids": (_values("--id", "ID", "Only this alert (its id, as export writes it); repeat for several."), None),
    "ids_file": (
        Annotated[str | None, typer.Option("--ids", metavar="FILE", help="Only the alerts listed in FILE, one id per line (an export of many marked alerts writes one).")],
        None,
    ),
}


def filtered(command):
    """Give ``command`` every filter option; it gets them as one ``chosen: Filters`` argument.

    Typer reads a command's options from its signature, so the wrapper shows the command's own
    parameters followed by the filters' and turns the latter into ``Filters`` (a usage error is
    one line, before the archive is opened).
    """
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "chosen"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
        for name, (annotation, default) in FILTER_OPTIONS.items()
    ]

    @functools.wraps(command)
    def run(**options):
        ids, listed = options.pop("ids"), options.pop("ids_file")
        chosen = _filters({name: options.pop(name) for name in FILTER_OPTIONS
                           if name not in ("ids", "ids_file")})
        _refuse_empty("--id", ids, "an alert's id, as export writes it")
        _refuse_empty("--ids", listed, "the file that lists the ids")
        if ids or listed:  # the archive knows the ids: it is opened (once) to read them
            ids = [*(ids or []), *(_listed_ids(Path(listed)) if listed else [])]
            chosen = chosen.marking(_marked(options["ctx"], options["db"], ids))
        return command(**options, chosen=chosen)

    run.__signature__ = signature.replace(parameters=[*own, *added])
    run.__annotations__ = {p.name: p.annotation for p in run.__signature__.parameters.values()}
    return run


def _refuse_empty(option: str, given: str | list[str] | None, wanted: str) -> None:
    """Fail naming ``option`` when a value given for it is empty or blank (``--country "$C"``
    with ``C`` unset): dropped, it would filter nothing and export the whole archive, unsaid."""
    values = [given] if isinstance(given, str) else given or []
    if any(not value.strip() for value in values):
        fail(f"{option} is empty: give {wanted}")


def fail(message: str, code: int = 2) -> NoReturn:
    """One clear line on stderr, then exit (2: usage or unreadable input; nothing changed)."""
    typer.echo(f"ifex-tui: error: {inert(message)}", err=True)
    raise typer.Exit(code)


def _archive(ctx: typer.Context, db: Path | None) -> Path:
    """This command's ``--db``, else one given before the command, else the default."""
    return paths.archive_path(db or ctx.find_root().obj)


#: Where a command's connection is kept (``_open`` opens one per command).
_CONNECTION = "ifex_tui.connection"


def _open(ctx: typer.Context, db: Path | None):
    """A read-only connection to the archive (brought forward first if it can be written),
    closed when the command ends: a connection is freed only by the cyclic garbage collector
    (it refers to itself through its statement cache), and one left open would keep the next
    writer of the same process from checkpointing the write-ahead log."""
    if (opened := ctx.meta.get(_CONNECTION)) is not None:
        return opened
    path = _archive(ctx, db)
    try:
        schema.prepare_for_reading(path)
        conn = schema.connect(path, readonly=True)
    except schema.ArchiveError as exc:
        fail(str(exc))
    ctx.call_on_close(conn.close)
    ctx.meta[_CONNECTION] = conn
    return conn


def _listed_ids(path: Path) -> list[str]:
    """The ids in the file ``--ids`` names: one a line, blank lines skipped."""
    try:
        with path.open(encoding="utf-8") as file:
            return [line.strip() for line in file if line.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"--ids {path}: {getattr(exc, 'strerror', None) or exc}")


def _marked(ctx: typer.Context, db: Path | None, ids: list[str]) -> int:
    """The alerts ``--id`` names, as the filters hold them; an id the archive lacks is named on
    stderr (like a filter value no alert has) and matches nothing."""
    from ifex_tui.archive import bitmaps, marked

    conn = _open(ctx, db)
    try:
        found = marked.pks_of(conn, ids)
    except sqlite3.Error as exc:
        _database_error(_archive(ctx, db), exc)
    for alert_id in dict.fromkeys(ids):
        if alert_id not in found:
            typer.echo(inert(f"ifex-tui: note: no alert in the archive has the id {alert_id!r}"), err=True)
    return bitmaps.bits_of(found.values())


def _database_error(path: Path, exc: sqlite3.Error) -> NoReturn:
    """A failure while reading: damage gets the line that says what to do."""
    if schema.is_damage(exc):
        fail(str(schema.damaged(path, exc)))
    fail(f"{path}: {exc}")


def _filters(options: dict) -> filters.Filters:
    """The filter options (by parameter name) as Filters; a usage error is one line.

    What is chosen and what is left out are each read once; a value both chosen and left out
    (whatever its case) is refused rather than silently matching nothing.
    """
    _refuse_empty("--search", options["search"], "words to search for, or leave --search out")
    for dimension in filters.DIMENSIONS:
        none = "undated" if dimension == "year" else "none"
        for name in (dimension, f"not_{dimension}"):
            _refuse_empty(f"--{name.replace('_', '-')}", options[name],
                         f"a {dimension} ({none} for the alerts without one)")
    matched_all = {"country": "all_countries", "violation": "all_violations", "target": "all_targets"}
    for dimension, flag in matched_all.items():
        if options[flag] and not options[dimension]:
            fail(f"--{flag.replace('_', '-')} needs --{dimension} values, all of which an alert must have")
    try:
        chosen = filters.from_options(
            **{d: options[d] or [] for d in filters.DIMENSIONS},
            search=options["search"],
            all_of=[d for d, flag in matched_all.items() if options[flag]],
        )
        left_out = filters.from_options(
            **{f"not_{d}": options[f"not_{d}"] or [] for d in filters.DIMENSIONS}
        ).excluded
    except ValueError as exc:
        fail(str(exc))
    for dimension, key in sorted(left_out, key=str):
        if filters.folded(key) in {filters.folded(k) for k in chosen.values(dimension)}:
            from ifex_tui.archive import queries

            name = queries.label(dimension, key)
            fail(f"{dimension} {name!r} is both chosen (--{dimension}) and left out (--not-{dimension})")
    return dataclasses.replace(chosen, excluded=left_out)


@app.callback(invoke_without_command=True)
def main_callback(ctx: typer.Context, db: Db = None) -> None:
    """Open the archive browser (with no command), or run one of the commands below."""
    ctx.obj = db
    if ctx.invoked_subcommand is None:
        _need_terminal()
        _run_app(paths.archive_path(db))


def _need_terminal() -> None:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        fail("the browser needs a terminal; see `ifex-tui --help` for the scripting commands")


def _run_app(path: Path) -> None:
    from ifex_tui.tui.app import run

    try:
        run(path)
    except schema.ArchiveError as exc:
        fail(str(exc))


@app.command("import")
def import_command(
    ctx: typer.Context,
    feeds: Annotated[list[str], typer.Argument(metavar="FEED...", show_default=False, help="Feed files; '-' reads stdin.")],
    db: Db = None,
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing if any item is rejected.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would change; change nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Import alert feeds (JSON Feed, JSON array or JSON Lines, optionally gzipped).

    All files land together or not at all.  Exit status: 0 everything landed, 1 some items
    were rejected, 2 a file could not be read or the options are wrong (nothing landed).
    """
    from ifex_tui.archive.feed import FeedError
    from ifex_tui.archive.ingest import import_feeds

    path = _archive(ctx, db)
    with contextlib.ExitStack() as cleanup:
        sources = [_source(name, cleanup) for name in feeds]
        with _interrupts(path) as interrupted:
            try:
                with terminal.import_progress(sources) as progress:
                    report = import_feeds(
                        path, sources, strict=strict, dry_run=dry_run, progress=progress,
                        on_wait=_say_waiting(path),
                    )
            except (FeedError, schema.ArchiveError) as exc:
                if interrupted:  # SQLite's own error for an interrupt in one of our functions
                    raise KeyboardInterrupt from None
                fail(str(exc))
    code = 1 if report.rejected else 0
    try:
        if as_json:
            from ifex_tui.archive import export

            typer.echo(export.dumps(report.as_json()))
        else:
            _print_report(report, path)
        sys.stdout.flush()
    except OSError as exc:  # a full disk, a closed pipe: the import itself stands
        _report_lost(report, path, exc)
    raise typer.Exit(code)


@contextlib.contextmanager
def _interrupts(path: Path) -> Iterator[list[int]]:
    """Ctrl-C during an import: one line saying the archive was not changed, exit 130.

    An interrupt that lands inside one of the SQL functions the import runs reaches us as
    SQLite's "user-defined function raised exception"; the signal is noted here so that the
    caller can tell it from a real failure.
    """
    caught: list[int] = []

    def on_interrupt(signum: int, frame) -> None:
        caught.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield caught
    except KeyboardInterrupt:
        fail(f"{path}: import interrupted, nothing was changed", code=130)
    finally:
        signal.signal(signal.SIGINT, previous)


def _say_waiting(path: Path):
    """On a terminal, say which import this one waits for; elsewhere wait silently."""

    def on_wait(holder: dict) -> None:
        if terminal.on_terminal():
            from ifex_tui.archive.lock import describe

            typer.echo(inert(f"ifex-tui: waiting for the import in progress into {path} "
                             f"({describe(holder)}) to finish…"), err=True)

    return on_wait


def _report_lost(report: ImportReport, path: Path, exc: OSError) -> None:
    """One line on stderr: what the import did, and that its report could not be written."""
    import os

    with contextlib.suppress(OSError, ValueError):  # nothing more may reach the broken stdout
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if report.landed:
        done = f"imported into {path}"
    elif report.dry_run:
        done = f"dry run, {path} unchanged"
    else:
        done = f"nothing imported into {path} (--strict)"
    typer.echo(
        f"ifex-tui: {done}: {_counts(report)}; the report could not be written to standard "
        f"output ({exc.strerror or exc})", err=True,
    )


def _source(name: str, cleanup: contextlib.ExitStack) -> FeedSource:
    from ifex_tui.archive.feed import FeedSource, spool_stdin

    if name != "-":
        return FeedSource(name, Path(name))
    spooled = spool_stdin()
    cleanup.callback(spooled.unlink, missing_ok=True)
    return FeedSource("<stdin>", spooled)


def _counts(report: ImportReport) -> str:
    return (
        f"{report.read:,} read, {report.new:,} new, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged, {report.rejected:,} rejected"
    )


def _print_report(report: ImportReport, path: Path) -> None:
    counts = _counts(report)
    if report.landed:
        typer.echo(f"imported into {path}: {counts}")
    elif report.dry_run:
        typer.echo(f"dry run, {path} unchanged; an import would give: {counts}")
    else:
        typer.echo(f"nothing imported into {path} (--strict); without --strict: {counts}")
    for rejection in report.rejections[:20]:
        where = f"{rejection['file']} {rejection['where']}"
        if rejection["id"] is not None:
            where += f" (id {rejection['id']!r})"
        typer.echo(inert(f"  rejected {where}: {rejection['field']}: {rejection['reason']}"))
    if report.rejected > 20:
        typer.echo(f"  … and {report.rejected - 20:,} more rejected (--json lists them)")
    if report.unrecognised_countries:
        names = ", ".join(report.unrecognised_countries)
        typer.echo(inert(f"  unrecognised countries (kept as written): {names}"))
    for warning in report.warnings:
        typer.echo(inert(f"  warning: {warning}"))


STATS_FORMATS = ("text", "csv", "json")


@app.command()
@filtered
def stats(
    ctx: typer.Context,
    db: Db = None,
    fmt: Annotated[str | None, typer.Option("--format", metavar="FORMAT", help="text (the default), csv or json.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", metavar="DIMENSION", help="Twice for a crosstab: --by year --by country (rows, then columns)."),
    ] = None,
    values_of: Annotated[
        list[str] | None,
        typer.Option("--values", metavar="DIMENSION", help="List one dimension's values with their alerts."),
    ] = None,
    top: Annotated[
        str | None,  # read here, so a wrong one is the usual one-line error
        typer.Option("--top", metavar="N", help=(
            f"Text only: show the N busiest values of each dimension (default {filters.TOP}, or all "
            "with --values); 0 shows all. Years are never cut; CSV and JSON list every value."
        )),
    ] = None,
    *,
    chosen: filters.Filters,
) -> None:
    """Count the alerts matching the filters.

    Alone: the total and the alerts per country, year, region, violation, target and source.
    --values DIMENSION: that dimension's values and their alerts, one per line (a script can
    discover the values the filters accept).  --by A --by B: a crosstab, A's values as rows
    and B's as columns, every cell filled (0 where none), with a total row and column.
    Dimensions: country, year, region, violation, target, source.  Values chosen in a
    dimension you count by (--country IQ --country SY) are its only rows or columns.

    Every count is of alerts.  An alert with several values of a dimension (about Iraq and
    Syria) counts once under each value and once in every total, so values can add up to
    more than their total.  Alerts with no value of a dimension are one more value (Unknown
    country, No region, No violation, No target, No source; a filter takes it as "none"), so
    no alert is left out of a list.  Years run from the first to the last matching year, 0
    where none, with undated alerts on a line of their own.

    \b
    Journalists killed in Iraq and Syria per year, 2003-2008:
      ifex-tui stats --by year --by country --country IQ --country SY \\
                     --violation Killed --year 2003-2008

    A filter value no alert has (a typo, a name the archive spells otherwise) is named on
    stderr with the closest values the archive has; the command still runs (counting 0 for
    it) and exits 0.
    """
    from ifex_tui.archive import counting, export, queries, writing

    _refuse_empty("--format", fmt, f"one of {', '.join(STATS_FORMATS)}")
    if as_json and fmt not in (None, "json"):
        fail(f"--json is --format json; it cannot go with --format {fmt}")
    fmt = "json" if as_json else fmt or "text"
    if fmt not in STATS_FORMATS:
        fail(f"--format must be one of {', '.join(STATS_FORMATS)}, not {fmt!r}")
    dimensions = _dimensions(by or [], values_of or [])
    shown = _top(top)
    conn = _open(ctx, db)
    try:
        if len(dimensions) == 2:
            result = counting.crosstab(conn, chosen, *dimensions)
        elif dimensions:
            result = counting.values(conn, chosen, dimensions[0])
        else:
            result = counting.stats(conn, chosen)
        _note_absent(conn, chosen)
        _note_sources(conn)
    except queries.SearchError as exc:
        fail(f"search: {exc} ({queries.SEARCH_HELP})")
    except sqlite3.Error as exc:
        _database_error(_archive(ctx, db), exc)
    with _writing_stdout():
        if fmt == "json":
            typer.echo(export.dumps(result if isinstance(result, dict) else result.as_json()))
        elif fmt == "csv":
            import csv

            rows = counting.stats_csv(result) if isinstance(result, dict) else result.csv_rows()
            writer = csv.writer(sys.stdout)
            writer.writerows([writing.cell_text(str(cell)) for cell in row] for row in rows)
        else:
            from ifex_tui import stats_view

            show = {dict: stats_view.print_stats, counting.Values: stats_view.print_values,
                    counting.Crosstab: stats_view.print_crosstab}[type(result)]
            show(result, matching=queries.describe(chosen, conn), top=shown)


def _top(written: str | None) -> int | None:
    """``--top N``: a whole number, 0 or more (None when not given)."""
    if written is None:
        return None
    try:
        top = int(written)
    except ValueError:
        fail(f"--top must be a whole number of values (0 shows all), not {written!r}")
    if top < 0:
        fail(f"--top must be 0 or more (0 shows all), not {top}")
    return top


def _dimensions(by: list[str], values_of: list[str]) -> tuple[str, ...]:
    """The dimensions to count by: none (the summary), one (--values, or one --by) or two."""
    if values_of and by:
        fail("--values lists one dimension and --by makes a crosstab; give one or the other")
    if len(values_of) > 1:
        fail(f"--values lists one dimension, not {len(values_of)} ({', '.join(values_of)}); "
             f"for a crosstab of two, --by {values_of[0]} --by {values_of[1]}")
    if len(by) > 2:
        fail(f"a crosstab has two dimensions (--by ROWS --by COLUMNS), not {len(by)}")
    from ifex_tui.archive import counting

    try:
        dimensions = tuple(counting.dimension(d) for d in (values_of or by))
    except ValueError as exc:
        fail(f"--{'values' if values_of else 'by'}: {exc}")
    if len(dimensions) == 2 and dimensions[0] == dimensions[1]:
        fail(f"a crosstab needs two different dimensions, not --by {dimensions[0]} twice")
    return dimensions


def _note_sources(conn) -> None:
    """Say on stderr when the user's table of sources cannot be used, or when the archive's
    sources were counted under another table than the one in effect now."""
    from ifex_tui.archive import sources

    for note in sources.notes(conn):
        typer.echo(inert(f"ifex-tui: note: {note}"), err=True)


def _note_absent(conn, chosen: filters.Filters) -> None:
    """Say on stderr, one line each, which filter values no alert has and the closest ones the
    archive has (a typo otherwise just counts 0)."""
    from ifex_tui.archive import counting, queries

    for dimension, value in queries.absent_values(conn, chosen):
        hint = counting.hint(conn, dimension, value)
        several = dimension == "year" and not value.isdigit() and value != queries.label("year", 0)
        named = f"years {value}" if several else f"{dimension} {filters.clipped(value)!r}"
        typer.echo(inert(f"ifex-tui: note: no alert in the archive has {named}; {hint}"), err=True)


@contextlib.contextmanager
def _writing_stdout(name: str = "stdout"):
    """Writing results: a reader that went away (``| head``) ends the command quietly;
    a full disk or a closed stdout is one line, not a traceback."""
    if sys.stdout is None:
        fail("standard output is closed")
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:
        fail(f"{exc.filename or name}: {exc.strerror or exc}")


@app.command("export")
@filtered
def export_command(
    ctx: typer.Context,
    db: Db = None,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="csv, json, jsonfeed, markdown, or a bibliography: csl-json, ris, biblatex, bibtex.")] = "json",
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="FILE", help="File to write (default: stdout).")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="CSV: write cells that start like a spreadsheet formula (= + - @) as they are, not behind an apostrophe.")] = False,
    manifest: Annotated[str | None, typer.Option("--manifest", metavar="FILE", help="Write how the export was made (the command that makes it again, the archive's snapshot, the date, the version, the count) to FILE as JSON (default with --output: FILE.provenance.json beside it; a JSON Feed also carries it as _ifex_export).")] = None,
    *,
    chosen: filters.Filters,
) -> None:
    """Export the matching alerts, newest first, as CSV, JSON, a re-importable JSON Feed, or a
    bibliography (CSL-JSON, RIS, BibLaTeX, BibTeX).

    Every export says how it was made (see --manifest).  A filter value no alert has (a typo,
    a name the archive spells otherwise) is named on stderr with the closest values the
    archive has; the export still runs and exits 0.
    """
    from ifex_tui.archive import export, provenance, queries, writing

    if fmt not in export.FORMATS:
        fail(f"--format must be one of {', '.join(export.FORMATS)}, not {fmt!r}")
    _refuse_empty("--output", output, "the file to write")
    _refuse_empty("--manifest", manifest, "the file to write")
    try:  # a folder's name (``out/``, ``.``) is refused before anything is written
        output = writing.target_of(output) if output is not None else None
        manifest = writing.target_of(manifest) if manifest is not None else None
        if manifest and not output:  # the export goes to stdout: its manifest is checked now
            writing.check_target(manifest)
    except OSError as exc:
        fail(f"{exc.filename}: {exc.strerror}")
    manifest = manifest or (provenance.sidecar(output) if output and writing.needs_sidecar(fmt) else None)
    if output and manifest and output.resolve() == manifest.resolve():
        fail(f"--output and --manifest are the same file ({output}): the manifest would replace the export")
    conn = _open(ctx, db)
    try:
        matched = queries.total(conn, chosen)  # validates the search before anything is written
        _note_absent(conn, chosen)
        _note_sources(conn)
    except queries.SearchError as exc:
        fail(f"search: {exc} ({queries.SEARCH_HELP})")
    except sqlite3.Error as exc:
        _database_error(_archive(ctx, db), exc)
    try:
        # The first batch is read before a byte is written: an archive that cannot be read
        # is one error line, not a "[" on stdout followed by an error.
        # none matched: no walk (one whose checks no row passes reads every alert)
        records = _started(queries.iter_records(conn, chosen)) if matched else iter(())
        records = terminal.counting(records, matched, f"exporting {fmt}")
        made, ids = provenance.record(conn, _archive(ctx, db).resolve(), chosen, fmt, matched,
                                      ["--raw"] if raw else [],
                                      provenance.ids_sidecar(output) if output else None)
    except sqlite3.Error as exc:
        _database_error(_archive(ctx, db), exc)
    try:
        if output:
            with _writing_stdout(str(output)):
                count = writing.write_file(conn, records, output, fmt, made, manifest, raw=raw,
                                           ids=ids)
        else:
            with _writing_stdout():
                count = writing.write(conn, records, sys.stdout, fmt, made, raw=raw)
            if manifest:
                with _writing_stdout(str(manifest)):
                    writing.write_manifest(manifest, made, count)
    except sqlite3.Error as exc:
        _database_error(_archive(ctx, db), exc)
    if output:
        typer.echo(f"wrote {counted(count, 'alert')} to {output}" + (f" (how: {manifest})" if manifest else ""),
                   err=True)


def _started(records: Iterator[dict]) -> Iterator[dict]:
    """``records`` with its first element already read (so its errors come out now)."""
    first = next(records, None)
    return records if first is None else itertools.chain([first], records)


def _quiet_broken_pipe() -> NoReturn:
    """The reader went away (``| head``): stop quietly, as Unix tools do."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise typer.Exit(0)


@app.command("paths")
def paths_command(ctx: typer.Context, db: Db = None) -> None:
    """Show where the archive, the demo archive and the configuration live."""
    typer.echo(f"archive: {_archive(ctx, db)}")
    typer.echo(f"demo archive: {paths.demo_archive_path()}")
    typer.echo(f"data dir: {paths.data_dir()}")
    typer.echo(f"config dir: {paths.config_dir()}")
    typer.echo(f"settings: {paths.settings_path()} (theme, order, year_bars, citation)")
    typer.echo(f"keymap: {paths.keymap_path()} (binding id = keys; ? in the app lists the ids)")
    typer.echo(f"sources: {paths.sources_path()} (names that count as one reporting "
               "organisation, on top of the built-in table)")
    typer.echo(f"(set ${paths.ENV_DB} or pass --db to use another archive)")


@app.command()
def check(ctx: typer.Context, db: Db = None) -> None:
    """Check the archive for damage (SQLite's and FTS5's integrity checks) and say what to do.

    Exit status: 0 sound, 1 damaged, 2 not an archive or not readable at all.
    """
    from ifex_tui.archive.check import check as run_check

    path = _archive(ctx, db)
    if not path.exists():
        fail(f"{path}: no archive here yet; import a feed first (ifex-tui import FEED)")
    try:
        with terminal.steps(f"checking {path.name}") as step:
            result = run_check(path, step)
    except schema.ArchiveError as exc:
        fail(str(exc))
    from ifex_tui.archive import sources

    for note in sources.archive_notes(path):
        typer.echo(inert(f"ifex-tui: note: {note}"), err=True)
    if result.ok:
        typer.echo(f"{path}: sound: {result.alerts:,} alerts; SQLite's and the search index's "
                   "integrity checks found nothing wrong")
        return
    typer.echo(inert(f"{path}: damaged"), err=True)
    for problem in result.problems:
        typer.echo(inert(f"  {problem}"), err=True)
    typer.echo(inert(f"  what to do: {result.advice()}"), err=True)
    raise typer.Exit(1)


@app.command()
def backup(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Argument(metavar="DEST", show_default=False, help="Backup file to write.")],
    db: Db = None,
) -> None:
    """Copy the archive to DEST safely, even while the app or an import is using it.

    DEST, if it exists, must be an ifex-tui archive: it is overwritten.  To restore, copy a
    backup back the same way: ifex-tui --db BACKUP backup ARCHIVE.
    """
    from ifex_tui.archive.backup import backup as run_backup

    path = _archive(ctx, db)
    try:
        schema.prepare_for_reading(path)
        count = run_backup(path, dest)
    except schema.ArchiveError as exc:
        fail(str(exc))
    typer.echo(f"backed up {counted(count, 'alert')} from {path} to {dest}", err=True)


@app.command()
def demo(ctx: typer.Context) -> None:
    """Open the browser on the bundled sample (CPJ killed journalists, IFEX digests)."""
    if ctx.find_root().obj:
        fail("demo opens the bundled sample in its own archive; leave out --db")
    _need_terminal()
    path = paths.demo_archive_path()
    prepare_demo(path)
    typer.echo(f"demo archive: {path} (ifex-tui stats --db {path})", err=True)
    _run_app(path)


def prepare_demo(path: Path) -> bool:
    """Import the bundled sample into ``path`` unless the imports log already holds every
    file of it (by sha256).  Return True when it imported."""
    import hashlib
    from importlib import resources

    from ifex_tui.archive.feed import FeedError, FeedSource
    from ifex_tui.archive.ingest import import_feeds

    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(resources.as_file(resources.files("ifex_tui") / "sample"))
        files = sorted(folder.glob("*.feed.json.gz"))
        wanted = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
        if wanted <= _logged_hashes(path):
            return False
        sources = [FeedSource(f.name, f) for f in files]
        try:
            import_feeds(path, sources, on_wait=_say_waiting(path))
        except (FeedError, schema.ArchiveError) as exc:
            fail(str(exc))
    return True


@app.command("cite")
def cite_command(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(metavar="ID...", show_default=False, help="Alert ids, as export writes them.")],
    db: Db = None,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="text (the default), csl-json, ris, biblatex or bibtex.")] = "text",
) -> None:
    """Cite alerts by id: a line of text each, or CSL-JSON, RIS, BibLaTeX (@online) or BibTeX (@misc).

    The author is the reporting organisation, the access date the day of the import that
    brought the alert; an alert without URL says so.  An id the archive lacks is named on
    stderr and the command exits 1 after citing the others.
    """
    from ifex_tui.archive import cite, marked  # bibtexparser and rispy load only for this command

    if fmt not in cite.FORMATS:
        fail(f"--format must be one of {', '.join(cite.FORMATS)}, not {fmt!r}")
    _refuse_empty("an id", ids, "each alert's id, as export writes it")
    conn = _open(ctx, db)
    try:
        pks = marked.pks_of(conn, ids)
        records = cite.records_for(conn, pks.values())
    except sqlite3.Error as exc:
        _database_error(_archive(ctx, db), exc)
    missing = [alert_id for alert_id in dict.fromkeys(ids) if alert_id not in pks]
    if records:
        with _writing_stdout():
            typer.echo(cite.render(records, fmt))
    for alert_id in missing:
        typer.echo(inert(f"ifex-tui: error: no alert in the archive has the id {alert_id!r}"), err=True)
    if missing:
        raise typer.Exit(1)


@app.command("datasette-metadata")
def datasette_metadata(
    ctx: typer.Context,
    db: Db = None,
    title: Annotated[str, typer.Option("--title", help="The title Datasette shows.")] = "IFEX alerts",
) -> None:
    """Print Datasette metadata for sharing an archive read-only:
    datasette serve ARCHIVE --immutable -m metadata.json (facets, full-text search, labels)."""
    from ifex_tui.archive import export
    from ifex_tui.archive.datasette_meta import metadata

    with _writing_stdout():
        typer.echo(export.dumps(metadata(_archive(ctx, db).stem, title)))


@app.command()
def reconcile(ctx: typer.Context, db: Db = None) -> None:
    """Count the sources again under the table of reporting organisations in effect (after
    editing sources.toml; the next import does it too).

    A sources.toml that cannot be used is refused (exit 2, the archive unchanged), rather
    than counting the archive under the built-in table alone.
    """
    from ifex_tui.archive import sources

    path = _archive(ctx, db)
    names = sources.table()
    if names.error:
        fail(f"{names.error}; nothing reconciled (mend the file, or move it away to count "
             "under the built-in table alone)")
    for problem in names.problems:  # entries left out; the rest is used
        typer.echo(inert(f"ifex-tui: warning: {problem}"), err=True)
    from ifex_tui.archive.ingest import reconcile as run_reconcile

    try:
        moved = run_reconcile(path, on_wait=_say_waiting(path))
    except schema.ArchiveError as exc:
        fail(str(exc))
    typer.echo(f"{path}: sources reconciled; {moved:,} alerts now counted under another name",
               err=True)


def _logged_hashes(path: Path) -> set[str]:
    """The sha256 of every file the archive's imports log records (none if unreadable)."""
    if not path.exists():
        return set()
    try:
        schema.prepare_for_reading(path)
        conn = schema.connect(path, readonly=True)
    except schema.ArchiveError:
        return set()
    try:
        return {row[0] for row in conn.execute("SELECT sha256 FROM imports")}
    except sqlite3.Error:
        return set()
    finally:
        conn.close()


def main() -> None:
    app(prog_name="ifex-tui")
