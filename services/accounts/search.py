"""The one people search, and its sibling for enterprises: every list filter and every picker.

A query is classified (docs/domain.md, "Scale the platform is built for": 250,000 workers, so every
search is an index lookup on both databases, never a scan):
- digits only, 4 or more: the tail of a phone number (`User.phone_tail`, the last four digits, indexed,
  then LIKE '%digits' as the exact check; all 11 digits: the phone itself), and an employee-number
  prefix too (employee numbers can be digits);
- digits only, fewer than 4, or ASCII letters and digits (with - _ . /): an employee-number prefix,
  normalised as stored (services.common.validators.normalize_employee_no); a username prefix too, and
  for letters only a name prefix (names written in Latin letters);
- anything else: the start of a name (surname or full name), NFKC and trimmed.
A substring search ('%王伟%') cannot use an index for two-character names (a trigram index needs three),
so names match by their start only.

Enterprises match by the start of their name, also after the city's own prefix (REGION_PREFIXES:
"恒信" finds 晋江市恒信鞋业有限公司), and by a credit-code prefix.

`prefix_match` is the one place that knows how each database searches by prefix: PostgreSQL LIKE
'x%' on a varchar_pattern_ops index (usable under any collation), SQLite a range on a plain index.

Two uses:
- lists add the search to their own select (`add_people_search`, `add_enterprise_search`), keeping
  their own scoping (services.policy.scope_to) and columns;
- pickers (`search_people`, `search_enterprises`: at most 20, exact matches first) and the resolution
  of what was typed into a picker without JavaScript (`pick_person`, `pick_enterprise` for forms,
  `filter_people`, `filter_enterprises` for list filters). Whom an actor may pick is a `Purpose`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, false, or_

from core.l10n import lazy_gettext as _l
from models import Enterprise, Role, User, UserRole, db
from services import policy
from services.common.validators import normalize_credit_code, normalize_employee_no, normalize_phone, normalize_text
from services.errors import NotAllowed, NotFound, RuleViolation

PHONE_TAIL = 4  # digits kept in User.phone_tail
PHONE_LENGTH = 11
PICKER_LIMIT = 20
REGION_PREFIXES = ("晋江市",)  # the model city's enterprises are registered as 晋江市...有限公司
_EMPLOYEE_NO = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_./-]*$")
_LETTERS = re.compile(r"^[A-Za-z][A-Za-z .'-]*$")
_LIKE_SPECIAL = re.compile(r"([/%_])")
HIGHEST = chr(0x10FFFF)  # sorts after every character: prefix <= value < prefix + HIGHEST


# --- classifying a query ------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A classified search: what to look for in which column (None: not in that one)."""

    text: str
    phone_digits: str | None = None
    employee_no: str | None = None
    username: str | None = None
    name: str | None = None


def classify(raw: str | None) -> Query | None:
    """The classified query for `raw` (see the module's rules); None for an empty one."""
    text = normalize_text(raw)
    if not text:
        return None
    digits = normalize_phone(text)
    if digits.isdigit() and len(digits) >= PHONE_TAIL:
        return Query(text, phone_digits=digits[-PHONE_LENGTH:], employee_no=normalize_employee_no(text))
    if _EMPLOYEE_NO.match(text):
        return Query(text, employee_no=normalize_employee_no(text), username=text,
                     name=text if _LETTERS.match(text) else None)
    return Query(text, name=text)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def prefix_match(column, prefix: str):
    """`column` starts with `prefix`, as each database answers it from an index: PostgreSQL LIKE 'x%'
    (a varchar_pattern_ops index), SQLite a range on a plain (BINARY) index."""
    if _dialect() == "postgresql":
        if _LIKE_SPECIAL.search(prefix):
            return column.like(_LIKE_SPECIAL.sub(r"/\1", prefix) + "%", escape="/")
        return column.like(prefix + "%")
    return and_(column >= prefix, column < prefix + HIGHEST)


def _people_condition(query: Query, *, exact: bool = False, person=User):
    """Where a person matches `query`: by prefix, or (`exact`) the whole name / number / phone.
    `person` is User or an alias of it (e.g. a pair's mentor)."""
    match = (lambda column, value: column == value) if exact else prefix_match
    terms = []
    if query.phone_digits:
        if len(query.phone_digits) == PHONE_LENGTH:
            terms.append(person.phone == query.phone_digits)
        elif not exact:
            terms.append(and_(person.phone_tail == query.phone_digits[-PHONE_TAIL:],
                              person.phone.like("%" + query.phone_digits)))
    if query.employee_no:
        terms.append(match(person.employee_no, query.employee_no))
    if query.username:
        terms.append(match(person.username, query.username))
    if query.name:
        terms.append(match(person.name, query.name))
    return or_(*terms) if terms else false()


