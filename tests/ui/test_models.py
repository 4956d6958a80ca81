"""Item models: pass Qt's model tester, fetch lazily, and signal only the rows that changed."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtGui import QIcon

from tests.samples import document_record
from yongju.core.checklist import SlotState, SlotStatus
from yongju.core.profiles import load_profiles
from yongju.core.records import CaseRecord, DocumentRecord
from yongju.core.resources import resource_path
from yongju.ui.cases.model import CASE_ID_ROLE, CaseModel
from yongju.ui.checklist.model import COL_STATE, COL_TITLE, ChecklistModel, SlotRole
from yongju.ui.documents.model import (
    DOCUMENT_MIME,
    DocumentDrag,
    DocumentModel,
    DocumentRole,
    GridItem,
    decode_documents,
)

NOW = dt.datetime(2026, 11, 1, 9, 0)


def doc(n: int, title: str = "") -> DocumentRecord:
    return document_record(
        id=n,
        sha256=f"{n:064x}",
        original_name=f"scan-{n}.pdf",
        source_path=f"/tmp/scan-{n}.pdf",
        size=1000 + n,
        pages=1 + n % 3,
        encrypted=n % 7 == 0,
        title=title,
        suggested_slot="passport" if n % 5 == 0 else None,
        imported_at=NOW,
    )


def items(ids) -> list[GridItem]:
    return [GridItem(doc(i)) for i in ids]


def visible_ids(model: DocumentModel) -> list[int]:
    return [model.index(r).data(DocumentRole.DOCUMENT_ID) for r in range(model.rowCount())]


def test_document_model_passes_model_tester(qtmodeltester) -> None:
    model = DocumentModel("inbox")
    model.set_records(items(range(1, 30)))
    qtmodeltester.check(model)
    model.set_records(items([3, 1, 40, 41, *range(5, 20)]))
    qtmodeltester.check(model)
    assert visible_ids(model) == [3, 1, 40, 41, *range(5, 20)]


def test_document_model_fetches_lazily(qapp) -> None:
    model = DocumentModel("inbox")
    model.set_records(items(range(5000)))
    assert model.rowCount() == 200
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    assert len(model.records()) == 5000


def test_update_signals_only_changed_rows(qtbot) -> None:
    model = DocumentModel("inbox")
    model.set_records(items(range(1, 11)))
    changed: list[tuple[int, int]] = []
    resets: list[int] = []
    inserted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    new = items(range(1, 11))
    new[4] = GridItem(doc(5, title="Passport"))
    model.set_records([*new, GridItem(doc(11))])
    assert changed == [(4, 4)]
    assert inserted == [(10, 10)]
    assert resets == []
    assert model.index(4).data(Qt.ItemDataRole.DisplayRole) == "Passport"


def test_replacing_a_few_records_signals_only_their_visible_rows(qtbot) -> None:
    """Documents read in the background are put in their tiles' places, nothing else moves."""
    model = DocumentModel("inbox")
    model.set_records(items(range(1, 501)))  # 200 fetched, 300 not yet
    changed: list[tuple[int, int]] = []
    moved: list[str] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged):
        signal.connect(lambda *_a, name=str(signal): moved.append(name))
    model.replace_records(
        [
            GridItem(doc(3, title="Passport")),
            GridItem(doc(7)),  # unchanged: no signal for it
            GridItem(doc(450, title="Bank statement")),  # not fetched yet: no signal
            GridItem(doc(9999, title="Not listed")),  # not in the list: left out
        ]
    )
    assert changed == [(2, 2)]
    assert moved == []
    assert model.index(2).data(Qt.ItemDataRole.DisplayRole) == "Passport"
    assert model.records()[449].document.title == "Bank statement"
    assert [r.document.id for r in model.records()] == list(range(1, 501))
    model.replace_records([])  # nothing to do
    assert changed == [(2, 2)]


