"""The CPU time spent by the server's workers, read from /proc (Linux).

Requests/s depend on whatever else the machine is doing; the CPU time a worker
spends per request hardly does. Both are reported, so that a run on a busy shared
machine still tells what each endpoint costs.
"""

import os
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The processes started by ``pid``: gunicorn's workers, for its master."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User and system time of one process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3 of stat(5), utime 14 and stime 15.
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def workers_cpu_seconds(master: int) -> float:
    """User and system time of all the workers of a gunicorn master so far."""
    return sum(cpu_seconds(worker) for worker in children(master))
