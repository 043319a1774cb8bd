"""The excellent-pair certificate (优秀师徒证书): one per selected pair of a final selection, naming the
mentor and the apprentice, with a verification code (issued by services.mentorship.excellent.finalise;
services.common.verification: no look-alikes, printed in groups) and a QR code of the one public
verification page, where it is registered as the "excellent" kind.

Who may download it: the mentor, the apprentice, HR whose scope holds the pair's enterprise and union
admins (services.mentorship.policy.scope_pairs), once the selection is final; NotFound otherwise.
"""

from __future__ import annotations

from core import clock
from core.l10n import lazy_gettext as _l
from models import User, db
from models.mentorship import ExcellentNomination, MentorPair
from services.common import verification
from services.common.pdf.layout import MM, RED, Document
from services.errors import NotFound
from services.mentorship import policy as mentorship_policy


def certificate_nomination(actor, nomination_id: int) -> ExcellentNomination:
    """A final, selected nomination with a certificate, of a pair the actor may see; else NotFound."""
    nomination = db.session.scalar(
        mentorship_policy.scope_pairs(
            db.select(ExcellentNomination).join(MentorPair, MentorPair.id == ExcellentNomination.pair_id), actor)
        .where(ExcellentNomination.id == nomination_id, ExcellentNomination.selected,
               ExcellentNomination.certificate_code.is_not(None)))
    if nomination is None:
        raise NotFound(_l("找不到这张优秀师徒证书。"))
    return nomination


def _matching(forms, _compact=None):
    """Select of the selected nominations whose certificate code is one of `forms` (verification.FORMS)."""
    return db.select(ExcellentNomination).where(ExcellentNomination.certificate_code.in_(forms),
                                                ExcellentNomination.selected)


def _by_code(forms: set[str]) -> ExcellentNomination | None:
    """The selected nomination `_matching` finds, with what its verdict shows, in one kept statement."""

    def build():
        pair = db.joinedload(ExcellentNomination.pair)
        return _matching(verification.FORMS).options(
            pair.joinedload(MentorPair.mentor).lazyload(User.role_rows),
            pair.joinedload(MentorPair.apprentice).lazyload(User.role_rows),
            db.joinedload(ExcellentNomination.enterprise), db.joinedload(ExcellentNomination.round))

    return verification.find_one("excellent", build, forms, "")


def _lookup(forms: set[str], _compact: str) -> verification.Verdict | None:
    nomination = _by_code(forms)
    if nomination is None:
        return None
    pair = nomination.pair
    revoked = nomination.revoked_at is not None
    return verification.Verdict(
        status=verification.REVOKED if revoked else verification.VALID, kind=str(_l("优秀师徒证书")),
        revoked_on=nomination.revoked_at.astimezone(clock.SHANGHAI).date() if revoked else None,
        holder=str(_l("%(mentor)s（师傅）、%(apprentice)s（徒弟）", mentor=pair.mentor.name,
                      apprentice=pair.apprentice.name)),
        enterprise=nomination.enterprise.name, awarded=str(_l("%(year)d 年度优秀师徒", year=nomination.round.year)),
        number=verification.grouped(nomination.certificate_code),
        issued_on=nomination.round.published_at.date() if nomination.round.published_at else None)


verification.register_kind("excellent", _lookup, _matching)


def certificate_pdf(nomination: ExcellentNomination, verify_url: str) -> bytes:
    """One A4 landscape page in Chinese: 荣誉证书, mentor and apprentice, enterprise, the year's honour, the
    citation (it shrinks, then takes more lines; never cut), the code and a QR code in the footer, clear of
    the text; a revoked honour is stamped 已撤销 with its date. Raises RuleViolation for a character no
    font can print."""
    pair = nomination.pair
    doc = Document(f"{nomination.round.year} 年度优秀师徒", landscape=True, margin=20 * MM, border=True)
    inner_left, inner_right = doc.left + 12 * MM, doc.right - 12 * MM
    y = doc.paragraph("荣誉证书", top=doc.top - 6 * MM, size=34, color=RED)
    y = doc.paragraph(f"{pair.mentor.name}（师傅）　{pair.apprentice.name}（徒弟）：", top=y - 6 * MM, size=22,
                      min_size=14, max_lines=2, left=inner_left, right=inner_right, align="left")
    y = doc.paragraph(nomination.enterprise.name, top=y, size=15, min_size=11, max_lines=2,
                      left=inner_left + 10 * MM, right=inner_right, align="left", color=(0.3, 0.3, 0.3))
    y = doc.paragraph(f"被评为晋江市总工会 {nomination.round.year} 年度“优秀师徒”。", top=y - 2 * MM, size=20,
                      min_size=13, max_lines=2, left=inner_left + 10 * MM, right=inner_right, align="left")
    footer_top = doc.bottom + 34 * MM
    doc.paragraph(nomination.citation, top=y - 2 * MM, size=12, min_size=9, max_lines=6,
                  left=inner_left + 10 * MM, right=inner_right, align="left", floor=footer_top)
    qr_size = 30 * MM
    doc.qr(verify_url, doc.right - qr_size, doc.bottom, qr_size)
    code_right = doc.right - qr_size - 4 * MM
    doc.line("晋江市总工会", code_right, doc.bottom + 24 * MM, 14, align="right")
    doc.line(f"验证码：{verification.grouped(nomination.certificate_code)}", code_right, doc.bottom + 14 * MM, 12,
             align="right")
    if nomination.revoked_at is not None:
        doc.stamp_revoked("已撤销", nomination.revoked_at.astimezone(clock.SHANGHAI).date())
    return doc.finish()
