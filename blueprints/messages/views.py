"""Message centre pages: the inbox (keyset pages), opening a message, marking all read, one's own
notification choices; for administrators the outbound channels and the send log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.access import roles_required
from blueprints.common import int_arg, run_action, submit
from blueprints.forms import BUTTON, ButtonForm
from blueprints.messages import bp
from blueprints.messages.forms import EmailChannelForm, PreferencesForm, RobotForm, SmsChannelForm
from models import Role
from models.messages import CHANNEL_EMAIL, CHANNEL_SMS
from services.accounts import enterprises
from services.messages import channels, delivery, inbox, preferences

CITY_ROBOT = 0  # the robot picker's choice for the city union's own group (town ids start at 1)


@bp.route("/")
@roles_required()
def index():
    unread_only = request.args.get("unread") == "1"
    rows, next_before = inbox.page(current_user, before_id=int_arg("before"), unread_only=unread_only)
    return render_template("messages/index.html", messages=rows, next_before=next_before,
                           unread_only=unread_only, form=BUTTON)


@bp.route("/<int:message_id>")
@roles_required()
def open_message(message_id: int):
    outcome = run_action(inbox.open_message, current_user, message_id)
    message = outcome.value
    if message.link:
        return redirect(url_for(message.link["endpoint"], **(message.link.get("values") or {})))
    return render_template("messages/show.html", message=message)


@bp.route("/read-all", methods=["POST"])
@roles_required()
def read_all():
    if ButtonForm().validate_on_submit():
        run_action(inbox.mark_all_read, current_user, success=_("已全部标为已读。"))
    return redirect(url_for("messages.index"))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required()
def settings():
    form = PreferencesForm()
    if request.method == "GET":
        chosen = preferences.choices(current_user)
        form.email.data = current_user.email
        form.email_enabled.data, form.sms_enabled.data = chosen[CHANNEL_EMAIL], chosen[CHANNEL_SMS]
    if form.validate_on_submit():
        ok, _result = submit(form, preferences.set_choices, current_user,
                             {CHANNEL_EMAIL: form.email_enabled.data, CHANNEL_SMS: form.sms_enabled.data},
                             form.email.data)
        if ok:
            flash(_("通知设置已保存。"), "success")
            return redirect(url_for("messages.settings"))
    return render_template("messages/settings.html", form=form,
                           email_ready=channels.enabled_city_channel(CHANNEL_EMAIL) is not None,
                           sms_ready=channels.enabled_city_channel(CHANNEL_SMS) is not None)


def _channel_forms():
    email = EmailChannelForm(prefix="email", data=channels.masked_settings(channels.city_channel(CHANNEL_EMAIL)))
    sms = SmsChannelForm(prefix="sms", data=channels.masked_settings(channels.city_channel(CHANNEL_SMS)))
    robot = RobotForm(prefix="robot")
    robot.town_id.choices = ([("", _("— 不选 —")), (CITY_ROBOT, _("全市（总工会管理员的群）"))]
                             + [(t.id, t.label) for t in enterprises.towns()])
    return email, sms, robot


def _render_channels(email, sms, robot):
    return render_template("messages/channels.html", email_form=email, sms_form=sms, robot_form=robot,
                           email_config=channels.city_channel(CHANNEL_EMAIL),
                           sms_config=channels.city_channel(CHANNEL_SMS),
                           robots=channels.wecom_robots(), button=BUTTON)


@bp.route("/channels", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def channel_settings():
    email, sms, robot = _channel_forms()
    saved = None
    if request.method == "POST":
        if "email-submit" in request.form and email.validate():
            saved = submit(email, channels.save_channel, current_user, CHANNEL_EMAIL,
                           {k: getattr(email, k).data for k in ("host", "port", "username", "password", "sender",
                                                                "use_tls")}, enabled=email.enabled.data)[0]
        elif "sms-submit" in request.form and sms.validate():
            saved = submit(sms, channels.save_channel, current_user, CHANNEL_SMS,
                           {k: getattr(sms, k).data for k in ("provider", "access_key_id", "access_key_secret",
                                                              "sign_name", "template_code")},
                           enabled=sms.enabled.data)[0]
        elif "robot-submit" in request.form and robot.validate():
            city = robot.town_id.data == CITY_ROBOT
            saved = submit(robot, channels.save_robot, current_user, robot.url.data, credit_code=robot.credit_code.data,
                           town_id=None if city else robot.town_id.data, city=city)[0]
        if saved:
            flash(_("通知渠道已保存。"), "success")
            return redirect(url_for("messages.channel_settings"))
    return _render_channels(email, sms, robot)


@bp.route("/channels/<int:config_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def channel_delete(config_id: int):
    if ButtonForm().validate_on_submit():
        run_action(channels.delete_channel, current_user, config_id, success=_("已删除。"))
    return redirect(url_for("messages.channel_settings"))


@bp.route("/deliveries")
@roles_required(Role.ADMIN)
def deliveries():
    status = request.args.get("status") or None
    rows, next_before = delivery.deliveries_page(current_user, before_id=int_arg("before"), status=status)
    return render_template("messages/deliveries.html", rows=rows, next_before=next_before, status=status)
