"""Lists the files an import refused, each with its reason: nothing is skipped silently."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from yongju.ui.common.slot_text import counted


class RefusedDialog(QDialog):
    """A table of file → reason, with a summary line of what did get in."""

    def __init__(
        self,
        refused: Sequence[tuple[Path, str]],
        imported: int,
        duplicates: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Some Files Were Not Imported"))
        summary = QLabel(
            counted(self.tr("%n file(s) could not be imported.", "", len(refused)), len(refused))
            + " "
            + self.tr("Imported: %1. Already in the store: %2.")
            .replace("%1", str(imported))
            .replace("%2", str(duplicates))
        )
        summary.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("File"), self.tr("Reason")])
        for path, reason in refused:
            item = QTreeWidgetItem([path.name, reason])
            item.setToolTip(0, str(path))
            self.table.addTopLevelItem(item)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 320)

    def rows(self) -> list[tuple[str, str]]:
        """File name and reason of each row, as shown."""
        items = (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
        return [(item.text(0), item.text(1)) for item in items if item is not None]
