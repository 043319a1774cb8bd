"""Competition certificates: issued when results become final (prize or participation, one per
competitor and per team member), each with a random verification code checked on a public page;
revocation with a reason; the PDF with Chinese text.

The certificate font is the TrueType file at config CJK_FONT_PATH (embedded); without that file,
reportlab's built-in STSong-Light CID font is used (services.common.pdf).
"""

from __future__ import annotations

import io
import secrets

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core import clock
from models import User, db
from models.competitions import CompetitionCertificate, CompetitionRegistration
from services import policy
from services.common import audit
from services.common.pdf import cjk_font
from services.competitions.policy import MANAGE_COMPETITIONS, can_see_certificate
from services.errors import NotFound, RuleViolation


def new_certificate_code() -> str:
    """Random, unguessable (96 bits), URL-safe."""
    return secrets.token_urlsafe(12)


def issue(registration: CompetitionRegistration, holder: User, *, with_prize: bool) -> CompetitionCertificate:
    """Add the certificate of one holder of a final result: "prize" when the result carries a prize,
    else "participation", with a new verification code. Called by results.finalise_results."""
    certificate = CompetitionCertificate(registration_id=registration.id, worker_id=holder.id,
                                         kind="prize" if with_prize else "participation",
                                         code=new_certificate_code())
    db.session.add(certificate)
    return certificate


def verify_certificate(code: str) -> CompetitionCertificate | None:
    """The certificate with this code (valid or revoked), or None for an unknown or malformed code
    (blank, or longer than 32 characters). Public: no login needed."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    return db.session.scalar(select(CompetitionCertificate).where(CompetitionCertificate.code == code).options(
        db.joinedload(CompetitionCertificate.holder),
        db.joinedload(CompetitionCertificate.registration).joinedload(CompetitionRegistration.result),
        db.joinedload(CompetitionCertificate.registration).joinedload(CompetitionRegistration.worker),
        db.joinedload(CompetitionCertificate.registration).joinedload(CompetitionRegistration.competition)))


def get_certificate(actor, certificate_id: int) -> CompetitionCertificate:
    """A certificate for its holder, HR of the entry's enterprise or an admin; otherwise NotFound."""
    certificate = db.session.get(CompetitionCertificate, certificate_id)
    if certificate is None or not can_see_certificate(actor, certificate):
        raise NotFound(_l("找不到这张证书。"))
    return certificate


def certificate_for(registration: CompetitionRegistration, worker: User) -> CompetitionCertificate | None:
    """The worker's own certificate of an entry (each team member has one), or None."""
    return db.session.scalar(select(CompetitionCertificate).where(
        CompetitionCertificate.registration_id == registration.id, CompetitionCertificate.worker_id == worker.id))


def revoke_certificate(actor, certificate: CompetitionCertificate, reason: str) -> None:
    """An admin revokes a certificate with a reason (required text); the public check then says so.
    Raises NotAllowed or RuleViolation (no reason, already revoked)."""
    policy.require_admin(actor, MANAGE_COMPETITIONS)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写撤销理由。"), field="reason")
    if certificate.revoked_at:
        raise RuleViolation(_l("这张证书已经撤销。"))
    certificate.revoked_at = clock.now()
    certificate.revoke_reason = reason
    audit.record("competition.certificate_revoked", actor=actor, obj=certificate, reason=reason)


def certificate_pdf(certificate: CompetitionCertificate, verify_url: str) -> bytes:
    """An A4 landscape certificate in Chinese: title, holder, competition, prize (and rank) or
    participation, honour, the union's name and date, the code and the URL that verifies it."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    registration = certificate.registration
    competition = registration.competition
    result = registration.result
    font = cjk_font()
    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(f"{competition.name} 证书")
    pdf.setLineWidth(3)
    pdf.rect(30, 30, width - 60, height - 60)
    is_prize = certificate.kind == "prize" and result is not None and result.prize
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 120, "荣誉证书" if is_prize else "参赛证书")
    pdf.setFont(font, 22)
    pdf.drawCentredString(width / 2, height - 200, f"{certificate.holder.name} 同志：")
    team = f"作为“{registration.team_name}”队员" if registration.team_name else ""
    if is_prize:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the certificate is in Chinese
            prize = str(result.prize_label)
        line = f"{team}在{competition.held_on.year}年“{competition.name}”中荣获{prize}（第 {result.rank} 名）。"
    else:
        line = f"{team}参加{competition.held_on.year}年“{competition.name}”，特发此证。"
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 250, line)
    if is_prize and result.honour:
        pdf.drawCentredString(width / 2, height - 285, f"并推荐为：{result.honour}")
    pdf.setFont(font, 16)
    pdf.drawRightString(width - 90, 150, "晋江市总工会")
    pdf.drawRightString(width - 90, 125, competition.held_on.strftime("%Y年%m月%d日"))
    pdf.setFont(font, 11)
    pdf.drawString(60, 80, f"验证码：{certificate.code}")
    pdf.drawString(60, 62, f"验证网址：{verify_url}")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
