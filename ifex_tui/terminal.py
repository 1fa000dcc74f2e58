"""What a long command shows while it works: progress on stderr, and only on a terminal, so
scripts and pipes get the same output whatever the size of the job.  rich loads only when a
display is drawn (``--help`` and small jobs never pay for it).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ifex_tui.safe_text import inert

if TYPE_CHECKING:
    from ifex_tui.archive.feed import FeedSource


def on_terminal() -> bool:
    """Whether stderr is a terminal: progress is drawn there only, so scripts and pipes get
    the same output whatever the size of the job."""
    return sys.stderr is not None and sys.stderr.isatty()


def _progress_on_stderr(*columns):
    """A rich progress display on stderr, gone when its work ends (rich loads only here)."""
    from rich.console import Console
    from rich.progress import Progress

    return Progress(*columns, console=Console(stderr=True), transient=True)


@contextlib.contextmanager
def import_progress(sources: list[FeedSource]):
    """A progress bar on stderr for large imports into a terminal; nothing otherwise."""
    sizes = {id(s): s.path.stat().st_size for s in sources if s.path.is_file()}
    if not on_terminal() or sum(sizes.values()) < 8 << 20:
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        ProgressColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Amount(ProgressColumn):
        """A feed's bytes read and time left; for writing the archive, whose amount of work is
        not known beforehand, the time it has taken so far (not "0/? bytes")."""

        read, left, spent = DownloadColumn(), TimeRemainingColumn(), TimeElapsedColumn()

        def render(self, task):
            if task.fields.get("writing"):
                return self.spent.render(task)
            return Text.assemble(self.read.render(task), " ", self.left.render(task))

    with _progress_on_stderr("[progress.description]{task.description}", BarColumn(), Amount()) as bar:
        tasks = {id(s): bar.add_task(inert(Path(s.name).name)[:40], total=sizes.get(id(s))) for s in sources}

        def advance(source: FeedSource | None, done: int) -> None:
            if source is not None:
                bar.update(tasks[id(source)], completed=done)
                return
            for source_id, task in tasks.items():
                bar.update(task, completed=sizes.get(source_id))
            bar.add_task("writing the archive", total=None, writing=True)

        yield advance


@contextlib.contextmanager
def steps(what: str) -> Iterator[Callable[[str], None]]:
    """On a terminal, a spinner on stderr naming the step under way and the time it has taken
    (``check`` reads the whole archive twice: minutes of silence at a million alerts looked
    hung); a function that does nothing otherwise."""
    if not on_terminal():
        yield lambda step: None
        return
    from rich.progress import SpinnerColumn, TimeElapsedColumn

    with _progress_on_stderr(SpinnerColumn(), "{task.description}", TimeElapsedColumn()) as bar:
        task = bar.add_task(inert(what), total=None)
        yield lambda step: bar.update(task, description=inert(f"{what}: {step}"))


#: An export of more alerts than this shows a progress bar on a terminal.
EXPORT_PROGRESS_FROM = 5_000


def counting(records: Iterator[dict], total: int, label: str) -> Iterator[dict]:
    """``records``, with a progress bar on stderr while they are written, for a large export
    to a terminal (200k rows of CSV take half a minute); nothing otherwise."""
    if total < EXPORT_PROGRESS_FROM or not on_terminal():
        yield from records
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn

    with _progress_on_stderr("{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeRemainingColumn()) as bar:
        task = bar.add_task(label, total=total)
        for done, record in enumerate(records, start=1):
            yield record
            if done % 500 == 0:
                bar.update(task, completed=done)
