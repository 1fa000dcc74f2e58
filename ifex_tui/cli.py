"""The ``ifex-tui`` command: bare, it opens the app; its subcommands script the archive.

The CLI is thin: it parses options into the data layer's :class:`Filters` and calls the same
functions the app does.  Textual is imported only when the app opens, so ``import``,
``stats`` and ``--help`` start fast and work without a terminal.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from ifex_tui import paths
from ifex_tui.archive import export, filters, queries, schema
from ifex_tui.archive.feed import FeedError, FeedSource, spool_stdin
from ifex_tui.archive.ingest import ImportReport, import_feeds
from ifex_tui.safe_text import inert

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
Country = Annotated[list[str] | None, typer.Option("--country", metavar="NAME", help="Name or ISO code; repeat to OR.")]
Year = Annotated[list[str] | None, typer.Option("--year", metavar="YEARS", help="2012, 2001-2005 or undated; repeat to OR.")]
Region = Annotated[list[str] | None, typer.Option("--region", metavar="REGION", help="IFEX region; repeat to OR.")]
Violation = Annotated[list[str] | None, typer.Option("--violation", metavar="VIOLATION", help="e.g. Killed; repeat to OR.")]
Target = Annotated[list[str] | None, typer.Option("--target", metavar="TARGET", help="e.g. Journalist; repeat to OR.")]
Source = Annotated[list[str] | None, typer.Option("--source", metavar="SOURCE", help="Reporting member; repeat to OR.")]
Search = Annotated[str | None, typer.Option("--search", metavar="QUERY", help="Full-text query (FTS5 syntax).")]
NotCountry = Annotated[list[str] | None, typer.Option("--not-country", metavar="NAME", help="Leave out alerts about this country; repeatable.")]
NotYear = Annotated[list[str] | None, typer.Option("--not-year", metavar="YEARS", help="Leave out these years (or undated); repeatable.")]
NotRegion = Annotated[list[str] | None, typer.Option("--not-region", metavar="REGION", help="Leave out this region; repeatable.")]
NotViolation = Annotated[list[str] | None, typer.Option("--not-violation", metavar="VIOLATION", help="Leave out alerts with this violation; repeatable.")]
NotTarget = Annotated[list[str] | None, typer.Option("--not-target", metavar="TARGET", help="Leave out alerts with this target; repeatable.")]
NotSource = Annotated[list[str] | None, typer.Option("--not-source", metavar="SOURCE", help="Leave out this source; repeatable.")]
AllCountries = Annotated[bool, typer.Option("--all-countries", help="An alert must be about every --country given.")]
AllViolations = Annotated[bool, typer.Option("--all-violations", help="An alert must have every --violation given.")]
AllTargets = Annotated[bool, typer.Option("--all-targets", help="An alert must have every --target given.")]


def fail(message: str, code: int = 2) -> NoReturn:
    """One clear line on stderr, then exit (2: usage or unreadable input; nothing changed)."""
    typer.echo(f"ifex-tui: error: {inert(message)}", err=True)
    raise typer.Exit(code)


def _archive(ctx: typer.Context, db: Path | None) -> Path:
    """This command's ``--db``, else one given before the command, else the default."""
    return paths.archive_path(db or ctx.find_root().obj)


def _open(ctx: typer.Context, db: Path | None, *, readonly: bool = True):
    path = _archive(ctx, db)
    if readonly and not path.exists():
        fail(f"{path}: no archive here yet; import a feed first (ifex-tui import FEED)")
    try:
        return schema.connect(path, readonly=readonly)
    except schema.ArchiveError as exc:
        fail(str(exc))


