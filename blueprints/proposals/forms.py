"""Forms of the proposals area. Numbers that carry rules (savings, shares, weights) are checked by
services/proposals/; the forms only parse and keep what the user typed."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from blueprints.forms import (
    IntegerField,
    NumberTextField,
    OnceForm,
    PickerField,
    PublishForm,
    RewardFields,
    optional_int,
    picked_person_id,
)
from core import clock
from core.l10n import lazy_gettext as _l
from models.proposals import DEFAULT_RUBRIC, KIND_LABELS, OWNER_CITY, SCREENING_REASON_LABELS
from services.accounts.search import person_label
from services.proposals import campaigns
from services.proposals.campaigns import WINDOW_FIELDS, CampaignData
from services.proposals.savings import CALC_FIELDS, PLACES
from services.proposals.submission import ProposalData


def to_utc(local: datetime | None) -> datetime | None:
    """A naive Shanghai wall-clock time from a form, as an aware UTC datetime."""
    if local is None:
        return None
    return local.replace(tzinfo=clock.SHANGHAI).astimezone(UTC)


def to_local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(clock.SHANGHAI).replace(tzinfo=None) if moment else None



class CriterionForm(Form):
    name = StringField(_l("评分项"), validators=[Optional(), Length(max=32)])
    weight = IntegerField(_l("权重"), validators=[Optional()])


class CampaignForm(RewardFields, FlaskForm):
    name = StringField(_l("活动名称"), validators=[InputRequired(_l("请填写活动名称。")), Length(max=100)],
                       description=_l("例如：2026年五小·智慧杯"))
    description = TextAreaField(_l("活动说明"), validators=[Optional(), Length(max=2000)])
    submission_opens_at = DateTimeLocalField(_l("征集开始"), validators=[InputRequired(_l("请填写时间。"))])
    submission_closes_at = DateTimeLocalField(_l("征集截止"), validators=[InputRequired(_l("请填写时间。"))])
    judging_opens_at = DateTimeLocalField(_l("评审开始"), validators=[InputRequired(_l("请填写时间。"))])
    judging_closes_at = DateTimeLocalField(_l("评审截止"), validators=[InputRequired(_l("请填写时间。"))])
    min_judges = IntegerField(_l("每件提案至少评委人数"),
                              validators=[InputRequired(_l("请填写评委人数。"))])
    blind_review = BooleanField(_l("匿名评审（评委看不到作者和企业）"))
    quota_first = IntegerField(_l("一等奖名额"), validators=[InputRequired(_l("请填写名额。"))])
    quota_second = IntegerField(_l("二等奖名额"), validators=[InputRequired(_l("请填写名额。"))])
    quota_third = IntegerField(_l("三等奖名额"), validators=[InputRequired(_l("请填写名额。"))])
    pass_mark = NumberTextField(_l("优秀奖分数线"), places=2,
                                validators=[InputRequired(_l("请填写分数线。"))])
    criteria = FieldList(FormField(CriterionForm), min_entries=6, max_entries=10, label=_l("评分标准"))
    recommend_quota = IntegerField(_l("每个企业（镇街）可推荐的提案数"), validators=[Optional()],
                                   description=_l("填写后，企业和镇街可把本级活动的优秀提案推荐到本活动；留空则不接受推荐。"))
    submit = SubmitField(_l("保存"))

    def to_data(self) -> CampaignData:
        criteria = [((row.form.name.data or "").strip(), row.form.weight.data) for row in self.criteria
                    if (row.form.name.data or "").strip() or row.form.weight.data is not None]
        return CampaignData(
            name=self.name.data or "", description=self.description.data,
            **{name: to_utc(getattr(self, name).data) for name in WINDOW_FIELDS},
            min_judges=self.min_judges.data, blind_review=bool(self.blind_review.data),
            quota_first=self.quota_first.data, quota_second=self.quota_second.data,
            quota_third=self.quota_third.data, pass_mark=self.pass_mark.data, criteria=criteria,
            recommend_quota=self.recommend_quota.data, **self.reward_data(),
        )


def campaign_form_data(campaign=None, level: str = OWNER_CITY) -> dict:
    """Initial data of the campaign form: the campaign's, or the defaults of a new one at the owner's
    `level` (services.proposals.campaigns.defaults_for)."""
    if campaign is None:
        return {"criteria": [{"name": str(name), "weight": weight} for name, weight in DEFAULT_RUBRIC],
                **campaigns.defaults_for(level)}
    data = {name: getattr(campaign, name) for name in (
        "name", "description", "min_judges", "blind_review", "quota_first", "quota_second", "quota_third",
        "pass_mark", "recommend_quota", "reward_first", "reward_second", "reward_third", "reward_honourable")}
    data.update({name: to_local(getattr(campaign, name)) for name in WINDOW_FIELDS})
    data["criteria"] = [{"name": c.name, "weight": c.weight} for c in campaign.criteria]
    return data


class CoAuthorForm(Form):
    user_id = PickerField(_l("合作者"))
    share = IntegerField(_l("贡献比例（%）"), validators=[Optional()])


class ProposalForm(FlaskForm):
    kind = SelectField(_l("类别"), choices=[("", _l("— 请选择 —"))] + list(KIND_LABELS.items()))
    title = StringField(_l("标题"), validators=[InputRequired(_l("请填写标题。")), Length(max=100)])
    problem = TextAreaField(_l("现状问题"), validators=[Optional(), Length(max=5000)],
                            description=_l("现在是怎样做的，存在什么问题。"), render_kw={"rows": 4})
    solution = TextAreaField(_l("改进措施"), validators=[Optional(), Length(max=5000)],
                             description=_l("具体怎样改进。"), render_kw={"rows": 5})
    expected_benefit = TextAreaField(_l("预期效益"), validators=[Optional(), Length(max=5000)],
                                     render_kw={"rows": 3})
    estimated_savings = NumberTextField(_l("预计年节约额（元）"), validators=[Optional()],
                                        places=PLACES["estimated_savings"], thousands=True,
                                        render_kw={"data-savings-output": "1"},
                                        description=_l("可直接填写，或用上面的节约额测算自动得出。最多两位小数。"))
    calc_quantity_before = NumberTextField(_l("改进前单位用量"), validators=[Optional()],
                                           places=PLACES["calc_quantity_before"], thousands=True,
                                           render_kw={"data-calc": "before"})
    calc_quantity_after = NumberTextField(_l("改进后单位用量"), validators=[Optional()],
                                          places=PLACES["calc_quantity_after"], thousands=True,
                                          render_kw={"data-calc": "after"})
    calc_unit_price = NumberTextField(_l("单价（元）"), validators=[Optional()],
                                      places=PLACES["calc_unit_price"], thousands=True,
                                      render_kw={"data-calc": "price"})
    calc_annual_output = NumberTextField(_l("年产量"), validators=[Optional()],
                                         places=PLACES["calc_annual_output"], thousands=True,
                                         render_kw={"data-calc": "output"})
    calc_implementation_cost = NumberTextField(_l("实施成本（元）"), validators=[Optional()],
                                               places=PLACES["calc_implementation_cost"], thousands=True,
                                               render_kw={"data-calc": "cost"})
    proposer_share = IntegerField(_l("本人贡献比例（%）"), default=100, validators=[Optional()])
    coauthors = FieldList(FormField(CoAuthorForm), min_entries=3, max_entries=8, label=_l("合作者"))
    files = MultipleFileField(_l("附件（照片、图纸、PDF，每个不超过 10 MB）"),
                              render_kw={"accept": ".jpg,.jpeg,.png,.pdf,.dwg"})
    calculate = SubmitField(_l("按测算填入节约额"))
    submit = SubmitField(_l("保存草稿"))

    def to_data(self, files, actor=None) -> ProposalData:
        """The proposal's data; with `actor`, each co-author picker's text resolved among the actor's
        colleagues (inside the view's submit: RuleViolation beside the picker when it names nobody or
        several); without, the posted ids as they are (the savings calculator needs no co-authors)."""
        return ProposalData(
            kind=self.kind.data or "", title=self.title.data or "", problem=self.problem.data or "",
            solution=self.solution.data or "", expected_benefit=self.expected_benefit.data or "",
            estimated_savings=self.estimated_savings.data,
            **{name: getattr(self, name).data for name in CALC_FIELDS},
            proposer_share=self.proposer_share.data,
            coauthors=[(picked_person_id(actor, row.form.user_id, "colleagues") if actor else row.form.user_id.data,
                        row.form.share.data) for row in self.coauthors],
            files=files,
        )


def proposal_form_data(proposal) -> dict:
    data = {name: getattr(proposal, name) for name in ("kind", "title", "problem", "solution", "expected_benefit")}
    data["estimated_savings"] = "" if proposal.estimated_savings is None else str(proposal.estimated_savings)
    for name in CALC_FIELDS:
        value = getattr(proposal, name)
        data[name] = "" if value is None else format(value.normalize(), "f")
    own = next((a for a in proposal.authors if a.user_id == proposal.proposer_id), None)
    data["proposer_share"] = own.share if own else 100
    data["coauthors"] = [{"user_id": a.user_id, "share": a.share} for a in proposal.authors
                         if a.user_id != proposal.proposer_id]
    return data


def show_coauthors(form, proposal) -> None:
    """Show the proposal's co-authors in the form's pickers (name and employee number)."""
    others = [a.user for a in proposal.authors if a.user_id != proposal.proposer_id]
    for row, person in zip(form.coauthors, others, strict=False):
        row.form.user_id.show(person, person_label(person))


class NewProposalForm(ProposalForm, OnceForm):
    """The proposal form of a new proposal: with a one-time token (a double click makes one draft)."""


class AttachmentsForm(FlaskForm):
    files = MultipleFileField(_l("添加附件"), render_kw={"accept": ".jpg,.jpeg,.png,.pdf,.dwg"})
    submit = SubmitField(_l("上传"))


class SubmitProposalForm(FlaskForm):
    pledge = BooleanField(_l("我承诺：本提案内容真实，是本人（及合作者）的成果，不侵犯他人知识产权。"))
    submit = SubmitField(_l("提交提案"))


class WithdrawForm(FlaskForm):
    note = StringField(_l("撤回原因（可选）"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("撤回提案"))


class ScreenForm(FlaskForm):
    decision = RadioField(_l("审核结论"), choices=[("valid", _l("有效提案")), ("return", _l("退回修改")),
                                                  ("reject", _l("不通过"))],
                          validators=[InputRequired(_l("请选择审核结论。"))])
    reason = SelectField(_l("不通过原因"), choices=[("", _l("— 请选择 —"))] + list(SCREENING_REASON_LABELS.items()),
                         validate_choice=False)
    note = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField(_l("提交审核结论"))


class RecommendForm(FlaskForm):
    """The owner of a campaign recommends one of its proposals upward into a higher campaign."""

    target_id = SelectField(_l("推荐到"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("推荐上报"))


class PanelForm(FlaskForm):
    """The owner appoints one person to a campaign's panel of judges."""

    user_id = PickerField(_l("评委人选"))
    submit = SubmitField(_l("加入评委库"))


