"""Competition certificates: issued when results become final (prize or participation, one per
competitor and per team member), each with a verification code (services.common.verification: no
look-alike characters, printed in groups) checked on the one public verification page; revocation with a
reason (audited); the PDF (services.common.pdf: every character printed, text kept inside the frame, a QR
code of the verification page clear of the text, and 已撤销 with its date across a revoked certificate).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.competitions import CompetitionCertificate, CompetitionRegistration
from services.common import audit, verification
from services.common.pdf.layout import MM, Document
from services.competitions import policy as competitions_policy
from services.competitions.policy import can_see_certificate, own_entry_condition
from services.errors import NotFound, RuleViolation


def new_certificate_code() -> str:
    """A new verification code: 12 characters without look-alikes, unguessable (services.common.verification)."""
    return verification.new_code()


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
    (blank, or longer than 64 characters). The code is normalised (services.common.verification:
    full-width, case, dashes and spaces); codes issued before keep their exact form. Public."""
    if not (code or "").strip() or len(code) > verification.MAX_INPUT:
        return None
    return _certificate_by_code(verification.candidates(code))


def _matching(forms, _compact=None):
    """Select of the certificates whose code is one of `forms` (verification.FORMS)."""
    return select(CompetitionCertificate).where(CompetitionCertificate.code.in_(forms))


def _certificate_by_code(forms: set[str]) -> CompetitionCertificate | None:
    return verification.find_one("competition", lambda: _matching(verification.FORMS).options(
        db.joinedload(CompetitionCertificate.holder).lazyload(User.role_rows),
        db.joinedload(CompetitionCertificate.registration).joinedload(CompetitionRegistration.result),
        db.joinedload(CompetitionCertificate.registration).joinedload(CompetitionRegistration.enterprise),
        db.joinedload(CompetitionCertificate.registration).joinedload(CompetitionRegistration.competition)),
        forms, "")


def awarded_text(certificate: CompetitionCertificate) -> str:
    """What the certificate awards, in the reader's language: the prize and rank, or participation.
    The certificate itself is Chinese: its maker calls this inside `force_locale` of the default locale."""
    registration = certificate.registration
    result = registration.result
    if certificate.kind == "prize" and result is not None and result.prize:
        return gettext("%(prize)s（第 %(rank)d 名）", prize=str(result.prize_label), rank=result.rank)
    return gettext("参赛证书")


def _lookup(forms: set[str], _compact: str) -> verification.Verdict | None:
    """The public verdict on a competition certificate code (services.common.verification)."""
    certificate = _certificate_by_code(forms)
    if certificate is None:
        return None
    registration = certificate.registration
    revoked = certificate.revoked_at
    return verification.Verdict(
        status=verification.REVOKED if revoked else verification.VALID, kind=str(_l("竞赛证书")),
        holder=certificate.holder.name, enterprise=registration.enterprise.name,
        awarded=f"{registration.competition.name} · {awarded_text(certificate)}",
        number=verification.grouped(certificate.code), issued_on=registration.competition.held_on,
        revoked_on=revoked.astimezone(clock.SHANGHAI).date() if revoked else None)


verification.register_kind("competition", _lookup, _matching)


def get_certificate(actor, certificate_id: int) -> CompetitionCertificate:
    """A certificate for its holder, HR of the entry's enterprise or an admin; otherwise NotFound."""
    certificate = db.session.get(CompetitionCertificate, certificate_id)
    if certificate is None or not can_see_certificate(actor, certificate):
        raise NotFound(_l("找不到这张证书。"))
    return certificate


def certificates_query(actor, competition):
    """The certificates of a competition for the admin's list (holder and enterprise joined), by entry
    and holder. Raises NotAllowed for anyone but an admin."""
    competitions_policy.require_runner(actor, competition)
    return (select(CompetitionCertificate).join(CompetitionCertificate.registration)
            .where(CompetitionRegistration.competition_id == competition.id)
            .options(db.joinedload(CompetitionCertificate.holder),
                     db.joinedload(CompetitionCertificate.registration).joinedload(CompetitionRegistration.enterprise))
            .order_by(CompetitionRegistration.competitor_no, CompetitionCertificate.id))


def certificate_for(registration: CompetitionRegistration, worker: User) -> CompetitionCertificate | None:
    """The worker's own certificate of an entry (each team member has one), or None."""
    return db.session.scalar(select(CompetitionCertificate).where(
        CompetitionCertificate.registration_id == registration.id, CompetitionCertificate.worker_id == worker.id))


def entry_with_certificate(worker: User, competition) -> tuple[CompetitionRegistration | None,
                                                                   CompetitionCertificate | None]:
    """The worker's entry in a competition as services.competitions.registration.entry_of finds it (with
    its result) and the worker's own certificate of it (certificate_for), both in one query: (entry,
    certificate or None), or (None, None) without an entry."""
    g, c = CompetitionRegistration, CompetitionCertificate
    row = db.session.execute(
        select(g, c).outerjoin(c, (c.registration_id == g.id) & (c.worker_id == worker.id))
        .where(g.competition_id == competition.id, own_entry_condition(worker))
        .options(db.joinedload(g.result))).first()
    return (None, None) if row is None else (row[0], row[1])


