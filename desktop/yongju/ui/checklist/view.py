"""The checklist of the selected case: readiness at the top, then every slot in profile order."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from yongju.core.checklist import Checklist, SlotState
from yongju.ui.checklist.model import (
    COL_COUNT,
    COL_STATE,
    COL_TITLE,
    COL_VALID,
    ChecklistModel,
    SlotRole,
)
from yongju.ui.checklist.title_delegate import SlotTitleDelegate
from yongju.ui.common.slot_text import counted, duration_words
from yongju.ui.common.state_icons import draw_badge, state_color, state_words


class _ChecklistTree(QTreeView):
    """A table of slots that says what will appear in it while it is empty."""

    placeholder = ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.placeholder and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(32, 32, -32, -32),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.placeholder,
            )
            painter.end()


class ChecklistView(QWidget):
    """Readiness banner over a table of slots; rows accept dropped documents and files."""

    slot_selected = Signal(object)  # slot id, or None
    new_case_requested = Signal()
    export_requested = Signal()
    context_menu_requested = Signal(str, QPoint)  # slot id, global position

    def __init__(self, model: ChecklistModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._badge = QLabel()
        self._badge_state: SlotState | None = None
        self._headline = QLabel()
        font = QFont(self._headline.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._headline.setFont(font)
        self._detail = QLabel()
        self._detail.setWordWrap(True)
        self._detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.new_case_button = QPushButton(self.tr("New Case…"))
        self.new_case_button.clicked.connect(self.new_case_requested)
        self.export_button = QPushButton(self.tr("Export Packet…"))
        self.export_button.clicked.connect(self.export_requested)
        self.tree = _ChecklistTree()
        self.tree.placeholder = self.tr(
            "Create a case for the applicant: Yongju then lists every document the "
            "application needs, and checks each one's dates."
        )
        self._setup_tree()
        self._build_layout()
        self.show_checklist(None)

    def _setup_tree(self) -> None:
        tree = self.tree
        tree.setModel(self.model)
        tree.setAccessibleName(self.tr("Checklist"))
        self._title_delegate = SlotTitleDelegate(tree)
        tree.setItemDelegateForColumn(COL_TITLE, self._title_delegate)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)  # every title is two lines: English over Chinese
        tree.setAlternatingRowColors(True)
        tree.setAllColumnsShowFocus(True)
        tree.setFrameShape(QFrame.Shape.NoFrame)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        tree.setDragDropOverwriteMode(True)  # a drop lands on a row, never between rows
        tree.setDropIndicatorShown(True)
        tree.setAcceptDrops(True)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._context_menu)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        # States wrap onto the row's two lines ("Expires before / submission"), so their
        # column needs only its longest word and the requirement names get the rest.
        tree.setWordWrap(True)
        tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        metrics = tree.fontMetrics()
        widths = (
            (COL_STATE, self._state_width(metrics)),
            (COL_COUNT, metrics.horizontalAdvance("00/00") + 16),
            (COL_VALID, metrics.horizontalAdvance("0000-00-00") + 16),
        )
        for column, width in widths:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        tree.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(lambda: self.slot_selected.emit(None))

    @staticmethod
    def _state_width(metrics: QFontMetrics) -> int:
        """Room for the icon and the longest word (or half the longest state) of any state."""
        widest = 0
        for state in SlotState:
            words = state_words(state)
            half = metrics.horizontalAdvance(words) // 2 + metrics.horizontalAdvance("mm")
            longest = max(metrics.horizontalAdvance(w) for w in words.split() or [words])
            widest = max(widest, longest, min(half, metrics.horizontalAdvance(words)))
        return widest + 22 + 20  # the icon and the cell's margins

    def _build_layout(self) -> None:
        banner = QFrame()
        banner.setObjectName("readinessBanner")
        banner.setAutoFillBackground(True)
        banner.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self._headline)
        text.addWidget(self._detail)
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 10, 12, 10)
        row.addWidget(self._badge, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addWidget(self.new_case_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(banner)
        layout.addWidget(self.tree, 1)

    # -- showing -----------------------------------------------------------------------
    def show_checklist(self, checklist: Checklist | None) -> None:
        """Updates the banner: ready or not, what is open, and until when it stays valid."""
        # A checklist is longer than most windows are tall: its scroll bar shown from the
        # start, rather than as the first paint finds it needed, saves two repaints (the
        # narrower rows, then the title column stretched to them) each time a case shows.
        self.tree.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if checklist is None
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOn
        )
        self.new_case_button.setVisible(checklist is None)
        self.export_button.setVisible(checklist is not None)
        self.export_button.setDefault(checklist is not None and checklist.ready)
        if checklist is None:
            self._set_banner(
                SlotState.OPTIONAL_EMPTY,
                self.tr("No case selected"),
                self.tr("Create a case to see what its application needs."),
            )
            return
        open_items = sum(s.state.blocking for s in checklist.slots)
        open_items += sum(d.blocking for d in checklist.durations)
        if checklist.ready:
            headline = self.tr("Ready to hand in")
            state = SlotState.OK
        else:
            headline = counted(self.tr("%n requirement(s) still open", "", open_items), open_items)
            state = SlotState.MISSING
        details = []
        if checklist.case.submission_date:
            details.append(
                self.tr("Planned submission %1").replace(
                    "%1", checklist.case.submission_date.isoformat()
                )
            )
        else:
            details.append(self.tr("No submission date set: dates are checked against today"))
        if checklist.submission_passed:
            details.append(self.tr("that date has passed: dates are checked against today"))
        if checklist.valid_until:
            details.append(
                self.tr("valid until %1").replace("%1", checklist.valid_until.isoformat())
            )
        details += [duration_words(d) for d in checklist.durations]
        self._set_banner(state, headline, " · ".join(details))

    def _set_banner(self, state: SlotState, headline: str, detail: str) -> None:
        # Every refresh shows the checklist again, mostly unchanged: a new badge (drawn, then
        # set) repainted the banner and its labels each time.
        if state is not self._badge_state:
            self._badge_state = state
            self._badge.setPixmap(
                draw_badge(
                    state_color(state),
                    "tick"
                    if state is SlotState.OK
                    else ("!" if state is SlotState.MISSING else "ring"),
                    28,
                )
            )
        self._headline.setText(headline)
        self._detail.setText(detail)

    def headline(self) -> str:
        return self._headline.text()

    def detail(self) -> str:
        return self._detail.text()

    # -- selection ---------------------------------------------------------------------
    def select_slot(self, slot_id: str | None) -> None:
        row = self.model.row_of(slot_id) if slot_id else -1
        if row < 0:
            self.tree.clearSelection()
            self.tree.setCurrentIndex(QModelIndex())
        else:
            self.tree.setCurrentIndex(self.model.index(row, COL_TITLE))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.slot_selected.emit(current.data(SlotRole.SLOT_ID) if current.isValid() else None)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if index.isValid():
            self.tree.setCurrentIndex(index.siblingAtColumn(COL_TITLE))
            self.context_menu_requested.emit(
                index.data(SlotRole.SLOT_ID), self.tree.viewport().mapToGlobal(pos)
            )
