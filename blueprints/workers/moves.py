"""People who change employer, seen from HR: leaving (离职), transfers in and out (调入), phone changes."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import keyset_page, submit
from blueprints.workers import bp
from blueprints.workers.forms import LeaveForm, PhoneForm, TransferAnswerForm
from models import Role, Transfer
from services.accounts import employment, people, phones, transfers


def _actor():
    return current_user._get_current_object()


@bp.route("/<int:user_id>/leave", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def leave(user_id: int):
    person = people.get_person(_actor(), user_id)
    form = LeaveForm()
    if form.validate_on_submit():
        ok, _job = submit(form, employment.record_leave, _actor(), person, form.leave_date.data)
        if ok:
            flash(_("已登记 %(name)s 的离职日期。", name=person.name), "success")
            return redirect(url_for("workers.index") if person.enterprise_id is None
                            else url_for("workers.show", user_id=person.id))
    return render_template("workers/leave.html", form=form, person=person)


@bp.route("/<int:user_id>/phone", methods=["GET", "POST"])
@roles_required(Role.HR, Role.ADMIN)
def phone(user_id: int):
    person = people.get_person(_actor(), user_id)
    form = PhoneForm()
    if form.validate_on_submit():
        ok, _person = submit(form, phones.change_phone, _actor(), person, form.phone.data)
        if ok:
            flash(_("已更换手机号。"), "success")
            return redirect(url_for("workers.show", user_id=person.id))
    return render_template("workers/phone.html", form=form, person=person)


@bp.route("/transfers")
@roles_required(Role.HR, Role.ADMIN)
def transfers_list():
    return render_template("workers/transfers.html",
                           page=keyset_page(transfers.transfers_query(_actor()), Transfer.id))


@bp.route("/transfers/<int:transfer_id>")
@roles_required(Role.HR, Role.ADMIN)
def transfer_show(transfer_id: int):
    transfer = transfers.get_transfer(_actor(), transfer_id)
    return render_template("workers/transfer.html", transfer=transfer, form=TransferAnswerForm())


@bp.route("/transfers/<int:transfer_id>/answer", methods=["POST"])
@roles_required(Role.HR, Role.ADMIN)
def transfer_answer(transfer_id: int):
    transfer = transfers.get_transfer(_actor(), transfer_id)
    form = TransferAnswerForm()
    if form.validate_on_submit():
        ok, _done = submit(form, transfers.answer, _actor(), transfer, still_employed=form.answer.data == "employed",
                           leave_date=form.leave_date.data)
        if ok:
            flash(_("已答复调入申请。"), "success")
            return redirect(url_for("workers.transfer_show", transfer_id=transfer.id))
    return render_template("workers/transfer.html", transfer=transfer, form=form)


@bp.route("/transfers/<int:transfer_id>/code", methods=["POST"])
@roles_required(Role.HR, Role.ADMIN)
def transfer_code(transfer_id: int):
    transfer = transfers.get_transfer(_actor(), transfer_id)
    form = TransferAnswerForm()
    ok, code = submit(form, transfers.reissue_code, _actor(), transfer)
    if ok:
        return render_template("workers/transfer_code.html", transfer=transfer, code=code)
    return render_template("workers/transfer.html", transfer=transfer, form=form)
