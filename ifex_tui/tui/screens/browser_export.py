"""Exporting from the browser (``ctrl+e``): the alerts in view or the marked ones, in a
format and to a file the export dialog asks for, written in a worker with a progress bar.

The file is written as ``ifex-tui export`` writes it (``archive/writing.py``), with how it was
made beside it; quitting while it is written stops it and leaves no half-written file.  The
next export is proposed in the folder the last one went to (a set exported in eight formats
is typed once), the folder the app started in until then.

A part of :class:`~ifex_tui.tui.screens.browser.BrowserScreen`, mixed in: it uses the
screen's list, filters, marks, reader and ``type_ahead``.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path

from textual import work
from textual.widgets import ProgressBar
from textual.worker import get_current_worker

from ifex_tui.archive import queries
from ifex_tui.archive.filters import Filters
from ifex_tui.safe_text import inert
from ifex_tui.tui.messages import ArchiveChanged, ExportDone, ExportProgress
from ifex_tui.tui.screens.export_dialog import ExportDialog, ExportRequest
from ifex_tui.wording import counted

#: Why an export was not written: the archive's file was replaced after its alerts were chosen.
_REPLACED = ("{} is another file now, and the alerts chosen were the old file's: nothing was "
             "written. The app shows the new file; export again.")


class ExportStopped(Exception):
    """An export was stopped before it was whole (its file is not written)."""


class ExportActions:
    """Ask for an export, write it in a worker, say where it went."""

    #: Where the last export of this session went (None: none yet).
    _export_folder: Path | None = None

    def action_export(self) -> None:
        """Ask for the alerts (in view, or marked), a format and a file, then write them there,
        in a worker."""
        if self._exporting():
            self.notify("An export is being written: wait for it to finish (the bar shows how far "
                        "it is).", severity="warning")
            return
        if not self.reader.found:  # its provenance would record a command that cannot run
            self.notify(f"No archive at {self.reader.path} yet: nothing to export.",
                        severity="warning", markup=False)
            return
        self.type_ahead.run(self._ask_export, self._view_ready)

    def _view_ready(self) -> bool:
        """Whether the list's count and the marks are known (the dialog offers both)."""
        return not self._marking and self.alert_list.results_ready()

    def _ask_export(self) -> None:
        total = self.alert_list.total
        stem = f"ifex-alerts-{datetime.now():%Y-%m-%d-%H%M%S}"
        picked = self.filters.marked.bit_count() if self.filters.marked is not None else 0
        dialog = ExportDialog(total, queries.describe(self.filters) or "no filters",
                              self._export_folder or Path.cwd(), stem, self.marks.bit_count(),
                              picked, self.type_ahead)
        self.app.push_screen(dialog, partial(self._export_chosen, self.filters, total, self.marks,
                                             self.files_read))

    def _export_chosen(self, filters: Filters, total: int, marks: int, files_read: int,
                       request: ExportRequest | None) -> None:
        if request is None:
            return
        if files_read != self.files_read:  # the alerts chosen were another file's
            self.notify(_REPLACED.format(self.reader.path), title="Nothing exported",
                        severity="warning", markup=False, timeout=10)
            return
        if request.marked:
            filters, total = Filters().marking(marks), marks.bit_count()
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=0)
        bar.add_class("-exporting")
        self.notify(inert(str(request.path)), title=f"Exporting {counted(total, 'alert')}", markup=False)
        self._export(filters, total, request)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, filters: Filters, total: int, request: ExportRequest) -> None:
        from ifex_tui.archive import provenance, writing

        worker = get_current_worker()

        def counted(records):
            for done, record in enumerate(records, start=1):
                yield record
                if done % 500 == 0:
                    if worker.is_cancelled:  # the app is quitting: leave nothing half-written
                        raise ExportStopped
                    self.post_message(ExportProgress(done, total))

        path, manifest = request.path, None
        if self._replaced_before_export():
            self.post_message(ExportDone(str(path), 0, None, _REPLACED.format(self.reader.path)))
            return
        try:
            with self.reader.connect("export") as conn:
                made, ids = provenance.record(conn, self.reader.path.resolve(), filters,
                                              request.fmt, total, [], provenance.ids_sidecar(path))
                if writing.needs_sidecar(request.fmt):
                    manifest = provenance.sidecar(path)
                count = writing.write_file(conn, counted(queries.iter_records(conn, filters)),
                                           path, request.fmt, made, manifest, ids=ids)
        except ExportStopped:
            return
        except OSError as exc:  # the file's
            failure = f"{exc.filename or path}: {exc.strerror or exc}"
            self.post_message(ExportDone(str(path), 0, None, failure))
            return
        except Exception as exc:  # the archive's, said as any read's is
            self.post_message(ExportDone(str(path), 0, None, self.reader.explain(exc)))
            return
        self.post_message(ExportDone(str(path), count, str(manifest) if manifest else None))

    def _replaced_before_export(self) -> bool:
        """Look as the watcher looks, at once (it looks once a second): another file copied or
        moved over the archive since it last looked holds other alerts at the pks the marks
        and the list name (an export of three marks there wrote none, or three others).  A
        change found is told as the watcher tells it; damage met where a copy came in is such a
        change (the watcher's next look reads the file anew); any other failure is the
        export's to say."""
        try:
            change = self.reader.changed()
        except Exception as exc:  # damage where a copy came in: the watcher reads it anew
            return self.reader.rereads(exc)  # (any other failure, the export says)
        if change:
            self.post_message(ArchiveChanged(file=change == "file"))
        return change == "file"

    def on_export_progress(self, message: ExportProgress) -> None:
        self.query_one("#export-progress", ProgressBar).update(progress=message.done)

    def on_export_done(self, message: ExportDone) -> None:
        self.query_one("#export-progress", ProgressBar).remove_class("-exporting")
        if message.failure:
            self.notify(inert(message.failure), title="Export failed", severity="error",
                        markup=False, timeout=10)
            return
        # Names on lines of their own, the folder once: a notice is narrow, and a long path
        # broken mid-name ran into "how it was made".
        path = Path(message.path).absolute()  # a name typed relative to the folder started in
        self._export_folder = path.parent
        lines = [path.name]
        if message.manifest:
            manifest = Path(message.manifest)
            beside = manifest.parent == path.parent
            lines.append(f"how it was made: {manifest.name if beside else manifest}")
        lines.append(f"in {path.parent}")
        self.notify("\n".join(map(inert, lines)), title=f"Wrote {counted(message.count, 'alert')}",
                    markup=False, timeout=10)

    def _exporting(self) -> bool:
        return any(w.group == "export" and not w.is_finished for w in self.workers)
