"""Tiles are painted from pictures and line breaks made once: the same pixels, fewer calls."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from tests.samples import document_record
from yongju.core.records import FilingRecord, Role
from yongju.ui.documents import tile_delegate
from yongju.ui.documents.model import DocumentModel, GridItem
from yongju.ui.documents.tile_delegate import TILE, TileDelegate, _two_lines

TITLES = [
    "Passport",
    "Passport of the applicant, all pages including the blank ones",
    "护照首页及所有签证页复印件",
    "王喆 ID card front 身份证正面",
    "Certificate of no criminal record (Belgium) — apostilled and translated",
    "Averylongwordwithoutanyspacesthatmustbecutsomewhere",
]


def _two_lines_one_by_one(text: str, metrics: QFontMetrics, width: int) -> str:
    """The search as it was: one character shorter at a time."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    cut = len(text)
    while cut > 1 and metrics.horizontalAdvance(text[:cut]) > width:
        cut -= 1
    space = text.rfind(" ", 0, cut + 1)
    if space > 0:
        cut = space
    rest = metrics.elidedText(text[cut:].strip(), Qt.TextElideMode.ElideRight, width)
    return f"{text[:cut].rstrip()}\n{rest}"


@pytest.mark.parametrize("width", [30, 80, 124, 200])
def test_title_breaks_are_where_the_one_by_one_search_put_them(qapp, width) -> None:
    metrics = QFontMetrics(QFont())
    for title in TITLES:
        assert _two_lines(title, metrics, width) == _two_lines_one_by_one(title, metrics, width)


def _model() -> DocumentModel:
    model = DocumentModel("inbox")
    sheet = QPixmap(106, 150)
    sheet.fill(QColor("#88aacc"))
    icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    model.set_thumbnail_source(lambda d: sheet if d.id % 2 else None, icon)
    docs = [
        document_record(id=1, sha256="a1" * 32, title=TITLES[1], pages=1),
        document_record(id=2, sha256="a2" * 32, title=TITLES[3], pages=3, encrypted=True),
        document_record(id=3, sha256="a3" * 32, title=TITLES[2], pages=12),
    ]
    translation = FilingRecord(
        id=7,
        case_id=1,
        slot_id="passport",
        document_id=3,
        role=Role.TRANSLATION,
        position=0,
        parent_id=6,
    )
    model.set_records(
        [
            GridItem(docs[0], suggested_title="Chinese spouse's ID card", suggested_slot="id"),
            GridItem(docs[1], suggested_title="Marriage certificate", suggested_slot="marriage"),
            GridItem(docs[2], filing=translation),
        ]
    )
    return model


def _paint(model: DocumentModel, ratio: float, palette: QPalette | None = None) -> QImage:
    image = QImage(
        round(TILE.width() * 3 * ratio),
        round(TILE.height() * ratio),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("#f0f0f0"))
    painter = QPainter(image)
    delegate = TileDelegate()
    for row in range(3):
        option = QStyleOptionViewItem()
        option.rect = QRect(row * TILE.width(), 0, TILE.width(), TILE.height())
        option.palette = palette or QApplication.palette()
        option.state = QStyle.StateFlag.State_Selected if row == 1 else QStyle.StateFlag.State_None
        delegate.paint(painter, option, model.index(row, 0))
    painter.end()
    return image


@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_a_tile_paints_the_same_from_kept_pictures(qapp, ratio) -> None:
    model = _model()
    tile_delegate._cache.clear()
    first = _paint(model, ratio)
    pictures = [v for v in tile_delegate._cache.values() if isinstance(v, QPixmap)]
    assert len(pictures) >= 6  # three frames' sizes, page pills, a suggestion, a role
    # Drawn at the screen's ratio: sharp on a high-DPI screen, not scaled up.
    assert {p.devicePixelRatio() for p in pictures} == {ratio}
    assert _paint(model, ratio) == first  # the second paint is made of kept pictures
    assert first.pixelColor(round(20 * ratio), round(20 * ratio)) != QColor("#f0f0f0")


def test_another_palette_gets_its_own_frames(qapp) -> None:
    model = _model()
    plain = _paint(model, 1.0)
    palette = QPalette(QApplication.palette())
    palette.setColor(QPalette.ColorRole.Mid, QColor("#ff0000"))
    red = _paint(model, 1.0, palette)
    assert red != plain
    _paint(model, 1.0)  # both kept side by side: painting the first again is unchanged
    assert _paint(model, 1.0) == plain


def test_kept_pictures_and_breaks_are_bounded(qapp) -> None:
    tile_delegate._cache.clear()
    for n in range(tile_delegate._KEPT + 50):
        assert tile_delegate._kept(("n", n), lambda n=n: n * 2) == n * 2
    assert len(tile_delegate._cache) == tile_delegate._KEPT
    assert ("n", 0) not in tile_delegate._cache  # the least recently used went first
    assert tile_delegate._kept(("n", 60), lambda: -1) == 120  # kept: not made again
