"""The composition root: builds the store, profiles, thread pools and window, and runs them."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QEvent, QObject, QThread, QThreadPool, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from yongju.core.errors import YongjuError
from yongju.core.logs import StoreLog, open_store_log
from yongju.core.paths import AppPaths
from yongju.core.profiles import ProfileSet, load_profiles
from yongju.core.resources import resource_path
from yongju.core.store.changes import ChangeCounter
from yongju.core.store.folder import DB_NAME
from yongju.core.store.lazy import LazyStore
from yongju.ui.common.error_reporter import ErrorReporter
from yongju.ui.common.settings import Settings
from yongju.ui.common.single_instance import (
    InstanceServer,
    open_file_events,
    send_to_running,
    server_name,
)
from yongju.ui.common.tasks import TaskRunner
from yongju.ui.documents.import_flow import ImportFlow
from yongju.ui.documents.thumbnails import ThumbnailProvider
from yongju.ui.editing.commands import StoreWriter, make_stack
from yongju.ui.editing.editor import Editor
from yongju.ui.export.flow import ExportFlow
from yongju.ui.watching.controller import WatchController
from yongju.ui.watching.status import WatchStatus
from yongju.ui.window.backup_flow import BackupFlow
from yongju.ui.window.document_actions import DocumentActions
from yongju.ui.window.drop_router import DropRouter
from yongju.ui.window.main_window import APP_TITLE, MainWindow
from yongju.ui.window.wiring import wire
from yongju.ui.window.workspace import Workspace

if TYPE_CHECKING:
    from yongju.core.backup import RestoredBackup
    from yongju.core.store import Store
    from yongju.ui.common.i18n import Translations
    from yongju.ui.common.theme import Theme
    from yongju.ui.details.panel import DetailsPanel
    from yongju.ui.preview.panel import DocumentPreview
    from yongju.ui.reading.controller import BackgroundRecogniser
    from yongju.ui.window.reading_wiring import ReadingWiring

APP_NAME = "Yongju"
DESKTOP_FILE = "io.github.yongju.Yongju"
READING_DELAY_MS = 1500  # after the first load is on screen, before pending documents are read
PAINT_WAIT_MS = 2000  # work waiting for the first screen's paint waits no longer than this
GUI_SWITCH_INTERVAL_S = 0.001  # see run_gui


class Stoppable(Protocol):
    """A piece the composition stops when it shuts down."""

    def shutdown(self) -> None: ...


@dataclass
class Composition:
    """Everything one run built, so that it can be shown, driven by tests and shut down."""

    paths: AppPaths
    store: Store
    profiles: ProfileSet
    runner: TaskRunner
    read_pool: QThreadPool
    write_pool: QThreadPool
    settings: Settings
    reporter: ErrorReporter
    workspace: Workspace
    editor: Editor
    imports: ImportFlow
    window: MainWindow
    watch: WatchController
    log: StoreLog
    extras: list[Stoppable] = field(default_factory=list)
    reading: ReadingWiring | None = None  # background reading, proposals, text search
    restored: RestoredBackup | None = None  # a verified backup to replace the (empty) store
    _closed: bool = False

    def shutdown(self) -> None:
        """Stops background work and closes the store (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        for extra in self.extras:
            extra.shutdown()
        self.workspace.stop_watching()
        self.runner.shutdown()
        self.window.documents.close()
        self.store.close()
        self.log.close()


def _pools() -> tuple[QThreadPool, QThreadPool]:
    read_pool = QThreadPool()
    read_pool.setMaxThreadCount(max(2, min(4, QThread.idealThreadCount())))
    write_pool = QThreadPool()
    write_pool.setMaxThreadCount(1)  # store writes stay ordered, and SQLite has one writer
    return read_pool, write_pool


def _preview(store: Store, runner: TaskRunner) -> DocumentPreview:
    from yongju.ui.preview.panel import DocumentPreview

    return DocumentPreview(store, runner)


def _details() -> DetailsPanel:
    from yongju.ui.details.panel import DetailsPanel

    return DetailsPanel()


def compose(
    paths: AppPaths,
    *,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    settings: Settings | None = None,
    theme: Theme | None = None,
    make_recogniser: Callable[[], BackgroundRecogniser] | None = None,
    profiles: ProfileSet | None = None,
) -> Composition:
    """Builds every piece and hands each what it needs; nothing reaches for globals.

    ``profiles``: already loaded (``run_gui`` reads them while Qt starts), else read here.
    """
    # Checked now, as Store.open checks it; SQLAlchemy is loaded once the first screen shows.
    # A LazyStore answers as the Store does: what it does not read itself is the Store's.
    store = cast("Store", LazyStore.open(paths.store))
    log = open_store_log(store.log_dir)  # the same setup as the command line's
    changes = ChangeCounter(store.folder / DB_NAME)
    profiles = profiles or load_profiles(resource_path("profiles"), paths.user_profiles)
    read_pool, write_pool = _pools()
    reporter = ErrorReporter(log.log_file)
    runner = TaskRunner(read_pool, write_pool, report_error=reporter.report)
    settings = settings or Settings(paths.config / "yongju.ini")
    workspace = Workspace(store, profiles, runner, reporter.report)
    # The first load starts now, on a worker, while the widgets are built; its result is
    # shown once the event loop runs, when everything below is connected.
    workspace.case_id = settings.last_case()
    workspace.watch_store(changes)
    workspace.refresh()
    stack = make_stack()
    writer = StoreWriter(store, runner, workspace.refresh, reporter.report)
    editor = Editor(stack, writer)

    imports = ImportFlow(
        store,
        workspace.suggestion_keywords,
        runner,
        lambda target, ids: router.file_imported(target, ids),  # the router comes next
        workspace.refresh,
        workspace.add_to_inbox,
        settings=settings,
    )
    imports.set_shown(workspace.note_own_changes)
    watch = WatchController(store, profiles, runner, settings, workspace.refresh)
    router = DropRouter(workspace, editor, imports)
    thumbnails = ThumbnailProvider(store, runner)
    window = MainWindow(
        workspace=workspace,
        profiles=profiles,
        settings=settings,
        runner=runner,
        editor=editor,
        imports=imports,
        router=router,
        documents=DocumentActions(store, editor, router, open_url),
        thumbnails=thumbnails,
        preview=_preview(store, runner),
        details=_details(),
        export=ExportFlow(
            store,
            profiles,
            runner,
            settings,
            reporter,
            lambda: workspace.current_checklist,
            workspace.refresh,
            open_url,
        ),
        backup=BackupFlow(store, runner, settings, reporter),
        watch=watch,
        watch_status=WatchStatus(watch),
        theme=theme,
        open_url=open_url,
    )
    wire(window)
    stack.setParent(window)
    if profiles.problems:
        window.show_profile_problems(profiles.problems, reporter)
    crash = log.crash
    if crash is not None:
        QTimer.singleShot(0, lambda: reporter.tell_crash(crash))
    reporter.set_window(window)
    imports.set_window(window)
    composition = Composition(
        paths,
        store,
        profiles,
        runner,
        read_pool,
        write_pool,
        settings,
        reporter,
        workspace,
        editor,
        imports,
        window,
        watch,
        log,
        [watch],
    )
    from yongju.ui.window.reading_wiring import ReadingWiring

    composition.reading = ReadingWiring(
        window, store, profiles, runner, reporter.report, write_pool, make_recogniser
    )
    composition.extras.append(composition.reading)
    window.backup.reopen = lambda restored: _restore_pending(composition, restored)
    return composition


def _restore_pending(composition: Composition, restored: RestoredBackup) -> None:
    """Restore… has verified the backup: the window closes, and ``run_gui`` reopens it."""
    composition.restored = restored
    composition.window.close()


def reopen_after_restore(
    old: Composition,
    *,
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    settings: Settings | None = None,
    theme: Theme | None = None,
) -> Composition:
    """Shuts the old pieces, puts the restored store in place and builds everything again.

    Nothing of this process holds the store while its folder is swapped. The options are
    :func:`compose`'s (the same settings and theme as before).
    """
    from yongju.core.backup import install_restored
    from yongju.ui.window.backup_flow import restored_message

    restored = old.restored
    if restored is None:
        raise ValueError("no verified backup is waiting to be restored")
    old.shutdown()
    try:
        install_restored(restored, old.paths.store)
    except (YongjuError, OSError) as exc:
        import shutil

        shutil.rmtree(restored.folder, ignore_errors=True)
        message = str(exc)
    else:
        message = restored_message(restored)
    new = compose(old.paths, open_url=open_url, settings=settings, theme=theme)
    new.window.show_message(message)
    QTimer.singleShot(0, lambda: new.reporter.show_message(message))
    return new


def _app_icon() -> QIcon:
    icon = QIcon()
    folder = resource_path("icons", "app")
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix in (".svg", ".png"):
                icon.addFile(str(path))
    return icon


def _application(argv: Sequence[str]) -> QApplication:
    QGuiApplication.setApplicationName(APP_NAME)
    QGuiApplication.setApplicationDisplayName(APP_TITLE)  # window titles end with it
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)
    app = QApplication([sys.argv[0] if sys.argv else "yongju"])
    app.setWindowIcon(_app_icon())
    return app


