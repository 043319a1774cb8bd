"""Forms of the competitions area. Sub-items and prize tables are typed one per line so that the
forms work without JavaScript; a prize is typed as its label (一等奖, or the label in the page's
language) or its code, and stored as the code (models.vocabulary.PRIZES)."""

from __future__ import annotations

from datetime import UTC

from flask import current_app
from flask_babel import force_locale
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
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from blueprints.forms import (
    IntegerField,
    OnceForm,
    PickerField,
    RewardFields,
    identifier_field,
    optional_int,
    skill_level_choices,
    trade_choices,
)
from core import clock
from core.l10n import lazy_gettext as _l
from models.vocabulary import COMPETITION_LEVELS, HONOUR_LABELS, LEVEL_LABELS, PRIZE_LABELS, PRIZES, reference_label
from services.competitions.setup import DEFAULT_PRIZE_TIERS, CompetitionData

ITEMS_HELP = _l("每行一项：项目名称 权重，例如“裁断 25”，权重之和为 100。")
TIERS_HELP = _l("每行一档：名次范围 奖项 [荣誉推荐]，例如“1-1 一等奖 五一劳动奖章”或“2-3 二等奖 技术能手”。")


def parse_items(text: str) -> list[tuple[str, int]]:
    items = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _, weight = line.rpartition(" ")
        if not name.strip() or not weight.strip().isdigit():
            raise ValidationError(_l("这一行格式不对：“%(line)s”", line=line))
        items.append((name.strip(), int(weight)))
    return items


def _prize_words() -> list[tuple[str, str]]:
    """(word, code) for every way a prize may be typed: its code, its label in the page's language and
    in the default language; longest first, so that "First prize" wins over "First"."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        default_labels = {code: str(PRIZE_LABELS[code]) for code in PRIZES}
    words = {(code, code) for code in PRIZES}
    words |= {(str(PRIZE_LABELS[code]), code) for code in PRIZES}
    words |= {(label, code) for code, label in default_labels.items()}
    return sorted(words, key=lambda pair: -len(pair[0]))


def _split_prize(rest: str, line: str) -> tuple[str, str | None]:
    """The prize code at the start of `rest` and the honour after it (None when there is none)."""
    for word, code in _prize_words():
        if rest.lower() == word.lower() or rest.lower().startswith(word.lower() + " "):
            return code, rest[len(word):].strip() or None
    raise ValidationError(_l("这一行的奖项应为%(prizes)s：“%(line)s”",
                             prizes=str(_l("、")).join(str(PRIZE_LABELS[code]) for code in PRIZES), line=line))


def parse_tiers(text: str) -> list[tuple[int, int, str, str | None]]:
    """Lines "1-3 一等奖 五一劳动奖章" -> (1, 3, "first", "五一劳动奖章")."""
    tiers = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = line.split(maxsplit=1)
        if len(parts) < 2:
            raise ValidationError(_l("这一行格式不对：“%(line)s”", line=line))
        ranks, rest = parts
        low, _, high = ranks.partition("-")
        high = high or low
        if not (low.isdigit() and high.isdigit()):
            raise ValidationError(_l("名次范围应写成“1-3”：“%(line)s”", line=line))
        prize, honour = _split_prize(" ".join(rest.split()), line)
        tiers.append((int(low), int(high), prize, _honour_key(honour)))
    return tiers


def tiers_text(tiers) -> str:
    """The prize table as typed in the form: (rank from, rank to, prize code, honour or None) rows; a default
    honour shows as its label (and is stored as its key again, see `_honour_key`)."""
    return "\n".join(f"{a}-{b} {PRIZE_LABELS.get(prize, prize)}"
                     f"{' ' + str(reference_label(HONOUR_LABELS, honour)) if honour else ''}"
                     for a, b, prize, honour in tiers)


def _honour_key(honour: str | None) -> str | None:
    """A default honour typed as its label in the reader's language is stored as its key (五一劳动奖章)."""
    if honour is None:
        return None
    return next((key for key, label in HONOUR_LABELS.items() if honour.lower() == str(label).lower()), honour)


def to_local(moment):
    return moment.astimezone(clock.SHANGHAI).replace(tzinfo=None) if moment else None


def from_local(value):
    return value.replace(tzinfo=clock.SHANGHAI).astimezone(UTC) if value else None


