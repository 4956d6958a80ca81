"""The main window: case bar, checklist, inbox and slot grids, preview and details."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from yongju.core.profiles import ProfileProblem, ProfileSet

if TYPE_CHECKING:
    from yongju.ui.details.panel import DetailsPanel
    from yongju.ui.preview.panel import DocumentPreview
from yongju.ui.cases.bar import CaseBar
from yongju.ui.checklist.slot_rule import SlotRule
from yongju.ui.checklist.view import ChecklistView
from yongju.ui.common.error_reporter import ErrorReporter
from yongju.ui.common.settings import Settings
from yongju.ui.common.slot_text import counted, one_line_title, slot_message
from yongju.ui.common.state_icons import state_words
from yongju.ui.common.task_status import TaskStatus
from yongju.ui.common.tasks import TaskRunner
from yongju.ui.documents.grid import DocumentGrid
from yongju.ui.documents.import_flow import ImportFlow
from yongju.ui.documents.thumbnails import ThumbnailProvider
from yongju.ui.editing.editor import Editor
from yongju.ui.window.document_actions import DocumentActions
from yongju.ui.window.drop_router import DropRouter
from yongju.ui.window.menus import build_actions, build_menus
from yongju.ui.window.wiring import wire
from yongju.ui.window.workspace import Workspace

APP_TITLE = "Yongju 永居"  # also the application's display name (see app.py)


@dataclass
class WindowParts:
    """What the composition root hands the window; the window owns none of it."""

    store: Any
    profiles: ProfileSet
    runner: TaskRunner
    settings: Settings
    workspace: Workspace
    editor: Editor
    imports: ImportFlow
    router: DropRouter
    documents: DocumentActions
    thumbnails: ThumbnailProvider
    reporter: ErrorReporter
    preview: DocumentPreview
    details: DetailsPanel | None = None
    watch: Any = None  # WatchController
    watch_status: Any = None  # WatchStatus
    placeholder_icon: QIcon | None = None
    theme: Any = None  # Theme, when the palettes are in use
    open_url: Callable[[Any], Any] | None = None
    on_close: Callable[[], None] | None = None
    reopen: Callable[[Any], None] | None = None  # a verified backup is ready to become the store


class MainWindow(QMainWindow):
    """Lays out the parts and routes their signals; the work happens in the parts."""

    def __init__(self, parts: WindowParts) -> None:
        super().__init__()
        self.parts = parts
        self.workspace = parts.workspace
        self.show_case_title(None)
        self.setAcceptDrops(True)
        self.menu_actions = build_actions(self, parts.editor.stack)
        build_menus(self, self.menu_actions)
        self.case_bar = CaseBar(self.workspace.cases, parts.profiles)
        self.checklist = ChecklistView(self.workspace.checklist)
        self.inbox = DocumentGrid(self.tr("Inbox"), self.workspace.inbox)
        self.inbox.set_placeholder(
            self.tr("Drop scans and photos here, or use File ▸ Import Files…")
        )
        self.slot_grid = DocumentGrid(self.tr("Requirement"), self.workspace.slot_documents)
        self.slot_rule = SlotRule(dict(parts.profiles.sources))
        self.slot_grid.add_header(self.slot_rule)
        self.slot_rule.follow(self.slot_grid)
        self.task_status = TaskStatus(parts.runner)
        self.message = QLabel()
        self._splitters: dict[str, QSplitter] = {}
        self._build_layout()
        self._build_status_bar()
        self.selected: Any = None  # the GridItem shown in the preview
        self.selected_grid: Any = None  # the grid it is selected in
        self.export_dialog: Any = None  # the open export dialog, if any
        self.watch_panel: Any = None  # the watched folder's panel, once opened
        wire(self)
        self.show_slot(None)
        self._default_size()
        self._restore()

    # -- layout ------------------------------------------------------------------------
    def _default_size(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None:
            self.resize(1360, 860)
            return
        self.resize(min(1600, int(screen.width() * 0.96)), min(1000, int(screen.height() * 0.94)))

    def _splitter(self, name: str, orientation: Qt.Orientation, *widgets: QWidget) -> QSplitter:
        splitter = QSplitter(orientation)
        splitter.setObjectName(name)
        splitter.setChildrenCollapsible(False)
        for widget in widgets:
            splitter.addWidget(widget)
        self._splitters[name] = splitter
        return splitter

    def _build_layout(self) -> None:
        grids = self._splitter("grids", Qt.Orientation.Vertical, self.inbox, self.slot_grid)
        right: list[QWidget] = [self.parts.preview]
        if self.parts.details is not None:
            scroller = QScrollArea()  # the form may be taller than its pane; the page may not
            scroller.setWidget(self.parts.details)
            scroller.setWidgetResizable(True)
            scroller.setFrameShape(QFrame.Shape.NoFrame)
            right.append(scroller)
        side = self._splitter("side", Qt.Orientation.Vertical, *right)
        main = self._splitter("main", Qt.Orientation.Horizontal, self.checklist, grids, side)
        main.setStretchFactor(0, 4)
        main.setStretchFactor(1, 4)
        main.setStretchFactor(2, 4)
        main.setSizes([560, 440, 400])
        grids.setSizes([420, 380])
        side.setSizes([560, 300])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.case_bar)
        layout.addWidget(main, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.addWidget(self.message, 1)
        if self.parts.watch_status is not None:
            bar.addPermanentWidget(self.parts.watch_status)
        bar.addPermanentWidget(self.task_status)

    def show_case_title(self, case: Any) -> None:
        """The title bar names the case being worked on, then "Yongju 永居" once.

        The title ends in the application's display name, so Qt does not add it again.
        """
        what = self.tr("Permanent Residence Documents") if case is None else case.name
        self.setWindowTitle(f"{what} — {APP_TITLE}")

    def show_profile_problems(self, problems: Sequence[ProfileProblem]) -> None:
        """Names the requirement lists that did not load (the others work)."""
        lines = "\n".join(f"• {p.path.name}: {p.message}" for p in problems)
        self.show_message(self.tr("Some requirement lists could not be loaded."))
        text = self.tr("These requirement lists could not be loaded; the others work:")
        QTimer.singleShot(0, lambda: self.parts.reporter.show_message(f"{text}\n\n{lines}"))

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def show_arrivals(self, count: int) -> None:
        """Says how many documents the watched folder just brought (Qt's plural forms)."""
        text = self.tr("%n new document(s) from the watched folder are in the inbox.", "", count)
        self.show_message(counted(text, count))

    # -- the selected slot -------------------------------------------------------------
    def show_slot(self, status: Any) -> None:
        """Titles the slot grid after the selected slot, with its rule and state under it."""
        if status is None:
            self.slot_grid.set_title(self.tr("Requirement"), "")
            self.slot_rule.set_slot(None)
            self.slot_grid.set_placeholder(
                self.tr("Select a requirement on the left to see its documents.")
            )
            return
        slot = status.slot
        self.slot_grid.set_title(one_line_title(slot), "")
        self.slot_rule.set_slot(slot, state_words(status.state), slot_message(status))
        self.slot_grid.set_placeholder(
            self.tr("Drag documents from the inbox, or files from your computer, here.")
        )

    # -- settings ----------------------------------------------------------------------
    def _restore(self) -> None:
        settings = self.parts.settings
        geometry = settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)
        for name, splitter in self._splitters.items():
            saved = settings.splitter(name)
            if saved is not None:
                splitter.restoreState(saved)

    def save_settings(self) -> None:
        settings = self.parts.settings
        settings.save_window(self.saveGeometry(), self.saveState())
        for name, splitter in self._splitters.items():
            settings.set_splitter(name, splitter.saveState())
        settings.set_last_case(self.workspace.case_id)
        settings.sync()

    # -- files dropped anywhere else go to the inbox -----------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.parts.router.on_inbox(event.mimeData(), -1):
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        if self.parts.on_close is not None:
            self.parts.on_close()
        super().closeEvent(event)
