"""Forms of the message centre: a person's channel choices; the administrator's channel settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from blueprints.forms import IntegerField, identifier_field, optional_int
from core.l10n import lazy_gettext as _l


class PreferencesForm(FlaskForm):
    email = StringField(_l("电子邮件"), validators=[Optional(), Length(max=120)],
                        render_kw={"inputmode": "email", "autocomplete": "email"},
                        description=_l("填写后可以通过邮件收到通知；不填则只在站内消息中提醒。"))
    email_enabled = BooleanField(_l("通过电子邮件通知我"))
    sms_enabled = BooleanField(_l("通过短信通知我"), description=_l("只发送重要事项，例如候补转正、成绩和证书。"))
    submit = SubmitField(_l("保存"))


class EmailChannelForm(FlaskForm):
    host = StringField(_l("SMTP 服务器"), validators=[Optional(), Length(max=200)])
    port = IntegerField(_l("端口"), default=25, validators=[Optional(), NumberRange(1, 65535)],
                        render_kw={"inputmode": "numeric"})
    username = StringField(_l("用户名"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("密码"), validators=[Optional(), Length(max=200)],
                             description=_l("留空表示不修改已保存的密码。"))
    sender = StringField(_l("发件地址"), validators=[Optional(), Length(max=200)])
    use_tls = BooleanField(_l("使用 STARTTLS 加密"))
    enabled = BooleanField(_l("启用"), default=True)
    submit = SubmitField(_l("保存邮件设置"))


class SmsChannelForm(FlaskForm):
    provider = SelectField(_l("短信服务商"),
                           choices=[("log", _l("仅记录日志（测试用）")), ("aliyun", _l("阿里云短信"))])
    access_key_id = StringField("AccessKey ID", validators=[Optional(), Length(max=100)])
    access_key_secret = PasswordField("AccessKey Secret", validators=[Optional(), Length(max=200)],
                                      description=_l("留空表示不修改已保存的密钥。"))
    sign_name = StringField(_l("短信签名"), validators=[Optional(), Length(max=50)])
    template_code = StringField(_l("模板编号"), validators=[Optional(), Length(max=50)],
                                description=_l("模板变量：${event}（通知内容）。"))
    enabled = BooleanField(_l("启用"), default=True)
    submit = SubmitField(_l("保存短信设置"))


class RobotForm(FlaskForm):
    url = StringField(_l("群机器人 Webhook 地址"), validators=[Optional(), Length(max=500)],
                      render_kw={"inputmode": "url"})
    credit_code = identifier_field(_l("企业统一社会信用代码"), "credit_code", validators=[Optional(), Length(max=30)],
                              description=_l("企业的群填信用代码；镇（街道）的群选择镇（街道）。"))
    town_id = SelectField(_l("镇（街道）"), coerce=optional_int, validate_choice=False)
    submit = SubmitField(_l("添加群机器人"))