class CompetitionForm(RewardFields, FlaskForm):
    name = StringField(_l("竞赛名称"), validators=[Optional(), Length(max=100)])  # required by the service
    trade_id = SelectField(_l("工种"), coerce=optional_int, validate_choice=False)
    level = SelectField(_l("竞赛级别"), choices=[(code, LEVEL_LABELS[code]) for code in COMPETITION_LEVELS],
                        default="city")
    description = TextAreaField(_l("竞赛说明"), validators=[Optional(), Length(max=5000)])
    venue = StringField(_l("比赛地点"), validators=[Optional(), Length(max=200)])
    held_on = DateField(_l("比赛日期"), validators=[Optional()])  # required by the service
    registration_opens_at = DateTimeLocalField(_l("报名开始（北京时间）"), format="%Y-%m-%dT%H:%M",
                                               validators=[InputRequired(_l("请填写报名开始时间。"))])
    registration_closes_at = DateTimeLocalField(_l("报名截止（北京时间）"), format="%Y-%m-%dT%H:%M",
                                                validators=[InputRequired(_l("请填写报名截止时间。"))])
    capacity = IntegerField(_l("参赛名额"), validators=[InputRequired(_l("请填写名额。")), NumberRange(min=1)])
    eligible_trade_ids = SelectMultipleField(_l("限报工种"), coerce=int, validate_choice=False,
                                             description=_l("不选表示不限工种。"))
    min_skill_level = SelectField(_l("最低职业技能等级"), coerce=optional_int, validate_choice=False)
    max_skill_level = SelectField(_l("最高职业技能等级"), coerce=optional_int, validate_choice=False)
    min_age = IntegerField(_l("最小年龄"), default=16, validators=[InputRequired()])
    max_age = IntegerField(_l("最大年龄"), default=60, validators=[InputRequired()])
    members_only = BooleanField(_l("仅限会员企业职工"), default=True)
    per_enterprise_cap = IntegerField(_l("每家企业限报人数"), validators=[Optional()],
                                      description=_l("留空表示不限，常见为 5 人。"))
    is_team = BooleanField(_l("团体赛"))
    team_min = IntegerField(_l("每队最少人数"), default=1, validators=[Optional()])
    team_max = IntegerField(_l("每队最多人数"), default=1, validators=[Optional()])
    theory_weight = IntegerField(_l("理论成绩权重（%）"), default=30, validators=[InputRequired()])
    practical_weight = IntegerField(_l("实操成绩权重（%）"), default=70, validators=[InputRequired()])
    items = TextAreaField(_l("实操评分项目"), description=ITEMS_HELP,
                          default=lambda: str(_l("裁断 25\n针车 35\n成型 25\n整理 15")))
    min_judges = IntegerField(_l("实操最少评委人数"), default=3, validators=[InputRequired()])
    judge_min_level = SelectField(_l("评委最低职业技能等级"), coerce=optional_int, validate_choice=False, default=4)
    prize_tiers = TextAreaField(_l("奖项设置"), description=TIERS_HELP,
                                default=lambda: tiers_text(DEFAULT_PRIZE_TIERS))
    promote_top_n = IntegerField(_l("前 N 名推荐晋升一级"), default=0, validators=[Optional()],
                                 description=_l("0 表示不推荐；晋升最高到技师。"))
    submit = SubmitField(_l("保存"))

    def fill_choices(self) -> None:
        self.trade_id.choices = trade_choices()
        self.eligible_trade_ids.choices = trade_choices()[1:]
        self.min_skill_level.choices = skill_level_choices(_l("不限"))
        self.max_skill_level.choices = skill_level_choices(_l("不限"))
        self.judge_min_level.choices = skill_level_choices()[1:]

    def validate_items(self, field):
        parse_items(field.data)

    def validate_prize_tiers(self, field):
        parse_tiers(field.data)

    def load(self, competition) -> None:
        """Fill the form from an existing competition (GET of the edit page)."""
        for name in ("name", "trade_id", "level", "description", "venue", "held_on", "capacity",
                     "min_skill_level", "max_skill_level", "min_age", "max_age", "members_only",
                     "per_enterprise_cap", "is_team", "team_min", "team_max", "theory_weight",
                     "practical_weight", "min_judges", "judge_min_level", "promote_top_n"):
            getattr(self, name).data = getattr(competition, name)
        self.registration_opens_at.data = to_local(competition.registration_opens_at)
        self.registration_closes_at.data = to_local(competition.registration_closes_at)
        self.eligible_trade_ids.data = [t.id for t in competition.eligible_trades]
        self.items.data = "\n".join(f"{i.name} {i.weight}" for i in competition.items)
        self.prize_tiers.data = tiers_text((t.rank_from, t.rank_to, t.prize, t.honour) for t in competition.prize_tiers)
        self.load_rewards(competition)

    def to_data(self) -> CompetitionData:
        return CompetitionData(
            name=self.name.data, trade_id=self.trade_id.data, level=self.level.data,
            description=self.description.data or "", venue=self.venue.data or "", held_on=self.held_on.data,
            registration_opens_at=from_local(self.registration_opens_at.data),
            registration_closes_at=from_local(self.registration_closes_at.data), capacity=self.capacity.data,
            eligible_trade_ids=list(self.eligible_trade_ids.data or []),
            min_skill_level=self.min_skill_level.data, max_skill_level=self.max_skill_level.data,
            min_age=self.min_age.data, max_age=self.max_age.data, members_only=self.members_only.data,
            per_enterprise_cap=self.per_enterprise_cap.data, is_team=self.is_team.data,
            team_min=self.team_min.data or 1, team_max=self.team_max.data or 1,
            theory_weight=self.theory_weight.data, practical_weight=self.practical_weight.data,
            items=parse_items(self.items.data), min_judges=self.min_judges.data,
            judge_min_level=self.judge_min_level.data if self.judge_min_level.data is not None else 4,
            prize_tiers=parse_tiers(self.prize_tiers.data), promote_top_n=self.promote_top_n.data or 0,
            **self.reward_data(),
        )


