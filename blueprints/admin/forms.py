"""Forms of the admin area."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,  # noqa: E402  (kept beside its widget use)
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from blueprints.forms import OnceForm, PersonForm, PickerField, identifier_field, optional_int
from core.l10n import lazy_gettext as _l
from models import Role
from models.accounts import INDUSTRIES, ROLE_LABELS
from services.accounts.enterprises import EnterpriseData


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def role_choices():
    # the town officer's role comes with a town: admin.town_officers assigns it
    return [(str(role), ROLE_LABELS[role]) for role in Role if role != Role.TOWN]


class EnterpriseForm(OnceForm):
    name = StringField(_l("企业名称"), validators=[DataRequired(_l("请填写企业名称。")), Length(max=100)])
    credit_code = identifier_field(
        _l("统一社会信用代码"), "credit_code",
        validators=[DataRequired(_l("请填写统一社会信用代码。")), Length(max=24)],
        description=_l("18 位，含最后一位校验码。"),
    )
    town_id = SelectField(_l("所在镇（街道）"), coerce=optional_int, validate_choice=False)
    industry = SelectField(_l("所属行业"), validate_choice=False)
    is_member = BooleanField(_l("工会会员企业"), default=True)
    submit = SubmitField(_l("保存"))

    def fill_choices(self, towns) -> None:
        self.town_id.choices = [("", _l("— 请选择 —"))] + [(t.id, t.label) for t in towns]
        self.industry.choices = [("", _l("— 请选择 —"))] + list(INDUSTRIES.items())

    def to_data(self) -> EnterpriseData:
        return EnterpriseData(
            name=self.name.data or "", credit_code=self.credit_code.data or "",
            town_id=self.town_id.data, industry=self.industry.data or "",
            is_member=self.is_member.data,
        )


class AccountForm(PersonForm):
    enterprise_id = PickerField(_l("所属企业"),
                                description=_l("输入企业名称或统一社会信用代码；总工会管理员和外聘评委可不填。"))
    submit = SubmitField(_l("保存"))


class NewAccountForm(AccountForm, OnceForm):
    """No password: the account is not activated until the person uses the code of an activation slip."""

    roles = MultiCheckboxField(_l("角色"), choices=role_choices)
    submit = SubmitField(_l("创建账号"))

    def to_profile(self):
        profile = super().to_profile()
        profile.roles = {Role(r) for r in self.roles.data or []}
        return profile


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("角色"), choices=role_choices)
    submit = SubmitField(_l("保存角色"))


class ResetPasswordForm(FlaskForm):
    """A reset issues a new activation code (services.accounts.activation.reset_password); nothing typed."""

    submit = SubmitField(_l("重置密码"))


class ActiveForm(FlaskForm):
    active = HiddenField()
    submit = SubmitField()


class CalendarDayForm(FlaskForm):
    """One day of the holiday schedule: a holiday on a weekday or a make-up workday on a weekend."""

    day = DateField(_l("日期"), validators=[DataRequired(_l("请选择日期。"))])
    kind = RadioField(_l("类型"), choices=[("holiday", _l("放假")), ("workday", _l("调休上班"))], default="holiday",
                      validators=[DataRequired(_l("请选择放假或上班。"))])
    note = StringField(_l("说明"), validators=[Optional(), Length(max=100)], description=_l("例如：春节、国庆节调休。"))
    submit = SubmitField(_l("保存"))


class TownOfficerForm(FlaskForm):
    """Assign a town union officer: the person (people search, purpose "town_officers") and a town."""

    person = PickerField(_l("人员"), description=_l("输入姓名、工号或手机号后四位，选定一人。"))
    town_id = SelectField(_l("所在镇（街道）"), coerce=optional_int, validate_choice=False)
    submit = SubmitField(_l("任命为镇街工会干部"))

    def fill_choices(self, towns) -> None:
        self.town_id.choices = [("", _l("— 请选择 —"))] + [(t.id, t.label) for t in towns]