def certificates_of(worker: User, registration_ids) -> dict[int, CompetitionCertificate]:
    """The worker's own certificates of the given entries, by registration id (one query, revoked
    ones included: the page says 已撤销 instead of offering the download)."""
    ids = list(registration_ids)
    if not ids:
        return {}
    return {c.registration_id: c for c in db.session.scalars(select(CompetitionCertificate).where(
        CompetitionCertificate.worker_id == worker.id, CompetitionCertificate.registration_id.in_(ids)))}


def revoke_certificate(actor, certificate: CompetitionCertificate, reason: str) -> None:
    """An admin revokes a certificate with a reason (required text); the public check then says so.
    Raises NotAllowed or RuleViolation (no reason, already revoked)."""
    competitions_policy.require_runner(actor, certificate.registration.competition)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写撤销理由。"), field="reason")
    if certificate.revoked_at:
        raise RuleViolation(_l("这张证书已经撤销。"))
    certificate.revoked_at = clock.now()
    certificate.revoke_reason = reason
    audit.record("competition.certificate_revoked", actor=actor, obj=certificate, reason=reason)


def certificate_pdf(certificate: CompetitionCertificate, verify_url: str) -> bytes:
    """An A4 landscape certificate in Chinese: title, holder, enterprise, competition, prize (and rank) or
    participation, honour, the union's name and date, the grouped code, and a QR code of `verify_url` in
    the bottom left corner, below every line of text. Long names wrap or shrink inside the frame; a revoked
    certificate carries 已撤销 and its date. Raises RuleViolation for a character no font can print."""
    registration = certificate.registration
    competition = registration.competition
    result = registration.result
    is_prize = certificate.kind == "prize" and result is not None and result.prize
    doc = Document(f"{competition.name} 证书", landscape=True, margin=20 * MM, border=True)
    inner_left, inner_right = doc.left + 15 * MM, doc.right - 15 * MM
    footer_top = doc.bottom + 34 * MM  # the QR code, the code and the signature below: no text above runs into it
    y = doc.paragraph("荣誉证书" if is_prize else "参赛证书", top=doc.top - 8 * MM, size=40)
    y = doc.paragraph(f"{certificate.holder.name} 同志：", top=y - 8 * MM, size=24, min_size=14,
                      left=inner_left, right=inner_right, align="left")
    y = doc.paragraph(registration.enterprise.name, top=y, size=15, min_size=11, max_lines=2,
                      left=inner_left + 10 * MM, right=inner_right, align="left", color=(0.3, 0.3, 0.3))
    team = f"作为“{registration.team_name}”队员" if registration.team_name else ""
    if is_prize:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the certificate is in Chinese
            awarded = awarded_text(certificate)
        line = f"{team}在{_year_before(competition)}“{competition.name}”中荣获{awarded}。"
    else:
        line = f"{team}参加{_year_before(competition)}“{competition.name}”，特发此证。"
    y = doc.paragraph(line, top=y - 4 * MM, size=20, min_size=13, max_lines=3,
                      left=inner_left + 10 * MM, right=inner_right, align="left", floor=footer_top)
    if is_prize and result.honour:
        doc.paragraph(f"并推荐为：{result.honour}", top=y, size=16, min_size=12, max_lines=2,
                      left=inner_left + 10 * MM, right=inner_right, align="left", floor=footer_top)
    qr_size = 30 * MM
    doc.qr(verify_url, doc.left, doc.bottom, qr_size)
    doc.line("晋江市总工会", inner_right, doc.bottom + 14 * MM, 16, align="right")
    doc.line(competition.held_on.strftime("%Y年%m月%d日"), inner_right, doc.bottom + 6 * MM, 16, align="right")
    text_left = doc.left + qr_size + 4 * MM
    doc.line(f"证书编号 / 验证码：{verification.grouped(certificate.code)}", text_left, doc.bottom + 20 * MM, 11)
    doc.paragraph(f"验证：{verify_url}", top=doc.bottom + 17 * MM, size=9, min_size=7, max_lines=2,
                  left=text_left, right=doc.width / 2 + 40 * MM, align="left")
    if certificate.revoked_at:
        doc.stamp_revoked("已撤销", certificate.revoked_at.astimezone(clock.SHANGHAI).date())
    return doc.finish()


def _year_before(competition) -> str:
    """"2026年" before the competition's name on its certificate, unless the name already starts with it
    (names such as “2026年晋江市…竞赛” would otherwise print the year twice)."""
    year = f"{competition.held_on.year}年"
    return "" if competition.name.strip().startswith(year) else year
