"""The export dialog: options, the incomplete-case confirmation, progress, cancel and the result."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fpdf import FPDF
from PySide6.QtCore import QThreadPool, QUrl
from PySide6.QtWidgets import QDialog, QLabel

from yongju.core.checklist import Checklist, build_checklist
from yongju.core.errors import ExportError
from yongju.core.packet import PacketOptions, PacketResult
from yongju.core.profiles import ProfileSet
from yongju.core.store import Store
from yongju.ui.common.tasks import TaskContext, TaskRunner
from yongju.ui.export.dialog import ExportDialog
from yongju.ui.export.options import MEGABYTE

PROFILE = "spouse_of_chinese_citizen"


@pytest.fixture
def incomplete(store: Store, profiles: ProfileSet) -> Checklist:
    case = store.create_case("Anna Schmidt", PROFILE)
    return build_checklist(store, profiles, case.id)


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory, profiles: ProfileSet) -> Checklist:
    """A case ready to export. The checklist is a frozen record the dialog only reads, so
    the module's tests share one (its two dozen decisions took 0.1 s of CPU a test)."""
    with Store.open(tmp_path_factory.mktemp("complete") / "store") as store:
        case = store.create_case("Nothing applies", PROFILE)
        for slot in profiles.get(PROFILE).slots:
            store.set_not_applicable(case.id, slot.id, True, "Nothing applies in this test")
        facts = {"marriage_date": "2019-05-01", "resident_since": "2018-09-01"}
        store.set_facts(case.id, facts)
        checklist = build_checklist(store, profiles, case.id)
    assert checklist.ready
    return checklist


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    write_pool = QThreadPool()
    write_pool.setMaxThreadCount(1)
    runner = TaskRunner(QThreadPool(), write_pool)
    yield runner
    assert runner.shutdown()


class FakeExport:
    """Stands in for the packet engine: writes a real PDF with one page per 'slot'."""

    def __init__(self, runner: TaskRunner, fail: Exception | None = None) -> None:
        self.runner, self.fail = runner, fail
        self.calls: list[tuple[Path, PacketOptions]] = []
        self.release = threading.Event()
        self.block = False

    def __call__(self, path: Path, options: PacketOptions):
        self.calls.append((path, options))
        return self.runner.write("Exporting", lambda ctx: self._work(ctx, path))

    def _work(self, ctx: TaskContext, path: Path) -> PacketResult:
        pdf = FPDF()
        for page in range(3):
            ctx.check()
            while self.block and not self.release.wait(0.01):
                ctx.check()
            pdf.add_page()
            ctx.progress(page + 1, 3, f"Page {page + 1}")
        if self.fail is not None:
            raise self.fail
        pdf.output(str(path))
        data = path.read_bytes()
        return PacketResult(
            output=path,
            pages=3,
            bytes=len(data),
            manifest_path=path.with_suffix(".json"),
            sha256=hashlib.sha256(data).hexdigest(),
            warnings=("Photo is small.",),
        )


def _dialog(qtbot, checklist, start, path: Path, opened: list[QUrl] | None = None) -> ExportDialog:
    dialog = ExportDialog(
        checklist, start, path, open_url=(opened.append if opened is not None else lambda url: None)
    )
    qtbot.addWidget(dialog)
    return dialog


def test_incomplete_case_needs_explicit_confirmation(qtbot, incomplete, runner, tmp_path):
    dialog = _dialog(qtbot, incomplete, FakeExport(runner), tmp_path / "packet.pdf")
    blocking = [s for s in incomplete.slots if s.state.blocking]
    assert dialog.warnings.count() == len(blocking) > 0
    assert "Missing" in dialog.warnings.item(0).text()
    assert not dialog.confirm.isHidden()
    assert not dialog.export_button.isEnabled()
    dialog.confirm.setChecked(True)
    assert dialog.export_button.isEnabled()
    assert not dialog.form.id_cards.isHidden()  # this profile has an ID-card slot


