"""One window per user and store: a second launch hands its files to the running window."""

from __future__ import annotations

import getpass
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_MS = 1000
ANSWER_MS = 5000
_MAX_MESSAGE = 1 << 20  # a list of paths, not a file


def server_name(store: Path) -> str:
    """``yongju-`` and 16 hex digits of SHA-256 of "<user>:<resolved store folder>"."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    digest = hashlib.sha256(f"{user}:{Path(store).resolve()}".encode()).hexdigest()
    return f"yongju-{digest[:16]}"


def send_to_running(name: str, files: Sequence[str]) -> bool:
    """True when a running Yongju took the files (it answers "ok")."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(json.dumps({"files": list(files)}).encode() + b"\n")
    socket.flush()
    answer = b""
    while b"\n" not in answer and socket.waitForReadyRead(ANSWER_MS):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answer.strip() == b"ok"


class InstanceServer(QObject):
    """Listens for later launches; each message becomes ``files_received``."""

    files_received = Signal(list)  # list[str], maybe empty: "show yourself"

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(name)  # one left behind by a crash
        self.listening = self._server.listen(name)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def shutdown(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > _MAX_MESSAGE:
            socket.abort()
            return
        self._buffers[socket] = data
        if b"\n" not in data:
            return
        files = _parse(data.split(b"\n", 1)[0])
        socket.write(b"ok\n" if files is not None else b"bad\n")
        socket.flush()
        socket.disconnectFromServer()
        if files is not None:
            self.files_received.emit(files)


def _parse(line: bytes) -> list[str] | None:
    """The paths of a well-formed message; anything else is ignored (never trusted further)."""
    try:
        message = json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    files = message.get("files") if isinstance(message, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return files


class FileOpenFilter(QObject):
    """macOS hands "Open with Yongju" files to the app as events, not on the command line."""

    files_received = Signal(list)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QFileOpenEvent) and event.file():
            self.files_received.emit([event.file()])
            return True
        return False


def open_file_events(app: QCoreApplication) -> FileOpenFilter | None:
    """On macOS, a filter on the whole application that turns "Open with Yongju" events into
    ``files_received``; elsewhere None. Those events come only there, and a Python filter on
    the application sees every event of the window: each one then waits for Python's lock,
    which an import's threads hold for milliseconds at a time (a 200-file import stalled the
    window by tens of milliseconds that way)."""
    if sys.platform != "darwin":
        return None
    opened = FileOpenFilter(app)
    app.installEventFilter(opened)
    return opened
