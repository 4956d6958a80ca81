"""The watched folder's panel: choose, start/stop, mode, last event and the skipped files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from yongju.ui.watching.controller import WatchController, describe_event


class WatchPanel(QDialog):
    """A non-modal window over a :class:`WatchController`; it only shows and asks."""

    def __init__(self, controller: WatchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Watched Folder"))
        self.folder = QLineEdit(controller.folder)
        self.folder.setPlaceholderText(self.tr("Type or choose the folder your scanner saves into"))
        self.folder.setClearButtonEnabled(True)
        self.folder.editingFinished.connect(self._folder_typed)
        self.folder_error = QLabel()
        self.folder_error.setWordWrap(True)
        self.folder_error.setForegroundRole(QPalette.ColorRole.BrightText)  # red in both themes
        self.folder_error.setVisible(False)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose_folder)
        self.polling = QCheckBox(
            self.tr("Check by listing the folder every few seconds (for network shares)")
        )
        self.polling.setChecked(controller.polling)
        self.move_box = QCheckBox(
            self.tr("Move imported files to “imported/”, refused ones to “refused/”")
        )
        self.move_box.setChecked(controller.move_files)
        for box in (self.polling, self.move_box):
            box.toggled.connect(self._apply_options)
        self.toggle = QPushButton()
        self.toggle.clicked.connect(self._toggle)
        self.state = QLabel()
        self.last = QLabel()
        self.last.setWordWrap(True)
        self.skipped = QTreeWidget()
        self.skipped.setRootIsDecorated(False)
        self.skipped.setHeaderLabels([self.tr("File"), self.tr("Why it was not imported")])
        self._build_layout(choose)
        controller.state_changed.connect(self.refresh)
        self.refresh()
        self.resize(640, 420)

    def _build_layout(self, choose: QPushButton) -> None:
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow(self.tr("Folder:"), row)
        form.addRow("", self.folder_error)
        form.addRow("", self.polling)
        form.addRow("", self.move_box)
        form.addRow(self.tr("State:"), self.state)
        form.addRow(self.tr("Last event:"), self.last)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.addButton(self.toggle, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Skipped and refused files:")))
        layout.addWidget(self.skipped, 1)
        layout.addWidget(buttons)

    def choose_folder(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Folder to Watch"), self.controller.folder)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.set_folder)
        dialog.open()
        return dialog

    def set_folder(self, folder: str) -> None:
        self._show_folder_error("")
        self.folder.setModified(False)
        self.controller.configure(folder, self.polling.isChecked(), self.move_box.isChecked())

    def _folder_typed(self) -> None:
        """A typed folder is taken once it names an existing folder; else the panel says why."""
        if not self.folder.isModified():
            return
        text = self.folder.text().strip()
        if not text:
            self._show_folder_error(self.tr("Type or choose a folder to watch."))
            return
        folder = Path(text).expanduser()
        try:
            usable = folder.is_dir()
        except (OSError, ValueError):
            usable = False
        if not usable:
            self._show_folder_error(self.tr("There is no folder %1.").replace("%1", str(folder)))
            return
        self.set_folder(str(folder.absolute()))

    def _show_folder_error(self, text: str) -> None:
        self.folder_error.setText(text)
        self.folder_error.setVisible(bool(text))

    def _apply_options(self) -> None:
        self.controller.configure(
            self.controller.folder, self.polling.isChecked(), self.move_box.isChecked()
        )

    def _toggle(self) -> None:
        if self.controller.running:
            self.controller.stop()
        else:
            self.controller.start()

    def refresh(self) -> None:
        ctl = self.controller
        if not self.folder.isModified():  # what the user is typing stays
            self.folder.setText(ctl.folder)
        self.toggle.setText(self.tr("Stop Watching") if ctl.running else self.tr("Start Watching"))
        self.toggle.setEnabled(bool(ctl.folder))
        if not ctl.running:
            self.state.setText(self.tr("Not watching"))
        elif getattr(ctl.watcher, "folder_missing", False):
            self.state.setText(
                self.tr(
                    "The folder is not there (unplugged or unmounted?): waiting for it to come back"
                )
            )
        else:
            mode = self.tr("polling") if ctl.mode == "polling" else self.tr("system events")
            self.state.setText(self.tr("Watching (%1)").replace("%1", mode))
        event = ctl.last_event
        self.last.setText(describe_event(event) if event is not None else "—")
        self.skipped.clear()
        for item in ctl.skipped():
            row = QTreeWidgetItem([item.path.name, item.reason])
            row.setToolTip(0, str(item.path))
            self.skipped.addTopLevelItem(row)