def test_random_updates_keep_visible_rows_in_step(qapp) -> None:
    rng = random.Random(7)
    model = DocumentModel("inbox")
    model._batch = 5  # small batches so updates cross the fetched boundary
    current = list(range(40))
    model.set_records(items(current))
    for _ in range(60):
        current = [i for i in current if rng.random() > 0.15]
        for _ in range(rng.randint(0, 4)):
            current.insert(rng.randint(0, len(current)), rng.randint(100, 10_000))
        current = list(dict.fromkeys(current))
        model.set_records(items(current))
        if rng.random() < 0.5 and model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        shown = visible_ids(model)
        assert shown == current[: len(shown)]
        assert [r.document.id for r in model.records()] == current
        assert model._keys == [model.key(r) for r in model.records()]  # kept in step
        if current:
            last = model.key(model.records()[-1])
            assert model.row_of(last) == (len(current) - 1 if len(shown) == len(current) else -1)
        front = rng.sample(range(20_000, 30_000), rng.randint(0, 3))
        model.add_front(items(front))
        current = front + current
        assert model._keys == [model.key(r) for r in model.records()]


def test_drag_data_names_the_documents(qapp) -> None:
    model = DocumentModel("inbox")
    model.set_records(items([4, 8, 9]))
    mime = model.mimeData([model.index(0), model.index(2)])
    assert decode_documents(mime) == DocumentDrag("inbox", (4, 9), ())


@pytest.mark.parametrize(
    "payload",
    [
        b"[4, 9]",
        b'{"source": "inbox", "documents": ["4"], "filings": []}',
        b'{"source": "inbox", "documents": [4, true], "filings": []}',
        b'{"source": 1, "documents": [4], "filings": []}',
        b'{"source": "slot", "documents": [4]}',
        b"not json",
    ],
)
def test_drag_data_of_another_shape_is_no_drag_of_documents(qapp, payload: bytes) -> None:
    mime = QMimeData()
    mime.setData(DOCUMENT_MIME, payload)
    assert decode_documents(mime) is None


@pytest.fixture(scope="module")
def profile():
    return load_profiles(resource_path("profiles")).get("spouse_of_chinese_citizen")


def statuses(profile, state=SlotState.MISSING) -> list[SlotStatus]:
    return [SlotStatus(slot=s, state=state, filings=()) for s in profile.slots]


def test_checklist_model_passes_model_tester(qtmodeltester, profile) -> None:
    model = ChecklistModel()
    model.set_statuses(statuses(profile))
    qtmodeltester.check(model)
    first = model.index(0, COL_TITLE)
    assert first.data(SlotRole.SLOT_ID) == profile.slots[0].id
    assert profile.slots[0].title_zh in first.data()
    assert model.index(0, COL_STATE).data() == "Missing"


def test_checklist_cells_answer_many_roles_at_once_as_one_by_one(qapp, profile) -> None:
    model = ChecklistModel()
    rows = statuses(profile)
    rows[1] = SlotStatus(slot=rows[1].slot, state=SlotState.OK, filings=())
    model.set_statuses(rows)

    def same(one: object, many: object) -> bool:
        if isinstance(one, QIcon):
            return isinstance(many, QIcon) and one.cacheKey() == many.cacheKey()
        return one == many

    # Every role Qt names (0-41) and ours past UserRole; one of the unnamed roles between
    # stands for the other 213, which no code asks and the model answers alike (nothing).
    user = int(Qt.ItemDataRole.UserRole)
    roles = [*range(42), 200, *range(user, user + 8)]
    cells = [model.index(r, c) for r in range(model.rowCount()) for c in range(4)]
    answered = 0
    for index in [*cells, QModelIndex()]:
        for role in roles:
            role_data = QModelRoleData(role)
            role_data.setData("left over")  # cleared where there is nothing to say
            model.multiData(index, QModelRoleDataSpan(role_data))
            assert same(index.data(role), role_data.data()), (index.row(), index.column(), role)
            answered += role_data.data() is not None
    assert answered > 6 * len(cells)  # titles, states, icons, fonts, tooltips, slot ids…


def test_checklist_update_touches_only_changed_rows(qtbot, profile) -> None:
    model = ChecklistModel()
    model.set_statuses(statuses(profile))
    changed: list[int] = []
    model.dataChanged.connect(lambda a, *_: changed.append(a.row()))
    new = statuses(profile)
    new[2] = SlotStatus(slot=new[2].slot, state=SlotState.OK, filings=())
    model.set_statuses(new)
    assert changed == [2]
    assert model.index(2, COL_STATE).data() == "Complete"


