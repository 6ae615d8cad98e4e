"""Several server processes on one port, each listening on its own socket (SO_REUSEPORT).

uvicorn's own `workers` share one listening socket: the process that wakes first accepts a
burst of new connections, and with keep-alive clients one process ends up serving nearly all
of them (measured with benchmarks/load_web.py: one worker at 100% CPU, the other idle, no gain
over one process). With SO_REUSEPORT each process has its own listening socket and the kernel
spreads incoming connections over them.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
from multiprocessing.connection import wait
from typing import Any

import uvicorn

from wiretrace.web.app import create_app
from wiretrace.web.heap import settle_heap


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def _worker(settings: dict[str, Any], host: str, port: int) -> None:
    sock = _listen(host, port)
    app = create_app(**settings)
    settle_heap()
    config = uvicorn.Config(app, log_level="info", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(settings: dict[str, Any], host: str, port: int, workers: int) -> int:
    """Run `workers` server processes until one stops or this process is told to stop; the
    exit code of the first worker to stop (0 after SIGTERM/SIGINT)."""
    if not hasattr(socket, "SO_REUSEPORT"):
        raise OSError("several workers need SO_REUSEPORT (Linux, macOS, BSD)")
    # Fresh interpreters: a fork would copy this process's DuckDB and thread state.
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(settings, host, port), daemon=True)
        for _ in range(workers)
    ]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn shuts down gracefully

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for process in processes:
            process.start()
        wait([p.sentinel for p in processes])
        told_to_stop = stopping
        first = next(p for p in processes if not p.is_alive())
        stop(signal.SIGTERM, None)
        for process in processes:
            process.join(timeout=30)
        return 0 if told_to_stop else (first.exitcode or 0)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
