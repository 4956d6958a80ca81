"""What a slot asks for, in words: hint, condition, date rules, copies, translation, city notes."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from yongju.core.profiles import Legalisation, Requirement, Slot, Validity


class SlotInfo(QLabel):
    """A read-only, word-wrapped description of the selected slot and its state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.set_slot(None)

    def set_slot(
        self, slot: Slot | None, state_words: str = "", message: str = "", city: str = ""
    ) -> None:
        """Describes ``slot``; ``state_words``/``message`` come from the checklist's status."""
        if slot is None:
            self.setText(
                f"<i>{escape(self.tr('Select a requirement to see what it asks for.'))}</i>"
            )
            return
        chinese = QLocale().language() == QLocale.Language.Chinese
        titles = [slot.title_en, slot.title_zh]
        if chinese:
            titles.reverse()
        parts = [f"<b>{escape(titles[0])}</b><br>{escape(titles[1])}"]
        if state_words:
            status = escape(state_words) + (f" — {escape(message)}" if message else "")
            parts.append(f"<p><b>{escape(self.tr('State:'))}</b> {status}</p>")
        if slot.hint:
            parts.append(f"<p>{escape(slot.text('hint', chinese))}</p>")
        rules = self.rules(slot, city)
        if rules:
            items = "".join(f"<li>{escape(rule)}</li>" for rule in rules)
            parts.append(f"<ul style='margin-left:-20px'>{items}</ul>")
        notes = [
            (c, slot.city_note(c, chinese))
            for c, _n in slot.cities
            if not city or c.lower() == city.lower()
        ]
        if notes:
            lines = "<br>".join(f"<b>{escape(c.title())}:</b> {escape(n)}" for c, n in notes)
            parts.append(f"<p>{lines}</p>")
        if slot.source:
            label = escape(self.tr("Source:"))
            parts.append(f"<p><small>{label} {escape(slot.source)}</small></p>")
        self.setText("".join(parts))

    def rules(self, slot: Slot, city: str = "") -> list[str]:
        """The slot's rules as sentences in the interface language."""
        chinese = QLocale().language() == QLocale.Language.Chinese
        copies_note = slot.text("copies_note", chinese)
        rules = [self._requirement(slot, chinese)]
        rules += self.validity_words(slot.validity_for(city))
        if slot.copies:
            if slot.copies == 1:
                copies = self.tr("Bring the original and one copy.")
            else:
                copies = self.tr("Bring the original and %1 copies.").replace(
                    "%1", str(slot.copies)
                )
            rules.append(copies + (f" ({copies_note})" if copies_note else ""))
        elif copies_note:
            rules.append(copies_note)
        if slot.translation:
            rules.append(
                self.tr("A Chinese translation is needed unless the document is in Chinese.")
            )
        legalisation = slot.legalisation_for(city)
        if legalisation is Legalisation.APOSTILLE:
            rules.append(self.tr("Issued abroad: needs an apostille (or consular legalisation)."))
        elif legalisation is Legalisation.NOTARISED:
            rules.append(
                self.tr(
                    "Issued in China: notarised; issued abroad: an apostille (or legalisation)."
                )
            )
        return [rule for rule in rules if rule]

    def _requirement(self, slot: Slot, chinese: bool) -> str:
        if slot.requirement is Requirement.OPTIONAL:
            return self.tr("Optional.")
        if slot.requirement is Requirement.CONDITIONAL:
            condition = slot.text("condition", chinese)
            return self.tr("Needed only when: %1").replace("%1", condition)
        return self.tr("Required.")

    def validity_words(self, validity: Validity) -> list[str]:
        """``Validity.describe()``, in the interface language."""
        words = []
        if validity.issued_within_months is not None:
            words.append(
                self.tr("Issued within %1 calendar months before submission.").replace(
                    "%1", str(validity.issued_within_months)
                )
            )
        if validity.legalised_within_months is not None:
            words.append(
                self.tr("Legalised within %1 calendar months before submission.").replace(
                    "%1", str(validity.legalised_within_months)
                )
            )
        if validity.issued_within_days is not None:
            words.append(
                self.tr("Issued within %1 days before submission.").replace(
                    "%1", str(validity.issued_within_days)
                )
            )
        if validity.valid_months_after_submission is not None:
            words.append(
                self.tr("Valid (frozen) more than %1 months after submission.").replace(
                    "%1", str(validity.valid_months_after_submission)
                )
            )
        elif validity.valid_days_after_submission is not None:
            words.append(
                self.tr("Valid at least %1 days after submission.").replace(
                    "%1", str(validity.valid_days_after_submission)
                )
            )
        elif validity.not_expired:
            words.append(self.tr("Not expired on the submission date."))
        if words and validity.abroad_only:
            words.append(self.tr("These dates apply to a document issued abroad."))
        return words
