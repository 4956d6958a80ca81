"""Suggestion hit rate: file names in seven languages imported into a spouse case.

Writes one small scan per name, imports them all with ``yongju import --case NAME`` (no
``--slot``: each document is filed by its suggestion) and compares where each went with the
slot a person would pick. Prints the hit rate, the misses, and the count of suggestions
outside the case's profile (which must be 0).

    .venv/bin/python benchmarks/bench_suggest.py [--json]

``tests/core/test_suggest.py`` runs the same table.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

PROFILE = "spouse_of_chinese_citizen"

# (file name, the slot of the spouse profile it belongs in, or None: no slot of this profile).
NAMES: list[tuple[str, str | None]] = [
    # passport
    ("Scan_2026-03-01_Paspoort_Jan.jpg", "passport"),
    ("passport_data_page.jpg", "passport"),
    ("Passeport-Jean-Dupont.jpg", "passport"),
    ("Reisepass_Mueller.jpg", "passport"),
    ("pasaporte_maria.jpg", "passport"),
    ("паспорт_иванов.jpg", "passport"),
    ("护照首页.jpg", "passport"),
    ("PassportScan2026.jpg", "passport"),
    ("IMG_20260301_visa.jpg", "passport"),
    # criminal record, abroad and in China
    ("casier_judiciaire.jpg", "ncr_foreign"),
    ("Extrait de casier judiciaire - Belgique.jpg", "ncr_foreign"),
    ("uittreksel_strafregister_2026.jpg", "ncr_foreign"),
    ("VOG_Jan.jpg", "ncr_foreign"),
    ("Führungszeugnis.jpg", "ncr_foreign"),
    ("Fuehrungszeugnis_2026.jpg", "ncr_foreign"),
    ("Fuhrungszeugnis scan.jpg", "ncr_foreign"),
    ("certificado_antecedentes_penales.jpg", "ncr_foreign"),
    ("справка о несудимости.jpg", "ncr_foreign"),
    ("Police clearance certificate UK.jpg", "ncr_foreign"),
    ("无犯罪记录证明.jpg", "ncr_foreign"),
    ("criminalRecordCheck.jpg", "ncr_foreign"),
    ("国内无犯罪记录证明_派出所.jpg", "ncr_china"),
    # health
    ("health_certificate.jpg", "health_certificate"),
    ("体检报告.jpg", "health_certificate"),
    ("certificat_médical.jpg", "health_certificate"),
    ("Gesundheitszeugnis.jpg", "health_certificate"),
    ("medische_verklaring.jpg", "health_certificate"),
    ("certificado médico.jpg", "health_certificate"),
    ("медицинская справка.jpg", "health_certificate"),
    # photos, forms, attorney, CV, registration
    ("photo.jpg", "photo_print"),
    ("证件照.jpg", "photo_print"),
    ("pasfoto.jpg", "photo_print"),
    ("Passbild.jpg", "photo_print"),
    ("фото.jpg", "photo_print"),
    ("application_form_signed.jpg", "application_form"),
    ("永久居留申请表.jpg", "application_form"),
    ("formulaire_de_demande.jpg", "application_form"),
    ("Antragsformular.jpg", "application_form"),
    ("委托书.jpg", "power_of_attorney"),
    ("procuration.jpg", "power_of_attorney"),
    ("volmacht.jpg", "power_of_attorney"),
    ("Vollmacht.jpg", "power_of_attorney"),
    ("доверенность.jpg", "power_of_attorney"),
    ("CV_Jan_Peeters.jpg", "resume"),
    ("简历.jpg", "resume"),
    ("Lebenslauf.jpg", "resume"),
    ("临时住宿登记表.jpg", "accommodation_reg"),
    ("accommodation registration.jpg", "accommodation_reg"),
    # marriage
    ("IMG_2034_huwelijksakte.jpg", "sp_marriage_cert"),
    ("acte de mariage.jpg", "sp_marriage_cert"),
    ("Heiratsurkunde.jpg", "sp_marriage_cert"),
    ("marriage_certificate.jpg", "sp_marriage_cert"),
    ("结婚证.jpg", "sp_marriage_cert"),
    ("acta_de_matrimonio.jpg", "sp_marriage_cert"),
    ("свидетельство о браке.jpg", "sp_marriage_cert"),
    ("MarriageCertificate_apostille.jpg", "sp_marriage_cert"),
    ("trouwakte.jpg", "sp_marriage_cert"),
    # the Chinese spouse's papers
    ("身份证正反面.jpg", "sp_spouse_id_card"),
    ("wife_ID_card.jpg", "sp_spouse_id_card"),
    ("户口簿.jpg", "sp_spouse_hukou"),
    ("户口本_首页.jpg", "sp_spouse_hukou"),
    ("hukou_wife.jpg", "sp_spouse_hukou"),
    ("household register.jpg", "sp_spouse_hukou"),
    # money
    ("存款证明_冻结.jpg", "sp_financial_proof"),
    ("bank deposit certificate.jpg", "sp_financial_proof"),
    ("attestation bancaire.jpg", "sp_financial_proof"),
    ("bankattest.jpg", "sp_financial_proof"),
    ("Kontoauszug.jpg", "sp_financial_proof"),
    ("frozen_deposit_BOC.jpg", "sp_financial_proof"),
    ("银行存款证明.jpg", "sp_financial_proof"),
    ("担保声明书.jpg", "sp_guarantee_statement"),
    # housing
    ("房产证.jpg", "sp_housing"),
    ("lease_2026.jpg", "sp_housing"),
    ("bail.jpg", "sp_housing"),
    ("huurcontract.jpg", "sp_housing"),
    ("Mietvertrag.jpg", "sp_housing"),
    ("租赁合同.jpg", "sp_housing"),
    ("contrato de alquiler.jpg", "sp_housing"),
    ("договор аренды.jpg", "sp_housing"),
    ("房东同意居住声明.jpg", "sp_owner_consent"),
    ("landlord consent.jpg", "sp_owner_consent"),
    # the 5-year history: old passports and residence permits
    ("old_passport_2019.jpg", "sp_residence_history"),
    ("居留许可_2021.jpg", "sp_residence_history"),
    ("residence permit 2020.jpg", "sp_residence_history"),
    ("titre de séjour.jpg", "sp_residence_history"),
    ("Aufenthaltstitel.jpg", "sp_residence_history"),
    ("出入境记录.jpg", "sp_residence_history"),
    ("verblijfsvergunning.jpg", "sp_residence_history"),
    # job and income
    ("在职证明.jpg", "sp_income_employment"),
    ("payslip_march.jpg", "sp_income_employment"),
    ("完税证明_2025.jpg", "sp_income_employment"),
    ("loonstrook.jpg", "sp_income_employment"),
    ("Arbeitsvertrag.jpg", "sp_income_employment"),
    # nothing of this profile: the document must stay unsuggested
    ("IMG_0001.jpg", None),
    ("scan0003.jpg", None),
    ("document.jpg", None),
    ("work permit.jpg", None),
    ("营业执照.jpg", None),
    ("recommendation letter.jpg", None),
    ("PhD diploma.jpg", None),
    # Written after the lexicon was settled, and scored 48 of 48 before any change to it.
    ("Jan Peeters - paspoort (alle paginas).jpg", "passport"),
    ("passport_copy_color.jpg", "passport"),
    ("Reisepass Seite 1.jpg", "passport"),
    ("Copie passeport.jpg", "passport"),
    ("загранпаспорт скан.jpg", "passport"),
    ("护照复印件.jpg", "passport"),
    ("Apostille_Strafregister.jpg", "ncr_foreign"),
    ("Belgian police certificate (apostilled).jpg", "ncr_foreign"),
    ("FBI background check.jpg", "ncr_foreign"),
    ("certificado de antecedentes penales apostillado.jpg", "ncr_foreign"),
    ("casier-judiciaire-bulletin3.jpg", "ncr_foreign"),
    ("Führungszeugnis_Belegart_O.jpg", "ncr_foreign"),
    ("无犯罪证明-比利时.jpg", "ncr_foreign"),
    ("体检表.jpg", "health_certificate"),
    ("Medical_exam_results.jpg", "health_certificate"),
    ("二寸照片.jpg", "photo_print"),
    ("Pasfoto Jan.jpg", "photo_print"),
    ("申请表-签名.jpg", "application_form"),
    ("huwelijksakte beëdigde vertaling.jpg", "sp_marriage_cert"),
    ("Marriage cert + apostille.jpg", "sp_marriage_cert"),
    ("结婚证内页.jpg", "sp_marriage_cert"),
    ("Acte_mariage_legalise.jpg", "sp_marriage_cert"),
    ("Eheurkunde_mit_Apostille.jpg", "sp_marriage_cert"),
    ("老婆身份证.jpg", "sp_spouse_id_card"),
    ("Spouse ID (front+back).jpg", "sp_spouse_id_card"),
    ("户口本-本人页.jpg", "sp_spouse_hukou"),
    ("Hukou booklet pages.jpg", "sp_spouse_hukou"),
    ("工商银行存款证明.jpg", "sp_financial_proof"),
    ("Bank certificate frozen deposit 200000 RMB.jpg", "sp_financial_proof"),
    ("定期存款冻结证明.jpg", "sp_financial_proof"),
    ("不动产权证书.jpg", "sp_housing"),
    ("房屋租赁合同.jpg", "sp_housing"),
    ("Tenancy agreement Shanghai.jpg", "sp_housing"),
    ("Huurovereenkomst appartement.jpg", "sp_housing"),
    ("old passports visas 2020-2025.jpg", "sp_residence_history"),
    ("出入境记录查询.jpg", "sp_residence_history"),
    ("居留证件 2022.jpg", "sp_residence_history"),
    ("个人所得税纳税记录.jpg", "sp_income_employment"),
    ("Arbeitgeberbescheinigung.jpg", "sp_income_employment"),
    ("salary certificate 2025.jpg", "sp_income_employment"),
    ("担保书.jpg", "sp_guarantee_statement"),
    ("委托书-代理人.jpg", "power_of_attorney"),
    ("Resume_2026.jpg", "resume"),
    ("住宿登记.jpg", "accommodation_reg"),
    ("Scan 12.jpg", None),
    ("Degree certificate.jpg", None),
    ("Work permit card.jpg", None),
    ("营业执照副本.jpg", None),
]


@dataclass(frozen=True)
class Outcome:
    name: str
    expected: str | None
    got: str | None


def _scan(path: Path, index: int) -> None:
    """A small, distinct scan (distinct bytes: the store deduplicates by content)."""
    image = Image.new("RGB", (120, 170), (240, 238, 230))
    ImageDraw.Draw(image).text((8, 8), f"{index:04d}", fill=(20, 20, 20))
    image.save(path, "JPEG", quality=70)


def _yongju(*argv: str) -> object:
    from yongju.cli import run

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = run(list(argv))
    if status not in (0, 1):
        raise RuntimeError(f"yongju {' '.join(argv)} exited {status}")
    return json.loads(out.getvalue())


def measure(folder: Path) -> tuple[list[Outcome], int]:
    """Imports every name into a new spouse case in ``folder``; (outcomes, outside-profile count).

    A document's outcome is the slot ``import --case`` suggested for it in that case (and
    filed it in, unless the slot was already full), else None. The count is of every
    suggestion shown, by ``import`` and ``docs --case``, that is not a slot of the case's
    profile.
    """
    from yongju.core.profiles import load_profiles
    from yongju.core.resources import resource_path

    files = folder / "files"
    files.mkdir(parents=True)
    paths = []
    for index, (name, _) in enumerate(NAMES):
        paths.append(files / name)
        _scan(paths[-1], index)
    store = ["--store", str(folder / "store")]
    _yongju(*store, "case", "new", "Jan", "--profile", PROFILE, "--json")
    results = _yongju(*store, "import", *map(str, paths), "--case", "Jan", "--json")
    docs = _yongju(*store, "docs", "--case", "Jan", "--json")
    assert isinstance(results, list) and isinstance(docs, list)
    own = {slot.id for slot in load_profiles(resource_path("profiles")).get(PROFILE).slots}
    shown = [r["suggested_slot"] for r in results] + [d["suggested_slot"] for d in docs]
    outside = sum(1 for slot in shown if slot is not None and slot not in own)
    # The suggestion, not the filing: a slot that takes one document files only the first.
    by_path = {r["path"]: r["suggested_slot"] for r in results}
    outcomes = [Outcome(name, expected, by_path.get(str(files / name))) for name, expected in NAMES]
    return outcomes, outside


def hit_rate(outcomes: list[Outcome]) -> float:
    return sum(1 for o in outcomes if o.got == o.expected) / len(outcomes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outcomes, outside = measure(Path(tmp))
    misses = [o for o in outcomes if o.got != o.expected]
    if args.json:
        print(
            json.dumps(
                {
                    "names": len(outcomes),
                    "hit_rate": hit_rate(outcomes),
                    "outside_profile": outside,
                    "misses": [o.__dict__ for o in misses],
                },
                ensure_ascii=False,
            )
        )
        return 0
    print(
        f"{len(outcomes)} names, hit rate {hit_rate(outcomes):.1%}, "
        f"{outside} suggestions outside the case's profile"
    )
    for o in misses:
        print(f"  miss: {o.name!r}: expected {o.expected}, got {o.got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
