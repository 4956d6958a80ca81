"""Reading into the store: page text with its engine, status, proposals accepted or kept apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.old_stores import old_store
from tests.samples import Samples
from yongju.core.importing import import_files
from yongju.core.profiles import ProfileSet
from yongju.core.reading.ocr import OcrError, TextBox
from yongju.core.reading.pages import TEXT_LAYER_ENGINE
from yongju.core.reading.reader import profile_for, read_document, read_documents
from yongju.core.records import Origin, TextStatus
from yongju.core.store import Store

TODAY = dt.date(2026, 12, 1)
CERTIFICATE = "Police certificate. Date of issue: 02.10.2026. Valid until 01.04.2027."


class _NoOcr:
    def recognise_page(self, request: object) -> list[TextBox]:
        raise AssertionError("a page with a text layer must not be recognised")


class _BrokenOcr:
    def recognise_page(self, request: object) -> list[TextBox]:
        raise OcrError("Text recognition stopped unexpectedly (the engine crashed).")


class _FakeOcr:
    """The edge of the OS: what a scanner page would read as."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def recognise_page(self, request: object) -> list[TextBox]:
        return [TextBox(t, 10, 60 * i, 400, 60 * i + 40, 0.99) for i, t in enumerate(self.lines)]


def _import(store: Store, *paths: Path) -> list[int]:
    results = import_files(store, list(paths))
    return [r.document_id for r in results if r.document_id is not None]


def test_a_new_document_is_pending_then_read_into_the_store(store: Store, samples: Samples) -> None:
    (doc_id,) = _import(store, samples.text_pdf("police.pdf", CERTIFICATE))
    assert store.document(doc_id).text_status is TextStatus.PENDING
    assert store.pending_reading() == [doc_id]

    outcome = read_document(store, doc_id, _NoOcr(), today=TODAY)

    assert outcome.document.text_status is TextStatus.DONE
    assert store.pending_reading() == []
    (page,) = store.page_texts(doc_id)
    assert page.engine == TEXT_LAYER_ENGINE and page.engine_version
    assert "Date of issue: 02.10.2026" in page.text
    proposed = {p.field: p for p in store.proposals([doc_id])}
    assert proposed["issued"].value == "2026-10-02" and proposed["issued"].page == 1
    assert proposed["expires"].value == "2027-04-01"
    assert "Date of issue" in proposed["issued"].evidence
    # Nothing is applied until the user accepts.
    assert store.document(doc_id).issued is None


def test_accepting_applies_the_values_and_forgets_the_proposals(
    store: Store, samples: Samples
) -> None:
    (doc_id,) = _import(store, samples.text_pdf("police.pdf", CERTIFICATE))
    read_document(store, doc_id, _NoOcr(), today=TODAY)
    document = store.accept_proposals(doc_id, ["expires"])
    assert document.expires == dt.date(2027, 4, 1) and document.issued is None
    assert "expires" not in {p.field for p in store.proposals([doc_id])}
    document = store.accept_proposals(doc_id)
    assert document.issued == dt.date(2026, 10, 2)
    assert store.proposals([doc_id]) == []


def test_reading_again_does_not_propose_what_the_document_already_says(
    store: Store, samples: Samples
) -> None:
    (doc_id,) = _import(store, samples.text_pdf("police.pdf", CERTIFICATE))
    store.update_document(doc_id, issued=dt.date(2026, 10, 2))
    read_document(store, doc_id, _NoOcr(), today=TODAY)
    assert {p.field for p in store.proposals([doc_id])} >= {"expires"}
    assert "issued" not in {p.field for p in store.proposals([doc_id])}


def test_a_scan_is_recognised_and_its_origin_proposed(store: Store, samples: Samples) -> None:
    (doc_id,) = _import(store, samples.jpeg("IMG_2034.jpg"))
    lines = [
        "结婚证",
        "持证人 张伟",
        "上海市民政局",
        "登记日期 2015年6月1日",
        "结婚证字号 J310000-2015-001",
    ]
    outcome = read_document(store, doc_id, _FakeOcr(lines), today=TODAY)
    assert outcome.error == ""
    assert store.page_texts(doc_id)[0].engine == "rapidocr"
    document = store.accept_proposals(doc_id)
    assert (document.issued, document.language) == (dt.date(2015, 6, 1), "zh")
    assert document.issued_in is Origin.CHINA
    assert document.title == "结婚证"


def test_a_failure_is_recorded_with_its_reason_and_the_batch_goes_on(
    store: Store, samples: Samples
) -> None:
    ids = _import(store, samples.jpeg("a.jpg", label="a"), samples.jpeg("b.jpg", label="b"))
    outcomes = read_documents(store, ids, _BrokenOcr(), keywords=lambda _id: None)
    assert [o.document.text_status for o in outcomes] == [TextStatus.FAILED] * 2
    assert "crashed" in store.document(ids[0]).text_error
    assert store.pending_reading() == []


def test_a_cancelled_reading_stays_pending(store: Store, samples: Samples) -> None:
    ids = _import(store, samples.pdf("two.pdf", pages=2))
    outcomes = read_documents(
        store,
        ids,
        _FakeOcr(["page"]),
        keywords=lambda _id: None,
        cancel=iter([False, False, True]).__next__,
    )
    assert outcomes[0].cancelled
    assert store.pending_reading() == ids
    assert store.page_texts(ids[0]) == []


def test_text_search_finds_documents_by_what_they_say(store: Store, samples: Samples) -> None:
    ids = _import(
        store,
        samples.text_pdf("p.pdf", CERTIFICATE),
        samples.text_pdf("q.pdf", "Bank 100%_x statement of account"),
    )
    for doc_id in ids:
        read_document(store, doc_id, _NoOcr(), today=TODAY)
    assert store.documents_with_text("police CERTIFICATE") == {ids[0]}
    assert store.documents_with_text("100%_x") == {ids[1]}
    assert store.documents_with_text("100%_y") == set()


def test_the_slot_comes_only_from_the_profile_of_the_case(
    store: Store, samples: Samples, profiles: ProfileSet
) -> None:
    (doc_id,) = _import(store, samples.text_pdf("x.pdf", "Passport"))
    assert profile_for(store, profiles, doc_id) is None  # no case: no slot can be right
    store.create_case("Jan", "spouse_of_chinese_citizen")
    profile = profile_for(store, profiles, doc_id)
    assert profile is not None and profile.id == "spouse_of_chinese_citizen"
    store.create_case("Wei", "employment")
    assert profile_for(store, profiles, doc_id) is None  # two profiles: which one?


def test_upgrading_to_0004_makes_existing_documents_pending(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    with old_store(folder, "0003") as connection:
        connection.exec_driver_sql(
            "INSERT INTO documents (id, sha256, media_type, original_name, source_path, size, "
            "pages, encrypted, has_text, title, notes, language, legalised, imported_at) VALUES "
            "(1, 'aa', 'application/pdf', 'a.pdf', '', 1, 1, 0, 0, '', '', NULL, 0, "
            "'2025-01-01 00:00:00')"
        )
    with Store.open(folder) as store:
        assert store.pending_reading() == [1]
        assert store.page_texts(1) == [] and store.proposals() == []