def _look(app: QApplication, settings: Settings) -> tuple[Translations, Theme]:
    """Language, fonts (the shipped CJK fallback) and palette, before any widget exists."""
    from yongju.ui.common.fonts import install_fonts
    from yongju.ui.common.i18n import Translations
    from yongju.ui.common.theme import Theme, ThemeMode

    translations = Translations(app, settings.language())
    install_fonts(app)
    mode = settings.theme() if settings.theme() in set(ThemeMode) else ThemeMode.SYSTEM
    return translations, Theme(app, ThemeMode(mode))


def _bring_files(composition: Composition, files: list[str]) -> None:
    """Files from a second launch: imported like a drop on the inbox; the window comes up."""
    if files:
        composition.imports.start(files)
    window = composition.window
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()


def _profiles_meanwhile(paths: AppPaths) -> Callable[[], ProfileSet]:
    """Starts reading the profiles on a thread of their own; the result waits for the caller.

    Reading TOML is pure Python; Qt's start-up (the display, fonts, translations) runs with
    the interpreter lock released, so on a second core the two overlap.
    """
    done: dict[str, ProfileSet | BaseException] = {}

    def read() -> None:
        try:
            done["profiles"] = load_profiles(resource_path("profiles"), paths.user_profiles)
        except BaseException as exc:  # handed to the caller, raised there
            done["error"] = exc

    thread = threading.Thread(target=read, name="profiles", daemon=True)
    thread.start()

    def result() -> ProfileSet:
        thread.join()
        found = done["profiles"] if "profiles" in done else done["error"]
        if isinstance(found, BaseException):
            raise found
        return found

    return result


