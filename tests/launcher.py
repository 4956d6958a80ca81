"""Yongju processes for tests at the cost of a fork, not of an interpreter's start-up.

The tests that kill, race or limit a real process (``yongju export`` killed at a random
moment, three processes creating one store) started ``python -m yongju`` or ``python -c``
dozens of times, and each start spent about 1.5 s of CPU importing SQLAlchemy and the
package before doing anything (a kill in that time also proved nothing). A ``Launcher`` is one
server process, started once per test process, that has imported all of that; each
``popen`` forks it, and the child runs the command exactly as the interpreter would
(``-m`` through ``runpy`` with ``__main__`` replaced, ``-c`` in a fresh ``__main__``), with
the caller's environment, folder, standard streams, session and resource limits, then ends
as the interpreter would. The child is a real process: its own pid, killed by
a real signal, its exit status reported as ``subprocess`` reports it. It ends as the
interpreter ends (threads joined, ``atexit`` run, streams flushed, the same status), short
of tearing its modules down (see ``_run``).

The server never starts a thread, so forking it is safe; the modules it loads start none.
What a child shares with its siblings and a fresh interpreter would not: the hash seed of
``str`` (set iteration order), nothing else that a test here looks at (``random`` reseeds
itself after a fork; multiprocessing's key is made anew below).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, NoReturn

ROOT = Path(__file__).resolve().parents[1]
# What ``python -m yongju COMMAND`` imports before it works, and what the tests' scripts use.
PRELOAD = (
    "sqlalchemy",
    "alembic.command",
    "alembic.config",
    "yongju.cli",
    "yongju.cli.context",
    "yongju.core.store",
    "yongju.core.importing",
    "yongju.core.doctor",
    "yongju.core.backup",
    "yongju.core.packet",
    "yongju.cli.export",  # and what an export loads on its way: the PDF and font libraries
    "yongju.core.packet.case",
    "yongju.core.packet.cover",
    "fpdf",
    "fontTools.subset",
    "pypdf",
    "yongju.core.sandbox",
    "tests.samples",
)
_LENGTH = struct.Struct("!I")
_SOCKET_ENV = "YONGJU_LAUNCHER_SOCKET"


class Launcher:
    """Starts processes from one pre-loaded server (see the module's docstring)."""

    def __init__(self) -> None:
        self._folder = tempfile.mkdtemp(prefix="yongju-launcher-")
        self._address = os.path.join(self._folder, "socket")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "desktop"), str(ROOT)]),
            _SOCKET_ENV: self._address,
            # numpy (which fpdf2 loads) starts an OpenBLAS thread per core unless told not to
            "OPENBLAS_NUM_THREADS": "1",
        }
        self._server = subprocess.Popen(
            [sys.executable, "-c", "import tests.launcher as l; l._run(l._serve())"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert self._server.stdout is not None
        if self._server.stdout.readline() != b"ready\n":
            raise RuntimeError("the launcher's server did not start")

    def close(self) -> None:
        """Ends the server (children still running go on; each test waits for its own)."""
        assert self._server.stdin is not None and self._server.stdout is not None
        self._server.stdin.close()
        self._server.wait(timeout=60)
        self._server.stdout.close()
        with contextlib.suppress(OSError):
            os.unlink(self._address)
            os.rmdir(self._folder)

    def popen(
        self,
        args: list[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        stdin: int | IO[Any] | None = None,
        stdout: int | IO[Any] | None = None,
        stderr: int | IO[Any] | None = None,
        text: bool = False,
        errors: str | None = None,
        start_new_session: bool = False,
        rlimits: Mapping[int, tuple[int, int]] | None = None,
        ordinary_user: bool = False,
    ) -> Child:
        """``subprocess.Popen(args, ...)`` for ``args`` = ``[sys.executable, "-m" or "-c",
        ...]``; ``rlimits`` (``resource.RLIMIT_*`` to soft and hard) are set in the child;
        ``ordinary_user`` takes from a child run as root its power to read and search
        whatever the modes say (see ``_as_an_ordinary_user``)."""
        if args[0] != sys.executable or args[1] not in ("-m", "-c"):
            raise ValueError(f"not a Python command this launcher runs: {args[:2]}")
        ours: list[int | None] = [None, None, None]  # our ends of the pipes
        theirs: list[int] = []
        for number, wanted in enumerate((stdin, stdout, stderr)):
            if wanted == subprocess.PIPE:
                read, write = os.pipe()
                ours[number], child_end = (write, read) if number == 0 else (read, write)
                theirs.append(child_end)
            elif wanted == subprocess.DEVNULL:
                theirs.append(os.open(os.devnull, os.O_RDWR))
            elif wanted is None:
                theirs.append(os.dup(number))
            elif isinstance(wanted, int):
                theirs.append(os.dup(wanted))
            else:
                theirs.append(os.dup(wanted.fileno()))
        request = {
            "args": list(args[1:]),
            "env": dict(os.environ if env is None else env),
            "cwd": str(cwd or os.getcwd()),
            "session": start_new_session,
            "rlimits": dict(rlimits or {}),
            "ordinary_user": ordinary_user,
        }
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(self._address)
            data = pickle.dumps(request)
            socket.send_fds(conn, [_LENGTH.pack(len(data)) + data], theirs)
            pid = _LENGTH.unpack(_receive(conn, _LENGTH.size))[0]
        except BaseException:
            conn.close()
            for fd in ours:
                if fd is not None:
                    os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        return Child(pid, conn, ours, text=text, errors=errors)

    def run(
        self,
        args: list[str],
        *,
        capture_output: bool = False,
        timeout: float | None = None,
        check: bool = False,
        **kwargs: Any,
    ) -> subprocess.CompletedProcess[Any]:
        """``subprocess.run`` through ``popen``."""
        if capture_output:
            kwargs.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        child = self.popen(args, **kwargs)
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise
        assert child.returncode is not None
        done = subprocess.CompletedProcess(args, child.returncode, out, err)
        if check:
            done.check_returncode()
        return done


class Child:
    """A process started by a ``Launcher``: the part of ``subprocess.Popen`` tests use."""

    def __init__(
        self,
        pid: int,
        conn: socket.socket,
        pipes: list[int | None],
        *,
        text: bool,
        errors: str | None,
    ) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._conn = conn  # the server writes the exit status here, then closes it
        files: list[IO[Any] | None] = []
        for number, fd in enumerate(pipes):
            if fd is None:
                files.append(None)
            elif text:
                mode = "w" if number == 0 else "r"
                files.append(open(fd, mode, encoding="utf-8", errors=errors))  # noqa: SIM115
            else:
                files.append(open(fd, "wb" if number == 0 else "rb"))  # noqa: SIM115
        self.stdin, self.stdout, self.stderr = files

    def poll(self) -> int | None:
        """The exit status if the process has ended, else None."""
        return self.wait(timeout=0) if self._ended(0) else None

    def wait(self, timeout: float | None = None) -> int:
        """Waits for the end; ``subprocess.TimeoutExpired`` after ``timeout`` seconds."""
        if self.returncode is None:
            if not self._ended(timeout):
                raise subprocess.TimeoutExpired(f"process {self.pid}", timeout or 0)
            self.returncode = _LENGTH.unpack(_receive(self._conn, _LENGTH.size))[0] - (1 << 31)
            self._conn.close()
        return self.returncode

    def communicate(self, timeout: float | None = None) -> tuple[Any, Any]:
        """Reads stdout and stderr to their ends, then waits (as ``Popen.communicate``)."""
        if self.stdin is not None:
            self.stdin.close()
        readers = [f for f in (self.stdout, self.stderr) if f is not None]
        results: dict[int, Any] = {}
        threads = [
            threading.Thread(target=lambda f=f: results.__setitem__(id(f), f.read()), daemon=True)
            for f in readers
        ]
        for thread in threads:
            thread.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                raise subprocess.TimeoutExpired(f"process {self.pid}", timeout or 0)
        for f in readers:
            f.close()
        self.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return (
            results.get(id(self.stdout)) if self.stdout else None,
            results.get(id(self.stderr)) if self.stderr else None,
        )

    def send_signal(self, number: int) -> None:
        """Signals the process, unless it has already been seen to end."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _ended(self, timeout: float | None) -> bool:
        # The server holds the pid unreaped until it writes the status: the pid stays ours.
        with selectors.DefaultSelector() as selector:
            selector.register(self._conn, selectors.EVENT_READ)
            return bool(selector.select(timeout))


def _receive(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the launcher's server went away")
        data += chunk
    return data


# ---------------------------------------------------------------- the server, and its children
def _serve() -> dict[str, Any]:
    """The server's loop; returns only in a child, with the request it is to run."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    # The packet's fonts, read once a process (0.8 s of CPU): read here, once, not in every
    # export a test starts (and kills).
    from yongju.core.packet.typesetting import close_fonts, new_pdf

    close_fonts(new_pdf())
    # A child's collections, and the full one at its exit, would otherwise walk every
    # preloaded object, each write a copy-on-write fault: 0.8 s of a child's exit, most of a
    # short command's cost. Frozen, the collector leaves them alone (reference counting still
    # frees what a child drops; a cycle of them it drops stays until the child ends).
    gc.freeze()
    # Forking a threaded process can deadlock the child; native threads count too.
    if threading.active_count() != 1 or len(os.listdir("/proc/self/task")) != 1:
        raise RuntimeError(f"a preloaded module started a thread: {threading.enumerate()}")
    # The reading sandbox's fork server, started once here (it starts no thread in this
    # process): a command that reads files forks its workers from it, instead of starting its
    # own (a fresh interpreter loading PDFium, qpdf and Pillow: 0.4 s of CPU, each command).
    from yongju.core.sandbox import worker_context

    worker_context()
    multiprocessing.forkserver.ensure_running()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(os.environ.pop(_SOCKET_ENV))
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin, selectors.EVENT_READ, "parent")
    children: dict[int, tuple[int, socket.socket]] = {}  # pidfd: (pid, connection)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        for key, _events in selector.select():
            if key.data == "parent":  # the test process has closed our stdin: done
                for pidfd, (pid, conn) in children.items():
                    os.waitpid(pid, os.WNOHANG)
                    conn.close()
                    os.close(pidfd)
                sys.exit(0)
            if key.data == "accept":
                conn, _ = listener.accept()
                request = _request(conn)
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    listener.close()
                    for pidfd, (_pid, other) in children.items():
                        os.close(pidfd)
                        other.close()
                    conn.close()
                    return request
                for fd in request["fds"]:
                    os.close(fd)
                pidfd = os.pidfd_open(pid)
                children[pidfd] = (pid, conn)
                selector.register(pidfd, selectors.EVENT_READ, "child")
                conn.sendall(_LENGTH.pack(pid))
            else:  # a child ended: its status goes to whoever started it
                pidfd = key.fd
                selector.unregister(pidfd)
                pid, conn = children.pop(pidfd)
                _, status = os.waitpid(pid, 0)
                os.close(pidfd)
                with contextlib.suppress(OSError):
                    conn.sendall(_LENGTH.pack(os.waitstatus_to_exitcode(status) + (1 << 31)))
                conn.close()


def _request(conn: socket.socket) -> dict[str, Any]:
    data, fds, _flags, _ = socket.recv_fds(conn, 1 << 20, 3)
    (length,) = _LENGTH.unpack(data[: _LENGTH.size])
    body = data[_LENGTH.size :]
    while len(body) < length:
        body += _receive(conn, length - len(body))
    request: dict[str, Any] = pickle.loads(body)
    request["fds"] = fds
    return request


def _run(request: dict[str, Any]) -> NoReturn:
    """In the forked child: runs the request's command and ends as ``Py_FinalizeEx`` ends a
    process (threads joined, then ``atexit``, then the streams flushed; the exit status of an
    uncaught exception, a ``SystemExit`` or a Ctrl+C), without tearing the modules down.

    Freeing the server's preloaded modules wrote to every page they are on, each a
    copy-on-write fault: 0.16 s of a child's 0.19 s of CPU for a command that does nothing
    (18,500 faults), some 5 s over a run of the suite. The tests that start a fresh
    interpreter (``python -m yongju`` in test_cli, test_importing, test_doctor, test_app)
    still go through a whole teardown.
    """
    status, interrupted = 0, False
    try:
        _become(request)
    except SystemExit as exc:
        status = _exit_status(exc.code)
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())
        status, interrupted = 1, True
    except BaseException:
        sys.excepthook(*sys.exc_info())
        status = 1
    try:
        threading._shutdown()  # type: ignore[attr-defined]  # what the interpreter calls
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        if interrupted:  # as CPython reports an uncaught Ctrl+C: killed by SIGINT
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        os._exit(status)


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` gives a process (a message is printed, status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    with contextlib.suppress(Exception):
        print(code, file=sys.stderr)
    return 1


def _become(request: dict[str, Any]) -> None:
    """In the forked child: takes on the request's process state, then runs its command."""
    if request["session"]:
        os.setsid()
    _fork_server(shared=not (request["session"] or request["rlimits"] or request["ordinary_user"]))
    if request["rlimits"]:
        import resource

        for kind, limits in request["rlimits"].items():
            resource.setrlimit(kind, limits)
    for number, fd in enumerate(request["fds"]):
        os.dup2(fd, number)
        os.close(fd)
    os.chdir(request["cwd"])
    if request["ordinary_user"]:
        _as_an_ordinary_user()
    multiprocessing.current_process().authkey = os.urandom(32)  # as a new process's own
    os.environ.clear()
    os.environ.update(request["env"])
    _standard_streams(unbuffered=bool(os.environ.get("PYTHONUNBUFFERED")))
    flag, *rest = request["args"]
    if flag == "-m":
        import runpy

        sys.argv = [rest[0], *rest[1:]]
        runpy.run_module(rest[0], run_name="__main__", alter_sys=True)
    else:
        import types

        main = types.ModuleType("__main__")
        sys.modules["__main__"] = main
        sys.argv = ["-c", *rest[1:]]
        exec(compile(rest[0], "<string>", "exec"), main.__dict__)


def _fork_server(*, shared: bool) -> None:
    """The sandbox's workers come from the server's fork server, unless the child's own
    session, limits or powers are to hold for them too: then the command starts its own, as
    a command started by a shell does (its workers then share its session and limits)."""
    server: Any = multiprocessing.forkserver._forkserver
    if shared:  # the server's child: this process can use it, not wait for it
        server.ensure_running = lambda: None
        return
    os.close(server._forkserver_alive_fd)
    server._forkserver_address = server._forkserver_alive_fd = server._forkserver_pid = None


_CAPABILITY_VERSION_3 = 0x20080522
_PR_CAPBSET_DROP = 24
_OVERRIDES = (1, 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


def _as_an_ordinary_user() -> None:
    """What ``setpriv --bounding-set -dac_override,-dac_read_search`` gives the command it
    starts (Linux): without the capabilities that override file modes, in this process and
    in every program it starts, so that ``chmod 000`` means for root what it means for a user."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Sets(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint32) for name in ("effective", "permitted", "inheritable")]

    for capability in _OVERRIDES:  # what a program it starts could gain back
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")
    header, sets = Header(_CAPABILITY_VERSION_3, 0), (Sets * 2)()
    if libc.capget(ctypes.byref(header), sets) != 0:
        raise OSError(ctypes.get_errno(), "capget failed")
    keep = ~sum(1 << capability for capability in _OVERRIDES)
    for name in ("effective", "permitted", "inheritable"):
        setattr(sets[0], name, getattr(sets[0], name) & keep)
    if libc.capset(ctypes.byref(header), sets) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def _standard_streams(*, unbuffered: bool) -> None:
    """New sys.stdin/stdout/stderr over fds 0-2, made as the interpreter makes them."""

    def stream(fd: int, mode: str, errors: str, line_buffering: bool) -> io.TextIOWrapper:
        raw = io.FileIO(fd, mode, closefd=False)
        buffered: Any = raw if unbuffered and mode == "w" else None
        if buffered is None:
            buffered = io.BufferedWriter(raw) if mode == "w" else io.BufferedReader(raw)
        return io.TextIOWrapper(
            buffered,
            encoding=sys.stdout.encoding,
            errors=errors,
            line_buffering=line_buffering,
            write_through=unbuffered,
        )

    for old in (sys.stdout, sys.stderr):
        old.flush()
    interactive = os.isatty(1)
    sys.stdin = stream(0, "r", sys.stdin.errors or "strict", False)
    sys.stdout = stream(1, "w", sys.stdout.errors or "strict", interactive)
    sys.stderr = stream(2, "w", "backslashreplace", True)
