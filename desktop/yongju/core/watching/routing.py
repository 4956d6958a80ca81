"""Subfolders named after a slot (``passport/``) or a case and a slot (``Anna/passport/``)
file their documents into that slot."""

from __future__ import annotations

from dataclasses import replace

from yongju.core.errors import NotFoundError, YongjuError
from yongju.core.profiles import ProfileSet
from yongju.core.records import CaseRecord
from yongju.core.store import Store
from yongju.core.watching.events import WatchEvent


class SlotRouter:
    """Turns a file's subfolder into a (case, slot) and files the document there."""

    def __init__(self, store: Store, profiles: ProfileSet, case: str | None) -> None:
        self._store = store
        self._profiles = profiles
        self._case = case  # the case a one-level subfolder's slot belongs to

    def target(self, rel_path: str) -> tuple[CaseRecord | None, str | None, str]:
        """(case, slot id, note): the slot for a file, or None and why it stays in the inbox."""
        folders = rel_path.split("/")[:-1]
        if not folders:
            return None, None, ""
        if len(folders) == 1:
            if self._case is None:
                return None, None, ""
            case_key, slot_name = self._case, folders[0]
        elif len(folders) == 2:
            case_key, slot_name = folders
        else:
            return None, None, ""
        try:
            case = self._store.case(case_key)
        except NotFoundError:
            return None, None, f"left in the inbox: there is no case named '{case_key}'"
        try:
            profile = self._profiles.get(case.profile_id)
        except NotFoundError as exc:
            return None, None, f"left in the inbox: {exc}"
        for slot in profile.slots:
            if slot.id.lower() == slot_name.lower():
                return case, slot.id, ""
        return (
            None,
            None,
            (f"left in the inbox: '{slot_name}' is not a slot of {case.name}'s profile"),
        )

    def file(self, event: WatchEvent, rel_path: str) -> WatchEvent:
        """Files the event's document into its slot, if it has one; the event says what was done."""
        case, slot_id, note = self.target(rel_path)
        if case is None or slot_id is None or event.document_id is None:
            return replace(event, reason=_join(event.reason, note)) if note else event
        already = self._store.filings(case.id, event.document_id)
        if any(f.slot_id == slot_id for f in already):
            return replace(
                event,
                case_id=case.id,
                slot_id=slot_id,
                reason=_join(event.reason, "already filed there"),
            )
        try:
            self._store.file_document(case.id, slot_id, event.document_id)
        except YongjuError as exc:
            return replace(event, reason=_join(event.reason, f"not filed: {exc}"))
        return replace(event, case_id=case.id, slot_id=slot_id)


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first and second else first or second
