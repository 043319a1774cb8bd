"""Certificates (the PDF, the admin's list and revocation with a reason; the old public check redirects to
the one verification page, blueprints/verify) and skill-promotion
recommendations (HR records the issued skill certificate)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import public, roles_required
from blueprints.common import paginate, pdf_response, submit
from blueprints.competitions import bp
from blueprints.competitions.drill import report_args
from blueprints.competitions.forms import PromotionForm, RevokeCertificateForm
from blueprints.competitions.helpers import actor, run_competition_or_404
from blueprints.forms import BUTTON
from models import Role
from services import policy
from services.common import verification
from services.common.urls import external_url
from services.competitions import certificates, listing
from services.competitions import policy as competitions_policy
from services.competitions.promotions import get_promotion, promotions_query, record_promotion_certificate
from services.report import drill


@bp.route("/certificates/<int:certificate_id>.pdf")
@roles_required()
def certificate_pdf(certificate_id: int):
    certificate = certificates.get_certificate(actor(), certificate_id)
    verify_url = external_url("verify.check", code=verification.grouped(certificate.code))
    competition = certificate.registration.competition
    return pdf_response(certificates.certificate_pdf, certificate, verify_url,
                        filename=f"{competition.name}-{certificate.holder.name}-证书.pdf",
                        back=url_for("competitions.show", competition_id=competition.id))


@bp.route("/<int:competition_id>/certificates")
@roles_required(Role.ADMIN, Role.HR, Role.TOWN)
def certificate_list(competition_id: int):
    competition = run_competition_or_404(competition_id)
    pagination = paginate(certificates.certificates_query(actor(), competition), long=True)
    return render_template("competitions/certificates.html", competition=competition, pagination=pagination)


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.HR)
def revoke_certificate(certificate_id: int):
    user = actor()
    certificate = certificates.get_certificate(user, certificate_id)
    competitions_policy.require_runner(user, certificate.registration.competition)
    form = RevokeCertificateForm()
    competition_id = certificate.registration.competition_id
    if form.validate_on_submit():
        ok, _value = submit(form, certificates.revoke_certificate, user, certificate, form.reason.data)
        if ok:
            flash(_("证书已撤销。"), "success")
            return redirect(url_for("competitions.certificate_list", competition_id=competition_id))
    return render_template("competitions/revoke_certificate.html", certificate=certificate, form=form)


@bp.route("/verify")
@public
def verify():
    """Links and QR codes printed before the one verification page keep working."""
    return redirect(url_for("verify.check", code=request.args.get("code", "").strip() or None))


@bp.route("/promotions")
@roles_required(Role.HR, Role.ADMIN, Role.TOWN)
def promotions():
    """HR's and the union's recommendations; drilled from the report (a year or span), the promotions
    behind its figure (services.competitions.listing.promotions_query; a town officer only this way)."""
    reported = drill.report_filter(actor(), **report_args())
    if reported is not None:
        stmt = listing.promotions_query(reported, request.args.get("basis"))
    else:
        stmt = promotions_query(actor(), status=request.args.get("status"))
    return render_template("competitions/promotions.html", pagination=paginate(stmt), reported=reported,
                           export_form=BUTTON if reported is not None else None)


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
