"""What a slot asks for, in words: hint, condition, date rules, copies, translation, city notes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from yongju.core.profiles import Legalisation, Requirement, Slot, Validity

_ADDRESS = re.compile(r"(https?://[^\s;+]+|\b[\w-]+(?:\.[\w-]+)+\.[a-z]{2,}(?:/[^\s;+]*)?)")
_KEY = re.compile(r"\[([^\]]+)\]")


def source_name_and_link(where: str) -> tuple[str, str]:
    """ "Beijing, FAQ — http://…" → ("Beijing, FAQ", "http://…"); the link is "" when none."""
    name, _dash, rest = where.partition(" — ")
    match = _ADDRESS.search(rest)
    if match is None:
        return name.strip(), ""
    link = match.group(1)
    return name.strip(), link if link.startswith("http") else f"https://{link}"


class SlotInfo(QLabel):
    """A read-only, word-wrapped description of the selected slot and its state.

    ``sources`` maps source keys ("BJ-FAQ") to where a rule was read ("Beijing, FAQ — http…"),
    so the sources show by name, as links, rather than as keys.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        sources: Mapping[str, str] | None = None,
        with_title: bool = True,
    ) -> None:
        super().__init__(parent)
        self._sources = dict(sources or {})
        self._with_title = with_title
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        # Links go out through linkActivated: the window opens them (an OS edge tests fake).
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.set_slot(None)

    def set_slot(
        self, slot: Slot | None, state_words: str = "", message: str = "", city: str = ""
    ) -> None:
        """Describes ``slot``; ``state_words``/``message`` come from the checklist's status."""
        if slot is None:
            hint = self.tr("Select a requirement to see what it asks for.")
            self.setText(f"<i>{escape(hint)}</i>")
            return
        chinese = QLocale().language() == QLocale.Language.Chinese
        parts = []
        if self._with_title:
            titles = [slot.title_en, slot.title_zh]
            if chinese:
                titles.reverse()
            parts.append(f"<b>{escape(titles[0])}</b><br>{escape(titles[1])}")
        if state_words:
            status = escape(state_words) + (f" — {escape(message)}" if message else "")
            label = self.tr("State:")
            parts.append(f"<p><b>{escape(label)}</b> {status}</p>")
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
            label = self.tr("Sources:")
            parts.append(f"<p><small>{escape(label)} {self.sources_html(slot.source)}</small></p>")
        self.setText("".join(parts))

    def sources_html(self, source: str) -> str:
        """ "[BJ-FAQ][GD-GBA]" as named links; unknown keys and notes stay as written."""
        names = []
        for key in dict.fromkeys(_KEY.findall(source)):
            where = self._sources.get(key, "")
            if not where:
                names.append(escape(key))
                continue
            name, link = source_name_and_link(where)
            names.append(f"<a href='{escape(link)}'>{escape(name)}</a>" if link else escape(name))
        rest = _KEY.sub("", source).strip()
        if rest:
            names.append(escape(rest))  # "(inference)" and similar notes
        return " · ".join(names)

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
