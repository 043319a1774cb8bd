"""The PDF certificate of a craftsman title, with Chinese text and a QR code of its verification page."""

from __future__ import annotations

import io

from models.titles import TitleAward
from services.common.pdf import cjk_font, draw_qr


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
