"""Run a command; write its wall time, exit status and its own peak RSS as JSON to a file.

Usage: python benchmarks/own_rss.py OUT.json COMMAND [ARG ...]

Linux counts the memory of the process that starts a command into the command's ``ru_maxrss``:
until ``exec`` the child runs in its parent's pages, and ``exec`` keeps their high-water mark.
Started straight from ``run_suite.py``, a 60 MB re-import was reported at 63 MB and a 10%
update at 355 MB, the suite's own size at the time (both the importer's and the baseline's, to
the byte). Started from this small process (about 10 MB, less than any import), the figure is
the command's own. Standard library only, imported before anything grows.
"""

import json
import os
import subprocess
import sys
import time


def main() -> int:
    out, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as file:
        json.dump({"seconds": seconds, "returncode": code, "ru_maxrss": usage.ru_maxrss}, file)
    return code if code >= 0 else 1


if __name__ == "__main__":
    sys.exit(main())
