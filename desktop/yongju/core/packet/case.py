"""Exporting a stored case: its checklist and filings become the engine's sections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from yongju.core.checklist import Checklist, SlotState, SlotStatus, build_checklist
from yongju.core.conditions import DurationState, DurationStatus
from yongju.core.errors import ExportError
from yongju.core.packet.glyphs import unprintable_warning
from yongju.core.packet.model import (
    CoverInfo,
    PacketDocument,
    PacketOptions,
    PacketResult,
    PacketSection,
    printed_texts,
)
from yongju.core.profiles import Layout, ProfileSet
from yongju.core.records import ROLE_ORDER, CaseRecord, DocumentRecord, FilingRecord, Role
from yongju.core.store import Store


def ordered_filings(filings: Sequence[FilingRecord]) -> list[FilingRecord]:
    """A slot's filings in packet order: each original (in the user's order), then its
    legalisations, then its translations; any whose original is gone, last."""
    by_position = sorted(filings, key=lambda f: (f.position, f.id))
    originals = [f for f in by_position if f.role is Role.ORIGINAL]
    known = {f.id for f in originals}
    ordered: list[FilingRecord] = []
    for original in originals:
        ordered.append(original)
        children = [
            f for f in by_position if f.parent_id == original.id and f.role is not Role.ORIGINAL
        ]
        ordered.extend(sorted(children, key=lambda f: (ROLE_ORDER[f.role], f.position, f.id)))
    ordered.extend(
        f for f in by_position if f.role is not Role.ORIGINAL and f.parent_id not in known
    )
    return ordered


def _packet_document(
    store: Store, document: DocumentRecord, filing: FilingRecord, parent_title: str
) -> PacketDocument:
    return PacketDocument(
        path=store.blob_path(document.sha256),
        media_type=document.media_type,
        title=document.display_title,
        slot_id=filing.slot_id,
        role=filing.role,
        document_id=document.id,
        sha256=document.sha256,
        page_settings=document.page_settings,
        password=(store.document_password(document.id) or "") if document.encrypted else "",
        pages=document.pages,
        parent_title=parent_title,
    )


def _section(
    store: Store, status: SlotStatus, documents: dict[int, DocumentRecord]
) -> PacketSection:
    slot = status.slot
    titles = {f.id: documents[f.document_id].display_title for f in status.filings}
    items = tuple(
        _packet_document(
            store, documents[f.document_id], f, titles.get(f.parent_id, "") if f.parent_id else ""
        )
        for f in ordered_filings(status.filings)
    )
    problem, note = _problem_and_note(status)
    # The copies the office keeps of a paper that is not handed in go without saying.
    na = status.state is SlotState.NOT_APPLICABLE and not items
    copies_note = "" if na else _both(slot.copies_note_zh, slot.copies_note)
    return PacketSection(
        slot_id=slot.id,
        title_en=slot.title_en,
        title_zh=slot.title_zh,
        documents=items,
        copies=slot.copies,
        copies_note=copies_note,
        id_card=slot.layout is Layout.ID_CARD,
        photo=slot.layout is Layout.PHOTO,
        state=f"{status.state.label} · {status.state.label_zh}",
        problem=problem,
        note=note,
        optional_empty=status.state is SlotState.OPTIONAL_EMPTY and not items,
    )


def _both(chinese: str, english: str) -> str:
    """Chinese above English (only English where there is no Chinese form)."""
    return english if not chinese or chinese == english else f"{chinese}\n{english}"


def _problem_and_note(status: SlotStatus) -> tuple[str, str]:
    """What is wrong in the slot, and what is said though not wrong, in both languages."""
    state = status.state
    if state is SlotState.UNDECIDED or state.blocking:
        chinese = "；".join(p.chinese for p in status.problems)
        english = "; ".join(p.english for p in status.problems)
        return (
            f"{state.label_zh}"
            + (f" — {chinese}" if chinese else "")
            + f"\n{state.label}"
            + (f" — {english}" if english else ""),
            "",
        )
    if state is SlotState.NOT_APPLICABLE:
        decision = status.decision
        if not decision.reason:
            return "", "不适用 · Not applicable"
        if decision.reason_zh and decision.reason_zh != decision.reason:
            return "", f"不适用 — {decision.reason_zh}\nNot applicable — {decision.reason}"
        return "", f"不适用 · Not applicable — {decision.reason}"
    warnings = [p for p in status.problems if not p.blocking]
    if warnings:
        chinese = "；".join(p.chinese for p in warnings)
        return "", chinese + "\n" + "; ".join(p.english for p in warnings)
    return "", ""


def _duration_words(status: DurationStatus) -> str:
    if status.state is DurationState.OK:
        return f"yes · 是  (since {status.since})"
    if status.state is DurationState.TOO_SHORT:
        return f"not until {status.reached} · 未满"
    if status.state is DurationState.BAD_DATE:
        return f"{status.since}: after submission · 日期晚于递交日期"
    return "date not entered · 未填写日期"


def case_sections(store: Store, checklist: Checklist) -> list[PacketSection]:
    """Every slot of the profile in order (empty ones too: the contents lists them), then
    filings under slots the profile no longer has."""
    filings = [f for s in checklist.slots for f in s.filings] + list(checklist.stray_filings)
    documents = {d.id: d for d in store.documents(sorted({f.document_id for f in filings}))}
    sections = [_section(store, status, documents) for status in checklist.slots]
    stray: dict[str, list[FilingRecord]] = {}
    for filing in checklist.stray_filings:
        stray.setdefault(filing.slot_id, []).append(filing)
    for slot_id, group in stray.items():
        items = tuple(
            _packet_document(store, documents[f.document_id], f, "") for f in ordered_filings(group)
        )
        sections.append(
            PacketSection(
                slot_id,
                f"Other documents ({slot_id})",
                "其他材料",
                items,
                problem="不在本类别清单中 · Not in this profile",
            )
        )
    return sections


def text_warning(store: Store, checklist: Checklist) -> str | None:
    """A warning naming the characters of the case's names and titles that no shipped font
    can print (they would be left out of the cover, contents and stamps), or None."""
    return _text_warning(checklist.case, case_sections(store, checklist))


def _text_warning(case: CaseRecord, sections: Sequence[PacketSection]) -> str | None:
    return unprintable_warning([case.name, case.notes, *printed_texts(None, sections)])


def export_packet(
    store: Store,
    profiles: ProfileSet,
    case_id: int | str,
    output: Path | str,
    options: PacketOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    today: dt.date | None = None,
    warn_first: Callable[[str], None] | None = None,
) -> PacketResult:
    """Writes a case's packet to ``output`` with its manifest, and records it in the store.

    An incomplete case is refused unless ``options.allow_incomplete``; its cover then says
    what is missing. ``warn_first`` hears of characters no font can print before anything
    is written, so the user can stop and rename (the warning is in the result as well).
    """
    from yongju.core.packet.engine import PacketText, build_packet

    options = options or PacketOptions()
    checklist = build_checklist(store, profiles, case_id, today)
    case, profile = checklist.case, checklist.profile
    if not checklist.ready and not options.allow_incomplete:
        blocking = [s for s in checklist.slots if s.state.blocking]
        first = blocking[0] if blocking else None
        detail = (
            f" ({first.slot.title_en}: {first.state.label.lower()}"
            + (f", and {len(blocking) - 1} more)" if len(blocking) > 1 else ")")
            if first
            else ""
        )
        raise ExportError(
            f"Case '{case.name}' is not ready{detail}; export it anyway with --allow-incomplete."
        )
    sections = case_sections(store, checklist)
    if not any(section.documents for section in sections) and not options.cover:
        raise ExportError(f"Case '{case.name}' has no documents filed: there is nothing to export.")
    font_warning = _text_warning(case, sections)
    if font_warning and warn_first is not None:
        warn_first(font_warning)
    cover = CoverInfo(
        applicant=case.name,
        title_en=profile.title_en,
        title_zh=profile.title_zh,
        submission_date=case.submission_date,
        submission_passed=checklist.submission_passed,
        durations=tuple(
            (d.duration.title_zh, d.duration.title_en, _duration_words(d))
            for d in checklist.durations
        ),
        generated=dt.datetime.now().astimezone(),
        ready=checklist.ready,
        warnings=tuple(english for english, _ in checklist.bilingual_warnings),
        warnings_zh=tuple(chinese for _, chinese in checklist.bilingual_warnings),
        valid_until=checklist.valid_until,
        notes=case.notes,
        profile_checked=profile.checked,
    )
    meta = PacketText(
        title=f"{case.name} — {profile.title_en} ({profile.title_zh})",
        author=case.name,
        subject="Application dossier for permanent residence in China · 外国人永久居留申请材料",
    )
    result = build_packet(
        sections,
        Path(output),
        options,
        cover=cover,
        meta=meta,
        progress=progress,
        cancel=cancel,
        manifest_extra={
            "case": case.name,
            "case_id": case.id,
            "profile": profile.id,
            "profile_version": profile.version,
        },
    )
    store.record_export(
        case.id, result.output, result.pages, result.bytes, result.sha256, result.manifest_json
    )
    before = (*checklist.warnings, *([font_warning] if font_warning else []))
    return replace(result, warnings=(*before, *result.warnings))


export_case = export_packet  # the name the window looks for