class ReasonForm(FlaskForm):
    """A reason (rejection, reopening, revocation): required by the service, which says which reason."""

    reason = StringField(_l("理由"), validators=[Optional(), Length(max=500)])


class RevokeCertificateForm(FlaskForm):
    """The admin's revocation of a certificate: a reason (required by the service) and a confirmation."""

    reason = TextAreaField(_l("撤销理由"), validators=[Optional(), Length(max=500)], render_kw={"rows": 3})
    confirm = BooleanField(_l("我确认撤销这张证书：验证页将显示已撤销，证书不能再下载为有效文件。"),
                           validators=[DataRequired(_l("请勾选确认。"))])
    submit = SubmitField(_l("撤销证书"))


class EmployeeNoForm(OnceForm):
    employee_no = identifier_field(_l("工号"), "employee_no",
                                   validators=[DataRequired(_l("请填写工号。")), Length(max=32)])
    submit = SubmitField(_l("报名"))


class TeamForm(OnceForm):
    team_name = StringField(_l("队名"), validators=[DataRequired(_l("请填写队名。")), Length(max=50)])
    employee_nos = TextAreaField(_l("队员工号"), validators=[DataRequired(_l("请填写队员工号。"))],
                                 description=_l("每行一个工号，第一位为队长。"))
    submit = SubmitField(_l("组队报名"))


class UploadForm(FlaskForm):
    file = FileField(_l("名单文件（Excel .xlsx 或 CSV）"),
                     description=_l("第一列工号，第二列姓名（可不填；填了会核对是否与工号相符），或用表头“工号”“姓名”标明。"))
    submit = SubmitField(_l("上传并报名"))


class TheoryUploadForm(FlaskForm):
    file = FileField(_l("理论成绩表（Excel .xlsx 或 CSV：参赛号、成绩）"),
                     description=_l("可加第三列姓名，填了会核对是否与参赛号相符。"))
    submit = SubmitField(_l("导入"))


class JudgeForm(FlaskForm):
    judge_id = PickerField(_l("评委"),
                           description=_l("输入评委姓名、工号或手机号后四位；须为在册评委，职业技能等级不低于本竞赛要求。"))
    submit = SubmitField(_l("加入评委组"))


class SignOffForm(FlaskForm):
    acknowledge_flags = BooleanField(_l("我已核实评委打分差异较大的选手"))
    submit = SubmitField(_l("确认成绩（之后不能再修改）"))


class PromotionForm(FlaskForm):
    certificate_no = identifier_field(_l("职业技能等级证书编号"), "certificate_no",
                                      validators=[DataRequired(_l("请填写证书编号。"))])
    issuing_body = StringField(_l("评价机构"), validators=[Optional(), Length(max=100)])  # required by the service
    effective_date = DateField(_l("发证日期"), validators=[Optional()])
    submit = SubmitField(_l("登记证书并晋升"))


class RecommendTopForm(FlaskForm):
    """The owner of a final selection contest enters its top N into a city competition."""

    target_id = IntegerField(_l("推荐到"), validators=[InputRequired(_l("请选择市级竞赛。"))])
    top_n = IntegerField(_l("推荐前几名"), default=3, validators=[InputRequired(_l("请填写推荐人数。"))])
    submit = SubmitField(_l("推荐报名"))
