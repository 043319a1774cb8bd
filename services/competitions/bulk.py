"""HR enters its own enterprise's workers: one by employee number, a list from a spreadsheet (every
row gets an outcome), and teams.

Rules (docs/domain.md, Skills competitions: "HR may register its own workers, one by one or from a spreadsheet"):
- HR registers workers of their own enterprise only (others are simply not found).
- Team competitions: HR enters a named team of team_min..team_max eligible workers of their own
  enterprise; the team takes one seat and one competitor number; a worker is in one entry per
  competition (unique constraint); workers do not enter team competitions on their own; the
  per-enterprise cap counts teams.
Every entry is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.l10n import lazy_gettext as _l
from models import User, db
from models.competitions import CONFIRMED, Competition, CompetitionRegistration, CompetitionTeamMember
from services import policy
from services.common import audit
from services.common.validators import normalize_employee_no, normalize_text
from services.competitions import spreadsheets
from services.competitions.eligibility import eligibility_problems, enterprise_counts
from services.competitions.registration import (
    DuplicateRegistration,
    add_entry,
    queue_entries,
    register,
    waitlist_position,
)
from services.competitions.setup import require_registration_open
from services.errors import NotAllowed, RuleViolation


def _require_hr(actor) -> None:
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以为职工报名。"))


def find_own_worker(actor, employee_no: str) -> User:
    """A worker of the HR officer's own enterprise by employee number (the enterprise the entry will
    belong to), compared normalised as stored ("ｇ００１２" finds G0012). Raises NotAllowed (not HR) or
    RuleViolation (no such worker there, on employee_no)."""
    _require_hr(actor)
    employee_no = normalize_employee_no(employee_no)
    worker = db.session.scalar(select(User).where(User.enterprise_id == actor.enterprise_id,
                                                  User.employee_no == employee_no))
    if worker is None:
        raise RuleViolation(_l("本企业没有工号为“%(no)s”的职工。", no=employee_no), field="employee_no")
    return worker


def hr_register(actor, competition: Competition, employee_no: str) -> CompetitionRegistration:
    """HR enters one worker of their own enterprise by employee number (see registration.register
    for the rules and errors)."""
    return register(actor, competition, find_own_worker(actor, employee_no))


@dataclass
class RowOutcome:
    """What happened to one row of an uploaded list."""

    row: int
    employee_no: str
    name: str
    outcome: str  # registered / waitlisted / refused / skipped
    message: str


def _register_row(actor, competition: Competition, row: int, raw: str, typed_name: str = "") -> RowOutcome:
    employee_no = normalize_employee_no(raw)
    typed_name = normalize_text(typed_name)
    name = typed_name
    if not employee_no and not typed_name:
        return RowOutcome(row, "", "", "skipped", str(_l("空行，已跳过。")))
    try:
        worker = own_row_worker(actor, employee_no, typed_name)
        name = worker.name
        registration = register(actor, competition, worker)
    except DuplicateRegistration:
        raise
    except RuleViolation as error:
        return RowOutcome(row, employee_no, name, "refused", str(error.message))
    if registration.status == CONFIRMED:
        message = _l("已确认，参赛号 %(no)s", no=registration.number_label)
        return RowOutcome(row, employee_no, name, "registered", str(message))
    message = _l("名额已满，候补第 %(n)d 位", n=waitlist_position(registration))
    return RowOutcome(row, employee_no, name, "waitlisted", str(message))


def own_row_worker(actor, employee_no: str, typed_name: str) -> User:
    """The worker of the HR officer's own enterprise a row of an uploaded list names (its employee number,
    normalised, and the name if given: check_row_name). RuleViolation when the row has no number, no such
    worker, or the name does not match. Shared by every list HR uploads (competitions, training)."""
    if not employee_no:
        raise RuleViolation(_l("这一行没有工号。"))
    worker = find_own_worker(actor, employee_no)
    check_row_name(worker, typed_name)
    return worker


def require_numbers(rows: list[tuple]) -> None:
    """RuleViolation on `file` when no row of an uploaded list of (row, employee number, name) names anyone."""
    if not any(normalize_employee_no(number) or normalize_text(name) for _row, number, name in rows):
        raise RuleViolation(_l("文件里没有找到工号。"), field="file")


def check_row_name(worker: User, typed_name: str | None) -> None:
    """A row of an import that gives both a number and a name must name the person the number finds
    (compared NFKC, without spaces): RuleViolation otherwise, so that a typo in the number never
    silently enters somebody else. No name given: nothing to check."""
    typed = normalize_text(typed_name).replace(" ", "")
    if typed and typed != normalize_text(worker.name).replace(" ", ""):
        raise RuleViolation(_l("姓名与工号不符：工号 %(no)s 是“%(name)s”，表中写的是“%(typed)s”。",
                               no=worker.employee_no, name=worker.name, typed=typed))


def hr_register_many(actor, competition: Competition, rows: list[tuple]) -> list[RowOutcome]:
    """Register a list of (row number, employee number[, name]) row by row; every row gets an outcome:
    registered, waitlisted, refused with the reason (no such number, the name does not match the
    number, not eligible...) or skipped (a blank row). Raises NotAllowed (not HR), RuleViolation (no
    row with a number, on `file`) and DuplicateRegistration (a concurrent duplicate: the whole
    request rolls back)."""
    _require_hr(actor)
    rows = [(row[0], row[1], row[2] if len(row) > 2 else "") for row in rows]
    require_numbers(rows)
    outcomes = [_register_row(actor, competition, row, number, name) for row, number, name in rows]
    audit.record("competition.bulk_registered", actor=actor, obj=competition, rows=len(outcomes),
                 refused=sum(o.outcome == "refused" for o in outcomes),
                 skipped=sum(o.outcome == "skipped" for o in outcomes))
    return outcomes


def hr_register_upload(actor, competition: Competition, file_storage) -> list[RowOutcome]:
    """Register the rows of an uploaded .xlsx or CSV: 工号 and optionally 姓名, by a header row naming
    them or else in the first two columns (spreadsheets.employee_rows), as hr_register_many; the
    file's own problems (spreadsheets.read_rows) are RuleViolations on `file`."""
    rows = spreadsheets.employee_rows(spreadsheets.read_rows(actor, file_storage))
    return hr_register_many(actor, competition, rows)


