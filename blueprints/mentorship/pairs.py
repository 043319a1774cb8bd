"""One pair (师徒结对): HR creates it; its page, the printed agreement, confirmation, dissolution,
assessment, ending early, extension and nomination as an excellent pair."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.access import roles_required
from blueprints.common import page_number, pdf_response, run_action, submit
from blueprints.forms import blank_fields
from blueprints.mentorship import bp, current_actor
from blueprints.mentorship.forms import (
    AssessmentForm,
    ConfirmForm,
    EndEarlyForm,
    ExtendForm,
    NominateForm,
    PairForm,
    ReasonForm,
    RespondForm,
)
from core import clock
from models import Role
from models.mentorship import ACTIVE, CHECKIN_LABELS, GRADE_LABELS
from services.common.pdf.language import reader_locale
from services.common.rows import translated
from services.mentorship import assessment, checkins, documents, excellent, pair_page, pairing
from services.mentorship import policy as mentorship_policy
from services.mentorship.settings import get_settings
from services.mentorship.terms import dissolution_deadline


@bp.route("/pairs/new", methods=["GET", "POST"])
@roles_required(Role.HR)
def pair_create():
    actor = current_actor()
    form = PairForm()
    form.fill_choices()
    if request.method == "GET" and form.start_date.data is None:
        form.start_date.data = clock.today()
    if form.validate_on_submit():
        ok, pair = submit(form, lambda: pairing.create_pair(actor, form.to_plan(actor)), once_form=form,
                          success=_("已建立师徒结对，等待师傅和徒弟在系统中确认带徒协议。"))
        if ok:
            return redirect(url_for("mentorship.pair_show", pair_id=pair.id))
    return render_template("mentorship/pair_form.html", form=form, settings=get_settings())


def respond_prefix(checkin_id: int) -> str:
    """Each check-in's answer form has its own field names and ids (several can be on one page)."""
    return f"checkin{checkin_id}"


def render_pair(pair, nomination, status: int = 200, **forms):
    """The pair's page (services.mentorship.pair_page: the pair and its `nomination`, read together) with
    every form it shows (a form is built only where the reader may use it); a submitted form passed in keeps
    its errors."""
    actor = current_actor()
    settings = get_settings()  # read along with the pair: no statement of its own
    can_manage = mentorship_policy.can_manage(actor, pair)
    can_confirm = mentorship_policy.can_confirm(actor, pair)
    can_dissolve = mentorship_policy.can_dissolve(actor, pair)
    can_nominate = mentorship_policy.can_nominate(actor, pair)
    managing = can_manage and pair.status == ACTIVE
    shown = {
        "confirm_form": can_confirm and (lambda: ConfirmForm(formdata=None)),
        "dissolve_form": can_dissolve and (lambda: ReasonForm(formdata=None)),
        "end_form": managing and (lambda: EndEarlyForm(formdata=None, prefix="end")),
        "extend_form": managing and not pair.extended and (lambda: ExtendForm(formdata=None, prefix="extend")),
        "nominate_form": can_nominate and nomination is None and (lambda: NominateForm(formdata=None)),
    }
    defaults = {name: forms[name] if name in forms else (make() if make else None) for name, make in shown.items()}
    answered = forms.get("respond_form")

    def respond_form_for(checkin):
        """The apprentice's confirm/dispute form of one check-in (the submitted one keeps its errors)."""
        if answered is not None and answered.checkin_id == checkin.id:
            return answered
        return RespondForm(formdata=None, prefix=respond_prefix(checkin.id))

    defaults["respond_form_for"] = respond_form_for
    return render_template(
        "mentorship/pair.html", pair=pair,
        checkins=pair_page.checkin_page(pair, page_number(), current_app.config["PAGE_SIZE"]),
        history=pair_page.history_rows(pair),
        settings=settings, state=checkins.checkin_state(pair, settings=settings),
        deadline=dissolution_deadline(pair, settings), party=pair.party(actor),
        can_manage=can_manage, can_confirm=can_confirm, can_dissolve=can_dissolve,
        can_checkin=mentorship_policy.can_record_checkin(actor, pair),
        can_respond=lambda checkin: mentorship_policy.can_respond(actor, checkin, pair),
        can_assess=mentorship_policy.can_assess(actor, pair), can_nominate=can_nominate,
        nomination=nomination, today=clock.today(), blank_fields=blank_fields,
        # the check-ins' status labels translated once per page, not once per row
        checkin_labels=translated(CHECKIN_LABELS), **defaults,
    ), status