def run_gui(argv: Sequence[str], paths: AppPaths) -> int:
    """Opens the window (importing the files in ``argv``) and runs until it closes."""
    # Each Qt call made from Python lets go of the interpreter's lock; taking it back waits
    # until a background thread (thumbnails, an import) hands it over, at most the switch
    # interval (5 ms by default), which a paint of many calls paid many times over: the
    # window stalled 36-55 ms during a 200-file import, 21-26 ms with 1 ms.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    profiles = _profiles_meanwhile(paths)
    app = _application(argv)
    files = [str(Path(a).absolute()) for a in argv]
    name = server_name(paths.store)
    if send_to_running(name, files):
        return 0  # the running window imports them and comes to the front
    settings = Settings(paths.config / "yongju.ini")
    translations, theme = _look(app, settings)
    try:
        composition = compose(paths, settings=settings, theme=theme, profiles=profiles())
    except YongjuError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    current = [composition]  # replaced when Restore… reopens the store
    server = InstanceServer(name)
    server.files_received.connect(lambda more: _bring_files(current[0], more))
    opened = open_file_events(app)
    if opened is not None:
        opened.files_received.connect(lambda more: _bring_files(current[0], more))
    try:
        status = _run(app, composition, files)
        while current[0].restored is not None:
            try:
                current[0] = reopen_after_restore(current[0], settings=settings, theme=theme)
            except YongjuError as exc:
                QMessageBox.critical(None, APP_NAME, str(exc))
                return 1
            status = _run(app, current[0], [])
    finally:
        server.shutdown()
        del translations, theme
    return status


