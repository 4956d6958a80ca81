"""The main window: case bar, checklist, inbox and slot grids, preview and details."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from yongju.core.profiles import ProfileProblem, ProfileSet

if TYPE_CHECKING:
    from yongju.ui.details.panel import DetailsPanel
    from yongju.ui.export.flow import ExportFlow
    from yongju.ui.preview.panel import DocumentPreview
    from yongju.ui.watching.controller import WatchController
    from yongju.ui.watching.status import WatchStatus
from yongju.ui.cases.bar import CaseBar
from yongju.ui.checklist.decisions import add_decision_actions
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
from yongju.ui.window.backup_flow import BackupFlow
from yongju.ui.window.document_actions import DocumentActions
from yongju.ui.window.drop_router import DropRouter
from yongju.ui.window.menus import build_actions, build_menus
from yongju.ui.window.selection import Selection
from yongju.ui.window.workspace import Workspace

APP_TITLE = "Yongju 永居"  # also the application's display name (see app.py)


class MainWindow(QMainWindow):
    """Lays out the parts and answers what its menus ask; the work happens in the parts.

    The composition root (app.py) builds every part and hands the window those it shows or
    asks: each keeps what it needs itself (the export flow its store and settings, the
    import flow its settings), so nothing reaches through the window for them. The root
    then connects their signals with :func:`yongju.ui.window.wiring.wire`.
    """

    def __init__(
        self,
        *,
        workspace: Workspace,
        profiles: ProfileSet,
        settings: Settings,
        runner: TaskRunner,
        editor: Editor,
        imports: ImportFlow,
        router: DropRouter,
        documents: DocumentActions,
        thumbnails: ThumbnailProvider,
        preview: DocumentPreview,
        details: DetailsPanel | None,
        export: ExportFlow,
        backup: BackupFlow,
        watch: WatchController | None = None,
        watch_status: WatchStatus | None = None,
        theme: Any = None,
        open_url: Callable[[Any], Any] | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings
        self.editor = editor
        self.imports = imports
        self.router = router
        self.documents = documents
        self.thumbnails = thumbnails
        self.preview = preview
        self.details = details
        self.export = export
        self.backup = backup
        self.watch = watch
        self.watch_status = watch_status
        self.theme = theme  # Theme, when the palettes are in use
        self.open_url = open_url
        self.show_case_title(None)
        self.setAcceptDrops(True)
        self.menu_actions = build_actions(self, editor.stack)
        build_menus(self, self.menu_actions)
        self.case_bar = CaseBar(workspace.cases, profiles)
        self.checklist = ChecklistView(workspace.checklist)
        self.inbox = DocumentGrid(self.tr("Inbox"), workspace.inbox)
        self.inbox.set_placeholder(
            self.tr("Drop scans and photos here, or use File ▸ Import Files…")
        )
        self.slot_grid = DocumentGrid(self.tr("Requirement"), workspace.slot_documents)
        self.slot_rule = SlotRule(dict(profiles.sources))
        self.slot_grid.add_header(self.slot_rule)
        self.slot_rule.follow(self.slot_grid)
        self.selection = Selection(workspace, (self.inbox, self.slot_grid), preview, details, self)
        self.task_status = TaskStatus(runner)
        self.message = QLabel()
        self._splitters: dict[str, QSplitter] = {}
        self._build_layout()
        self._build_status_bar()
        self.export_dialog: Any = None  # the open export dialog, if any
        self.watch_panel: Any = None  # the watched folder's panel, once opened
        self.inbox.enable_filter()
        self.slot_grid.set_default_drop_action(Qt.DropAction.MoveAction)
        self.inbox.add_heading_action(self.menu_actions.import_files)
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
        right: list[QWidget] = [self.preview]
        if self.details is not None:
            scroller = QScrollArea()  # the form may be taller than its pane; the page may not
            scroller.setWidget(self.details)
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
        if self.watch_status is not None:
            bar.addPermanentWidget(self.watch_status)
        bar.addPermanentWidget(self.task_status)

    def show_case_title(self, case: Any) -> None:
        """The title bar names the case being worked on, then "Yongju 永居" once.

        The title ends in the application's display name, so Qt does not add it again.
        """
        what = self.tr("Permanent Residence Documents") if case is None else case.name
        self.setWindowTitle(f"{what} — {APP_TITLE}")

    def show_profile_problems(
        self, problems: Sequence[ProfileProblem], reporter: ErrorReporter
    ) -> None:
        """Names the requirement lists that did not load (the others work)."""
        lines = "\n".join(f"• {p.path.name}: {p.message}" for p in problems)
        self.show_message(self.tr("Some requirement lists could not be loaded."))
        text = self.tr("These requirement lists could not be loaded; the others work:")
        QTimer.singleShot(0, lambda: reporter.show_message(f"{text}\n\n{lines}"))

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

    # -- what the menus ask -------------------------------------------------------------
    def slot_menu(self, slot_id: str) -> QMenu:
        """A checklist row's menu: import into the slot, and whether it applies."""
        menu = QMenu(self)
        menu.addAction(
            QCoreApplication.translate("MainWindow", "Import Files into This Slot…"),
            lambda: self.imports.ask(self, self.router.target(slot_id)),
        )
        checklist = self.workspace.current_checklist
        if checklist is not None:
            add_decision_actions(self.editor, menu, checklist.case.id, checklist.status(slot_id))
        return menu

    def delete_selected(self) -> None:
        """Delete: documents selected in a slot leave it (undoable); inbox ones, after asking."""
        filings = [i.filing for i in self.slot_grid.selected_items() if i.filing is not None]
        inbox = self.inbox.selected_items()
        if filings:
            self.editor.unfile(filings)
        elif inbox:
            self.documents.ask_delete([i.document for i in inbox], self)
        else:
            self.show_message(
                QCoreApplication.translate("MainWindow", "Select documents to remove them.")
            )

    def paste_files(self) -> None:
        """Imports the files on the clipboard, or says there are none."""
        if not self.imports.paste():
            self.show_message(
                QCoreApplication.translate("MainWindow", "The clipboard holds no files to import.")
            )

    def open_export_dialog(self) -> Any:
        """The export dialog for the selected case (its warnings come from the checklist)."""
        dialog = self.export.open_dialog(self)
        if dialog is not None:
            self.export_dialog = dialog
        return dialog

    def open_watch_panel(self) -> Any:
        """The watched folder's panel (one, non-modal)."""
        from yongju.ui.watching.panel import WatchPanel

        panel = self.watch_panel
        if panel is None:
            assert self.watch is not None  # the action is connected only with a watcher
            panel = WatchPanel(self.watch, self)
            self.watch_panel = panel
        panel.refresh()
        panel.show()
        panel.raise_()
        return panel

    # -- settings ----------------------------------------------------------------------
    def _restore(self) -> None:
        settings = self.settings
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
        settings = self.settings
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
        if self.router.on_inbox(event.mimeData(), -1):
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
