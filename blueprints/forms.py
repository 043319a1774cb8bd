"""Form pieces shared by several areas: the person form, choice helpers, filters."""

from __future__ import annotations

from decimal import Decimal

import wtforms
from flask import current_app, get_template_attribute
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from wtforms import DateField, Field, HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from core.l10n import lazy_gettext as _l
from core.l10n import reader_locale
from core.memo import keep
from core.templating import text_escape
from models.rewards import REWARD_FIELDS
from models.skills import SKILL_LEVELS
from models.vocabulary import EDUCATION_LEVELS
from services.accounts import search, trades
from services.accounts.people import Profile
from services.common.once import new_token
from services.common.validators import decimal_problem, identifier_filter


class IntegerField(wtforms.IntegerField):
    """A whole number (marks, counts, shares, quotas) that opens the phone's numeric keypad."""

    def __init__(self, *args, render_kw=None, **kwargs):
        super().__init__(*args, render_kw={"inputmode": "numeric", **(render_kw or {})}, **kwargs)


class DecimalField(wtforms.DecimalField):
    """A decimal (money, marks with fractions, hours) that opens the phone's keypad with a decimal point."""

    def __init__(self, *args, render_kw=None, **kwargs):
        super().__init__(*args, render_kw={"inputmode": "decimal", **(render_kw or {})}, **kwargs)


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class NumberTextField(StringField):
    """The one field of every money amount and mark: what was typed is read by
    services.common.validators.decimal_problem (full-width digits normalised; at most `places`
    decimal places, more refused beside the field, never rounded; thousands separators, in groups of
    three, only when `thousands`, i.e. money). `data` is a Decimal (an int when `places` is 0), None
    when blank; on a refusal the typed text is shown again as it was."""

    def __init__(self, label=None, validators=None, *, places: int = 2, thousands: bool = False, **kwargs):
        render_kw = {"inputmode": "decimal" if places else "numeric", "autocomplete": "off",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.places, self.thousands = places, thousands

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        value, problem = decimal_problem(valuelist[0], places=self.places, thousands=self.thousands)
        self.data = int(value) if value is not None and self.places == 0 else value
        if problem:
            self.data = None
            raise ValueError(problem)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data, "f") if isinstance(self.data, Decimal) else str(self.data)

    def show_value(self, value) -> None:
        """Show `value` (e.g. a figure the server computed) in place of what was typed."""
        self.data, self.raw_data = value, None


class RewardFields:
    """The reward (奖金, yuan) fields of an event's form, one per prize (models.rewards.REWARD_FIELDS), read as
    money by NumberTextField; mixed into the campaign and the competition forms (checked by
    services.common.rewards.check_rewards)."""

    reward_first = NumberTextField(_l("一等奖奖金（元）"), validators=[Optional()], places=2, thousands=True)
    reward_second = NumberTextField(_l("二等奖奖金（元）"), validators=[Optional()], places=2, thousands=True)
    reward_third = NumberTextField(_l("三等奖奖金（元）"), validators=[Optional()], places=2, thousands=True)
    reward_honourable = NumberTextField(_l("优秀奖奖金（元）"), validators=[Optional()], places=2, thousands=True)

    def reward_data(self) -> dict:
        """{reward column: Decimal or None} as typed, for the service's data object."""
        return {attr: getattr(self, attr).data for attr in REWARD_FIELDS.values()}

    def load_rewards(self, event) -> None:
        """Show the event's rewards in the fields (an edit form's GET)."""
        for attr in REWARD_FIELDS.values():
            getattr(self, attr).data = getattr(event, attr)


def identifier_field(label, kind: str, validators=None, **kwargs) -> StringField:
    """A text field for an identifier of `kind` (phone, employee_no, credit_code, certificate_no):
    normalised as the services store it (services.common.validators.normalize_identifier), so
    "ａ０００８" is sent on as "A0008"."""
    render_kw = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                 **(kwargs.pop("render_kw", None) or {})}
    return StringField(label, validators, filters=[identifier_filter(kind)], render_kw=render_kw, **kwargs)


class PickerField(Field):
    """A searchable picker of a person or an enterprise (templates/_macros/pickers.html): `data` is
    the id the type-ahead chose (posted under the field's own name, e.g. mentor_id), `text` what was
    typed (posted as <name>_q; None when not sent). The view resolves the two through
    services.accounts.search (pick_person / pick_enterprise), which asks for more when the text names
    nobody or several: so the field works without JavaScript too."""

    widget = HiddenInput()

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        key = f"{self.name}_q"
        self.text = formdata.get(key) if formdata is not None and key in formdata else None

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = optional_int(valuelist[0])

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)

    def show(self, obj, label: str) -> None:
        """Show `obj` as chosen (an edit form's current value), under `label`."""
        if obj is not None and self.text is None:
            self.data, self.text = obj.id, label


