"""Entry point: ``yongju`` and ``python -m yongju`` (the window, or a command)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Runs a command when one is given, otherwise opens the window."""
    import multiprocessing

    # In a frozen bundle, the worker that reads untrusted files (core.sandbox) is this same
    # program started again (the reading worker too): this runs the worker instead of the
    # program (a no-op otherwise).
    multiprocessing.freeze_support()
    from yongju.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