def people_match(raw: str | None, person=User):
    """The condition "`person` (User or an alias of it) matches the query `raw`"; None for an empty
    query. For lists that search people joined to their own rows (a pair's mentor or apprentice)."""
    query = classify(raw)
    return None if query is None else _people_condition(query, person=person)


def add_people_search(stmt, raw: str | None):
    """`stmt` (a select over User) narrowed to the people matching `raw`; unchanged for an empty query."""
    condition = people_match(raw)
    return stmt if condition is None else stmt.where(condition)


def _enterprise_condition(query: Query, *, exact: bool = False):
    match = (lambda column, value: column == value) if exact else prefix_match
    terms = [match(Enterprise.name, query.text)]
    terms += [match(Enterprise.name, region + query.text) for region in REGION_PREFIXES
              if not query.text.startswith(region)]
    code = normalize_credit_code(query.text)
    if code.isascii() and code.isalnum():
        terms.append(match(Enterprise.credit_code, code))
    return or_(*terms)


def add_enterprise_search(stmt, raw: str | None):
    """`stmt` (a select over Enterprise) narrowed to the enterprises matching `raw` (name or credit
    code prefix); unchanged for an empty query."""
    query = classify(raw)
    return stmt if query is None else stmt.where(_enterprise_condition(query))


# --- whom a picker offers -----------------------------------------------------------------------


def _managed(stmt, actor):
    return policy.scope_people(stmt, actor)


def _own_enterprise(stmt, actor):
    if actor.enterprise_id is None:
        return stmt.where(false())
    return stmt.where(User.enterprise_id == actor.enterprise_id, User.id != actor.id)


def _town_panel(stmt, actor):
    is_judge = exists().where(UserRole.user_id == User.id, UserRole.role == str(Role.JUDGE))
    return stmt.where(or_(is_judge, policy.scope_condition(actor, User.enterprise_id)))


def _is_manager(actor) -> bool:
    return policy.is_admin(actor) or policy.is_hr(actor)


@dataclass(frozen=True)
class Purpose:
    """Whom a picker offers: who may use it (`may_use(actor)`), the scope (`scope(stmt, actor)`),
    the roles the people must hold (any of them; none: any role) and whether only active accounts."""

    may_use: Callable
    scope: Callable
    roles: tuple[Role, ...] = ()
    active_only: bool = True


PURPOSES = {
    # Admin: every account; HR: the people of their enterprise. Any state (e.g. the audit log's actor).
    "people": Purpose(_is_manager, _managed, active_only=False),
    # Mentor and apprentice (HR), nominees for a title (HR, admin): active workers the actor manages.
    "workers": Purpose(_is_manager, _managed, roles=(Role.WORKER,)),
    # Co-authors of a proposal: active workers of the actor's own enterprise, never the actor.
    "colleagues": Purpose(lambda actor: actor.enterprise_id is not None, _own_enterprise, roles=(Role.WORKER,)),
    # Judges of a competition or a campaign (union admins): every active judge.
    "judges": Purpose(policy.is_admin, lambda stmt, actor: stmt, roles=(Role.JUDGE,)),
    # Town union officers (union admins assign them): any active account, whatever its roles.
    "town_officers": Purpose(policy.is_admin, lambda stmt, actor: stmt),
    # A campaign's panel of judges, appointed by its owner: active people the actor manages (HR: its
    # own staff; admins: anyone). The service checks the person against the campaign's pool.
    "panel": Purpose(_is_manager, _managed),
    # A town's panel of judges (its competitions' and its Five Small campaigns'), appointed by its officers:
    # the city's judges and the town's own people. The service checks the person again.
    "town_panel": Purpose(policy.is_town_officer, _town_panel),
    # A training class's assistant (班级助理), named by the programme's owner (HR, town officer, admin):
    # any active person the owner may see. The service checks the person again (services.training.classes).
    "class_assistant": Purpose(lambda actor: policy.management_scope(actor).kind != policy.NOBODY, _managed),
}


def purpose_of(name: str | None) -> Purpose:
    """The purpose called `name`; NotFound for an unknown one."""
    purpose = PURPOSES.get(name or "")
    if purpose is None:
        raise NotFound(_l("没有这种人员选择。"))
    return purpose