def picked_person_id(actor, field: PickerField, purpose: str) -> int | None:
    """The id of the person a PickerField names: its text resolved by services.accounts.search.pick_person
    for `purpose` (RuleViolation beside the field when it names nobody or several); the posted id as it
    is when no text was sent (the service that uses it checks it, as for any posted id). Call it inside
    the view's run_action / submit."""
    if field.text is None:
        return field.data
    person = search.pick_person(actor, field.text, field.data, purpose=purpose, field=field.name, required=False)
    return person.id if person else None


def trade_choices(blank=_l("— 请选择 —")):
    return [("", blank), *trades.active_trade_choices()]


def skill_level_choices(blank=_l("— 请选择 —")):
    return [("", blank)] + [(step.rank, step.label) for step in SKILL_LEVELS]


class PersonForm(FlaskForm):
    """Name, login and worker profile; roles and enterprise are added by the admin's form."""

    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=50)])
    phone = identifier_field(_l("手机号"), "phone", validators=[Optional(), Length(max=20)],
                             description=_l("11 位大陆手机号，可用于登录。"),
                             render_kw={"type": "tel", "inputmode": "tel"})
    username = StringField(_l("用户名"), validators=[Optional(), Length(max=32)],
                           description=_l("可选；字母开头，3-32 位。"))
    employee_no = identifier_field(_l("工号"), "employee_no", validators=[Optional(), Length(max=32)])
    trade_id = SelectField(_l("工种"), coerce=optional_int, validate_choice=False)
    skill_level = SelectField(_l("职业技能等级"), coerce=optional_int, validate_choice=False)
    hire_date = DateField(_l("入职日期"), validators=[Optional()])
    birth_date = DateField(_l("出生日期"), validators=[Optional()])
    trade_since = DateField(_l("从事本工种起始日期"), validators=[Optional()],
                            description=_l("用于计算工种年限（评选工匠时使用）；不填则按入职日期计算。"))
    education = SelectField(_l("学历"), validate_choice=False,
                            choices=lambda: [("", _l("— 请选择 —")), *EDUCATION_LEVELS.items()])

    def fill_choices(self) -> None:
        self.trade_id.choices = trade_choices()
        self.skill_level.choices = skill_level_choices()

    def to_profile(self) -> Profile:
        return Profile(
            name=self.name.data or "",
            username=self.username.data,
            phone=self.phone.data,
            employee_no=self.employee_no.data,
            trade_id=self.trade_id.data,
            skill_level=self.skill_level.data,
            hire_date=self.hire_date.data,
            birth_date=self.birth_date.data,
            trade_since=self.trade_since.data,
            education=self.education.data or None,
        )


class ButtonForm(FlaskForm):
    """A POST button that carries nothing but the CSRF token (publish, finalise, confirm...)."""


def csrf_field_html() -> Markup:
    """The hidden CSRF field with the request's token, as _macros/ui.html's csrf_field prints it: for rows
    and buttons built in Python (the training rows, a title round's cards, BUTTON)."""
    return Markup(f'<input id="csrf_token" name="csrf_token" type="hidden" value="{text_escape(generate_csrf())}">')


class _ButtonToShow:
    """What a page shows of a ButtonForm it only renders (an export button, a button posting to another
    route, whose view checks the ButtonForm): `csrf_token`, the same HTML as the form's CSRF field, or
    nothing when CSRF protection is off (as the form, which then has no such field). Building a FlaskForm
    costs ~530 Python calls; this is one token. Never for a form whose errors a page shows."""

    __slots__ = ()

    @property
    def csrf_token(self) -> Markup | str:
        if not current_app.config.get("WTF_CSRF_ENABLED", True):
            return ""
        return csrf_field_html()


BUTTON = _ButtonToShow()  # the template's `export_form`, `button`...: see _ButtonToShow


class OnceForm(FlaskForm):
    """A create form: it carries a one-time token (render `form.form_token` in the template), so that a
    double click or the same form sent from two tabs creates one record (services.common.once, used
    by blueprints.common.run_action). A refused sending keeps its token: it recorded nothing."""

    form_token = HiddenField(default=new_token)


class OnceButtonForm(OnceForm):
    """A create button (e.g. a worker's own competition entry) with its one-time token."""