class AssignForm(FlaskForm):
    proposal_id = IntegerField(validators=[InputRequired(_l("请选择提案和评委。"))])
    judge_id = PickerField(_l("评委"))
    submit = SubmitField(_l("分配"))


class LockForm(FlaskForm):
    locked = StringField(validators=[InputRequired()])
    # The number of unscreened proposals on the confirmation page the admin confirmed (none: not confirmed).
    confirmed = IntegerField(validators=[Optional()])


class CampaignPublishForm(PublishForm):
    """Publishing a campaign's results; `confirmed` as in LockForm."""

    confirmed = IntegerField(validators=[Optional()])


class AdoptForm(FlaskForm):
    note = StringField(_l("采纳说明（可选）"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("标记为已采纳"))


class ImplementForm(FlaskForm):
    amount = NumberTextField(_l("实际年节约额（元）"), validators=[Optional()],
                             places=PLACES["amount"], thousands=True)
    note = TextAreaField(_l("实施情况说明"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    finance_file = FileField(_l("财务部门确认件（盖章扫描件，PDF 或图片）"),
                             render_kw={"accept": ".pdf,.jpg,.jpeg,.png"})
    submit = SubmitField(_l("登记实施和实际节约额"))


RANGE_MESSAGE = _l("每项分数应为 0 到 10 的整数。")


def mark_form_class(criteria, frozen: bool):
    """A marking form with one 0-10 field per criterion of the campaign's rubric. Its `fields_key` names
    what the class fixes (each criterion's id, label and weight, and whether marks are frozen), so that
    blueprints.forms.blank_fields keeps its fields' HTML across requests though the class is new each time."""

    class MarkForm(FlaskForm):
        save = SubmitField(_l("保存"))
        final = SubmitField(_l("提交评分"))
        fields_key = ("proposals.mark", tuple((c.id, str(c.label), c.weight) for c in criteria), frozen)

    for criterion in criteria:
        setattr(MarkForm, f"c{criterion.id}", NumberTextField(
            _l("%(name)s（0–10 分，权重 %(weight)d%%）", name=criterion.label, weight=criterion.weight), places=0,
            validators=[Optional(), NumberRange(0, 10, RANGE_MESSAGE)],
            # The browser checks the range before asking "submit?" (static/js/app.js); the server again.
            render_kw={"data-weight": criterion.weight, "data-min": 0, "data-max": 10, "data-integer": 1,
                       "data-range-message": RANGE_MESSAGE,
                       "class": "mark-input", **({"disabled": True} if frozen else {})},
        ))
    return MarkForm


class TopTenForm(FlaskForm):
    """The admin designates one of the city's top ten innovation achievements (services.proposals.achievements):
    the proposal chosen from the candidate list, the year (blank: the year it was first submitted), the
    position (blank: the first free one) and a citation."""

    proposal_id = HiddenField(filters=[optional_int])
    year = IntegerField(_l("评选年份"), validators=[Optional(), NumberRange(2000, 2100)],
                        description=_l("留空即提案首次提交的年份。"))
    position = SelectField(_l("名次"), coerce=optional_int, validate_choice=False,
                           choices=[("", _l("— 第一个空缺的名次 —"))] + [(n, str(n)) for n in range(1, 11)])
    citation = TextAreaField(_l("评语（选填）"), validators=[Optional(), Length(max=200)], render_kw={"rows": 2})
    submit = SubmitField(_l("评选入选"))
