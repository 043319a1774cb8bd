"""Forms of the mentorship area. Who acts and which enterprise always come from the session."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blueprints.forms import (
    IntegerField,
    NumberTextField,
    OnceForm,
    PickerField,
    optional_int,
    picked_person_id,
    skill_level_choices,
    trade_choices,
)
from blueprints.training.completion_forms import TrainingRuleFields
from core.l10n import lazy_gettext as _l
from models.mentorship import END_REASON_LABELS, FREQUENCY_LABELS, GRADE_LABELS
from services.mentorship.assessment import AssessmentData
from services.mentorship.pairing import PairPlan


class PairForm(OnceForm):
    mentor_id = PickerField(_l("师傅"), description=_l("须为高级工（三级）及以上或持有工匠称号，且比徒弟至少高一级。"))
    apprentice_id = PickerField(_l("徒弟"))
    trade_id = SelectField(_l("带徒工种"), coerce=optional_int, validate_choice=False)
    goal_level = SelectField(_l("目标技能等级"), coerce=optional_int, validate_choice=False)
    goals = TextAreaField(_l("带徒目标"), validators=[Length(max=2000)], render_kw={"rows": 4},
                          description=_l("写明要掌握的技能、要达到的水平。"))
    start_date = DateField(_l("开始日期"), validators=[Optional()])
    planned_end = DateField(_l("计划结束日期"), validators=[Optional()],
                            description=_l("默认开始后 12 个月；可设 12 至 36 个月。"))
    checkin_frequency = RadioField(_l("带徒记录频率"), choices=list(FREQUENCY_LABELS.items()), default="monthly",
                                   validate_choice=False)
    submit = SubmitField(_l("建立结对"))

    def fill_choices(self) -> None:
        self.trade_id.choices = trade_choices()
        self.goal_level.choices = skill_level_choices()

    def to_plan(self, actor) -> PairPlan:
        """The plan, with mentor and apprentice resolved from their pickers (inside the view's submit:
        RuleViolation beside the picker when its text names nobody or several)."""
        return PairPlan(mentor_id=picked_person_id(actor, self.mentor_id, "workers"),
                        apprentice_id=picked_person_id(actor, self.apprentice_id, "workers"),
                        trade_id=self.trade_id.data, goal_level=self.goal_level.data, goals=self.goals.data or "",
                        start_date=self.start_date.data, planned_end=self.planned_end.data,
                        checkin_frequency=self.checkin_frequency.data or "")


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("确认带徒协议"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("原因"), validators=[DataRequired(_l("请说明原因。")), Length(max=500)],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("解除结对"))


class RevokeExcellentForm(FlaskForm):
    """The admin revokes a final excellent-pair honour (services.mentorship.excellent.revoke)."""

    reason = StringField(_l("撤销理由"), validators=[Length(max=500)])
    submit = SubmitField(_l("撤销表彰"))


class CheckInForm(FlaskForm):
    checkin_date = DateField(_l("带徒日期"), validators=[Optional()])
    hours = NumberTextField(_l("时长（小时）"), places=1, validators=[Optional()],
                            render_kw={"inputmode": "decimal"})
    taught = TextAreaField(_l("传授内容"), validators=[Length(max=4000)], render_kw={"rows": 4})
    skill_points = StringField(_l("练习的技能要点"), validators=[Length(max=500)],
                               description=_l("例如：鞋面缝合针距控制、机台调试。"))
    photo = FileField(_l("现场照片（可选）"), description=_l("JPG 或 PNG，不超过 10 MB。"))
    submit = SubmitField(_l("提交带徒记录"))


class RespondForm(FlaskForm):
    note = StringField(_l("说明"), validators=[Length(max=500)], description=_l("提出异议时必填。"))
    confirm = SubmitField(_l("确认属实"))
    dispute = SubmitField(_l("提出异议"))


class AssessmentForm(FlaskForm):
    assessed_on = DateField(_l("考核日期"), validators=[Optional()])
    grade = RadioField(_l("考核结果"), choices=list(GRADE_LABELS.items()), validate_choice=False)
    level_reached = SelectField(_l("达到的技能等级"), coerce=optional_int, validate_choice=False)
    score = NumberTextField(_l("考核分数"), places=2, validators=[Optional()])
    assessor = StringField(_l("考核人"), validators=[Length(max=100)])
    notes = TextAreaField(_l("考核意见"), validators=[Length(max=2000)], render_kw={"rows": 3})
    submit = SubmitField(_l("录入出师考核"))

    def fill_choices(self) -> None:
        self.level_reached.choices = skill_level_choices()

    def to_data(self) -> AssessmentData:
        return AssessmentData(grade=self.grade.data or "", level_reached=self.level_reached.data,
                              score=self.score.data, assessor=self.assessor.data or "", notes=self.notes.data or "",
                              assessed_on=self.assessed_on.data)


class EndEarlyForm(FlaskForm):
    reason = SelectField(_l("提前结束原因"), choices=[("", _l("— 请选择 —"))] + list(END_REASON_LABELS.items()),
                         validate_choice=False)
    note = StringField(_l("说明"), validators=[Length(max=500)])
    submit = SubmitField(_l("提前结束"))


class ExtendForm(FlaskForm):
    new_end = DateField(_l("新的结束日期"), validators=[Optional()])
    reason = StringField(_l("延期原因"), validators=[Length(max=400)])
    submit = SubmitField(_l("延期（仅一次）"))


class NominateForm(OnceForm):
    citation = TextAreaField(_l("推荐理由"), validators=[Length(max=500)], render_kw={"rows": 3},
                             description=_l("10 到 500 字，写明师徒的突出事迹。"))
    submit = SubmitField(_l("推荐为优秀师徒"))



class SettingsForm(TrainingRuleFields, FlaskForm):
    max_active_apprentices = IntegerField(_l("每位师傅同时带徒上限"), validators=[InputRequired(), NumberRange(1, 20)])
    grace_days = IntegerField(_l("带徒记录宽限天数"), validators=[InputRequired(), NumberRange(0, 90)])
    dissolution_months = IntegerField(_l("可解除期限（月）"), validators=[InputRequired(), NumberRange(0, 6)])
    excellent_quota = IntegerField(_l("年度优秀师徒名额"), validators=[InputRequired(), NumberRange(1, 10000)])
    submit = SubmitField(_l("保存"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fill_training_choices()
