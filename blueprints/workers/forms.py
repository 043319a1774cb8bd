"""Forms of the workers area."""

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from blueprints.forms import (
    NumberTextField,
    OnceForm,
    PersonForm,
    identifier_field,
    optional_int,
    skill_level_choices,
)
from core.l10n import lazy_gettext as _l


class WorkerForm(PersonForm):
    submit = SubmitField(_l("保存"))


class NewWorkerForm(PersonForm, OnceForm):
    """No password: the account is not activated until the worker uses the code of their activation slip."""

    submit = SubmitField(_l("创建职工账号"))


class SkillCertificateForm(FlaskForm):
    skill_level = SelectField(_l("新的职业技能等级"), coerce=optional_int, validate_choice=False)
    certificate_no = identifier_field(
        _l("证书编号"), "certificate_no", validators=[DataRequired(_l("请填写证书编号。")), Length(max=30)],
        description=_l("22 位：Y（用人单位）或 S（社会培训评价组织）开头，后接 21 位数字。"))
    issuing_body = StringField(_l("评价机构"), validators=[DataRequired(_l("请填写评价机构。")), Length(max=100)])
    effective_date = DateField(_l("发证日期"), validators=[DataRequired(_l("请填写发证日期。"))])
    # issue 15: the training programme that led to it and the union's subsidy, both optional
    programme_id = SelectField(_l("相关培训项目（可选）"), coerce=optional_int, validate_choice=False,
                               description=_l("促成这次提升的培训项目，列出最近的项目。"))
    subsidy = NumberTextField(_l("工会补贴（元，可选）"), validators=[Optional()], places=2, thousands=True)
    submit = SubmitField(_l("登记证书"))

    def fill_choices(self, actor=None) -> None:
        from blueprints.training.money_forms import programme_choices

        self.skill_level.choices = skill_level_choices()
        self.programme_id.choices = programme_choices(actor) if actor is not None else [("", "")]


class LeaveForm(FlaskForm):
    leave_date = DateField(_l("离职日期"), validators=[Optional()],
                           description=_l("当天起不再属于本企业；可提前登记，到期自动生效。"))
    submit = SubmitField(_l("登记离职"))


class PhoneForm(FlaskForm):
    phone = identifier_field(_l("新手机号"), "phone", validators=[Optional(), Length(max=20)],
                             render_kw={"type": "tel", "inputmode": "tel"})
    submit = SubmitField(_l("更换手机号"))


class TransferAnswerForm(FlaskForm):
    answer = RadioField(_l("答复"), choices=[("left", _l("确认离职日期")), ("employed", _l("仍在本企业任职"))],
                        validators=[DataRequired(_l("请选择答复。"))])
    leave_date = DateField(_l("离职日期"), validators=[Optional()])
    submit = SubmitField(_l("提交答复"))