@bp.route("/pairs/<int:pair_id>")
@roles_required()
def pair_show(pair_id: int):
    return render_pair(*pair_page.pair_and_nomination(current_actor(), pair_id))


@bp.route("/pairs/<int:pair_id>/agreement")
@roles_required()
def pair_agreement(pair_id: int):
    """The agreement (带徒协议) as a print view."""
    pair = pairing.get_pair(current_actor(), pair_id)
    return render_template("mentorship/agreement.html", pair=pair, printed_on=clock.today())


@bp.route("/pairs/<int:pair_id>/agreement.pdf")
@roles_required()
def pair_agreement_pdf(pair_id: int):
    """The agreement as a server-made PDF (for the phone), to whoever may see the pair."""
    pair = pairing.get_pair(current_actor(), pair_id)
    return pdf_response(documents.agreement_pdf, pair, locale=reader_locale(),
                        filename=_("带徒协议-%(no)s.pdf", no=f"MP-{pair.id:06d}"),
                        back=url_for("mentorship.pair_show", pair_id=pair.id))


@bp.route("/pairs/<int:pair_id>/confirm", methods=["POST"])
@roles_required()
def pair_confirm(pair_id: int):
    actor = current_actor()
    pair = pairing.get_pair(actor, pair_id)
    if ConfirmForm().validate_on_submit():
        run_action(pairing.confirm_agreement, actor, pair, success=_("已确认带徒协议。"))
    return redirect(url_for("mentorship.pair_show", pair_id=pair_id))


def _act_on_pair(pair_id: int, form_name: str, form, action, *args, success: str, allowed=None, once_form=None):
    """POST of one of the forms on the pair's page: run `action(actor, pair, *args)`; back to the
    pair on success, else its page with the submitted form (`form_name`) showing the errors. With
    `allowed` (a policy rule), anyone it refuses gets 403 before the form is looked at."""
    actor = current_actor()
    pair = pairing.get_pair(actor, pair_id)
    if allowed is not None and not allowed(actor, pair):
        abort(403)
    if form.validate_on_submit():
        ok, _result = submit(form, action, actor, pair, *args, success=success, once_form=once_form)
        if ok:
            return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    return render_pair(*pair_page.pair_and_nomination(actor, pair_id), **{form_name: form})


@bp.route("/pairs/<int:pair_id>/dissolve", methods=["POST"])
@roles_required()
def pair_dissolve(pair_id: int):
    form = ReasonForm()
    return _act_on_pair(pair_id, "dissolve_form", form, pairing.dissolve, form.reason.data,
                        success=_("结对已解除。"), allowed=mentorship_policy.is_party_or_hr)


@bp.route("/pairs/<int:pair_id>/assess", methods=["GET", "POST"])
@roles_required(Role.HR)
def pair_assess(pair_id: int):
    actor = current_actor()
    pair = pairing.get_pair(actor, pair_id)
    if not mentorship_policy.can_manage(actor, pair):
        abort(404)
    form = AssessmentForm()
    form.fill_choices()
    if request.method == "GET":
        form.assessed_on.data = clock.today()
    if form.validate_on_submit():
        ok, result = submit(form, assessment.assess, actor, pair, form.to_data())
        if ok:
            flash(_("已录入出师考核：%(grade)s。", grade=GRADE_LABELS[result.grade]), "success")
            return redirect(url_for("mentorship.pair_show", pair_id=pair_id))
    return render_template("mentorship/assess_form.html", form=form, pair=pair)


@bp.route("/pairs/<int:pair_id>/end", methods=["POST"])
@roles_required(Role.HR)
def pair_end(pair_id: int):
    form = EndEarlyForm(prefix="end")
    return _act_on_pair(pair_id, "end_form", form, pairing.end_early, form.reason.data or "", form.note.data,
                        success=_("结对已提前结束。"))


@bp.route("/pairs/<int:pair_id>/extend", methods=["POST"])
@roles_required(Role.HR)
def pair_extend(pair_id: int):
    form = ExtendForm(prefix="extend")
    return _act_on_pair(pair_id, "extend_form", form, pairing.extend, form.new_end.data, form.reason.data,
                        success=_("结对已延期。"))


@bp.route("/pairs/<int:pair_id>/nominate", methods=["POST"])
@roles_required(Role.HR)
def pair_nominate(pair_id: int):
    form = NominateForm()
    return _act_on_pair(pair_id, "nominate_form", form, excellent.nominate, form.citation.data,
                        success=_("已推荐为优秀师徒候选。"), once_form=form)