def _filters(options: dict) -> filters.Filters:
    """The command's filter options (its parameters by name) as Filters; a usage error is one line."""
    matched_all = {"country": "all_countries", "violation": "all_violations", "target": "all_targets"}
    for dimension, flag in matched_all.items():
        if options[flag] and not options[dimension]:
            fail(f"--{flag.replace('_', '-')} needs --{dimension} values, all of which an alert must have")
    try:
        chosen = filters.from_options(
            **{d: options[d] or [] for d in filters.DIMENSIONS},
            **{f"not_{d}": options[f"not_{d}"] or [] for d in filters.DIMENSIONS},
            search=options["search"],
            all_of=[d for d, flag in matched_all.items() if options[flag]],
        )
        both = filters.from_options(**{d: options[d] or [] for d in filters.DIMENSIONS})
    except ValueError as exc:
        fail(str(exc))
    for dimension, key in sorted(chosen.excluded, key=str):
        if key in both.values(dimension):
            name = queries.label(dimension, key)
            fail(f"{dimension} {name!r} is both chosen (--{dimension}) and left out (--not-{dimension})")
    return chosen


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
    feeds: Annotated[list[str], typer.Argument(metavar="FEED", show_default=False, help="Feed files; '-' reads stdin.")],
    db: Db = None,
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing if any item is rejected.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would change; change nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Import alert feeds (JSON Feed, JSON array or JSON Lines, optionally gzipped).

    All files land together or not at all.  Exit status: 0 everything landed, 1 some items
    were rejected, 2 a file could not be read or the options are wrong (nothing landed).
    """
    path = _archive(ctx, db)
    with contextlib.ExitStack() as cleanup:
        sources = [_source(name, cleanup) for name in feeds]
        try:
            with _progress(sources) as progress:
                report = import_feeds(path, sources, strict=strict, dry_run=dry_run, progress=progress)
        except (FeedError, schema.ArchiveError) as exc:
            fail(str(exc))
    if as_json:
        typer.echo(export.dumps(report.as_json()))
    else:
        _print_report(report, path)
    raise typer.Exit(1 if report.rejected else 0)


def _source(name: str, cleanup: contextlib.ExitStack) -> FeedSource:
    if name != "-":
        return FeedSource(name, Path(name))
    spooled = spool_stdin()
    cleanup.callback(spooled.unlink, missing_ok=True)
    return FeedSource("<stdin>", spooled)


@contextlib.contextmanager
def _progress(sources: list[FeedSource]):
    """A progress bar on stderr for large imports into a terminal; nothing otherwise."""
    sizes = {id(s): s.path.stat().st_size for s in sources if s.path.is_file()}
    if not sys.stderr.isatty() or sum(sizes.values()) < 8 << 20:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}", BarColumn(), DownloadColumn(),
        TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    ) as bar:
        tasks = {id(s): bar.add_task(inert(Path(s.name).name)[:40], total=sizes.get(id(s))) for s in sources}

        def advance(source: FeedSource | None, done: int) -> None:
            if source is not None:
                bar.update(tasks[id(source)], completed=done)
                return
            for source_id, task in tasks.items():
                bar.update(task, completed=sizes.get(source_id))
            bar.add_task("writing the archive", total=None)

        yield advance


def _print_report(report: ImportReport, path: Path) -> None:
    counts = (
        f"{report.read:,} read, {report.new:,} new, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged, {report.rejected:,} rejected"
    )
    if report.landed:
        typer.echo(f"imported into {path}: {counts}")
    elif report.dry_run:
        typer.echo(f"dry run, {path} unchanged; an import would give: {counts}")
    else:
        typer.echo(f"nothing imported into {path} (--strict); without --strict: {counts}")
    for rejection in report.rejections[:20]:
        where = f"{rejection['file']} item {rejection['index']}"
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


@app.command()
def stats(
    ctx: typer.Context,
    db: Db = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    country: Country = None, year: Year = None, region: Region = None,
    violation: Violation = None, target: Target = None, source: Source = None,
    search: Search = None,
    not_country: NotCountry = None, not_year: NotYear = None, not_region: NotRegion = None,
    not_violation: NotViolation = None, not_target: NotTarget = None, not_source: NotSource = None,
    all_countries: AllCountries = False, all_violations: AllViolations = False,
    all_targets: AllTargets = False,
) -> None:
    """Count the alerts matching the filters, by country, year, region, violation, target, source."""
    chosen = _filters(locals())
    conn = _open(ctx, db)
    try:
        result = queries.stats(conn, chosen)
        _note_absent(conn, chosen)
    except queries.SearchError as exc:
        fail(f"search: {exc} ({queries.SEARCH_HELP})")
    except sqlite3.Error as exc:
        fail(f"{_archive(ctx, db)}: {exc}")
    with _writing_stdout():
        if as_json:
            typer.echo(export.dumps(result))
            return
        from ifex_tui.stats_view import print_stats

        print_stats(result, matching=queries.describe(chosen))


def _note_absent(conn, chosen: filters.Filters) -> None:
    """Say on stderr which filter values no alert has (a typo otherwise just counts 0)."""
    for dimension, value in queries.absent_values(conn, chosen):
        typer.echo(inert(f"ifex-tui: note: no alert in the archive has {dimension} {value!r}"), err=True)


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
        fail(f"{name}: {exc.strerror or exc}")


@app.command("export")
def export_command(
    ctx: typer.Context,
    db: Db = None,
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="csv, json or jsonfeed.")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="File to write (default: stdout).")] = None,
    country: Country = None, year: Year = None, region: Region = None,
    violation: Violation = None, target: Target = None, source: Source = None,
    search: Search = None,
    not_country: NotCountry = None, not_year: NotYear = None, not_region: NotRegion = None,
    not_violation: NotViolation = None, not_target: NotTarget = None, not_source: NotSource = None,
    all_countries: AllCountries = False, all_violations: AllViolations = False,
    all_targets: AllTargets = False,
) -> None:
    """Export the matching alerts, newest first, as CSV, JSON or a re-importable JSON Feed."""
    if fmt not in export.FORMATS:
        fail(f"--format must be one of {', '.join(export.FORMATS)}, not {fmt!r}")
    chosen = _filters(locals())
    conn = _open(ctx, db)
    try:
        queries.total(conn, chosen)  # validates the search before anything is written
        _note_absent(conn, chosen)
    except queries.SearchError as exc:
        fail(f"search: {exc} ({queries.SEARCH_HELP})")
    except sqlite3.Error as exc:
        fail(f"{_archive(ctx, db)}: {exc}")
    records = queries.iter_records(conn, chosen)
    try:
        with _writing_stdout(str(output or "stdout")):
            target_file = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
            with contextlib.closing(target_file) if output else contextlib.nullcontext():
                if fmt == "csv":
                    count = export.write_csv(records, target_file, _csv_cell)
                elif fmt == "json":
                    count = export.write_json(records, target_file)
                else:
                    count = export.write_jsonfeed(records, target_file)
    except sqlite3.Error as exc:
        fail(f"{_archive(ctx, db)}: {exc}")
    if output:
        typer.echo(f"wrote {count:,} alerts to {output}", err=True)


def _csv_cell(text: str) -> str:
    """CSV cells are always made inert, not only when stdout is a terminal.

    CSV is read by people (``export --format csv | head``, ``cat out.csv``: a pipe or a file
    that still ends on a terminal) and by spreadsheets, which have no use for escape sequences.
    Line breaks inside a cell survive; the JSON formats keep every character, escaped.
    """
    return inert(text, multiline=True)


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
    typer.echo(f"keymap: {paths.keymap_path()} (binding id = keys; ? in the app lists the ids)")
    typer.echo(f"(set ${paths.ENV_DB} or pass --db to use another archive)")


@app.command()
def demo(ctx: typer.Context) -> None:
    """Open the browser on the bundled sample (CPJ killed journalists, IFEX digests)."""
    if ctx.find_root().obj:
        fail("demo opens the bundled sample in its own archive; leave out --db")
    _need_terminal()
    path = paths.demo_archive_path()
    prepare_demo(path)
    _run_app(path)


def prepare_demo(path: Path) -> None:
    """Import the bundled sample into ``path`` (a no-op when it is already there)."""
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(resources.as_file(resources.files("ifex_tui") / "sample"))
        sources = [FeedSource(f.name, f) for f in sorted(folder.glob("*.feed.json.gz"))]
        try:
            import_feeds(path, sources)
        except (FeedError, schema.ArchiveError) as exc:
            fail(str(exc))


def main() -> None:
    app(prog_name="ifex-tui")