def _team_members(actor, competition: Competition, employee_nos: list[str]) -> list[User]:
    """The distinct workers of the team, checked for size and own enterprise (errors on employee_nos)."""
    numbers = list(dict.fromkeys(normalize_employee_no(n) for n in employee_nos if normalize_employee_no(n)))
    if not competition.team_min <= len(numbers) <= competition.team_max:
        raise RuleViolation(_l("每队 %(a)d-%(b)d 人，现填写了 %(n)d 人。", a=competition.team_min,
                               b=competition.team_max, n=len(numbers)), field="employee_nos")
    members = []
    for number in numbers:
        try:
            members.append(find_own_worker(actor, number))
        except RuleViolation as error:
            raise RuleViolation(error.message, field="employee_nos") from None
    return members


def _check_team_can_enter(actor, competition: Competition, members: list[User]) -> None:
    """No member in another team, the enterprise's cap on teams, every member eligible."""
    taken = set(db.session.scalars(select(CompetitionTeamMember.worker_id).where(
        CompetitionTeamMember.competition_id == competition.id,
        CompetitionTeamMember.worker_id.in_([m.id for m in members]))))
    if taken:
        names = "、".join(m.name for m in members if m.id in taken)
        raise RuleViolation(_l("%(names)s 已在本竞赛的其他队伍中，每人只能报名一次。", names=names),
                            field="employee_nos")
    entered = enterprise_counts([competition.id], actor.enterprise_id).get(competition.id, 0)
    if competition.per_enterprise_cap and entered >= competition.per_enterprise_cap:
        raise RuleViolation(_l("本企业报名队数已达上限（%(n)d 队）。", n=competition.per_enterprise_cap))
    problems = []
    for member in members:  # the cap counts teams, checked above
        for problem in eligibility_problems(competition, member, enterprise_count=0):
            problems.append(f"{member.name}：{problem}")
    if problems:
        raise RuleViolation("；".join(problems), field="employee_nos")


def register_team(actor, competition: Competition, team_name: str, employee_nos: list[str]) -> CompetitionRegistration:
    """HR enters a team of their own enterprise's eligible workers (team_min..team_max distinct
    employee numbers, the first is the captain): one seat and one competitor number for the team, or
    the waitlist. `team_name` is 1-50 characters.

    Raises NotAllowed (not HR), RuleViolation (an individual competition, window closed, name, size,
    unknown worker, a member in another team, the enterprise's cap, a member not eligible) and
    DuplicateRegistration (a concurrent entry of a member).
    """
    if not policy.is_hr(actor):
        raise NotAllowed(_l("只有企业人力资源可以组队报名。"))
    if not competition.is_team:
        raise RuleViolation(_l("这是个人赛，请逐个为职工报名。"))
    require_registration_open(competition)
    team_name = (team_name or "").strip()
    if not team_name or len(team_name) > 50:
        raise RuleViolation(_l("请填写队名（不超过 50 字）。"), field="team_name")
    members = _team_members(actor, competition, employee_nos)
    queue_entries(competition)
    _check_team_can_enter(actor, competition, members)
    registration = CompetitionRegistration(
        worker_id=members[0].id, enterprise_id=actor.enterprise_id, team_name=team_name,
        members=[CompetitionTeamMember(competition_id=competition.id, worker_id=m.id) for m in members])
    number = add_entry(actor, competition, registration, _l("队员已在本竞赛的其他队伍中，每人只能报名一次。"))
    audit.record("competition.team_registered", actor=actor, obj=registration, competition_id=competition.id,
                 team=team_name, members=[m.id for m in members], status=registration.status, number=number)
    return registration