def _pickable(actor, purpose: Purpose, *, roles=None, enterprise_id: int | None = None):
    """Select of the people `actor` may pick for `purpose` (NotAllowed when the actor may not use it)."""
    if not purpose.may_use(actor):
        raise NotAllowed(_l("您不能选择这些人员。"))
    stmt = purpose.scope(db.select(User), actor)
    wanted = roles or purpose.roles
    if wanted:
        stmt = stmt.where(exists().where(UserRole.user_id == User.id, UserRole.role.in_([str(r) for r in wanted])))
    if purpose.active_only:
        stmt = stmt.where(User.is_active)
    if enterprise_id:
        stmt = stmt.where(User.enterprise_id == enterprise_id)
    return stmt.options(db.joinedload(User.enterprise))


def _first_matches(stmt, query: Query | None, condition, order, limit: int) -> list:
    """Exact matches first, then prefix matches, at most `limit`: two index lookups."""
    if query is None:
        return []
    found = list(db.session.scalars(stmt.where(condition(query, exact=True)).order_by(order).limit(limit)).unique())
    if len(found) < limit:
        seen = {row.id for row in found}
        more = db.session.scalars(stmt.where(condition(query)).order_by(order).limit(limit + len(found))).unique()
        found += [row for row in more if row.id not in seen][: limit - len(found)]
    return found


def search_people(actor, q: str | None, *, purpose: str = "people", roles=None, enterprise_id: int | None = None,
                  limit: int = PICKER_LIMIT) -> list[User]:
    """At most `limit` (≤ 20) people `actor` may pick for `purpose` (PURPOSES) matching `q`, exact
    matches first, by name. `roles` narrows the purpose's roles, `enterprise_id` to one enterprise.
    Raises NotFound (unknown purpose) or NotAllowed (the actor may not pick for it). Empty query: none."""
    stmt = _pickable(actor, purpose_of(purpose), roles=roles, enterprise_id=enterprise_id)
    found = _first_matches(stmt, classify(q), _people_condition, User.id, min(limit, PICKER_LIMIT))
    return sorted(found, key=lambda person: (len(person.name), person.name, person.id))


def _enterprises(actor, active_only: bool):
    """The enterprises `actor` may pick: union admins all, a town officer their town's (NotAllowed
    for anyone else: HR has one enterprise)."""
    if not (policy.is_admin(actor) or policy.is_town_officer(actor)):
        raise NotAllowed(_l("只有总工会管理员和镇街工会干部可以选择企业。"))
    stmt = policy.scope_to(db.select(Enterprise), actor, Enterprise.id)
    return stmt.where(Enterprise.is_active) if active_only else stmt


def search_enterprises(actor, q: str | None, *, active_only: bool = False,
                       limit: int = PICKER_LIMIT) -> list[Enterprise]:
    """At most `limit` (≤ 20) enterprises matching `q` (name or credit-code prefix), exact matches
    first, by name; union admins (all) and town officers (their town's) only (NotAllowed otherwise: HR
    has one enterprise). Empty query: none."""
    found = _first_matches(_enterprises(actor, active_only), classify(q), _enterprise_condition, Enterprise.id,
                           min(limit, PICKER_LIMIT))
    return sorted(found, key=lambda enterprise: (enterprise.name, enterprise.id))


def person_label(person: User) -> str:
    """How a picker shows a chosen person: name and employee number, e.g. 王伟（G00012）."""
    return f"{person.name}（{person.employee_no}）" if person.employee_no else person.name


def person_detail(person: User) -> str:
    """The second line of a picker's suggestion: enterprise and the phone's last digits."""
    parts = [person.enterprise.name if person.enterprise else ""]
    if person.phone:
        parts.append(f"…{person.phone[-PHONE_TAIL:]}")
    return " · ".join(part for part in parts if part)


# --- what was typed into a picker ------------------------------------------------------------------


@dataclass
class Resolution:
    """What a picker's text (and the id its type-ahead chose, if any) names: `chosen` when exactly
    one, else `matches` (at most 20) and `more` when there were more than that."""

    text: str = ""
    chosen: object | None = None
    matches: list = field(default_factory=list)
    more: bool = False

    @property
    def ids(self) -> list[int] | None:
        """For a list filter: the ids to filter by (None: no filter asked for)."""
        if self.chosen is not None:
            return [self.chosen.id]
        return [m.id for m in self.matches] if self.text else None


