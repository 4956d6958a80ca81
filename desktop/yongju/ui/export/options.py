"""The packet's options as a form: where to write it, cover, stamps, password, size, ID cards."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from yongju.core.packet import PacketOptions

MEGABYTE = 1_000_000  # decimal: a budget in these units also fits one counted in MiB


class ExportOptionsForm(QWidget):
    """Edits a :class:`PacketOptions` and the output path; ``problem()`` says what blocks."""

    changed = Signal()

    def __init__(self, default_path: Path, has_id_cards: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = QLineEdit(str(default_path))
        self.browse = QPushButton(self.tr("Choose…"))
        self.cover = QCheckBox(self.tr("Cover page and table of contents (in English and Chinese)"))
        self.cover.setChecked(True)
        self.stamp = QCheckBox(
            self.tr("Stamp each page with the case, requirement and page number")
        )
        self.stamp.setChecked(True)  # the contents refer to page numbers
        self.id_cards = QCheckBox(self.tr("Put the front and back of ID cards on one page"))
        self.id_cards.setChecked(True)
        self.id_cards.setVisible(has_id_cards)
        self.protect = QCheckBox(self.tr("Protect the PDF with a password"))
        self.password = QLineEdit()
        self.confirm = QLineEdit()
        for field, text in (
            (self.password, self.tr("Password")),
            (self.confirm, self.tr("Repeat the password")),
        ):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setPlaceholderText(text)
            field.setAccessibleName(text)
        self.limit = QCheckBox(self.tr("Keep the file under"))
        self.megabytes = QSpinBox()
        self.megabytes.setRange(1, 2000)
        self.megabytes.setValue(20)
        self.megabytes.setSuffix(" MB")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.BrightText)
        self._layout()
        for box in (self.cover, self.stamp, self.id_cards, self.protect, self.limit):
            box.toggled.connect(self._sync)
        for line in (self.path, self.password, self.confirm):
            line.textChanged.connect(self._sync)
        self.megabytes.valueChanged.connect(self._sync)
        self.browse.clicked.connect(self._choose_path)
        self._sync()

    def _layout(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse)
        label = QLabel(self.tr("&Save as:"))
        label.setBuddy(self.path)  # a layout (not a widget) in the row gets no buddy by itself
        form.addRow(label, where)
        form.addRow("", self.cover)
        form.addRow("", self.stamp)
        form.addRow("", self.id_cards)
        form.addRow("", self.protect)
        passwords = QHBoxLayout()
        passwords.addWidget(self.password)
        passwords.addWidget(self.confirm)
        form.addRow("", passwords)
        size = QHBoxLayout()
        size.addWidget(self.limit)
        size.addWidget(self.megabytes)
        size.addStretch(1)
        form.addRow("", size)
        form.addRow("", self.note)

    def output_path(self) -> Path | None:
        """The chosen file, always ending in .pdf; None while the text names no file."""
        text = self.path.text().strip()
        if not text or "\x00" in text or text.endswith(("/", "\\")):
            return None
        path = Path(text).expanduser()
        if not path.name or path.name in (".", ".."):
            return None
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def options(self, allow_incomplete: bool) -> PacketOptions:
        """The options as the packet engine takes them."""
        return PacketOptions(
            cover=self.cover.isChecked(),
            stamp=self.stamp.isChecked(),
            password=self.password.text() if self.protect.isChecked() else None,
            max_size=self.megabytes.value() * MEGABYTE if self.limit.isChecked() else None,
            allow_incomplete=allow_incomplete,
            id_card_layout=self.id_cards.isChecked(),
        )

    def problem(self) -> str:
        """Why the packet cannot be written as set, or "" when it can (checked on Export)."""
        return self._path_problem() or self._password_problem()

    def _path_problem(self) -> str:
        path = self.output_path()
        if path is None:
            if not self.path.text().strip():
                return self.tr("Choose where to save the packet.")
            return self.tr("Type a file name for the packet, such as “packet.pdf”.")
        try:
            folder_exists = path.parent.is_dir()
        except (OSError, ValueError):  # a name the system cannot take
            folder_exists = False
        if not folder_exists:
            return self.tr("The folder %1 does not exist.").replace("%1", str(path.parent))
        return ""

    def _password_problem(self) -> str:
        if self.protect.isChecked():
            if not self.password.text():
                return self.tr("Type the password twice, or untick the password option.")
            if self.password.text() != self.confirm.text():
                return self.tr("The two passwords are not the same.")
        return ""

    def blocking_problem(self) -> str:
        """What blocks Export while the user types: the passwords (the file name waits)."""
        return self._password_problem()

    def show_problem(self) -> str:
        """Checks everything (as the Export button does) and shows what blocks, if anything."""
        problem = self.problem()
        self.note.setText(problem)
        self.note.setVisible(bool(problem))
        return problem

    def _sync(self) -> None:
        self.password.setEnabled(self.protect.isChecked())
        self.confirm.setEnabled(self.protect.isChecked())
        self.megabytes.setEnabled(self.limit.isChecked())
        problem = self._password_problem()
        path = self.output_path()
        try:
            replaces = not problem and path is not None and path.is_file()
        except (OSError, ValueError):
            replaces = False
        if replaces:
            problem = self.tr("A file with this name exists and will be replaced.")
        self.note.setText(problem)
        self.note.setVisible(bool(problem))
        self.changed.emit()

    def _choose_path(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the Packet As"), self.path.text(), self.tr("PDF files (*.pdf)")
        )
        if chosen:
            self.path.setText(chosen)
