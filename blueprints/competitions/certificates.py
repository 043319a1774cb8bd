"""Certificates (the PDF, revocation, the public check of a code) and skill-promotion
recommendations (HR records the issued skill certificate)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import public, roles_required
from blueprints.common import paginate, run_action, submit
from blueprints.competitions import bp
from blueprints.competitions.forms import PromotionForm, ReasonForm
from blueprints.competitions.helpers import actor, flash_form_errors
from models import Role
from services import policy
from services.competitions import certificates
from services.competitions.promotions import get_promotion, promotions_query, record_promotion_certificate


@bp.route("/certificates/<int:certificate_id>.pdf")
@roles_required()
def certificate_pdf(certificate_id: int):
    certificate = certificates.get_certificate(actor(), certificate_id)
    verify_url = url_for("competitions.verify", code=certificate.code, _external=True)
    return Response(certificates.certificate_pdf(certificate, verify_url), mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename=certificate-{certificate.id}.pdf",
        "Cache-Control": "private, no-store"})


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke_certificate(certificate_id: int):
    certificate = certificates.get_certificate(actor(), certificate_id)
    form = ReasonForm()
    if form.validate_on_submit():
        run_action(certificates.revoke_certificate, actor(), certificate, form.reason.data,
                   success=_("证书已撤销。"))
    else:
        flash_form_errors(form)
    return redirect(url_for("competitions.show", competition_id=certificate.registration.competition_id))


@bp.route("/verify")
@public
def verify():
    code = request.args.get("code", "").strip()
    certificate = certificates.verify_certificate(code) if code else None
    return render_template("competitions/verify.html", code=code, certificate=certificate)


@bp.route("/promotions")
@roles_required(Role.HR, Role.ADMIN)
def promotions():
    stmt = promotions_query(actor(), status=request.args.get("status"))
    return render_template("competitions/promotions.html", pagination=paginate(stmt))


@bp.route("/promotions/<int:promotion_id>", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def promotion(promotion_id: int):
    user = actor()
    item = get_promotion(user, promotion_id)
    form = PromotionForm()
    if form.validate_on_submit():
        ok, _result = submit(form, record_promotion_certificate, user, item, form.certificate_no.data,
                             form.issuing_body.data, form.effective_date.data)
        if ok:
            flash(_("已登记证书，职工的职业技能等级已更新。"), "success")
            return redirect(url_for("competitions.promotions"))
    return render_template("competitions/promotion.html", item=item, form=form, can_record=policy.is_hr(user))
