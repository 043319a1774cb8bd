"""Login (rate-limited per account and per IP), activation with a printed code (rate-limited per phone and per
IP), logout, own profile, password change, language."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from blueprints.access import public, roles_required
from blueprints.auth import bp
from blueprints.auth.forms import ActivationCodeForm, ActivationForm, LanguageForm, LoginForm, PasswordChangeForm
from blueprints.common import is_safe_next, run_action, submit
from extensions import limiter
from services.accounts import activation, authentication
from services.common.validators import normalize_phone


def _login_account_key() -> str:
    """Rate-limit key for one account: the identifier typed, normalised."""
    identifier = (request.form.get("identifier") or "").strip().lower()
    return "login-account:" + normalize_phone(identifier) if identifier else "login-account:-"


def _login_failed(response) -> bool:
    """Only failed attempts count against the limits (a success redirects)."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_login_account_key,
               methods=["POST"], deduct_when=_login_failed, scope="login-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=_login_failed, scope="login-ip")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        # keep_on_error: a refused login still commits, to keep its audit record.
        outcome = run_action(authentication.authenticate, form.identifier.data, form.password.data,
                             form=form, keep_on_error=True)
        if outcome:
            user = outcome.value
            session.clear()  # a fresh session (and CSRF token) at login
            session.permanent = True
            login_user(user, remember=form.remember.data)
            target = form.next.data
            if user.must_change_password:
                flash(_("请先设置一个新密码。"), "warning")
                return redirect(url_for("auth.password"))
            return redirect(target if is_safe_next(target) else url_for("home.index"))
        form.password.data = ""
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles_required()
def logout():
    run_action(authentication.logout, current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile")
@roles_required()
def profile():
    return render_template("auth/profile.html", person=current_user)


@bp.route("/password", methods=["GET", "POST"])
@roles_required()
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        ok, _result = submit(form, authentication.change_password, user, form.current_password.data,
                             form.new_password.data)
        if ok:
            # This session continues under the new token; every other session has ended.
            login_user(user, remember=False)
            flash(_("密码已修改，其他设备上的登录已失效。"), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
@public
def language():
    form = LanguageForm()
    target = form.next.data if is_safe_next(form.next.data) else url_for("home.index")
    response = redirect(target)
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", form.lang.data, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


# --- activation with the code on the activation slip (services.accounts.activation) --------------------

TICKET = "activation_ticket"


def _activation_phone_key() -> str:
    """Rate-limit key for one phone on the activation page: the phone typed, normalised."""
    phone = (request.form.get("phone") or "").strip()
    return "activation-phone:" + (normalize_phone(phone) or "-")


@bp.route("/activate", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["ACTIVATION_LIMIT_PER_PHONE"], key_func=_activation_phone_key,
               methods=["POST"], deduct_when=_login_failed, scope="activation-phone")
@limiter.limit(lambda: current_app.config["ACTIVATION_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=_login_failed, scope="activation-ip")
def activate():
    """Step 1: phone + code. A right code keeps a ticket (whose account, the code's hash) in the session."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = ActivationCodeForm()
    if form.validate_on_submit():
        # keep_on_error: a wrong code still commits, to keep its audit record.
        outcome = run_action(activation.check_code, form.phone.data, form.code.data, form=form, keep_on_error=True)
        if outcome:
            ticket = outcome.value
            session[TICKET] = [ticket.user_id, ticket.code_hash]
            return redirect(url_for("auth.activate_account"))
    return render_template("auth/activate.html", form=form)


def _ticket() -> activation.Ticket | None:
    value = session.get(TICKET)
    if not isinstance(value, list) or len(value) != 2:
        return None
    return activation.Ticket(int(value[0]), str(value[1]))


@bp.route("/activate/account", methods=["GET", "POST"])
@public
def activate_account():
    """Step 2: the privacy notice, accepted, and a password; then logged in on the person's home."""
    ticket = _ticket()
    if ticket is None:
        return redirect(url_for("auth.activate"))
    outcome = run_action(activation.person_of, ticket)
    if not outcome:
        session.pop(TICKET, None)
        return redirect(url_for("auth.activate"))
    person = outcome.value
    form = ActivationForm()
    if request.method == "GET":
        form.notice_version.data = activation.notice_version()
    if form.validate_on_submit():
        version = form.notice_version.data if form.accept.data else None
        ok, user = submit(form, activation.activate, ticket, accepted_version=version,
                          password=form.new_password.data)
        if ok:
            session.clear()
            session.permanent = True
            login_user(user, remember=False)
            flash(_("账号已开通，欢迎使用匠心平台。"), "success")
            return redirect(url_for("home.index"))
    form.new_password.data = form.confirm.data = ""
    return render_template("auth/activate_account.html", form=form, person=person,
                           version=activation.notice_version())
