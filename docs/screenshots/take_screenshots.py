"""Takes the window's screenshots for the docs from a realistic, half-filled case.

    .venv/bin/python docs/screenshots/take_screenshots.py

Runs offscreen; writes main-window.png (a new user's empty window), case-half-filled.png,
export-dialog.png and chinese-interface.png beside this file.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from yongju.app import compose  # noqa: E402
from yongju.core.paths import AppPaths  # noqa: E402
from yongju.ui.common.fonts import install_fonts  # noqa: E402
from yongju.ui.common.i18n import Translations  # noqa: E402
from yongju.ui.common.theme import Theme  # noqa: E402

HERE = Path(__file__).resolve().parent
SIZE = (1400, 880)
FILED = {  # slot: (file name, pages, title, issued, expires)
    "passport": ("Passport Jan Peeters.pdf", 2, "Passport (Belgium)", None, dt.date(2031, 5, 2)),
    "photo_print": ("photo 33x48.jpg", 1, "Passport photo", None, None),
    "sp_marriage_cert": (
        "Marriage certificate.pdf",
        2,
        "Marriage certificate",
        dt.date(2019, 6, 1),
        None,
    ),
    "ncr_foreign": (
        "Police certificate Belgium.pdf",
        1,
        "Belgian police certificate",
        dt.date(2026, 10, 20),
        None,
    ),
    "health_certificate": ("Health check.pdf", 3, "Health examination", None, None),
    "sp_financial_proof": (
        "Bank statement ICBC.pdf",
        4,
        "Bank deposit certificate",
        dt.date(2026, 11, 2),
        dt.date(2027, 9, 2),
    ),
}
INBOX = ["passport old.pdf", "house deed 房产证.jpg", "scan_0042.pdf", "marriage translation.pdf"]


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def scans(folder: Path) -> list[Path]:
    """Realistic scans (paper grain, Chinese and English text, seals) from the benchmark corpus."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import make_corpus

    return make_corpus(folder / "corpus", pages=40, seed=7, dpi=100)


def fill(store, profiles, folder: Path) -> None:
    from yongju.core.importing import import_files

    corpus = iter(scans(folder))
    paths = []
    for name in [*(v[0] for v in FILED.values()), *INBOX]:
        source = next(corpus)
        target = folder / (Path(name).stem + source.suffix.lower())
        shutil.copyfile(source, target)
        paths.append(target)
    profile = profiles.get("spouse_of_chinese_citizen")
    results = import_files(store, paths, keywords=profile.keywords())
    ids = {r.path.stem: r.document.id for r in results if r.document}
    case = store.create_case("Jan Peeters", profile.id, dt.date(2027, 3, 1))
    store.create_case("Li Mei", "child_joining_parents")
    for slot, (name, _pages, title, issued, expires) in FILED.items():
        doc_id = ids[Path(name).stem]
        store.update_document(doc_id, title=title, issued=issued, expires=expires)
        store.file_document(case.id, slot, doc_id)
    store.set_not_applicable(case.id, "power_of_attorney", True)


def window(tmp: Path, name: str, filled: bool):
    paths = AppPaths(store=tmp / name / "store", config=tmp / name / "config")
    c = compose(paths)
    if filled:
        fill(c.store, c.profiles, tmp / name / "scans")
        c.workspace.refresh()
    c.window.resize(*SIZE)
    c.window.show()
    wait(1500)
    return c


def select(c, slot_id: str, document_row: int | None = 0) -> None:
    c.window.checklist.select_slot(slot_id)
    wait(800)
    grid = c.window.slot_grid
    if document_row is not None and grid.model.rowCount() > document_row:
        grid.view.setCurrentIndex(grid.view_index(document_row))
    wait(4000)  # the preview renders its first page (and loads PDFium) in the background


def main() -> None:
    app = QApplication(sys.argv[:1])
    install_fonts(app)
    theme = Theme(app, "light")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        empty = window(tmp, "empty", filled=False)
        empty.window.grab().save(str(HERE / "main-window.png"))
        empty.window.close()
        empty.shutdown()

        c = window(tmp, "case", filled=True)
        select(c, "ncr_foreign")
        c.window.grab().save(str(HERE / "case-half-filled.png"))
        from yongju.ui.export.dialog import ExportDialog

        dialog = ExportDialog(
            c.workspace.current_checklist,
            lambda *a: None,
            c.window.export.default_path("Jan Peeters"),
            parent=c.window,
        )
        dialog.show()
        wait(600)
        dialog.grab().save(str(HERE / "export-dialog.png"))
        dialog.close()
        c.window.close()
        c.shutdown()

        translations = Translations(app, "zh_CN")
        zh = window(tmp, "zh", filled=True)
        select(zh, "sp_marriage_cert")
        zh.window.grab().save(str(HERE / "chinese-interface.png"))
        zh.window.close()
        zh.shutdown()
        del translations, theme
    print("wrote", ", ".join(p.name for p in sorted(HERE.glob("*.png"))))


if __name__ == "__main__":
    main()
