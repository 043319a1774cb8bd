"""Training completion certificates (结业证书): the PDF, the public check and revocation.

A certificate is a completed enrolment's `certificate_code` (issued when the programme finishes,
services.training.completion). It verifies on the one public page (services.common.verification, kind
models.training.CERTIFICATE_KIND): valid, or revoked with its date; the verdict shows only the holder's
name, enterprise and the programme. Rules:
- who may open the PDF: the holder, a manager who may see the holder's records (HR of the enterprise,
  union admins, the town's officers read-only: services.growth.policy.can_view), and the programme's owner
  and the levels above (services.training.policy.can_oversee); anyone else gets NotFound;
- the owner revokes a certificate with a reason (required); audited (training.certificate_revoked); a
  revoked certificate's PDF carries 已撤销 and the date across the page and the holder's download link
  is gone (the page says 已撤销 instead).
"""

from __future__ import annotations

from sqlalchemy import func, select

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.training import CERTIFICATE_KIND, TrainingAttendance, TrainingEnrolment, TrainingProgramme
from services.common import audit, verification
from services.common.pdf.layout import MM, RED, Document
from services.errors import NotFound, RuleViolation
from services.growth import policy as growth_policy
from services.training import policy
from services.training.completion import progress


def can_see_certificate(actor, enrolment: TrainingEnrolment) -> bool:
    """The holder, a manager who may see the holder's records, or the programme's owner or a level above."""
    if actor is None or not actor.is_authenticated or not enrolment.certificate_code:
        return False
    return (actor.id == enrolment.worker_id or growth_policy.can_view(actor, enrolment.worker)
            or policy.can_oversee(actor, enrolment.programme))


def get_certificate(actor, enrolment_id: int) -> TrainingEnrolment:
    """The completed enrolment `enrolment_id` whose certificate `actor` may open; NotFound otherwise."""
    enrolment = db.session.get(TrainingEnrolment, enrolment_id)
    if enrolment is None or not can_see_certificate(actor, enrolment):
        raise NotFound(_l("找不到这张结业证书。"))
    return enrolment


def _matching(forms, _compact=None):
    """Select of the enrolments whose certificate code is one of `forms` (verification.FORMS)."""
    return select(TrainingEnrolment).where(TrainingEnrolment.certificate_code.in_(forms))


def _by_code(forms: set[str]) -> TrainingEnrolment | None:
    return verification.find_one("training", lambda: _matching(verification.FORMS).options(
        db.joinedload(TrainingEnrolment.worker).lazyload(User.role_rows), db.joinedload(TrainingEnrolment.enterprise),
        db.joinedload(TrainingEnrolment.programme)), forms, "")


def _revoked_on(enrolment: TrainingEnrolment):
    revoked = enrolment.certificate_revoked_at
    return revoked.astimezone(clock.SHANGHAI).date() if revoked else None


def _lookup(forms: set[str], _compact: str) -> verification.Verdict | None:
    """The public verdict on a training certificate code (services.common.verification)."""
    enrolment = _by_code(forms)
    if enrolment is None:
        return None
    programme = enrolment.programme
    return verification.Verdict(
        status=verification.REVOKED if enrolment.certificate_revoked_at else verification.VALID,
        kind=str(_l("培训结业证书")), holder=enrolment.worker.name,
        enterprise=enrolment.enterprise.name if enrolment.enterprise else "",
        awarded=f"{programme.name} · {programme.kind_label}", number=verification.grouped(enrolment.certificate_code),
        issued_on=enrolment.completed_at.astimezone(clock.SHANGHAI).date() if enrolment.completed_at else None,
        revoked_on=_revoked_on(enrolment))


verification.register_kind(CERTIFICATE_KIND, _lookup, _matching)


def revoke_certificate(actor, enrolment: TrainingEnrolment, reason: str) -> None:
    """The programme's owner revokes a completion certificate with a reason; the public check then says
    revoked (with the date). Raises NotFound / NotAllowed (not the owner), RuleViolation (no certificate,
    no reason, already revoked). Audited."""
    policy.require_runner(actor, enrolment.programme)
    if not enrolment.certificate_code:
        raise RuleViolation(_l("这名学员没有结业证书。"))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_l("请填写撤销结业证书的理由。"), field="reason")
    if len(reason) > 500:
        raise RuleViolation(_l("撤销理由不能超过 500 字。"), field="reason")
    if enrolment.certificate_revoked_at:
        raise RuleViolation(_l("这张结业证书已经撤销。"))
    enrolment.certificate_revoked_at = clock.now()
    enrolment.revoke_reason = reason
    audit.record("training.certificate_revoked", actor=actor, obj=enrolment, programme_id=enrolment.programme_id,
                 reason=reason)


