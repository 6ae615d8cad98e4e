"""How many cores this process may use (shared by the ingest workers and the embedder)."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """Cores this process may use (cgroup/affinity aware), at least one."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