def _after_first_load(workspace: Workspace, then: Callable[[], None]) -> None:
    """Calls ``then`` a moment after the workspace has shown its first load."""

    def once() -> None:
        workspace.refreshed.disconnect(once)
        QTimer.singleShot(READING_DELAY_MS, then)

    workspace.refreshed.connect(once)


class _AfterPaint(QObject):
    """Calls ``then`` once ``widget`` has painted and the event loop is free again.

    (A zero timer alone would fire before the paint.) Should no paint come, as for a window
    that starts minimised, ``then`` runs after ``PAINT_WAIT_MS`` all the same.
    """

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        widget.update()  # a paint is sure to follow
        QTimer.singleShot(PAINT_WAIT_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.parent() is watched:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fire)  # after this paint, not before it
        return False

    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self.deleteLater()
            then()


def _after_first_screen(composition: Composition) -> None:
    """Work that waits until the first load is painted: it would only slow that paint.

    Worker threads share the interpreter lock with the GUI thread, and every paint calls
    into Python (item models, delegates) many times. Waiting: the load that makes the inbox
    suggestions the quick first load left out, SQLAlchemy and the ``Store`` (until then the
    first screen's reads were plain ``sqlite3``, ``core.store.lazy``; anything needing the
    store earlier waits for it on its worker), the thumbnails (the first render loads Pillow
    and PDFium) and tidying their cache.
    """
    store, workspace = composition.store, composition.workspace
    viewport = composition.window.inbox.view.viewport()

    def after_paint(work: Callable[[], None]) -> None:
        _AfterPaint(viewport, work)

    workspace.start_follow_up = after_paint

    thumbnails = composition.window.thumbnails
    thumbnails.hold()

    def painted() -> None:
        workspace.start_follow_up = lambda load: load()
        if isinstance(store, LazyStore) and not store.loaded:
            # What the load made lives as long as the window: out of the collector's way too.
            composition.runner.read(
                "open the store", lambda _ctx: store.load(), on_result=lambda _: gc.freeze()
            )
        thumbnails.resume()  # after the store's load in the read threads' queue
        # Renders of earlier sessions stay within their disk budget (this loads the renderer).
        thumbnails.tidy()

    def once() -> None:
        workspace.refreshed.disconnect(once)
        _AfterPaint(viewport, painted)

    workspace.refreshed.connect(once)


def _run(app: QApplication, composition: Composition, files: list[str]) -> int:
    """Shows the window and runs the event loop until it closes; then shuts everything."""
    sys.excepthook = composition.reporter.excepthook
    window = composition.window
    window.show()
    # What start-up built lives as long as the window: freezing it keeps it out of the
    # collector's full passes, which otherwise hold the interpreter lock for tens of ms
    # while a worker refreshes thousands of records (measured by benchmarks/bench_gui.py).
    gc.freeze()
    if files:
        composition.imports.start(files)
    composition.watch.resume()
    # Documents left pending last time are read once the window shows the store: reading
    # (recognition on both cores) must not delay the first load on a store of thousands.
    if composition.reading is not None:
        _after_first_load(composition.workspace, composition.reading.controller.start)
    _after_first_screen(composition)
    if os.environ.get("YONGJU_SMOKE_TEST") == "1":

        def smoke() -> None:
            if window.isVisible():  # once: at the first load's paint, or at the bound
                print("yongju: smoke test: window shown", flush=True)
                window.close()

        def shown() -> None:  # once the first load is painted: no guessed delay to wait out
            composition.workspace.refreshed.disconnect(shown)
            _AfterPaint(window, smoke)

        composition.workspace.refreshed.connect(shown)
        QTimer.singleShot(PAINT_WAIT_MS, smoke)  # a first load that fails still ends the run
    try:
        return int(app.exec())
    finally:
        sys.excepthook = sys.__excepthook__
        composition.shutdown()
