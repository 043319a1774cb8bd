"""Certificates of craftsman titles: the PDF, the secret verification code and the public check.

- `certificate_pdf(award, verify_url)`: one A4 page with Chinese text and a QR code of the
  verification page (who may download it: services.titles.policy.can_see_award_certificate);
- `new_verification_code()`: an unguessable code printed on the certificate;
- `verify(code)`: what the public verification page says: valid, expired, revoked, on notice (a
  proposed title is not yet awarded, docs/domain.md "Titles") or unknown.
"""

from __future__ import annotations

import io
import secrets

from core import clock
from models import db
from models.titles import AWARD_NOTICE, AWARD_REVOKED, TitleAward
from services.common.pdf import cjk_font, draw_qr

VERIFY_VALID, VERIFY_EXPIRED, VERIFY_REVOKED, VERIFY_NOTICE, VERIFY_UNKNOWN = (
    "valid", "expired", "revoked", "notice", "unknown")


def new_verification_code() -> str:
    """24 URL-safe characters from 18 random bytes."""
    return secrets.token_urlsafe(18)


def verify(code: str) -> tuple[str, TitleAward | None]:
    """The status of a certificate code (one of VERIFY_*) and its award (None when unknown).

    A code is at most 40 characters; expiry is `valid_until` before today (Asia/Shanghai).
    """
    code = (code or "").strip()
    if not code or len(code) > 40:
        return VERIFY_UNKNOWN, None
    granted = db.session.scalar(db.select(TitleAward).options(
        db.joinedload(TitleAward.title_type), db.joinedload(TitleAward.worker), db.joinedload(TitleAward.enterprise))
        .where(TitleAward.verification_code == code))
    if granted is None:
        return VERIFY_UNKNOWN, None
    if granted.status == AWARD_REVOKED:
        return VERIFY_REVOKED, granted
    if granted.status == AWARD_NOTICE:
        return VERIFY_NOTICE, granted
    if granted.valid_until is not None and granted.valid_until < clock.today():
        return VERIFY_EXPIRED, granted
    return VERIFY_VALID, granted


def certificate_pdf(granted: TitleAward, verify_url: str) -> bytes:
    """One A4 landscape page: title, holder, enterprise, citation excerpt, number, dates, QR code."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    font = cjk_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{granted.title_type.name} {granted.certificate_no}")
    pdf.setStrokeColorRGB(0.55, 0.1, 0.1)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColorRGB(0.55, 0.1, 0.1)
    pdf.setFont(font, 34)
    pdf.drawCentredString(width / 2, height - 45 * mm, "荣誉证书")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 20)
    enterprise = granted.enterprise.name if granted.enterprise else ""
    pdf.drawCentredString(width / 2, height - 70 * mm, f"{enterprise}  {granted.worker.name} 同志：")
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 88 * mm, f"被授予“{granted.title_type.name}”荣誉称号。")
    pdf.setFont(font, 12)
    citation = granted.citation.replace("\n", " ")
    line_chars = 48
    for index in range(0, min(len(citation), line_chars * 3), line_chars):
        pdf.drawCentredString(width / 2, height - (105 + index // line_chars * 7) * mm,
                              citation[index:index + line_chars])
    pdf.setFont(font, 12)
    pdf.drawString(25 * mm, 40 * mm, f"证书编号：{granted.certificate_no}")
    pdf.drawString(25 * mm, 32 * mm, f"授予日期：{granted.award_date.isoformat()}")
    if granted.valid_until:
        pdf.drawString(25 * mm, 24 * mm, f"有效期至：{granted.valid_until.isoformat()}")
    pdf.drawString(width - 120 * mm, 24 * mm, f"验证码：{granted.verification_code}")
    draw_qr(pdf, verify_url, width - 52 * mm, 20 * mm, 32 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