def test_case_model_passes_model_tester(qtmodeltester) -> None:
    model = CaseModel()
    cases = [CaseRecord(i, f"Case {i}", "employment", None, "", NOW) for i in range(1, 4)]
    model.set_records(cases)
    qtmodeltester.check(model)
    assert model.index(1).data(CASE_ID_ROLE) == 2


def test_the_render_cache_is_trimmed_to_its_budget(qtbot, tmp_path) -> None:
    """Old renders beyond the disk budget go (least recently written first)."""
    import os

    from PySide6.QtCore import QThreadPool

    from yongju.core.store import Store
    from yongju.ui.common.tasks import TaskRunner
    from yongju.ui.documents.thumbnails import ThumbnailProvider

    read, write = QThreadPool(), QThreadPool()
    write.setMaxThreadCount(1)
    runner = TaskRunner(read, write)
    with Store.open(tmp_path / "store") as store:
        folder = store.cache_dir / "thumbs"
        folder.mkdir(parents=True)
        for i in range(5):
            render = folder / f"{i:064x}-0-256-0.jpg"
            render.write_bytes(b"x" * 1000)
            os.utime(render, (1_000_000 + i, 1_000_000 + i))
        ThumbnailProvider(store, runner).tidy(max_bytes=2500)
        qtbot.waitUntil(lambda: len(list(folder.iterdir())) == 2, timeout=5000)
        assert {int(p.name.split("-")[0], 16) for p in folder.iterdir()} == {3, 4}
        runner.shutdown()


@contextmanager
def _three_scans_to_render(
    tmp_path, samples
) -> Iterator[tuple[Any, list[DocumentRecord], list[int]]]:
    """A thumbnail provider over a store of three scans, rendering one at a time (so the
    order renders were asked for shows); the documents, and the ids said ready, in order."""
    from PySide6.QtCore import QThreadPool

    from yongju.core.importing import import_files
    from yongju.core.store import Store
    from yongju.ui.common.tasks import TaskRunner
    from yongju.ui.documents.thumbnails import ThumbnailProvider

    read, write = QThreadPool(), QThreadPool()
    read.setMaxThreadCount(1)
    write.setMaxThreadCount(1)
    runner = TaskRunner(read, write)
    with Store.open(tmp_path / "store") as store:
        results = import_files(store, [samples.jpeg(f"p{i}.jpg", label=f"p {i}") for i in range(3)])
        docs = [r.document for r in results if r.document is not None]
        provider = ThumbnailProvider(store, runner)
        ready: list[int] = []
        provider.thumbnail_ready.connect(ready.append)
        try:
            yield provider, docs, ready
        finally:
            runner.shutdown()


def test_held_thumbnails_render_once_resumed_in_the_order_asked(qtbot, tmp_path, samples) -> None:
    """At start-up renders wait for the first screen's paint (they load Pillow and PDFium)."""
    with _three_scans_to_render(tmp_path, samples) as (provider, docs, ready):
        provider.hold()
        assert [provider.pixmap(d) for d in docs] == [None, None, None]
        assert provider.pixmap(docs[0]) is None  # asked again: still one render
        assert provider._runner.active() == []  # nothing started while held
        provider.resume()
        qtbot.waitUntil(lambda: len(ready) == 3, timeout=30_000)
        assert ready == [d.id for d in docs]
        assert all(provider.pixmap(d) is not None for d in docs)
        provider.resume()  # resuming again does nothing


def test_renders_asked_for_while_painting_start_once_the_paint_is_done(
    qtbot, tmp_path, samples
) -> None:
    """A grid's paint asks for the thumbnails it lacks; their renders start after it, so the
    render threads do not contend with the paint for Python's lock."""
    with _three_scans_to_render(tmp_path, samples) as (provider, docs, ready):
        assert [provider.pixmap(d) for d in docs] == [None, None, None]  # as a paint asks
        assert provider.pixmap(docs[0]) is None  # asked again: still one render
        assert provider._runner.active() == []  # nothing started during the "paint"
        qtbot.waitUntil(lambda: len(ready) == 3, timeout=30_000)
        assert ready == [d.id for d in docs]
        assert all(provider.pixmap(d) is not None for d in docs)
