"""Certificates of craftsman titles: the PDF, the verification code and the public check.

- `certificate_pdf(award, verify_url)`: A4 landscape with Chinese text in fonts that print every
  character, the whole citation (it shrinks, then continues on a second page; never cut), a QR code of
  the verification page clear of the text, and 已撤销 with its date across a revoked title (who may
  download it: services.titles.policy.can_see_award_certificate);
- `new_verification_code()`: a code without look-alike characters, printed in groups
  (services.common.verification);
- `verify(code)`: what the public verification page says about a code or a printed certificate number
  (e.g. JX-2026-01-0001, normalised): valid, expired, revoked, on notice (a proposed title is not yet
  awarded, docs/domain.md "Titles") or unknown. Registered as the "title" kind of the one public check.
"""

from __future__ import annotations

from sqlalchemy import func, or_

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.titles import AWARD_NOTICE, AWARD_REVOKED, TitleAward
from services.common import verification
from services.common.pdf.layout import MM, RED, Document

VERIFY_VALID, VERIFY_EXPIRED, VERIFY_REVOKED, VERIFY_NOTICE, VERIFY_UNKNOWN = (
    "valid", "expired", "revoked", "notice", "unknown")


def new_verification_code() -> str:
    """12 characters without look-alikes (services.common.verification.new_code), stored compact."""
    return verification.new_code()


def _matching(forms, compact):
    """Select of the awards whose code is one of `forms` or whose certificate number, without dashes and
    spaces and in capitals, is `compact` (bind parameters: verification.FORMS and COMPACT)."""
    number = func.upper(func.replace(func.replace(TitleAward.certificate_no, "-", ""), " ", ""))
    return db.select(TitleAward).where(or_(TitleAward.verification_code.in_(forms), number == compact))


def _award_by(forms: set[str], compact: str) -> TitleAward | None:
    """The award `_matching` finds, with what its verdict shows (the holder without his roles): a kept
    statement (verification.find_one)."""
    return verification.find_one("title", lambda: _matching(verification.FORMS, verification.COMPACT).options(
        db.joinedload(TitleAward.title_type), db.joinedload(TitleAward.worker).lazyload(User.role_rows),
        db.joinedload(TitleAward.enterprise)).limit(1), forms, compact)


def verify(code: str) -> tuple[str, TitleAward | None]:
    """The status of a certificate code or number (one of VERIFY_*) and its award (None when unknown).

    The text is normalised (NFKC, trimmed, case and dashes ignored; services.common.verification), at
    most 64 characters; expiry is `valid_until` before today (Asia/Shanghai).
    """
    if not (code or "").strip() or len(code) > verification.MAX_INPUT:
        return VERIFY_UNKNOWN, None
    granted = _award_by(verification.candidates(code), verification.normalise(code))
    if granted is None:
        return VERIFY_UNKNOWN, None
    if granted.status == AWARD_REVOKED:
        return VERIFY_REVOKED, granted
    if granted.status == AWARD_NOTICE:
        return VERIFY_NOTICE, granted
    if granted.valid_until is not None and granted.valid_until < clock.today():
        return VERIFY_EXPIRED, granted
    return VERIFY_VALID, granted


def revoked_on(granted: TitleAward):
    """The day (Asia/Shanghai) a revoked title was revoked, None otherwise."""
    if granted.status != AWARD_REVOKED:
        return None
    moment = granted.revoked_at or clock.now()
    return moment.astimezone(clock.SHANGHAI).date()


def _lookup(forms: set[str], compact: str) -> verification.Verdict | None:
    granted = _award_by(forms, compact)
    if granted is None:
        return None
    status = {AWARD_REVOKED: verification.REVOKED, AWARD_NOTICE: verification.NOTICE}.get(granted.status)
    if status is None:
        expired = granted.valid_until is not None and granted.valid_until < clock.today()
        status = verification.EXPIRED if expired else verification.VALID
    return verification.Verdict(
        status=status, kind=str(_l("荣誉称号证书")), holder=granted.worker.name,
        enterprise=granted.enterprise.name if granted.enterprise else "", awarded=granted.title_type.name,
        number=granted.certificate_no, issued_on=granted.award_date, revoked_on=revoked_on(granted),
        valid_until=granted.valid_until)


verification.register_kind("title", _lookup, _matching)


def certificate_pdf(granted: TitleAward, verify_url: str) -> bytes:
    """One A4 landscape page (a second one only for a citation too long for the first): title, holder,
    enterprise, the whole citation, number, dates, grouped code and QR code in the footer. Raises
    RuleViolation for a character no font can print."""
    doc = Document(f"{granted.title_type.name} {granted.certificate_no}", landscape=True, margin=20 * MM,
                   border=True)
    inner_left, inner_right = doc.left + 12 * MM, doc.right - 12 * MM
    y = doc.paragraph("荣誉证书", top=doc.top - 6 * MM, size=34, color=RED)
    y = doc.paragraph(f"{granted.worker.name} 同志：", top=y - 6 * MM, size=22, min_size=14,
                      left=inner_left, right=inner_right, align="left")
    if granted.enterprise:
        y = doc.paragraph(granted.enterprise.name, top=y, size=15, min_size=11, max_lines=2,
                          left=inner_left + 10 * MM, right=inner_right, align="left", color=(0.3, 0.3, 0.3))
    y = doc.paragraph(f"被授予“{granted.title_type.name}”荣誉称号。", top=y - 2 * MM, size=20, min_size=13,
                      max_lines=2, left=inner_left + 10 * MM, right=inner_right, align="left")
    footer_top = doc.bottom + 34 * MM
    doc.paragraph(granted.citation, top=y - 2 * MM, size=12, min_size=9, max_lines=6, left=inner_left + 10 * MM,
                  right=inner_right, align="left", floor=footer_top)
    qr_size = 30 * MM
    doc.qr(verify_url, doc.right - qr_size, doc.bottom, qr_size)
    doc.line(f"证书编号：{granted.certificate_no}", inner_left, doc.bottom + 22 * MM, 12)
    doc.line(f"授予日期：{granted.award_date.isoformat()}", inner_left, doc.bottom + 14 * MM, 12)
    if granted.valid_until:
        doc.line(f"有效期至：{granted.valid_until.isoformat()}", inner_left, doc.bottom + 6 * MM, 12)
    code_right = doc.right - qr_size - 4 * MM
    doc.line(f"验证码：{verification.grouped(granted.verification_code)}", code_right, doc.bottom + 14 * MM, 12,
             align="right")
    doc.line("晋江市总工会", code_right, doc.bottom + 24 * MM, 14, align="right")
    when = revoked_on(granted)
    if when:
        doc.stamp_revoked("已撤销", when)
    return doc.finish()
