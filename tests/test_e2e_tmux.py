"""End to end: the installed ``ifex-tui demo`` in a real terminal (tmux), driven by keystrokes.

Open the bundled sample, filter to a country by typing its name, search, clear, quit.  The
expected counts are read from the bundled sample with the standard library.  This is the
one place that polls with a sleep: the app is another process, so there is nothing to await.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from importlib import resources
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

IFEX_TUI = Path(sys.executable).parent / "ifex-tui"
TIMEOUT = 20.0


def bundled_items() -> list[dict]:
    folder = resources.files("ifex_tui") / "sample"
    return [
        item
        for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".feed.json.gz"))
        for item in json.loads(gzip.decompress((folder / name).read_bytes()))["items"]
    ]


def searchable(item: dict) -> str:
    """The text the archive's full-text index covers: title, body, tags, source."""
    source = (item.get("_ifex") or {}).get("source") or ""
    parts = [item["title"], item.get("content_text", ""), *item.get("tags", []), source]
    return " ".join(parts).casefold()


class Tmux:
    """One private tmux server (its own socket) with one 120x40 pane."""

    def __init__(self, env: dict[str, str]):
        self.socket = f"ifex-e2e-{uuid.uuid4().hex[:12]}"
        self.env = env

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env, capture_output=True, text=True, timeout=10, check=True,
        )
        return result.stdout

    def start(self, name: str = "e2e") -> None:
        self.run("new-session", "-d", "-s", name, "-x", "120", "-y", "40",
                 "sh")  # a plain shell, so the exit status can be echoed after the app

    def send(self, *keys: str, literal: bool = False, target: str = "e2e") -> None:
        self.run("send-keys", "-t", target, *(["-l"] if literal else []), *keys)

    def screen(self, target: str = "e2e") -> str:
        return self.run("capture-pane", "-p", "-t", target)

    def wait_for(
        self, *texts: str, pattern: str | None = None, timeout: float = TIMEOUT,
        target: str = "e2e",
    ) -> str:
        """Poll the pane until every one of ``texts`` (and ``pattern``) shows, or fail."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen(target)
            found = pattern is None or re.search(pattern, shown, re.MULTILINE)
            if found and all(text in shown for text in texts):
                return shown
            if time.monotonic() > deadline:
                wanted = f"{texts!r} {pattern or ''}"
                raise AssertionError(f"never showed {wanted}; the screen was:\n{shown}")
            time.sleep(0.2)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], env=self.env,
                       capture_output=True, timeout=10, check=False)


@pytest.fixture
def tmux(tmp_path: Path):
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "TMUX_TMPDIR": str(tmp_path),
    }
    env.pop("IFEX_TUI_DB", None)
    env.pop("TMUX", None)
    session = Tmux(env)
    session.start()  # the "e2e" session; a test may start more
    try:
        yield session
    finally:
        session.kill()


def test_demo_filter_search_clear_quit(tmux: Tmux, tmp_path: Path) -> None:
    assert IFEX_TUI.exists(), f"the console script is not installed at {IFEX_TUI}"
    items = bundled_items()
    total = len(items)
    mexico = [i for i in items if (i.get("_ifex") or {}).get("country") == "Mexico"]
    everything = f"{total:,} alerts"

    tmux.send(f"{IFEX_TUI} demo; echo EXITED=$?", "Enter")
    tmux.wait_for(everything, "1 Countries", "4 Alerts")
    assert (tmp_path / "data" / "ifex-tui" / "demo.db").exists()  # the sample landed there

    tmux.send("1")  # (a key typed while the app starts acts once it is up)
    tmux.wait_for("Exclude")  # the countries pane has focus: its keys in the footer
    tmux.send("f")
    tmux.wait_for("Find in Countries")
    tmux.send("Mexico", literal=True)
    tmux.send("Enter")
    shown = tmux.wait_for("Country: Mexico", f"{len(mexico):,} of {total:,} alerts")
    rows = [line for line in shown.splitlines() if re.search(r"\d{4}-\d\d-\d\d ", line)]
    assert rows and all("Mexico" in row for row in rows)

    # the search runs within Mexico: count the Mexico items that mention print (the medium)
    word = "print"
    in_mexico = sum(1 for i in mexico if re.search(rf"\b{word}\b", searchable(i)))
    assert in_mexico > 1
    tmux.send("/")
    tmux.wait_for("Search alerts")
    tmux.send(word, literal=True)
    tmux.send("Enter")
    tmux.wait_for(f'Search: "{word}"', "Country: Mexico", f"{in_mexico:,} of {total:,} alerts")

    tmux.send("x")
    shown = tmux.wait_for("No filters", everything)
    assert "Country: Mexico" not in shown and "Search:" not in shown

    tmux.send("q")
    shown = tmux.wait_for(pattern=r"^EXITED=\d+$")  # the echo's output, not the command line
    assert re.search(r"^EXITED=0$", shown, re.MULTILINE), shown
    assert "Traceback" not in shown


def test_keys_typed_while_the_app_starts_act_once_it_is_up(tmux: Tmux) -> None:
    """Keys sent right behind the command reach the terminal before the app has made it raw
    (which turns their enter into a newline) and before the panes know the archive's values:
    they act as they would typed a second later."""
    items = bundled_items()
    mexico = [i for i in items if (i.get("_ifex") or {}).get("country") == "Mexico"]
    tmux.send(f"{IFEX_TUI} demo", "Enter")  # imported once, so the second start is quick
    tmux.wait_for(f"{len(items):,} alerts", "1 Countries")
    tmux.send("q")
    tmux.wait_for("demo archive:")  # what demo says once the app has quit
    tmux.send(f"clear; {IFEX_TUI} demo; echo EXITED=$?", "Enter")
    tmux.send("1fmex", literal=True)
    tmux.send("Enter")
    tmux.wait_for("Country: Mexico", f"{len(mexico):,} of {len(items):,} alerts")
    tmux.send("q")
    tmux.wait_for(pattern=r"^EXITED=0$")


#: Bursts in this key model's spelling: focus a pane, f to find, text, enter to toggle.
BURSTS = (
    ["1fmex", "Enter", "2f2010", "Enter", "/radio", "Enter", "x"],
    ["1fmex", "Enter", "fphi", "Enter", "2f2011", "Enter", "/killed", "Enter", "4jjj"],
    ["3fkil", "Enter", "a", "1firaq", "Enter", "e", "4Gk", "/zz", "Escape"],
    # Keys on what has not come yet (the search's list, the row G lands on) wait for it.
    ["/radio", "Enter", "Gmkmv"],
    # Escape with a key right behind it, which a terminal sends as it sends alt+key: the box
    # left, a pane chosen, its selection cleared, a move, a search opened.
    ["1firaq", "Enter", "/zz", "Escape", "1", "Escape", "j", "Enter", "Escape", "/radio",
     "Enter", "Escape", "j"],
    # Escape with f right behind it, which macOS terminals also send for option+right: out of
    # a box, the two keys (a pane cleared, then a find); the rest of the burst is typed there.
    ["1", "Enter", "Escape", "fmex", "Enter", "Escape", "firaq", "Enter"],
    # Keys right behind the escape that closes the command palette go to the list, not into
    # the palette as it closes.
    ["4", "C-p", "Escape", "jj", "C-p", "Escape", "m", "C-p", "Escape", "jv"],
)
#: tmux's names of keys, sent as keys (the rest of a burst is sent as text).
NAMED_KEYS = ("Enter", "Escape", "C-p")


def _settled(tmux: Tmux, target: str) -> str:
    """The pane once it has stopped changing (the app is another process: poll)."""
    previous, deadline = None, time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        time.sleep(0.5)
        shown = tmux.screen(target)
        if shown == previous and "counting…" not in shown:
            return shown
        previous = shown
    raise AssertionError(f"the screen never settled:\n{previous}")


@pytest.mark.parametrize("burst", BURSTS,
                         ids=["mex-2010-radio-x", "or-year-search", "all-not", "search-mark-view",
                              "escape-then-key", "escape-then-f", "palette-escape-then-keys"])
def test_a_burst_at_paste_speed_ends_as_the_same_keys_typed_slowly(
    tmux: Tmux, burst: list[str]
) -> None:
    """One send-keys call (the whole burst at once) against the same keys one by one."""
    everything = f"{len(bundled_items()):,} alerts"
    tmux.start("slow")
    for target in ("e2e", "slow"):
        tmux.send(f"{IFEX_TUI} demo", "Enter", target=target)
        tmux.wait_for(everything, "1 Countries", target=target)
    time.sleep(1.0)  # both apps read their input before the burst arrives

    tmux.send(*burst, target="e2e")  # one call: every key at paste speed
    for part in burst:
        keys = [part] if part in NAMED_KEYS else list(part)
        for key in keys:
            tmux.send(key, target="slow", literal=key not in NAMED_KEYS)
            time.sleep(0.35)

    fast, slow = _settled(tmux, "e2e"), _settled(tmux, "slow")
    assert "Traceback" not in fast
    assert _outcome(fast) == _outcome(slow)


def _outcome(screen: str) -> list[str]:
    """What a burst decides: the status line (filters and count), the alert list and the
    detail (right of the facet column), and the footer (which pane has focus).

    The facet panes' scroll offsets are left out: they depend on which of the intermediate
    counts were drawn (typed slowly, every one; in a burst, only the last), not on the keys.
    """
    rows = screen.rstrip("\n").split("\n")
    top = next(row for row in rows if "1 Countries" in row)  # the facet column's top border
    column = top.index("╮") + 1
    return [rows[0], *(row[column:] for row in rows[1:-1]), rows[-1]]


def test_citations_reach_the_terminal_clipboard(tmux: Tmux) -> None:
    """``y`` and ``Y`` copy through the terminal (OSC 52): tmux, told to take the clipboard
    from applications, keeps what the app copied as its paste buffer."""
    tmux.run("set-option", "-g", "set-clipboard", "on")
    first = max(bundled_items(), key=lambda i: i.get("date_published") or "")  # the list's first
    tmux.send(f"{IFEX_TUI} demo", "Enter")
    tmux.wait_for("4 Alerts", "1 Countries")
    tmux.send("4")
    tmux.wait_for("Open link")  # the alerts pane has focus: its keys in the footer
    tmux.send("y")
    tmux.wait_for("Citation copied")
    copied = tmux.run("show-buffer")
    assert copied.startswith("Committee to Protect Journalists, ")
    assert f'"{first["title"]}"' in copied and "(accessed " in copied

    tmux.send("m", "j", "m", "Y")  # two marked: both cited, one line each
    tmux.wait_for("2 citations copied")
    cited = tmux.run("show-buffer").splitlines()
    assert len(cited) == 2 and f'"{first["title"]}"' in cited[0]
    tmux.send("q")
