"""The user's keymap: ``keymap.toml`` in the config dir rebinds any action by its binding id.

Like posting's keymap, a file maps binding ids to keys::

    # ~/.config/ifex-tui/keymap.toml  (`ifex-tui paths` prints where)
    [keymap]
    "browser.search" = "ctrl+f"        # the search box opens on ctrl+f, and no longer on /
    "facet.exclude" = "n"

Every binding of the app has an id (``?`` lists them with their keys).  An entry that cannot
be used is left out, with one line saying why: a file that cannot be read, an id the app does
not have, a key name no terminal sends, or a key that would take another action's place where
both act (``e`` for search would make exclude unreachable in the facet panes).
"""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.keys import Keys, _character_to_key

from ifex_tui import paths

_MODIFIERS = {"ctrl", "shift", "alt", "super", "meta", "hyper"}


def _key_names() -> set[str]:
    """Every key name a binding can use: Textual's named keys and printable characters."""
    named = {key.value.split("+")[-1] for key in Keys}
    printable = {_character_to_key(chr(c)) for c in range(0x21, 0x17F) if chr(c).isprintable()}
    return named | printable | {"space"}


def bad_key(keys: str) -> str | None:
    """The first key in ``keys`` (comma-separated) that is not a key name, or None."""
    names = _key_names()
    for key in (k.strip() for k in keys.split(",")):
        *modifiers, base = key.split("+")
        if not base or base not in names or not set(modifiers) <= _MODIFIERS:
            return key
    return None


def _contexts() -> list[tuple[str, list[Binding]]]:
    """Where keys act together: everywhere plus each part of the browser, and each modal
    screen (help, the export dialog) on its own."""
    from ifex_tui.tui.help_keys import MODAL_OWNERS, binding_owners

    owners = [(where, [b for b in bindings if b.id and not b.system])
              for where, bindings in binding_owners()]
    (_, everywhere), *parts = owners
    return [(where, bindings if where in MODAL_OWNERS else [*everywhere, *bindings])
            for where, bindings in parts]


def _clash(keymap: dict[str, str]) -> tuple[str, str, str, str] | None:
    """``(key, id, other id, where)`` of the first key two actions would share, or None."""
    for where, bindings in _contexts():
        owner: dict[str, str] = {}
        for binding in bindings:
            for key in keymap.get(binding.id, binding.key).split(","):
                key = key.strip()
                if owner.setdefault(key, binding.id) != binding.id:
                    return key, owner[key], binding.id, where
    return None


def known_bindings() -> dict[str, Binding]:
    """Every rebindable binding of the app by id (the boxes' typing keys are text, not ids a
    person would rebind, and are left out)."""
    return {b.id: b for _, bindings in _contexts() for b in bindings}


def load(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """The keymap in ``path`` (default: the config dir's), and problems to tell the user.

    Returns:
        ``(keymap, problems)``: id -> keys for the entries that can be used; one line per
        entry left out, naming the file, the id and why.
    """
    path = path or paths.keymap_path()
    data, problem = paths.read_toml(path)
    if problem:
        return {}, [f"{problem}; the default keys apply"]
    table = data.get("keymap", {})
    if not isinstance(table, dict):
        return {}, [f"{path}: [keymap] must be a table of binding id = \"keys\""]
    known = known_bindings()
    keymap: dict[str, str] = {}
    problems = []
    for binding_id, keys in table.items():
        if binding_id not in known:
            problems.append(f"{path}: no binding has the id {binding_id!r} (? lists them)")
            continue
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f"{path}: {binding_id}: keys must be a string such as \"ctrl+f\"")
            continue
        keys = ",".join(k.strip() for k in keys.split(","))
        if bad := bad_key(keys):
            problems.append(f"{path}: {binding_id}: {bad!r} is not a key name (try ctrl+f, f5, n)")
            continue
        if clash := _clash({**keymap, binding_id: keys}):
            key, first, second, where = clash
            other = second if first == binding_id else first
            problems.append(
                f"{path}: {binding_id} = {keys!r} left out: {key!r} is already "
                f"{known[other].description} ({other}) in {where.split(' (')[0].lower()}"
            )
            continue
        keymap[binding_id] = keys
    return keymap, paths.at_most(problems, path)