def test_options_and_password_confirmation(qtbot, complete, runner, tmp_path):
    dialog = _dialog(qtbot, complete, FakeExport(runner), tmp_path / "packet")
    form = dialog.form
    assert dialog.confirm.isHidden() and dialog.export_button.isEnabled()
    assert form.stamp.isChecked()  # pages are numbered unless the user says not to
    assert form.options(allow_incomplete=False) == PacketOptions()
    form.protect.setChecked(True)
    assert not dialog.export_button.isEnabled()
    form.password.setText("秘密 secret")
    form.confirm.setText("secret")
    assert form.problem() == "The two passwords are not the same."
    assert not dialog.export_button.isEnabled()
    form.confirm.setText("秘密 secret")
    form.limit.setChecked(True)
    form.megabytes.setValue(15)
    form.stamp.setChecked(True)
    form.cover.setChecked(False)
    assert dialog.export_button.isEnabled()
    assert form.output_path() == tmp_path / "packet.pdf"
    assert form.options(allow_incomplete=False) == PacketOptions(
        cover=False,
        stamp=True,
        password="秘密 secret",
        max_size=15 * MEGABYTE,
        allow_incomplete=False,
        id_card_layout=True,
    )
    form.path.setText(str(tmp_path / "no such folder" / "p.pdf"))
    assert "does not exist" in form.problem()
    assert not form.note.text()  # said when Export is pressed, not while typing
    dialog.export_button.click()
    assert "does not exist" in form.note.text() and dialog._task is None


def test_export_runs_reports_and_opens(qtbot, complete, runner, tmp_path):
    opened: list[QUrl] = []
    start = FakeExport(runner)
    dialog = _dialog(qtbot, complete, start, tmp_path / "packet.pdf", opened)
    with qtbot.waitSignal(dialog.exported, timeout=5000) as blocker:
        dialog.export_button.click()
        assert not dialog.form.isEnabled()  # options are frozen while writing
    result = blocker.args[0]
    assert result.output.read_bytes().startswith(b"%PDF")
    assert start.calls[0][0] == tmp_path / "packet.pdf"
    qtbot.waitUntil(lambda: not dialog.open_button.isHidden(), timeout=5000)
    assert "3 pages" in dialog.status.text() and "Photo is small." in dialog.status.text()
    dialog.open_button.click()
    dialog.folder_button.click()
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "packet.pdf"), str(tmp_path)]
    assert dialog.close_button.text() == "Close"


def test_cancel_stops_the_export_then_closes(qtbot, complete, runner, tmp_path):
    start = FakeExport(runner)
    start.block = True
    dialog = _dialog(qtbot, complete, start, tmp_path / "packet.pdf")
    dialog.show()
    dialog.export_button.click()
    qtbot.waitUntil(lambda: runner.active() != [], timeout=2000)
    with qtbot.waitSignal(dialog.finished, timeout=5000) as blocker:
        dialog.close_button.click()
    assert blocker.args == [QDialog.DialogCode.Rejected.value]
    assert dialog.status.text() == "Cancelled. Nothing was written."
    assert not (tmp_path / "packet.pdf").exists()


def test_failure_is_a_sentence_and_export_can_be_retried(qtbot, complete, runner, tmp_path):
    start = FakeExport(runner, fail=ExportError("The disk is full."))
    dialog = _dialog(qtbot, complete, start, tmp_path / "packet.pdf")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=5000)
    assert dialog.status.text() == "The packet was not written: The disk is full."
    assert dialog.open_button.isHidden()


def test_the_real_packet_engine_writes_what_the_dialog_asked(
    qtbot, store, profiles, runner, tmp_path
):
    from pypdf import PdfReader

    from yongju.core.importing import import_files
    from yongju.core.packet.case import export_packet

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
    scan = tmp_path / "marriage.pdf"
    pdf.output(str(scan))
    (imported,) = import_files(store, [scan], durable=False)
    assert imported.document is not None
    case = store.create_case("Anna Schmidt", PROFILE)
    store.file_document(case.id, "sp_marriage_cert", imported.document.id)
    checklist = build_checklist(store, profiles, case.id)

    def start(path: Path, options: PacketOptions):
        return runner.write(
            "Exporting",
            lambda ctx: export_packet(
                store,
                profiles,
                case.id,
                path,
                options,
                progress=ctx.progress,
                cancel=ctx.cancelled,
            ),
        )

    dialog = _dialog(qtbot, checklist, start, tmp_path / "packet.pdf")
    dialog.form.cover.setChecked(False)
    dialog.confirm.setChecked(True)  # the case is far from complete
    with qtbot.waitSignal(dialog.exported, timeout=20000) as blocker:
        dialog.export_button.click()
    result = blocker.args[0]
    assert len(PdfReader(result.output).pages) == result.pages == 2
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("Documents filed: 1" in text for text in labels)
    assert result.manifest_path.is_file()
    assert [e.path for e in store.exports(case.id)] == [str(result.output)]
