"""The version of the counted data: one row moved in the same transaction as every change the figures count.

The yearly report, the officers' key figures and the figures pages (issues 10 and 16) are aggregates over
hundreds of thousands of rows. They are memoised per process under this version
(services/common/figures_cache.py), so they are never stale: the version moves in the very transaction
that changes a counted row, and a figure computed under version v is only served while the database says v.

What is counted (`COUNTED`, `USER_COLUMNS`): every model a query of services/report/*.py,
services/report/keys.py, services/proposals/figures.py, services/competitions/figures.py and
services/training/figures.py reads:
- Five Small: Campaign (owner, status, rewards), Proposal, ProposalAuthor, RealisedSaving, TopAchievement;
  higher results: HigherResult;
- competitions: Competition (owner, level, status, rewards, held_on), CompetitionRegistration,
  CompetitionTeamMember, CompetitionResult, CompetitionPromotion;
- mentoring: MentorPair, Assessment, ExcellentRound, ExcellentNomination;
- training: TrainingProgramme, TrainingClass, TrainingEnrolment, TrainingAttendance, TrainingCost,
  EducationUpgrade;
- people: SkillLevelChange, Employment; titles: TitleType, TitleAward, Nomination;
- the tree: Town, Enterprise (is_active, town), EnterpriseTownSpan;
- User only when an account is created or deleted or its `is_active` or `enterprise_id` changes (the
  participation shares and the training scope read those two columns; a login, a password or a phone
  change does not move the version). The reader's own office (roles, a town officer's town) never enters
  a cached figure: callers put the resolved scope in the key.
A new query over another model in those modules must add the model here.

How:
- `after_flush` marks the session (session.info) when the flush inserted, updated or deleted a counted row;
- `do_orm_execute` marks it for ORM-enabled bulk DML through the session (session.execute(update(Model)),
  insert, delete; also Core DML on a counted Table through the session);
- `before_commit` of the outermost transaction first flushes what is pending, then, if marked, sends ONE
  `UPDATE data_version SET value = value + 1` as the last statement before COMMIT (the row lock is held
  only from there to the commit; every other lock was taken before, so no lock cycle);
- the mark is dropped when the outermost transaction ends: a rollback leaves the version as it was.
Loaders that bypass the session (the benchmark's seed writes with COPY / executemany on the connection)
call `bump` themselves, in their transaction. The row is made by migration 0029_datav; a missing row reads
as 0 and is created by the first bump (tests create tables without migrations and empty them per test).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, event, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from models import db
from models.accounts import Enterprise, EnterpriseTownSpan, Town, User
from models.achievements import TopAchievement
from models.competitions import (
    Competition,
    CompetitionPromotion,
    CompetitionRegistration,
    CompetitionResult,
    CompetitionTeamMember,
)
from models.employment import Employment
from models.honours import HigherResult
from models.mentorship import Assessment, ExcellentNomination, ExcellentRound, MentorPair
from models.proposals import Campaign, Proposal, ProposalAuthor, RealisedSaving
from models.skills import SkillLevelChange
from models.titles import Nomination, TitleAward, TitleType
from models.training import (
    EducationUpgrade,
    TrainingAttendance,
    TrainingClass,
    TrainingCost,
    TrainingEnrolment,
    TrainingProgramme,
)

ROW_ID = 1

# The models whose every change moves the version (see the module's list).
COUNTED = (
    Campaign, Proposal, ProposalAuthor, RealisedSaving, HigherResult, TopAchievement,
    Competition, CompetitionRegistration, CompetitionTeamMember, CompetitionResult, CompetitionPromotion,
    MentorPair, Assessment, ExcellentRound, ExcellentNomination,
    TrainingProgramme, TrainingClass, TrainingEnrolment, TrainingAttendance, TrainingCost, EducationUpgrade,
    SkillLevelChange, Employment, TitleType, TitleAward, Nomination,
    Town, Enterprise, EnterpriseTownSpan,
)
# User: inserts and deletes, and changes of these columns only.
USER_COLUMNS = ("is_active", "enterprise_id")
COUNTED_TABLES = frozenset(model.__table__.name for model in COUNTED)

MARK = "data_version_changed"  # session.info: a flush of this transaction changed a counted row
COMMITS = "data_version_commits"  # session.info: commits of this session that moved the version


class DataVersion(db.Model):
    """The one row (id 1): how many transactions have changed counted data."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)


def read(session) -> int:
    """The version as the database holds it now (0 while the row is missing)."""
    table = DataVersion.__table__
    return session.execute(select(table.c.value).where(table.c.id == ROW_ID)).scalar() or 0


def bump(connection) -> None:
    """Move the version by one in `connection`'s transaction (for loaders that bypass the session; the
    session's own commits do it themselves). Creates the row when it is missing."""
    table = DataVersion.__table__
    moved = connection.execute(update(table).where(table.c.id == ROW_ID).values(value=table.c.value + 1))
    if moved.rowcount == 0:
        dialect_insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        stmt = dialect_insert(table).values(id=ROW_ID, value=1)
        connection.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={"value": table.c.value + 1}))


def _counts(obj, changed: bool) -> bool:
    """Does this new / deleted (`changed` False) or dirty (`changed` True) object move the version?"""
    if isinstance(obj, User):
        if not changed:
            return True
        state = inspect(obj)
        return any(state.attrs[name].history.has_changes() for name in USER_COLUMNS)
    return isinstance(obj, COUNTED)


def pending(session: Session) -> bool:
    """True while this session's transaction holds (or is about to flush) a change of counted data: a figure
    computed now may see rows that are not committed, so it must not be cached."""
    if session.info.get(MARK):
        return True
    return (any(_counts(obj, False) for obj in (*session.new, *session.deleted))
            or any(_counts(obj, True) for obj in session.dirty if session.is_modified(obj, include_collections=False)))


@event.listens_for(Session, "after_flush")
def _mark_flush(session: Session, _flush_context) -> None:
    if not session.info.get(MARK) and pending(session):
        session.info[MARK] = True


def _dml_counts(state) -> bool:
    """Does this bulk INSERT / UPDATE / DELETE through the session touch counted data?"""
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in COUNTED_TABLES:
        return True
    if name != User.__table__.name:
        return False
    if not state.is_update:
        return True
    values = getattr(state.statement, "_values", None)
    if not values:  # ORM bulk update by primary key: the columns are in the parameters
        params = state.parameters
        rows = params if isinstance(params, list) else [params or {}]
        keys = {key for row in rows for key in row}
    else:
        keys = {getattr(key, "key", getattr(key, "name", key)) for key in values}
    return not keys or bool(keys & set(USER_COLUMNS))


@event.listens_for(Session, "do_orm_execute")
def _mark_bulk(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and _dml_counts(state):
        state.session.info[MARK] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit bumps
    if session.new or session.deleted or session.dirty:
        session.flush()  # what is pending goes first, so the version's row lock is taken last
    if session.info.get(MARK):
        bump(session.connection())
        session.info[COMMITS] = session.info.get(COMMITS, 0) + 1


@event.listens_for(Session, "after_transaction_end")
def _forget_mark(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction committed or rolled back
        session.info.pop(MARK, None)