def _resolve(text: str | None, chosen_id: int | None, labels, load, search) -> Resolution:
    """The resolution of a picker: `labels(row)` the texts that name a row exactly (the picker's label
    first; compared normalised), `load(id)` the row of that id within reach (or None),
    `search(query, limit)` the matches."""

    def names(row) -> set[str]:
        return {normalize_text(label) for label in labels(row)}

    if text is None and chosen_id:  # a link naming the id only (e.g. 人员 from the enterprise list)
        chosen = load(chosen_id)
        return Resolution(labels(chosen)[0], chosen=chosen) if chosen is not None else Resolution()
    text = normalize_text(text)
    if not text:
        return Resolution()
    if chosen_id:
        chosen = load(chosen_id)
        if chosen is not None and text in names(chosen):
            return Resolution(text, chosen=chosen)
    found = search(classify(text), PICKER_LIMIT + 1)
    exact = [row for row in found if text in names(row)]
    if len(exact) == 1 or len(found) == 1:
        return Resolution(text, chosen=(exact or found)[0])
    return Resolution(text, matches=found[:PICKER_LIMIT], more=len(found) > PICKER_LIMIT)


def _person_labels(person: User) -> list[str]:
    """The texts that name `person` exactly, the picker's label first."""
    return [label for label in (person_label(person), person.name, person.employee_no, person.phone) if label]


def resolve_person(actor, text: str | None, chosen_id: int | None = None, *, purpose: str = "people") -> Resolution:
    """What `text` (typed into a person picker for `purpose`; `chosen_id` from its type-ahead, or
    alone in a link when `text` is None) names: the chosen person while the text still names them,
    else the one person matching exactly (name, employee number or phone) or the only match, else
    every match (at most 20). NotFound / NotAllowed as `search_people`."""
    stmt = _pickable(actor, purpose_of(purpose))
    return _resolve(text, chosen_id, _person_labels,
                    lambda person_id: db.session.scalar(stmt.where(User.id == person_id)),
                    lambda query, limit: _first_matches(stmt, query, _people_condition, User.id, limit))


def _enterprise_labels(enterprise: Enterprise) -> list[str]:
    return [enterprise.name, enterprise.credit_code]


def resolve_enterprise(actor, text: str | None, chosen_id: int | None = None, *,
                       active_only: bool = False) -> Resolution:
    """What `text` typed into an enterprise picker names (as `resolve_person`, by name or credit
    code); union admins and town officers (their town's) only (NotAllowed)."""
    stmt = _enterprises(actor, active_only)
    return _resolve(text, chosen_id, _enterprise_labels,
                    lambda enterprise_id: db.session.scalar(stmt.where(Enterprise.id == enterprise_id)),
                    lambda query, limit: _first_matches(stmt, query, _enterprise_condition, Enterprise.id, limit))


def pick_person(actor, text: str | None, chosen_id: int | None = None, *, purpose: str, field: str,
                required: bool = True) -> User | None:
    """The one person a form's picker names (see `resolve_person`), or None when left empty and not
    `required`. RuleViolation on `field` when it is empty but required, or names nobody or several
    people (a few are named, and a fuller name, the employee number or the phone's last digits asked for)."""
    resolution = resolve_person(actor, text, chosen_id, purpose=purpose)
    if resolution.chosen is None and not resolution.text:
        if required:
            raise RuleViolation(_l("请输入姓名、工号或手机号后四位，并选定一人。"), field=field)
        return None
    return resolution.chosen or refuse_unresolved(resolution, field, [person_label(p) for p in resolution.matches])


def pick_enterprise(actor, text: str | None, chosen_id: int | None = None, *, field: str,
                    active_only: bool = True) -> Enterprise | None:
    """The one enterprise a form's picker names (see `resolve_enterprise`); None when left empty.
    RuleViolation on `field` when it names none or several."""
    resolution = resolve_enterprise(actor, text, chosen_id, active_only=active_only)
    if resolution.chosen is None and not resolution.text:
        return None
    return resolution.chosen or refuse_unresolved(resolution, field, [e.name for e in resolution.matches])


def refuse_unresolved(resolution: Resolution, field: str, labels: list[str]):
    """RuleViolation on `field` for a picker's text that names nobody, or several (five named)."""
    if not resolution.matches:
        raise RuleViolation(_l("没有找到“%(q)s”，请检查后重新输入。", q=resolution.text), field=field)
    shown = "、".join(labels[:5]) + ("……" if resolution.more or len(labels) > 5 else "")
    raise RuleViolation(_l("有多个结果符合“%(q)s”（%(shown)s），请输入更完整的名称、工号或手机号后四位。",
                           q=resolution.text, shown=shown), field=field)