def my_results_query(worker):
    """The worker's enrolments in finished programmes, newest first (programme loaded): their completions
    (with the certificate) and the programmes they did not complete."""
    return (select(TrainingEnrolment).join(TrainingEnrolment.programme)
            .where(TrainingEnrolment.worker_id == worker.id, TrainingProgramme.finished_at.is_not(None))
            .options(db.contains_eager(TrainingEnrolment.programme))
            .order_by(TrainingProgramme.finished_at.desc(), TrainingEnrolment.id.desc()))


def hours_of(worker, programme_ids) -> dict:
    """The hours the worker attended in each of the programmes, by programme id (one query)."""
    ids = list(programme_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        select(TrainingAttendance.programme_id, func.sum(TrainingAttendance.hours))
        .where(TrainingAttendance.worker_id == worker.id, TrainingAttendance.programme_id.in_(ids))
        .group_by(TrainingAttendance.programme_id)).all())


def certificate_pdf(enrolment: TrainingEnrolment, verify_url: str) -> bytes:
    """An A4 landscape certificate in Chinese: 结业证书, holder, enterprise, the programme (its kind and dates),
    the hours attended and the assessment passed (where required), the owner and the completion date, the
    grouped code and a QR code of `verify_url` below every line of text; a revoked certificate carries
    已撤销 and its date. Raises RuleViolation for a character no font can print."""
    programme = enrolment.programme
    hours = progress(enrolment).hours_attended
    doc = Document(f"{programme.name} 结业证书", landscape=True, margin=20 * MM, border=True)
    inner_left, inner_right = doc.left + 15 * MM, doc.right - 15 * MM
    footer_top = doc.bottom + 34 * MM
    y = doc.paragraph("结业证书", top=doc.top - 8 * MM, size=40, color=RED)
    y = doc.paragraph(f"{enrolment.worker.name} 同志：", top=y - 8 * MM, size=24, min_size=14,
                      left=inner_left, right=inner_right, align="left")
    if enrolment.enterprise:
        y = doc.paragraph(enrolment.enterprise.name, top=y, size=15, min_size=11, max_lines=2,
                          left=inner_left + 10 * MM, right=inner_right, align="left", color=(0.3, 0.3, 0.3))
    span = f"{programme.starts_on:%Y年%m月%d日}至{programme.ends_on:%Y年%m月%d日}"
    passed = "，考核合格" if programme.assessment_required else ""
    line = (f"于{span}参加“{programme.name}”（{_chinese(programme.kind_label)}），"
            f"完成 {hours} 学时{passed}，准予结业。")
    doc.paragraph(line, top=y - 4 * MM, size=20, min_size=12, max_lines=4,
                  left=inner_left + 10 * MM, right=inner_right, align="left", floor=footer_top)
    qr_size = 30 * MM
    doc.qr(verify_url, doc.left, doc.bottom, qr_size)
    doc.line(_chinese(programme.owner_name), inner_right, doc.bottom + 14 * MM, 16, align="right")
    completed = (enrolment.completed_at or clock.now()).astimezone(clock.SHANGHAI)
    doc.line(completed.strftime("%Y年%m月%d日"), inner_right, doc.bottom + 6 * MM, 16, align="right")
    text_left = doc.left + qr_size + 4 * MM
    doc.line(f"证书编号 / 验证码：{verification.grouped(enrolment.certificate_code)}", text_left,
             doc.bottom + 20 * MM, 11)
    doc.paragraph(f"验证：{verify_url}", top=doc.bottom + 17 * MM, size=9, min_size=7, max_lines=2,
                  left=text_left, right=doc.width / 2 + 40 * MM, align="left")
    if enrolment.certificate_revoked_at:
        doc.stamp_revoked("已撤销", _revoked_on(enrolment))
    return doc.finish()


def _chinese(label) -> str:
    """A label in Chinese whatever the reader's language (the certificate is Chinese)."""
    from flask import current_app
    from flask_babel import force_locale

    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(label)
