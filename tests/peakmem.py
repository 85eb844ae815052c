"""Run a command and report its own peak memory: ``python -m tests.peakmem OUT CMD...``.

Linux carries a process's peak RSS (``ru_maxrss``) across ``execve``, so a command started
straight from a big test process reports at least that process's size. Started from this
small interpreter instead, its peak is its own; ``OUT`` gets ``{"rc": ..., "peak_kb": ...}``
and this process exits with the command's code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys


def main() -> int:
    out, cmd = sys.argv[1], sys.argv[2:]
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = rc = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"rc": rc, "peak_kb": usage.ru_maxrss}, f)
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main())