class PublishForm(FlaskForm):
    """Publishing results or honours for public notice (公示): the notice period in working days."""

    working_days = IntegerField(_l("公示期（工作日）"), default=5, validators=[InputRequired(), NumberRange(1, 30)])
    submit = SubmitField(_l("发布并公示"))


class ObjectionForm(OnceForm):
    """An objection during a public notice (公示), under the user's real name."""

    body = TextAreaField(_l("异议内容"), validators=[DataRequired(_l("请填写异议内容。")), Length(max=2000)],
                         render_kw={"rows": 4}, description=_l("实名提出，请写明对象和理由，至少 10 个字。"))
    submit = SubmitField(_l("实名提出异议"))


class ResolveForm(FlaskForm):
    """The admin's resolution of an objection: upheld or dismissed, with a note."""

    outcome = RadioField(_l("处理结果"), choices=[("upheld", _l("异议成立")), ("dismissed", _l("异议不成立"))],
                         validators=[DataRequired(_l("请选择处理结果。"))])
    note = TextAreaField(_l("处理意见"), validators=[DataRequired(_l("请填写处理意见。")), Length(max=1000)],
                         render_kw={"rows": 2})
    submit = SubmitField(_l("保存处理结果"))


def error_summary(values) -> list[dict]:
    """What the refused forms' fields among `values` (a template's context) say, for the summary at the
    top of the page (templates/base.html): one entry per message, {"anchor": the field's id or None, "label":
    the field's label or None, "message": ...}. On a phone the field itself may be far below the fold
    or under the bottom tab bar; the summary is seen first and links to each field."""
    entries: list[dict] = []
    seen: set = set()

    def add(anchor, label, message):
        key = (anchor, str(message))
        if key not in seen:
            seen.add(key)
            entries.append({"anchor": anchor, "label": label, "message": message})

    def walk(fields):
        for field in fields:
            if field.type in ("FieldList", "FormField"):
                walk(field)
                for message in field.errors if field.type == "FieldList" else []:
                    if not isinstance(message, list | dict):
                        add(field.id, None, message)
                continue
            hidden = field.type in ("CSRFTokenField", "HiddenField") or isinstance(field.widget, HiddenInput)
            for message in field.errors or []:
                if not isinstance(message, list | dict):
                    label = None if hidden else str(field.label.text).rstrip("。.：: ")
                    add(None if hidden else field.id, label, message)

    for value in values:
        if isinstance(value, wtforms.Form):
            walk(value)  # a form's own errors (form_errors) already head the form: static/js/app.js shows them
    return entries


_BLANK_FIELDS: dict[tuple, Markup] = {}
BLANK_FIELDS_KEPT = 2048  # kept renderings per process; the store starts again when full


def blank_fields(form, *names: str) -> Markup:
    """The fields `names` of `form` as Bootstrap-Flask's render_field shows them, one after another.

    Rule: a form built with formdata=None renders its fields the same for every reader of one locale as
    long as its fields hold the same values, so that HTML is rendered once and kept per process (by the
    form's class and prefix, the field names, the locale, the fields' values and choices' values); a
    submitted form (a field with raw data) or a form with errors is rendered afresh every time, as the
    template's render_field would. Only for fields whose labels, descriptions and choices' labels are
    fixed in the form's class (not filled per request or per reader), or, for a class built per request
    (proposals' MarkForm), named by its `fields_key`: a hashable that names everything the class fixes
    (its criteria's ids, labels and weights), which then stands for the class. The CSRF token is not a field to
    pass here (it differs per session). Inputs: the form and its field names. Raises KeyError for a name
    the form does not have."""
    fields = [form[name] for name in names]
    if form.errors or any(field.raw_data is not None for field in fields):
        return _rendered_fields(fields)
    try:
        key = (getattr(form, "fields_key", None) or type(form), form._prefix, names, str(reader_locale()),
               tuple((field.data, tuple(choice[0] for choice in getattr(field, "choices", None) or ()))
                     for field in fields))
        hash(key)
    except TypeError:  # a value that cannot be a key: rendered as it is
        return _rendered_fields(fields)
    html = _BLANK_FIELDS.get(key)
    if html is None:
        html = keep(_BLANK_FIELDS, key, _rendered_fields(fields), BLANK_FIELDS_KEPT)  # values differ per record
    return html


def _rendered_fields(fields) -> Markup:
    render_field = get_template_attribute("bootstrap5/form.html", "render_field")
    return Markup("\n").join(render_field(field) for field in fields)
