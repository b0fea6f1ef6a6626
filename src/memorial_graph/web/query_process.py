"""A query process: runs one query at a time, within limits, where it can be killed.

pyoxigraph evaluates a query in Rust without returning to Python, so neither signals nor
threads can interrupt it; a process can be killed. The query service (`query_service.py`)
forks a pool of these and kills one by PID when its query overruns the time limit or its
client hangs up, then forks a replacement. Each process:

- dies with the service (`PR_SET_PDEATHSIG`), so a killed server leaves no query running;
- may grow its address space by `memory_bytes` per query (`RLIMIT_AS`, set afresh before
  each job above what the process already holds, so a store loaded into memory before the fork
  does not count against it). An allocation past it fails: in Rust the process aborts with
  "memory allocation of N bytes failed" (the service reads that on its stderr and answers with
  a clear error), in Python it raises MemoryError, answered here;
- has a CPU-time limit (`RLIMIT_CPU`) just above the time limit, a backstop should the service
  ever fail to kill it;
- runs at a lower CPU priority (`nice`) than the web workers, so pages and documents keep
  their share of the cores while queries run;
- answers an engine panic (pyo3's PanicException, e.g. pyoxigraph 0.5.13 on
  `?X <p>* ?Y ORDER BY ?Y`) with a 500 that says so, logs the query, and exits to be replaced.
"""

from __future__ import annotations

import logging
import math
import os
import resource
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass

from ..processes import die_with_parent
from .query_wire import HeadFirstWriter, MessageReader, send_message

log = logging.getLogger(__name__)
REPLACE_EXIT = 70          # the exit status of a process that asks to be replaced


@dataclass(frozen=True)
class Limits:
    timeout: float                 # seconds of wall-clock time per query (the service kills)
    memory_bytes: int              # address space one query may add
    nice: int = 10                 # CPU priority below the web workers (0)


def default_signals() -> None:
    """The parent's handlers (granian's, the service's) must not run here."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1,
                signal.SIGCHLD):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (ValueError, OSError):
            pass


def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _limit_next_job(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS,
                       (_address_space() + limits.memory_bytes, resource.RLIM_INFINITY))
    soft = math.ceil(_cpu_seconds() + limits.timeout) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))


def _fail(writer: HeadFirstWriter, status: int, message: str, job: dict) -> None:
    if writer.reset():
        writer.prepare(status, {"Content-Type": "text/plain; charset=utf-8", "X-Error": "1",
                                **job.get("limits", {})})
        writer.write((message + "\n").encode())
        writer.finish()


def serve(ctl: socket.socket, handler: Callable[[dict, HeadFirstWriter], None],
          limits: Limits, parent: int) -> None:
    """The process's life: jobs from the service, each answered on the socket sent with it."""
    die_with_parent(parent)
    default_signals()
    os.environ["RUST_BACKTRACE"] = "0"      # an engine panic is logged in one line, not fifty
    try:
        os.nice(limits.nice)
    except OSError:
        pass
    reader = MessageReader(ctl)
    while True:
        message = reader.next()
        if message is None:
            return                          # the service is gone
        fd = reader.take_fd()
        if fd is None:
            continue
        job = message["job"]
        started = _cpu_seconds()
        replace = False
        writer = HeadFirstWriter(fd, message.get("fair_use"))
        try:
            _limit_next_job(limits)
            handler(job, writer)
            writer.finish()
        except (BrokenPipeError, ConnectionResetError):
            pass                            # the web worker stopped listening
        except MemoryError:
            replace = True
            _fail(writer, 503, f"the query needed more than the "
                               f"{limits.memory_bytes / (1 << 30):g} GiB of memory one query may "
                               f"use here and was stopped; narrow it or add a LIMIT", job)
        except BaseException as exc:  # noqa: BLE001 - PanicException is a BaseException
            if type(exc).__name__ != "PanicException":
                raise
            replace = True
            print(f"query engine failure ({exc}) on this query:\n{job.get('query')}",
                  file=sys.stderr, flush=True)
            _fail(writer, 500, f"the query engine failed on this query ({exc}); the failure "
                               f"has been logged with the query", job)
        finally:
            os.close(fd)
            resource.setrlimit(resource.RLIMIT_AS,
                               (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        try:
            send_message(ctl, {"op": "done", "id": message["id"],
                               "cpu": round(_cpu_seconds() - started, 4)})
        except OSError:
            return
        if replace:
            os._exit(REPLACE_EXIT)
