"""A person's own side of changing employer: confirming a transfer (调入, from the message and to-do,
or with the one-time code HR hands over) or declining it and changing their own phone number (with the password)."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.auth import bp
from blueprints.auth.forms import ConfirmForm, OwnPhoneForm, TransferCodeForm
from blueprints.common import submit
from extensions import limiter
from services.accounts import employment, phones, transfers


def _actor():
    return current_user._get_current_object()


def _code_key() -> str:
    """Rate-limit key of the code form: the account typing it."""
    return f"transfer-code:{current_user.id}"


def _code_failed(response) -> bool:
    """Only wrong codes count against the limit (a success redirects)."""
    return response.status_code != 302


@bp.route("/account/transfers")
@roles_required()
def transfers_mine():
    person = _actor()
    return render_template("auth/transfers.html", pending=transfers.open_transfers_of(person),
                           jobs=employment.history(person), form=ConfirmForm(), code_form=TransferCodeForm())


@bp.route("/account/transfers/<int:transfer_id>/confirm", methods=["POST"])
@roles_required()
def transfer_confirm(transfer_id: int):
    transfer = transfers.get_transfer(_actor(), transfer_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        ok, _transfer = submit(form, transfers.confirm, _actor(), transfer)
        if ok:
            flash(_("已确认调入。") if transfer.status == "completed"
                  else _("已确认调入，待原企业确认离职后生效。"), "success")
    return redirect(url_for("auth.transfers_mine"))


@bp.route("/account/transfers/<int:transfer_id>/decline", methods=["POST"])
@roles_required()
def transfer_decline(transfer_id: int):
    transfer = transfers.get_transfer(_actor(), transfer_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        ok, _transfer = submit(form, transfers.decline, _actor(), transfer)
        if ok:
            flash(_("已拒绝调入，已通知申请调入的企业。"), "success")
    return redirect(url_for("auth.transfers_mine"))


@bp.route("/account/transfers/code", methods=["POST"])
@roles_required()
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_code_key,
               deduct_when=_code_failed, scope="transfer-code-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], deduct_when=_code_failed, scope="transfer-code-ip")
def transfer_code():
    code_form = TransferCodeForm()
    if code_form.validate_on_submit():
        ok, transfer = submit(code_form, transfers.confirm_with_code, _actor(), code_form.code.data)
        if ok:
            flash(_("已确认调入。") if transfer.status == "completed"
                  else _("已确认调入，待原企业确认离职后生效。"), "success")
            return redirect(url_for("auth.transfers_mine"))
    person = _actor()
    return render_template("auth/transfers.html", pending=transfers.open_transfers_of(person),
                           jobs=employment.history(person), form=ConfirmForm(), code_form=code_form)


@bp.route("/account/phone", methods=["GET", "POST"])
@roles_required()
def phone():
    form = OwnPhoneForm()
    if form.validate_on_submit():
        ok, _person = submit(form, phones.change_phone, _actor(), _actor(), form.phone.data, form.password.data)
        if ok:
            flash(_("手机号已更换，请用新手机号登录。"), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/phone.html", form=form)
