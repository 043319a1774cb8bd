"""Forms of the titles area."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from blueprints.forms import IntegerField, NumberTextField, OnceForm, PickerField, optional_int, skill_level_choices
from blueprints.training.completion_forms import TrainingRuleFields
from core.l10n import lazy_gettext as _l
from models.honours import HIGHER_LEVELS, HIGHER_PRIZE_LABELS
from models.titles import TITLE_LEVELS
from models.vocabulary import COMPETITION_LEVELS, LEVEL_LABELS
from services.titles.types import TitleTypeData


class TitleTypeForm(TrainingRuleFields, FlaskForm):
    name = StringField(_l("称号名称"), validators=[DataRequired(_l("请填写称号名称。")), Length(max=50)])
    level = SelectField(_l("级别"), choices=list(TITLE_LEVELS.items()))
    yearly_quota = IntegerField(_l("每年名额"),
                                validators=[DataRequired(_l("请填写每年名额。")), NumberRange(1, 10000)])
    prerequisite_id = SelectField(_l("前置称号"), coerce=optional_int, validate_choice=False)
    description = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)])
    min_skill_level = SelectField(_l("最低职业技能等级"), coerce=optional_int, validate_choice=False,
                                  description=_l("与下面的竞赛名次条件满足其一即可。"))
    competition_top_n = IntegerField(_l("竞赛前几名"), validators=[Optional(), NumberRange(1, 100)])
    competition_min_level = SelectField(_l("最低竞赛级别"), validate_choice=False)
    competition_within_years = IntegerField(_l("竞赛成绩年限（年）"), validators=[Optional(), NumberRange(1, 20)])
    min_years_in_trade = IntegerField(_l("最少工种年限（年）"), validators=[Optional(), NumberRange(0, 60)])
    min_adopted_proposals = IntegerField(_l("至少采纳并核实节约的五小提案（项）"),
                                         validators=[Optional(), NumberRange(0, 1000)])
    min_verified_savings = NumberTextField(_l("至少核实节约金额（元）"), places=2, thousands=True,
                                           validators=[Optional(), NumberRange(0)])
    min_completed_pairs = IntegerField(_l("至少完成带徒（对）"), validators=[Optional(), NumberRange(0, 100)])
    validity_years = IntegerField(_l("有效期（年，空为长期）"), validators=[Optional(), NumberRange(1, 50)])
    is_active = BooleanField(_l("启用（停用后不能再发起评选，已授予的称号不受影响）"), default=True)
    submit = SubmitField(_l("保存"))

    def fill_choices(self, title_types, editing=None) -> None:
        self.prerequisite_id.choices = [("", _l("— 无 —"))] + [
            (t.id, t.label) for t in title_types if editing is None or t.id != editing.id]
        self.min_skill_level.choices = skill_level_choices(_l("— 不限 —"))
        self.competition_min_level.choices = [("", _l("— 不设竞赛条件 —"))] + [
            (code, LEVEL_LABELS[code]) for code in COMPETITION_LEVELS]
        self.fill_training_choices()

    def to_data(self) -> TitleTypeData:
        return TitleTypeData(
            name=self.name.data or "", level=self.level.data, yearly_quota=self.yearly_quota.data,
            prerequisite_id=self.prerequisite_id.data, description=self.description.data or None,
            min_skill_level=self.min_skill_level.data, competition_top_n=self.competition_top_n.data,
            competition_min_level=self.competition_min_level.data or None,
            competition_within_years=self.competition_within_years.data,
            min_years_in_trade=self.min_years_in_trade.data, min_adopted_proposals=self.min_adopted_proposals.data,
            min_verified_savings=self.min_verified_savings.data, min_completed_pairs=self.min_completed_pairs.data,
            validity_years=self.validity_years.data, is_active=self.is_active.data, **self.training_data(),
        )


class RoundForm(FlaskForm):
    title_type_id = SelectField(_l("称号"), coerce=optional_int, validate_choice=False)
    year = IntegerField(_l("年度"), validators=[DataRequired(_l("请填写年度。")), NumberRange(2000, 2100)])
    deadline = DateTimeLocalField(_l("推荐截止时间"), format="%Y-%m-%dT%H:%M",
                                  validators=[DataRequired(_l("请填写推荐截止时间。"))],
                                  description=_l("北京时间。"))
    quota = IntegerField(_l("本次名额"), validators=[Optional(), NumberRange(1, 10000)],
                         description=_l("不填则使用称号的每年名额。"))
    submit = SubmitField(_l("发起评选"))


class NominationForm(OnceForm):
    citation = TextAreaField(_l("推荐事迹"), validators=[DataRequired(_l("请填写推荐事迹。")), Length(max=3000)],
                             render_kw={"rows": 6},
                             description=_l("简要说明该职工的技能水平、创新成果、带徒情况等，至少 20 字。"))
    attachments = MultipleFileField(_l("附件（可选）"), description=_l("图片或 PDF，每个不超过 10 MB。"))
    submit = SubmitField(_l("提交推荐"))


class ReviewForm(FlaskForm):
    decision = RadioField(_l("评审意见"), choices=[("approve", _l("通过")), ("reject", _l("不通过"))],
                          validators=[DataRequired(_l("请选择评审意见。"))])
    note = TextAreaField(_l("理由"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 2})
    submit = SubmitField(_l("保存评审意见"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("撤销理由"), validators=[DataRequired(_l("请写明撤销理由。")), Length(max=1000)],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("撤销称号"))


class HigherRecommendForm(FlaskForm):
    """The city records a recommendation to a level above it (a competitor's, or a proposal's)."""

    level = SelectField(_l("上级层级"), choices=[(code, LEVEL_LABELS[code]) for code in HIGHER_LEVELS])
    contest = StringField(_l("赛事或评选名称"),
                          validators=[DataRequired(_l("请填写赛事或评选名称。")), Length(max=100)],
                          description=_l("例如：2026年福建省职工五小创新成果评选、福建省职业技能竞赛"))
    recommended_on = DateField(_l("推荐日期"), validators=[DataRequired(_l("请填写推荐日期。"))])
    person_id = PickerField(_l("选手"))
    submit = SubmitField(_l("记录推荐"))


class HigherResultForm(FlaskForm):
    """The city enters the result that came back from the higher level, with its evidence."""

    prize = SelectField(_l("获奖等次"), choices=[("", _l("— 请选择 —"))] + list(HIGHER_PRIZE_LABELS.items()))
    result_on = DateField(_l("成绩日期"), validators=[Optional()])
    evidence = FileField(_l("证明文件（证书或公布名单的照片、PDF）"), render_kw={"accept": ".jpg,.jpeg,.png,.pdf"})
    submit = SubmitField(_l("保存成绩"))
