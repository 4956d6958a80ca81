"""The document selected on screen, shown in the preview and the details panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from shiboken6 import isValid

from yongju.ui.checklist.decisions import decision_words
from yongju.ui.common.slot_text import slot_message
from yongju.ui.common.state_icons import state_words
from yongju.ui.documents.grid import DocumentGrid
from yongju.ui.documents.model import GridItem
from yongju.ui.window.workspace import Workspace

if TYPE_CHECKING:  # both load on first use, after the window shows (start-up time)
    from yongju.ui.details.panel import DetailsPanel
    from yongju.ui.preview.panel import DocumentPreview


class Selection(QObject):
    """Which document the panels show: the one selected in the grid clicked last, or none.

    Owns ``selected`` (the GridItem shown) and ``grid`` (the grid it is selected in); after
    every reload the panels show the store's values of what is selected on screen.
    """

    def __init__(
        self,
        workspace: Workspace,
        grids: tuple[DocumentGrid, DocumentGrid],
        preview: DocumentPreview,
        details: DetailsPanel | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.grids = grids
        self.preview = preview
        self.details = details
        self.selected: GridItem | None = None
        self.grid: DocumentGrid | None = None
        for grid in grids:
            grid.selection_changed.connect(lambda items, g=grid: self.grid_selected(g, items))

    def grid_selected(self, grid: DocumentGrid, items: list[GridItem]) -> None:
        """The panels show the document selected in the grid clicked last, or nothing."""
        if items:
            self.grid = grid  # first: clearing the other grid must not empty the panel
            other = self.grids[1] if grid is self.grids[0] else self.grids[0]
            other.view.selectionModel().clearSelection()
            self.show(items[0])
        elif self.grid in (grid, None):
            self.show(None)

    def show(self, item: GridItem | None) -> None:
        """Shows a document in the preview and the details panel, with its slot's rules."""
        self.selected = item
        self.preview.set_document(item.document if item else None)
        details = self.details
        if details is None:
            return
        details.set_document(item.document if item else None, item.filing if item else None)
        status = self._slot_for(item)
        if status is None:
            details.set_slot(None)
        else:
            checklist = self.workspace.current_checklist
            city = (checklist.case.fact("city") if checklist else None) or ""
            message = "; ".join(m for m in (slot_message(status), decision_words(status)) if m)
            details.set_slot(status.slot, state_words(status.state), message, city)

    def _slot_for(self, item: GridItem | None) -> Any:
        """The slot a document is filed in, or for an inbox document the one suggested for it."""
        checklist = self.workspace.current_checklist
        if item is None or checklist is None:
            return None
        slot_id = item.filing.slot_id if item.filing else item.suggested_slot
        try:
            return checklist.status(slot_id) if slot_id else None
        except KeyError:
            return None

    def refresh(self) -> None:
        """After a reload the panels show the store's values of what is selected on screen.

        A document that left the grid it was selected in (unfiled, moved, another requirement
        shown) leaves the panels empty rather than editable off screen.
        """
        grid = self.grid
        if grid is not None and not isValid(grid.view):
            return  # a load that finished after the window closed
        items = grid.selected_items() if grid is not None else []
        item = items[0] if items else None
        if item != self.selected:
            self.show(item)
