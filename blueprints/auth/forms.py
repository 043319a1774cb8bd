"""Forms of the auth area."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from core.l10n import lazy_gettext as _l
from services.common.validators import identifier_filter


class LoginForm(FlaskForm):
    identifier = StringField(
        _l("用户名或手机号"), filters=[identifier_filter("login")],
        validators=[DataRequired(_l("请输入用户名或手机号。")), Length(max=64)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("14 天内自动登录"))
    next = HiddenField()
    submit = SubmitField(_l("登录"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("当前密码"), validators=[DataRequired(_l("请输入当前密码。"))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("新密码"), validators=[DataRequired(_l("请输入新密码。")), Length(max=128)],
        description=_l("至少 8 个字符，不能是常见密码，不能包含用户名或手机号。"),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[DataRequired(_l("请再次输入新密码。")), EqualTo("new_password", _l("两次输入的新密码不一致。"))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("修改密码"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("退出登录"))


class LanguageForm(FlaskForm):
    lang = HiddenField()
    next = HiddenField()


class OwnPhoneForm(FlaskForm):
    phone = StringField(_l("新手机号"), filters=[identifier_filter("phone")],
                        validators=[DataRequired(_l("请输入新手机号。")), Length(max=20)],
                        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})
    password = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码以确认。"))],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("更换手机号"))


class TransferCodeForm(FlaskForm):
    code = StringField(_l("确认码"), validators=[DataRequired(_l("请输入确认码。")), Length(max=16)],
                       description=_l("新企业人力资源当面交给您的 8 位确认码。"),
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})
    submit = SubmitField(_l("确认调入"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("确认调入"))
class ActivationCodeForm(FlaskForm):
    """The activation page's first step: phone and the code printed on the activation slip."""

    phone = StringField(
        _l("手机号"), filters=[identifier_filter("login")],
        validators=[DataRequired(_l("请输入手机号。")), Length(max=32)],
        render_kw={"autocomplete": "username", "inputmode": "tel", "autofocus": True},
    )
    code = StringField(
        _l("开通码"), validators=[DataRequired(_l("请输入开通码。")), Length(max=32)],
        description=_l("开通通知单上的 12 位开通码，字母不分大小写，可不输入横线。"),
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField(_l("下一步"))


class ActivationForm(FlaskForm):
    """The second step: accept the privacy notice (its version) and set a password."""

    accept = BooleanField(_l("我已阅读并同意《个人信息保护告知》"))
    notice_version = HiddenField()
    new_password = PasswordField(
        _l("设置密码"), validators=[DataRequired(_l("请设置密码。")), Length(max=128)],
        description=_l("至少 8 个字符，不能是常见密码，不能包含用户名或手机号。"),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("再次输入密码"),
        validators=[DataRequired(_l("请再次输入密码。")), EqualTo("new_password", _l("两次输入的密码不一致。"))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("开通并登录"))
