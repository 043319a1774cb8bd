"""Forms of the programmes part of training: a programme's settings, a class, HR's enrolment forms, the
cancellation reason. Times are typed in Beijing time (Asia/Shanghai) and handed on in UTC."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blueprints.competitions.forms import from_local, to_local
from blueprints.forms import (
    IntegerField,
    NumberTextField,
    OnceForm,
    PickerField,
    identifier_field,
    optional_int,
    skill_level_choices,
    trade_choices,
)
from core.l10n import lazy_gettext as _l
from models.training import FUNDING_SOURCES, PROGRAMME_KINDS
from services.training.classes import ClassData
from services.training.programmes import ProgrammeData


class ProgrammeForm(OnceForm):
    name = StringField(_l("项目名称"), validators=[Optional(), Length(max=100)])  # required by the service
    # No kind preselected: a default kind (技能提升) would ask for a target level the form leaves blank.
    kind = SelectField(_l("培训类型"), choices=lambda: [("", _l("— 请选择 —")), *PROGRAMME_KINDS.items()],
                       default="")
    description = TextAreaField(_l("项目说明"), validators=[Optional(), Length(max=5000)])
    trade_ids = SelectMultipleField(_l("面向工种"), coerce=int, validate_choice=False,
                                    description=_l("不选表示不限工种。"))
    min_skill_level = SelectField(_l("最低职业技能等级"), coerce=optional_int, validate_choice=False)
    max_skill_level = SelectField(_l("最高职业技能等级"), coerce=optional_int, validate_choice=False)
    target_level = SelectField(_l("目标等级（技能提升培训）"), coerce=optional_int, validate_choice=False,
                               description=_l("技能提升培训必填，且应高于最低职业技能等级；其他类型不填。"))
    self_enrol = BooleanField(_l("允许职工自行报名"), default=True,
                              description=_l("不勾选时由企业人力资源为职工报名。"))
    capacity = IntegerField(_l("名额"), validators=[InputRequired(_l("请填写名额。")), NumberRange(min=1)])
    enrol_opens_at = DateTimeLocalField(_l("报名开始（北京时间）"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                        description=_l("不填表示发布后即可报名。"))
    enrol_closes_at = DateTimeLocalField(_l("报名截止（北京时间）"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                         description=_l("不填表示报名到开班当天。"))
    starts_on = DateField(_l("开始日期"), validators=[Optional()])
    ends_on = DateField(_l("结束日期"), validators=[Optional()])
    budget = NumberTextField(_l("预算（元）"), validators=[Optional()], places=2, thousands=True)
    funding_source = SelectField(_l("经费来源"), choices=lambda: list(FUNDING_SOURCES.items()))
    completion_percent = IntegerField(_l("结业所需学时比例（%）"), default=80,
                                      validators=[InputRequired(_l("请填写结业所需学时比例。"))])
    assessment_required = BooleanField(_l("结业须考核合格"), default=True)
    submit = SubmitField(_l("保存"))

    def fill_choices(self) -> None:
        self.trade_ids.choices = trade_choices()[1:]
        self.min_skill_level.choices = skill_level_choices(_l("不限"))
        self.max_skill_level.choices = skill_level_choices(_l("不限"))
        self.target_level.choices = skill_level_choices(_l("不适用"))

    def load(self, programme) -> None:
        for name in ("name", "kind", "description", "min_skill_level", "max_skill_level", "target_level", "self_enrol",
                     "capacity", "starts_on", "ends_on", "funding_source", "completion_percent",
                     "assessment_required"):
            getattr(self, name).data = getattr(programme, name)
        self.budget.data = programme.budget
        self.trade_ids.data = [t.id for t in programme.trades]
        self.enrol_opens_at.data = to_local(programme.enrol_opens_at)
        self.enrol_closes_at.data = to_local(programme.enrol_closes_at)

    def to_data(self) -> ProgrammeData:
        return ProgrammeData(
            name=self.name.data or "", kind=self.kind.data, description=self.description.data or "",
            trade_ids=list(self.trade_ids.data or []), min_skill_level=self.min_skill_level.data,
            max_skill_level=self.max_skill_level.data, target_level=self.target_level.data,
            self_enrol=bool(self.self_enrol.data), capacity=self.capacity.data,
            enrol_opens_at=from_local(self.enrol_opens_at.data), enrol_closes_at=from_local(self.enrol_closes_at.data),
            starts_on=self.starts_on.data, ends_on=self.ends_on.data, budget=self.budget.data,
            funding_source=self.funding_source.data, completion_percent=self.completion_percent.data,
            assessment_required=bool(self.assessment_required.data))


class ClassForm(OnceForm):
    title = StringField(_l("班次名称"), validators=[Optional(), Length(max=100)])  # required by the service
    day = DateField(_l("上课日期"), validators=[Optional()])
    starts = TimeField(_l("开始时间（北京时间）"), validators=[Optional()])
    ends = TimeField(_l("结束时间（北京时间）"), validators=[Optional()])
    place = StringField(_l("上课地点"), validators=[Optional(), Length(max=200)])
    hours = NumberTextField(_l("学时"), validators=[Optional()], places=1,
                            description=_l("大于 0、不超过 24，且不超过上课时长。"))
    trainer = StringField(_l("授课老师"), validators=[Optional(), Length(max=100)])
    capacity = IntegerField(_l("教室容量"), validators=[Optional()], description=_l("可不填。"))
    assistant_id = PickerField(_l("班级助理"),
                               description=_l("可不填。输入姓名、工号或手机号后四位；班级助理可以管理本班次的签到。"))
    submit = SubmitField(_l("保存班次"))

    def to_data(self, assistant_id: int | None) -> ClassData:
        return ClassData(title=self.title.data or "", day=self.day.data, starts=self.starts.data, ends=self.ends.data,
                         place=self.place.data or "", hours=self.hours.data, trainer=self.trainer.data or "",
                         capacity=self.capacity.data, assistant_id=assistant_id)

    def load(self, data: ClassData) -> None:
        for name in ("title", "day", "starts", "ends", "place", "trainer", "capacity"):
            getattr(self, name).data = getattr(data, name)
        self.hours.data = data.hours


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("取消原因"), validators=[Optional(), Length(max=500)], render_kw={"rows": 3},
                           description=_l("已报名的职工会收到消息。"))
    submit = SubmitField(_l("取消培训"))


class EnrolNumberForm(OnceForm):
    employee_no = identifier_field(_l("工号"), "employee_no",
                                   validators=[DataRequired(_l("请填写工号。")), Length(max=32)])
    submit = SubmitField(_l("报名"))


class EnrolPersonForm(OnceForm):
    person = PickerField(_l("职工"), description=_l("输入姓名、工号或手机号后四位，选定本企业的一名职工。"))
    submit = SubmitField(_l("报名"))


class EnrolUploadForm(FlaskForm):
    file = FileField(_l("名单文件（Excel .xlsx 或 CSV）"),
                     description=_l("第一列工号，第二列姓名（可不填；填了会核对是否与工号相符），或用表头“工号”“姓名”标明。"
                                    "超过 200 行时在后台处理，完成后可下载逐行结果。"))
    submit = SubmitField(_l("上传并报名"))
