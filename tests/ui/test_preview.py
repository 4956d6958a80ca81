"""The document preview: pages rendered off the GUI thread, rotate and leave-out requests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fpdf import FPDF
from PySide6.QtCore import Qt, QThreadPool

from yongju.core.importing import import_files
from yongju.core.records import DocumentRecord
from yongju.core.store import Store
from yongju.ui.common.tasks import TaskRunner
from yongju.ui.preview.page_strip import EXCLUDED_ROLE, PageListModel
from yongju.ui.preview.panel import DocumentPreview


@pytest.fixture
def document(store: Store, tmp_path: Path) -> DocumentRecord:
    """A real three-page portrait A4 PDF, imported into the store."""
    pdf = FPDF(unit="pt", format="A4")
    for number in range(3):
        pdf.add_page()
        pdf.set_fill_color(200, 30 * number, 0)
        pdf.rect(0, 0, 300, 200, style="F")
    path = tmp_path / "three pages.pdf"
    pdf.output(str(path))
    (result,) = import_files(store, [path], durable=False)
    assert result.document is not None, result.reason
    return result.document


@pytest.fixture
def preview(qtbot, store: Store) -> Iterator[DocumentPreview]:
    read_pool, write_pool = QThreadPool(), QThreadPool()
    write_pool.setMaxThreadCount(1)
    runner = TaskRunner(read_pool, write_pool)
    widget = DocumentPreview(store, runner)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    yield widget
    assert runner.shutdown()
    qtbot.wait(20)  # deliver the last queued results while the pools still exist


def _wait_for_page(qtbot, preview: DocumentPreview) -> None:
    qtbot.waitUntil(lambda: preview._view.image is not None, timeout=5000)


def test_pages_and_thumbnails_arrive_from_the_background(qtbot, preview, document) -> None:
    preview.set_document(document)
    model = preview._model
    assert model.rowCount() == 3
    _wait_for_page(qtbot, preview)
    image = preview._view.image
    assert image is not None and image.height() > image.width()  # portrait, unrotated
    qtbot.waitUntil(lambda: all(model.thumbnail(r) is not None for r in range(3)), timeout=5000)
    assert model.thumbnail(0).height() == 256
    assert not model.data(model.index(0), Qt.ItemDataRole.DecorationRole).isNull()
    with qtbot.waitSignal(preview.page_selected) as blocker:
        preview._strip.setCurrentIndex(model.index(2))
    assert blocker.args == [2] and preview.current_page() == 2
    assert "3" in preview._page_label.text()
    preview.next_page_action.trigger()  # already on the last page: stays
    assert preview.current_page() == 2
    preview.previous_page_action.trigger()
    assert preview.current_page() == 1 and preview._strip.currentIndex().row() == 1


def test_rotate_asks_the_owner_and_shows_the_updated_record(qtbot, preview, store, document):
    preview.set_document(document)
    _wait_for_page(qtbot, preview)
    with qtbot.waitSignal(preview.rotate_requested) as blocker:
        preview.rotate_left_action.trigger()
    assert blocker.args == [document.id, 0, 270]
    with qtbot.waitSignal(preview.rotate_requested) as blocker:
        preview.rotate_right_action.trigger()
    assert blocker.args == [document.id, 0, 90]
    preview.set_document(store.set_page(document.id, 0, rotation=90))
    qtbot.waitUntil(
        lambda: (
            preview._view.image is not None
            and preview._view.image.width() > preview._view.image.height()
        ),
        timeout=5000,
    )


def test_leaving_a_page_out_is_requested_and_then_shown(qtbot, preview, store, document):
    preview.set_document(document)
    preview.show_page(1)
    with qtbot.waitSignal(preview.exclude_requested) as blocker:
        preview.exclude_action.trigger()
    assert blocker.args == [document.id, 1, True]
    assert not preview.exclude_action.isChecked()  # nothing changed until the owner says so
    preview.set_document(store.set_page(document.id, 1, excluded=True))
    assert preview.current_page() == 1
    assert preview.exclude_action.isChecked()
    assert preview.exclude_action.text() == "Include Page"
    assert preview._page_label.text().strip() == "Page 2 of 3 · left out of the packet"
    assert preview._model.data(preview._model.index(1), EXCLUDED_ROLE) is True
    assert "left out" in preview._model.data(preview._model.index(1))
    with qtbot.waitSignal(preview.exclude_requested) as blocker:
        preview.exclude_action.trigger()
    assert blocker.args == [document.id, 1, False]


def test_a_missing_file_is_a_sentence_not_a_crash(qtbot, preview, store, document) -> None:
    store.blob_path(document.sha256).unlink()
    preview.set_document(document)
    qtbot.waitUntil(lambda: "cannot be shown" in preview._view.message, timeout=5000)
    assert "missing" in preview._view.message
    preview.set_document(None)
    assert preview._view.image is None and preview._model.rowCount() == 0
    assert not preview.rotate_right_action.isEnabled()


def test_page_model_passes_the_model_tester(qapp, qtmodeltester, document) -> None:
    model = PageListModel()
    model.set_document(document)
    qtmodeltester.check(model)
    model.set_document(None)
    qtmodeltester.check(model)


def test_thumbnails_trickle_behind_the_page_being_read(qtbot, preview, store, tmp_path) -> None:
    pdf = FPDF(unit="pt", format="A4")
    for _ in range(12):
        pdf.add_page()
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    (result,) = import_files(store, [path], durable=False)
    assert result.document is not None
    runner = preview._loader._runner
    preview.set_document(result.document)
    assert len(runner.active()) == 1 + preview._loader.THUMBNAILS_IN_FLIGHT
    assert runner.active()[0].label == "Showing pages"
    model = preview._model
    qtbot.waitUntil(lambda: all(model.thumbnail(r) for r in range(12)), timeout=10000)
    _wait_for_page(qtbot, preview)


def test_actions_have_icons_and_shortcut_tips_and_strip_hides(qtbot, preview, document) -> None:
    for action in (preview.rotate_left_action, preview.exclude_action, preview.fit_action):
        assert not action.icon().isNull(), action.text()
    for action in preview.actions():
        assert "(" in action.toolTip() and action.shortcut().toString()
    assert preview._strip.isHidden()  # nothing shown yet
    preview.set_document(document)
    assert not preview._strip.isHidden()  # three pages: the strip helps


def test_zoom_scales_the_page_and_asks_for_a_sharper_render(qtbot, preview, document) -> None:
    preview.set_document(document)
    _wait_for_page(qtbot, preview)
    view = preview._view
    fitted = view.widget().width()
    assert fitted <= view.viewport().width()  # fit width: no horizontal scrolling
    with qtbot.waitSignal(view.render_size_needed) as blocker:
        for _ in range(4):
            preview.zoom_in_action.trigger()
    assert view.zoom == pytest.approx(1.25**4)
    assert view.widget().width() > fitted * 2
    assert blocker.args[0] > 800
    for _ in range(20):
        preview.zoom_out_action.trigger()
    assert view.zoom == 0.25
    preview.fit_action.trigger()
    assert view.zoom == 1.0 and view.widget().width() == fitted


def test_action_icons_are_drawn_at_the_size_and_pixel_ratio_shown(qapp) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QIcon

    from yongju.ui.preview.action_icons import DRAWINGS, action_icon, action_pixmap

    ink = QColor("#202020")
    for name in DRAWINGS:
        icon = action_icon(name, ink)
        for size, ratio in ((16, 1.0), (24, 1.0), (24, 2.0), (32, 1.5)):
            shown = icon.pixmap(QSize(size, size), ratio)
            drawn = action_pixmap(name, ink, size, ratio)
            assert (shown.size(), shown.devicePixelRatio()) == (drawn.size(), ratio)
            assert shown.toImage() == drawn.toImage(), (name, size, ratio)
        greyed = icon.pixmap(QSize(24, 24), 1.0, QIcon.Mode.Disabled)
        assert greyed.size() == QSize(24, 24)
        assert greyed.toImage() != action_pixmap(name, ink, 24).toImage()  # greyed out
