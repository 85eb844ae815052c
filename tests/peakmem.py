"""Run a command and report its own peak memory: ``python -m tests.peakmem OUT CMD...``.

Linux carries ``ru_maxrss`` across fork and ``execve``, so a command started from a big
test process (or from anything that one started) reports at least that process's size.
The high-water mark of the command's own address space (``VmHWM`` in /proc/PID/status,
new at ``execve``) does not: it is read until the command ends, and the highest value
seen is its peak. ``OUT`` gets ``{"rc": ..., "peak_kb": ...}`` and this process exits
with the command's code.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

POLL_S = 0.02
_HWM = re.compile(rb"^VmHWM:\s+(\d+)\s+kB", re.M)


def high_water_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            m = _HWM.search(f.read())
    except OSError:  # the process has gone
        return 0
    return int(m.group(1)) if m else 0


def main() -> int:
    out, cmd = sys.argv[1], sys.argv[2:]
    proc = subprocess.Popen(cmd)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, high_water_kb(proc.pid))
        time.sleep(POLL_S)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"rc": proc.returncode, "peak_kb": peak}, f)
    rc = proc.returncode
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main())
