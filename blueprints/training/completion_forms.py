"""Forms of the completion part of training: the assessment, finishing, revoking a certificate, and the
training rule fields a title type's and the mentoring settings' forms include (TrainingRuleFields)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from blueprints.forms import IntegerField, NumberTextField
from core.l10n import lazy_gettext as _l
from models.training import PROGRAMME_KINDS


class AssessmentForm(FlaskForm):
    passed = RadioField(_l("考核结果"), choices=[("1", _l("通过")), ("0", _l("未通过"))],
                        validators=[DataRequired(_l("请选择考核结果：通过或未通过。"))])
    score = NumberTextField(_l("成绩（选填，0-100）"), places=2,
                            validators=[Optional(), NumberRange(0, 100, message=_l("考核成绩应在 0 到 100 之间。"))])
    submit = SubmitField(_l("保存"))


class RevokeTrainingCertificateForm(FlaskForm):
    reason = TextAreaField(_l("撤销理由"), validators=[DataRequired(_l("请填写撤销理由。")), Length(max=500)])
    confirm = BooleanField(_l("我确认撤销这张证书（撤销后公开验证页显示已撤销）"),
                           validators=[DataRequired(_l("请勾选确认。"))])
    submit = SubmitField(_l("撤销证书"))


def kind_choices():
    return [("", _l("— 不要求 —"))] + list(PROGRAMME_KINDS.items())


class TrainingRuleFields:
    """The four training rule fields (models.training.TrainingRequirement), mixed into a FlaskForm; the
    template renders them with templates/training/_rule_fields.html. Call `fill_training_choices()`."""

    training_min_hours = NumberTextField(_l("至少培训学时"), places=1, validators=[Optional(), NumberRange(0)])
    training_hours_years = IntegerField(_l("学时统计年限（年，空为累计）"), validators=[Optional(), NumberRange(1, 50)])
    training_programme_kind = SelectField(_l("须完成的培训类型"), validate_choice=False)
    training_programme_years = IntegerField(_l("结业年限（年，空为不限）"), validators=[Optional(), NumberRange(1, 50)])

    def fill_training_choices(self) -> None:
        self.training_programme_kind.choices = kind_choices()

    def training_data(self) -> dict:
        return {"training_min_hours": self.training_min_hours.data,
                "training_hours_years": self.training_hours_years.data,
                "training_programme_kind": self.training_programme_kind.data or None,
                "training_programme_years": self.training_programme_years.data}
