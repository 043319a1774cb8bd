"""Judging a competition: the practical panel, a judge's queue of competitor numbers, practical marks
per sub-item, theory marks (one by one, a sheet of them, or a spreadsheet) and the history of marks.

Rules (docs/domain.md, Skills competitions):
- Practical judges hold the judge role and at least the competition's minimum skill level. A judge
  never sees or marks a competitor of their own enterprise (or themself): such entries are simply
  not found, whatever is posted. Judges see competitor numbers only (blind marking).
- Marks are 0-100 with two decimals, entered and corrected only while the competition is in
  scoring; after the admin signs off they are frozen. Every entry and correction is kept
  (CompetitionMarkChange) and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, case, func, select

from core.l10n import lazy_gettext as _l
from core.statements import shared_statement
from models import Enterprise, Role, User, db
from models.competitions import (
    CONFIRMED,
    DRAFT,
    OPEN,
    SCORING,
    Competition,
    CompetitionItem,
    CompetitionJudge,
    CompetitionMarkChange,
    CompetitionPracticalMark,
    CompetitionRegistration,
    CompetitionTheoryMark,
    EntryNumber,
)
from models.skills import level
from services.common import audit
from services.common.rows import PlainRow
from services.common.validators import normalize_identifier, normalize_text, read_decimal
from services.competitions import policy as competitions_policy
from services.competitions import spreadsheets, standings
from services.competitions.policy import markable_by, on_panel_of
from services.errors import NotFound, RuleViolation


def parse_mark(raw, field_name: str = "mark") -> Decimal:
    """A mark 0-100 with at most two decimals (text or number in, full-width digits normalised; read
    by services.common.validators.read_decimal, never rounded), as a Decimal with two places.
    Raises RuleViolation on `field_name` for anything else (blank included)."""
    value = read_decimal(raw, places=2, field=field_name)
    if value is None or not Decimal(0) <= value <= Decimal(100):
        raise RuleViolation(_l("成绩应为 0 到 100 之间的数字。"), field=field_name)
    return value


def require_scoring(competition: Competition) -> None:
    """Refuse (RuleViolation) unless the competition is in scoring: marks are entered only then."""
    if competition.status != SCORING:
        raise RuleViolation(_l("成绩已确认或尚未开始评分，不能录入或修改成绩。"))


# --- the panel -------------------------------------------------------------------------------------


def assign_judge(actor, competition: Competition, judge: User) -> CompetitionJudge:
    """The owner puts a qualified judge (active, judge role, at least the competition's judge_min_level;
    for an enterprise's own selection contest an active person of that enterprise instead of the judge
    role; for a town's competition a judge or an active person of an enterprise in that town) on the
    practical panel before sign-off. Raises NotAllowed (not the owner) or RuleViolation (on
    judge_id)."""
    competitions_policy.require_runner(actor, competition)
    if competition.status not in (DRAFT, OPEN, SCORING):
        raise RuleViolation(_l("评分结束后不能再调整评委。"))
    if competition.owner_level == "enterprise":  # the enterprise's own staff (issue 14)
        if not judge.is_active or judge.enterprise_id != competition.owner_enterprise_id:
            raise RuleViolation(_l("企业选拔赛的评委应为本企业在职人员。"), field="judge_id")
    elif competition.owner_level == "town" and judge.is_active and not judge.has_role(Role.JUDGE):
        if not _in_town(judge, competition.owner_town_id):  # the town's own people, or the city's pool
            raise RuleViolation(_l("镇街竞赛的评委应为在册评委或本镇（街道）企业的在职人员。"), field="judge_id")
    elif not judge.is_active or not judge.has_role(Role.JUDGE):
        raise RuleViolation(_l("%(name)s 不是在册评委。", name=judge.name), field="judge_id")
    if judge.skill_level is None or judge.skill_level < competition.judge_min_level:
        raise RuleViolation(_l("%(name)s 的职业技能等级低于本竞赛要求的 %(level)s。", name=judge.name,
                               level=level(competition.judge_min_level)), field="judge_id")
    if db.session.scalar(select(CompetitionJudge.id).where(CompetitionJudge.competition_id == competition.id,
                                                          CompetitionJudge.judge_id == judge.id)):
        raise RuleViolation(_l("%(name)s 已在评委名单中。", name=judge.name), field="judge_id")
    assignment = CompetitionJudge(competition_id=competition.id, judge_id=judge.id, assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("competition.judge_assigned", actor=actor, obj=competition, judge_id=judge.id)
    return assignment


def _in_town(person: User, town_id: int | None) -> bool:
    return person.enterprise_id is not None and db.session.scalar(
        select(Enterprise.town_id).where(Enterprise.id == person.enterprise_id)) == town_id


def remove_judge(actor, competition: Competition, assignment_id: int) -> None:
    """Take a judge off the panel while they have entered no marks. Raises NotAllowed, NotFound (not
    on this panel) or RuleViolation."""
    competitions_policy.require_runner(actor, competition)
    assignment = db.session.scalar(select(CompetitionJudge).where(
        CompetitionJudge.id == assignment_id, CompetitionJudge.competition_id == competition.id))
    if assignment is None:
        raise NotFound(_l("找不到这位评委。"))
    marked = db.session.scalar(select(func.count(CompetitionPracticalMark.id)).join(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == competition.id,
        CompetitionPracticalMark.judge_id == assignment.judge_id))
    if marked:
        raise RuleViolation(_l("这位评委已经打分，不能移出。"))
    db.session.delete(assignment)
    audit.record("competition.judge_removed", actor=actor, obj=competition, judge_id=assignment.judge_id)


def panel(competition: Competition) -> list[CompetitionJudge]:
    """The practical judges of a competition, with their enterprise (one query)."""
    return list(db.session.scalars(
        select(CompetitionJudge).where(CompetitionJudge.competition_id == competition.id)
        .options(db.joinedload(CompetitionJudge.judge).joinedload(User.enterprise))
        .order_by(CompetitionJudge.id)))


# --- a judge's view ----------------------------------------------------------------------------------


def judge_competitions(judge: User) -> list[Competition]:
    """Competitions on whose panel the judge sits, newest first."""
    return list(db.session.scalars(select(Competition).where(on_panel_of(judge))
                                   .order_by(Competition.held_on.desc())))


def judge_competition(judge: User, competition_id: int) -> Competition:
    """A competition of the judge's panels, else NotFound."""
    competition = db.session.scalar(select(Competition).where(Competition.id == competition_id, on_panel_of(judge)))
    if competition is None:
        raise NotFound(_l("您不是这个竞赛的评委。"))
    return competition


class QueueRow(PlainRow, EntryNumber):
    """One entry of a judge's queue as plain values (judge_queue_stmt): its id, competitor number and
    how many sub-items the judge has marked."""

    __slots__ = ("id", "competitor_no", "marked")


def judge_queue_stmt(judge: User, competition: Competition):
    """Select of the entries a judge marks (policy.markable_by), by competitor number, as plain columns
    in the order of QueueRow (id, number, how many of its sub-items the judge has marked): page
    it by key (competitor number) into QueueRows."""
    g, m = CompetitionRegistration, CompetitionPracticalMark
    marked = (select(func.count(m.id)).where(m.judge_id == judge.id, m.registration_id == g.id)
              .scalar_subquery())
    return (select(g.id, g.competitor_no, marked)
            .where(g.competition_id == competition.id, *markable_by(judge))
            .order_by(g.competitor_no))


def next_to_mark(judge: User, competition: Competition, registration_id: int) -> int | None:
    """The entry a judge marks next, offered after saving one: the first competitor number after
    `registration_id`'s in the judge's queue (judge_queue_stmt order) with items still unmarked, else the
    first such number before it, else None (all marked). One query, whatever the queue's length."""
    items = len(competition.items)
    here = select(CompetitionRegistration.competitor_no).where(
        CompetitionRegistration.id == registration_id).scalar_subquery()
    marked = (select(func.count(CompetitionPracticalMark.id))
              .where(CompetitionPracticalMark.judge_id == judge.id,
                     CompetitionPracticalMark.registration_id == CompetitionRegistration.id)
              .scalar_subquery())
    return db.session.scalar(
        select(CompetitionRegistration.id)
        .where(CompetitionRegistration.competition_id == competition.id, *markable_by(judge),
               CompetitionRegistration.id != registration_id, marked < items)
        .order_by(case((CompetitionRegistration.competitor_no > func.coalesce(here, 0), 0), else_=1),
                  CompetitionRegistration.competitor_no)
        .limit(1))


def registration_for_judge(judge: User, competition: Competition, registration_id: int) -> CompetitionRegistration:
    """An entry the judge may mark (another enterprise's confirmed competitor on their panel), else
    NotFound: conflict of interest (docs/domain.md, Rules shared by every part)."""
    registration = db.session.scalar(select(CompetitionRegistration).where(
        CompetitionRegistration.id == registration_id, CompetitionRegistration.competition_id == competition.id,
        *markable_by(judge)))
    if registration is None:
        raise NotFound(_l("找不到这名选手。"))
    return registration


def judge_marks(judge: User, registration: CompetitionRegistration) -> dict[int, Decimal]:
    """The judge's own marks of one entry: sub-item id -> mark."""
    return dict(db.session.execute(
        select(CompetitionPracticalMark.item_id, CompetitionPracticalMark.mark).where(
            CompetitionPracticalMark.registration_id == registration.id,
            CompetitionPracticalMark.judge_id == judge.id)).all())


# --- marks ---------------------------------------------------------------------------------------------


def _parse_item_marks(competition: Competition, marks: dict[int, object]) -> dict[int, Decimal]:
    items = {item.id for item in competition.items}
    parsed = {}
    for item_id, raw in marks.items():
        if item_id not in items:
            raise NotFound(_l("找不到这个评分项目。"))
        if raw in (None, ""):
            continue
        parsed[item_id] = parse_mark(raw, field_name=f"item_{item_id}")
    if not parsed:
        raise RuleViolation(_l("请至少填写一项成绩。"))
    return parsed


def enter_practical_marks(judge: User, registration: CompetitionRegistration, marks: dict[int, object]) -> int:
    """A judge enters or corrects their marks of one entry: `marks` is sub-item id -> mark (text or
    number; blank = leave as it is). Returns the number of changed marks; each change is kept.

    Raises NotFound (an entry the judge may not mark, an unknown sub-item), RuleViolation (not in
    scoring, no mark given, a mark outside 0-100 or with more than two decimals, on `item_<id>`).
    """
    competition = registration.competition
    registration = registration_for_judge(judge, competition, registration.id)
    require_scoring(competition)
    parsed = _parse_item_marks(competition, marks)
    existing = {m.item_id: m for m in db.session.scalars(select(CompetitionPracticalMark).where(
        CompetitionPracticalMark.registration_id == registration.id, CompetitionPracticalMark.judge_id == judge.id))}
    changed = 0
    for item_id, value in parsed.items():
        row = existing.get(item_id)
        old = row.mark if row else None
        if old == value:
            continue
        if row is None:
            db.session.add(CompetitionPracticalMark(registration_id=registration.id, judge_id=judge.id,
                                                    item_id=item_id, mark=value))
        else:
            row.mark = value
        db.session.add(CompetitionMarkChange(registration_id=registration.id, part="practical", judge_id=judge.id,
                                             item_id=item_id, old_mark=old, new_mark=value, changed_by_id=judge.id))
        audit.record("competition.practical_mark", actor=judge, obj=registration, item_id=item_id,
                     old=old, new=value)
        changed += 1
    db.session.flush()
    if changed:  # after a reopening the stored result and every rank follow at once
        standings.refresh_entry(registration)
    return changed


def enter_theory_mark(actor, registration: CompetitionRegistration, raw, field: str = "mark", *,
                      rerank: bool = True) -> bool:
    """The admin enters or corrects a confirmed competitor's theory mark (0-100, two decimals) while
    in scoring; returns whether it changed. After a reopening the entry's stored result follows, and
    with `rerank` every rank (services.competitions.standings; a sheet of marks reranks once at its
    end). Raises NotAllowed or RuleViolation (a bad mark on `field`)."""
    competitions_policy.require_runner(actor, registration.competition)
    require_scoring(registration.competition)
    if registration.status != CONFIRMED:
        raise RuleViolation(_l("只有确认参赛的选手有成绩。"))
    value = parse_mark(raw, field)
    row = registration.theory
    old = row.mark if row else None
    if old == value:
        return False
    if row is None:
        db.session.add(CompetitionTheoryMark(registration=registration, mark=value, entered_by_id=actor.id))
    else:
        row.mark = value
        row.entered_by_id = actor.id
    db.session.add(CompetitionMarkChange(registration_id=registration.id, part="theory", old_mark=old,
                                         new_mark=value, changed_by_id=actor.id))
    audit.record("competition.theory_mark", actor=actor, obj=registration, old=old, new=value)
    db.session.flush()
    standings.refresh_entry(registration, rerank=rerank)
    return True


def _confirmed_entries(competition: Competition) -> list[CompetitionRegistration]:
    return list(db.session.scalars(
        select(CompetitionRegistration).where(CompetitionRegistration.competition_id == competition.id,
                                              CompetitionRegistration.status == CONFIRMED)
        .options(db.selectinload(CompetitionRegistration.theory))))


def enter_theory_marks(actor, competition: Competition, marks: dict[str, str]) -> int:
    """The admin's sheet of theory marks: `marks` is registration id (as text) -> mark (blank = leave
    as it is). All or nothing; returns how many changed. Raises NotFound for an id that is not a
    confirmed entry of this competition, else as enter_theory_mark (a bad mark on `theory_<id>`)."""
    entries = {r.id: r for r in _confirmed_entries(competition)}
    changed = 0
    for key, raw in marks.items():
        if not (raw or "").strip():
            continue
        registration = entries.get(int(key)) if key.isdigit() else None
        if registration is None:
            raise _unknown_entry()
        changed += enter_theory_mark(actor, registration, raw, field=f"theory_{registration.id}", rerank=False)
    if changed:
        standings.store_ranks(competition)
    return changed


@dataclass
class TheoryRow:
    """What happened to one row of an uploaded sheet of theory marks."""

    row: int
    number: str
    outcome: str  # saved / unchanged / refused
    message: str


def import_theory_marks(actor, competition: Competition, rows: list[tuple]) -> list[TheoryRow]:
    """Theory marks from a spreadsheet: rows of (row number, competitor number, mark[, name]); every
    row gets an outcome: saved, unchanged, refused with the reason (no such competitor, a name that
    is not the competitor's (team name or worker), a bad mark) or skipped (a blank row). Raises
    NotAllowed, RuleViolation (not in scoring; no rows, on `file`)."""
    competitions_policy.require_runner(actor, competition)
    require_scoring(competition)
    rows = [(row[0], normalize_identifier(row[1]), row[2], normalize_text(row[3] if len(row) > 3 else ""))
            for row in rows]
    if not any(number or (raw or "").strip() or name for _row, number, raw, name in rows):
        raise RuleViolation(_l("文件里没有找到成绩。"), field="file")
    by_number = {r.competitor_no: r for r in _confirmed_entries(competition)}
    outcomes = []
    for row, number, raw, name in rows:
        if not number and not (raw or "").strip() and not name:
            outcomes.append(TheoryRow(row, "", "skipped", str(_l("空行，已跳过。"))))
            continue
        try:
            registration = by_number.get(int(number)) if number.isdigit() else None
            if registration is None:
                raise RuleViolation(_l("没有参赛号为“%(no)s”的选手。", no=number))
            _check_entrant_name(registration, name)
            changed = enter_theory_mark(actor, registration, raw, rerank=False)
        except RuleViolation as error:
            outcomes.append(TheoryRow(row, number, "refused", str(error.message)))
            continue
        outcomes.append(TheoryRow(row, number, "saved" if changed else "unchanged",
                                  str(_l("已保存") if changed else _l("与原成绩相同"))))
    if any(o.outcome == "saved" for o in outcomes):
        standings.store_ranks(competition)
    return outcomes


def _check_entrant_name(registration: CompetitionRegistration, typed: str) -> None:
    """A row that names the competitor must name this entry's worker (or its team): RuleViolation."""
    typed = typed.replace(" ", "")
    names = {normalize_text(registration.worker.name).replace(" ", "")}
    if registration.team_name:
        names.add(normalize_text(registration.team_name).replace(" ", ""))
    if typed and typed not in names:
        raise RuleViolation(_l("姓名与参赛号不符：参赛号 %(no)s 是“%(name)s”，表中写的是“%(typed)s”。",
                               no=registration.number_label, name=registration.entrant_name, typed=typed))


def import_theory_upload(actor, competition: Competition, file_storage) -> list[TheoryRow]:
    """Theory marks from an uploaded .xlsx or CSV: 参赛号, 成绩 and optionally 姓名, by a header row naming
    them or else in the first three columns (spreadsheets.theory_rows), as import_theory_marks; the
    file's own problems (spreadsheets.read_rows) are RuleViolations on `file`."""
    rows = spreadsheets.theory_rows(spreadsheets.read_rows(actor, file_storage))
    return import_theory_marks(actor, competition, rows)


def _unknown_entry() -> NotFound:
    return NotFound(_l("找不到这名参赛选手。"))


def entry_of_competition(competition: Competition, registration_id: int) -> standings.SheetRow:
    """A confirmed entry of the competition as its row of the score sheet (standings.SheetRow: for the
    union's page of its marks, its number, entrant's and enterprise's names, theory mark and stored
    result's rank and prize from one kept statement, score_entries_stmt's for one id), else NotFound."""
    row = db.session.connection().execute(shared_statement(("judging.entry_of_competition",), lambda: (
        standings.score_entries_stmt().where(CompetitionRegistration.id == _ENTRY))),
        {**standings.sheet_params(competition), _ENTRY.key: registration_id}).first()
    if row is None:
        raise _unknown_entry()
    return standings.SheetRow(*row)


_ENTRY = bindparam("judging_entry")


class MarkChangeRow(PlainRow):
    """One line of an entry's mark history as plain values (mark_history)."""

    __slots__ = ("changed_at", "part", "item_name", "old_mark", "new_mark", "changed_by_name")


def mark_history(registration) -> list[MarkChangeRow]:
    """Every mark entry and correction of one competitor (an entry or its SheetRow), newest first, with who
    made it and the sub-item's name (one query through the index on the entry: read one entry at a time)."""
    c, item = CompetitionMarkChange, CompetitionItem
    return [MarkChangeRow(*row) for row in db.session.execute(
        select(c.changed_at, c.part, item.name, c.old_mark, c.new_mark, User.name)
        .outerjoin(item, item.id == c.item_id).outerjoin(User, User.id == c.changed_by_id)
        .where(c.registration_id == registration.id).order_by(c.id.desc()))]
