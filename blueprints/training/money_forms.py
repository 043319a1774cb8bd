"""Forms of the upgrades, spending and figures part of training (blueprints/training/money.py)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from blueprints.forms import NumberTextField, optional_int
from core.l10n import lazy_gettext as _l
from models.training import COST_CATEGORIES, FUNDING_SOURCES
from models.vocabulary import EDUCATION_LEVELS
from services.training import upgrades
from services.training.spending import CostData
from services.training.upgrades import EducationData

BLANK = ("", _l("— 请选择 —"))


def programme_choices(actor, blank=_l("— 无 —")) -> list[tuple]:
    """The programmes an upgrade may name (services.training.upgrades.programme_choices)."""
    return [("", blank)] + [(p.id, _l("%(name)s（%(day)s）", name=p.name, day=p.starts_on.isoformat()))
                            for p in upgrades.programme_choices(actor)]


class EducationUpgradeForm(FlaskForm):
    education = SelectField(_l("新学历"), choices=[BLANK, *EDUCATION_LEVELS.items()], validate_choice=False,
                            description=_l("应高于当前学历。"))
    school = StringField(_l("毕业院校"), validators=[Optional(), Length(max=100)])
    graduated_on = DateField(_l("毕业日期"), validators=[Optional()], description=_l("不能晚于今天。"))
    evidence = FileField(_l("学历证明（毕业证书照片或 PDF）"), render_kw={"accept": ".pdf,.jpg,.jpeg,.png"})
    programme_id = SelectField(_l("相关培训项目（可选）"), coerce=optional_int, validate_choice=False,
                               description=_l("促成这次提升的培训项目，列出最近的项目。"))
    subsidy = NumberTextField(_l("工会补贴（元，可选）"), validators=[Optional()], places=2, thousands=True)
    submit = SubmitField(_l("登记学历提升"))

    def fill_choices(self, actor) -> None:
        self.programme_id.choices = programme_choices(actor)

    def to_data(self) -> EducationData:
        return EducationData(education=self.education.data or None, school=self.school.data,
                             graduated_on=self.graduated_on.data, programme_id=self.programme_id.data,
                             subsidy=self.subsidy.data)


class CostForm(FlaskForm):
    category = SelectField(_l("支出类别"), choices=[BLANK, *COST_CATEGORIES.items()], validate_choice=False)
    amount = NumberTextField(_l("金额（元）"), validators=[Optional()], places=2, thousands=True)
    funding_source = SelectField(_l("经费来源"), choices=[BLANK, *FUNDING_SOURCES.items()], validate_choice=False)
    spent_on = DateField(_l("支出日期"), validators=[Optional()])
    note = StringField(_l("说明"), validators=[Optional(), Length(max=200)])
    confirmation = FileField(_l("财务确认件（盖章扫描件，PDF 或图片，可选）"),
                             render_kw={"accept": ".pdf,.jpg,.jpeg,.png"})
    submit = SubmitField(_l("保存支出"))

    def to_data(self) -> CostData:
        return CostData(category=self.category.data or None, amount=self.amount.data,
                        funding_source=self.funding_source.data or None, spent_on=self.spent_on.data,
                        note=self.note.data)
