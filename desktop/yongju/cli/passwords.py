"""Passwords on the command line without showing them to other users.

Anything in a command's arguments is readable by every user of the computer (``ps``,
``/proc/PID/cmdline``), so a password is better typed at a prompt, read from a file or
taken from ``$YONGJU_PASSWORD``. ``--password VALUE`` keeps working, and its help says
what it exposes.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from yongju.cli.context import UsageError

ENV = "YONGJU_PASSWORD"
VISIBLE = "a value typed here is visible to other users of this computer (in `ps`)"
_ASK = "\0ask"  # --password given without a value


def add_packet_password(parser: argparse.ArgumentParser) -> None:
    """``--password [P]`` and ``--password-file FILE`` for a password that protects output."""
    parser.add_argument(
        "--password",
        nargs="?",
        const=_ASK,
        metavar="P",
        help=f"encrypt the packet (AES-256); with no value, the password comes from ${ENV} "
        f"or is asked for at the terminal; {VISIBLE}, so prefer the prompt or --password-file",
    )
    parser.add_argument(
        "--password-file",
        metavar="FILE",
        type=Path,
        help="encrypt the packet with the password on the first line of FILE",
    )


def packet_password(args: argparse.Namespace) -> str | None:
    """The password asked for, or None when the output is not to be encrypted."""
    given, file = args.password, args.password_file
    if given is not None and file is not None:
        raise UsageError("give either --password or --password-file, not both")
    if file is not None:
        lines = _read_lines(file)
        if not lines:
            raise UsageError(f"{file} holds no password on its first line")
        return lines[0]
    if given is None:
        return None
    if given != _ASK:
        if not given:
            raise UsageError("--password needs a non-empty password")
        return str(given)
    if os.environ.get(ENV):
        return os.environ[ENV]
    return _prompt()


def _prompt() -> str:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError(
            f"--password was given no value and there is no terminal to ask at; set ${ENV} "
            "or use --password-file FILE"
        )
    try:
        first = getpass.getpass("Password for the packet: ", stream=sys.stderr)
        if not first:
            raise UsageError("the password is empty; nothing was exported")
        if getpass.getpass("Repeat the password: ", stream=sys.stderr) != first:
            raise UsageError("the two passwords are not the same; nothing was exported")
    except EOFError:
        raise UsageError("no password was typed; nothing was exported") from None
    return first


def add_input_passwords(parser: argparse.ArgumentParser) -> None:
    """``--password P`` (repeatable) and ``--password-file FILE`` for encrypted inputs."""
    parser.add_argument(
        "--password",
        action="append",
        default=[],
        metavar="P",
        help=f"password of encrypted PDFs (may be given several times); {VISIBLE}, so "
        f"prefer --password-file or ${ENV}",
    )
    parser.add_argument(
        "--password-file",
        action="append",
        default=[],
        metavar="FILE",
        type=Path,
        help=f"passwords of encrypted PDFs, one a line (${ENV} is tried too)",
    )


def input_passwords(args: argparse.Namespace) -> tuple[str, ...]:
    """Every password to try on encrypted inputs, in the order given, without repeats."""
    found = list(args.password)
    for file in args.password_file:
        found += _read_lines(file)
    if os.environ.get(ENV):
        found.append(os.environ[ENV])
    return tuple(dict.fromkeys(p for p in found if p))


def _read_lines(file: Path) -> list[str]:
    try:
        text = file.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not text"
        raise UsageError(f"cannot read the password file {file}: {reason}") from None
    return [line.rstrip("\r") for line in text.split("\n") if line.rstrip("\r")]
