"""The user's keymap: ``keymap.toml`` in the config dir rebinds any action by its binding id.

Like posting's keymap, a file maps binding ids to keys::

    # ~/.config/ifex-tui/keymap.toml
    [keymap]
    "browser.search" = "ctrl+f"        # the search box opens on ctrl+f, and no longer on /
    "facet.exclude" = "minus"

Every binding of the app has an id (``?`` lists them with their keys).  A file that cannot be
read, or names ids the app does not have, is reported in one line and the rest still applies.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.binding import Binding

from ifex_tui import paths


def known_bindings() -> dict[str, Binding]:
    """Every rebindable binding of the app by id (typing keys in the boxes are text, not ids
    a person would rebind, and are left out)."""
    from ifex_tui.tui.help_keys import binding_owners

    return {
        binding.id: binding
        for _, bindings in binding_owners()
        for binding in bindings
        if binding.id and not binding.system
    }


def load(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The keymap in ``path`` (default: the config dir's), and problems to tell the user.

    Returns:
        ``(keymap, problems)``: id -> keys for the known ids; one line per problem, naming the
        file (and the id), e.g. an unknown id or a value that is not a string.
    """
    path = path or paths.keymap_path()
    if not path.exists():
        return {}, []
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"{path}: not read ({exc}); the default keys apply"]
    table = data.get("keymap", {})
    if not isinstance(table, dict):
        return {}, [f"{path}: [keymap] must be a table of binding id = \"keys\""]
    known = known_bindings()
    keymap, problems = {}, []
    for binding_id, keys in table.items():
        if binding_id not in known:
            problems.append(f"{path}: no binding has the id {binding_id!r} (? lists them)")
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(f"{path}: {binding_id}: keys must be a string such as \"ctrl+f\"")
        else:
            keymap[binding_id] = ",".join(k.strip() for k in keys.split(","))
    return keymap, problems
