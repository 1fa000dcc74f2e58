"""Datasette plugin: lets Datasette read an ifex-tui archive as ifex-tui does.

The archive's search index reads its text through a view that calls ``alert_body`` (the body
is kept compressed, its text made when read: ``archive/bodies.py``).  Installed next to
Datasette, ifex-tui registers that function on Datasette's connections through this entry
point (``pyproject.toml``: ``[project.entry-points.datasette]``), so every page works.
"""

from __future__ import annotations

from datasette import hookimpl

from ifex_tui.archive import schema


@hookimpl
def prepare_connection(conn) -> None:
    schema.register_functions(conn)
