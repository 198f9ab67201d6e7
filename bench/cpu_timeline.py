#!/usr/bin/env python3
"""Cores a command keeps busy over time, sampled every 0.1 s from /proc (Linux only).

    python3 bench/cpu_timeline.py target/release/newsdex index DIR --index /tmp/x --threads 2 --quiet

Prints one figure per sample (user + system CPU seconds per wall second of the process and
the threads it owns; child processes are not counted), then the wall time. Idle stretches at
the start or end of an indexing run show the serial phases that cap 1 -> 2 thread scaling.
"""

import os
import subprocess
import sys
import time

INTERVAL = 0.1


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    started = time.monotonic()
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    samples = []
    last = 0.0
    while process.poll() is None:
        time.sleep(INTERVAL)
        try:
            now = cpu_seconds(process.pid)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            break
        samples.append((now - last) / INTERVAL)
        last = now
    process.wait()
    print(" ".join(f"{cores:.1f}" for cores in samples))
    print(f"wall {time.monotonic() - started:.2f} s, exit {process.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
