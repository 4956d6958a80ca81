"""tests/launcher.py's children end as a fresh interpreter ends: the same exit status, the
same output flushed, atexit run and threads joined, though their modules are not torn down."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.launcher import Launcher

ENDINGS = {
    "normal": "print('done')",
    "status": "import sys; print('out'); sys.exit(3)",
    "message": "import sys; sys.exit('no such case')",
    "exception": "print('before'); raise ValueError('bad input')",
    "ctrl-c": "raise KeyboardInterrupt",
    "unflushed": "import sys; sys.stdout.write('no newline'); sys.stderr.write('err')",
    "atexit": "import atexit; atexit.register(print, 'at exit')",
    # The thread ends only once the main thread has ended (no sleep that a loaded machine
    # could outlast): the process must still wait for it, then run atexit.
    "thread": (
        "import threading\n"
        "threading.Thread(target=lambda: (threading.main_thread().join(), print('joined'))).start()"
    ),
    "atexit after thread": (
        "import atexit, threading\n"
        "atexit.register(print, 'at exit')\n"
        "threading.Thread(target=lambda: (threading.main_thread().join(), print('joined'))).start()"
    ),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_child_ends_as_a_fresh_interpreter_does(ending: str, launcher: Launcher) -> None:
    args = [sys.executable, "-c", ENDINGS[ending]]
    # Buffered output, as a command's is when its output goes to a pipe or a file.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    fresh = subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)
    forked = launcher.run(args, capture_output=True, text=True, timeout=60, env=env)
    assert (forked.returncode, forked.stdout) == (fresh.returncode, fresh.stdout)
    # A traceback names the same lines; the rest of stderr is the same text.
    assert forked.stderr.splitlines()[-1:] == fresh.stderr.splitlines()[-1:]
