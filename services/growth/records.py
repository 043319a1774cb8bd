"""The records of a worker's growth record that are plain dated rows, and the trade its header shows, read in
one statement.

What (docs/domain.md, "The worker's growth record"): the worker's skill level changes, education upgrades
(学历提升, services.training.upgrades) with the programme that led to each, title awards (on notice, final and
revoked, each with its round's stage: models.titles.award_stage_label), excellent-pair honours (优秀师徒) of
their pairs once the notice is final, results from levels above the city (services.honours.results:
`results_of`, as a competitor or an author) and the city's top ten innovation achievements among their
proposals (as an author); and the name of the worker's trade (a retired one included: it stays on the
people who hold it).

Why one statement: these rows have the same shape (a day or a moment, a year or a number, a few texts), so
they are one UNION ALL with a kind column in typed columns (every branch casts its empty columns to the
first branch's types, so SQLite and PostgreSQL read dates, datetimes and numbers alike), a kept statement
(core.statements.shared_statement, the worker's id the bind parameter WORKER): one round trip instead of
seven (the trade was a lazy load of the page's header). Each list keeps its own order (Records), so the
time line reads the same as with one query per list. Sections with rows of their own shape (competitions,
mentor pairs, training, proposals: services.growth.timeline) keep their own statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Date, Integer, String, bindparam, cast, literal, null, select, union_all

from core.statements import shared_statement
from models import Trade, User, db
from models.achievements import TopAchievement
from models.mentorship import EXCELLENT_NOTICE_SUBJECT, ExcellentNomination, ExcellentRound, MentorPair
from models.notices import NOTICE_FINAL, PublicNotice
from models.proposals import Proposal, ProposalAuthor
from models.skills import SkillLevelChange
from models.titles import TitleAward, TitleRound, TitleType, award_stage_label
from models.training import EducationUpgrade, TrainingProgramme
from models.types import UTCDateTime
from models.vocabulary import TITLE_LABELS, reference_label
from services.common.rows import PlainRow
from services.honours.results import Honour, results_of

# The worker's id in the statement.
WORKER = bindparam("growth_records_worker")


class HeldTitle(PlainRow):
    """A title award of the worker as plain columns: what the badges, the time line and the PDF read of it
    (`label` and `status_label` as TitleType.label and TitleAward.status_label read them)."""

    __slots__ = ("id", "award_date", "name", "certificate_no", "status", "revoked_reason", "revoked_at",
                 "round_status")

    @property
    def label(self):
        return reference_label(TITLE_LABELS, self.name)

    @property
    def status_label(self):
        return award_stage_label(self.status, self.round_status)


@dataclass
class Records:
    """The worker's trade name (None without a trade) and records, each list in its own order: skill level
    changes as (effective_date, level, reason, certificate_no, issuing_body, id) and education upgrades as
    (graduated_on, school, education, programme name or None, id), each by day and id, titles oldest first
    (HeldTitle), excellent pairs as (year, finalised_at, revoked_at) by year, higher results newest first
    (services.honours.results.Honour), top achievements as (designated_at, year, position, proposal title)
    newest year first, by position."""

    trade_name: str | None = None
    skill_levels: list[tuple] = field(default_factory=list)
    education_upgrades: list[tuple] = field(default_factory=list)
    titles: list[HeldTitle] = field(default_factory=list)
    excellent_pairs: list[tuple[int, datetime | None, datetime | None]] = field(default_factory=list)
    higher_results: list[Honour] = field(default_factory=list)
    top_achievements: list[tuple[datetime, int, int, str]] = field(default_factory=list)


def _day():
    return cast(null(), Date)


def _moment():
    return cast(null(), UTCDateTime)


def _number():
    return cast(null(), Integer)


def _text():
    return cast(null(), String)


def _statement():
    """(kind, day, moment, revoked_at, number, other number, five texts) of the seven lists."""
    award = TitleAward
    titles = (select(literal("title"), award.award_date, _moment(), award.revoked_at, award.id, _number(),
                     TitleType.name, award.certificate_no, award.revoked_reason, award.status,
                     select(TitleRound.status).where(TitleRound.id == award.round_id).correlate(award)
                     .scalar_subquery())
              .join(TitleType, TitleType.id == award.title_type_id).where(award.worker_id == WORKER))
    pairs = (select(literal("pair"), _day(), PublicNotice.finalised_at, ExcellentNomination.revoked_at,
                    ExcellentRound.year, _number(), _text(), _text(), _text(), _text(), _text())
             .join(ExcellentNomination, ExcellentNomination.round_id == ExcellentRound.id)
             .join(MentorPair, MentorPair.id == ExcellentNomination.pair_id)
             .join(PublicNotice, (PublicNotice.subject_type == EXCELLENT_NOTICE_SUBJECT)
                   & (PublicNotice.subject_id == ExcellentRound.id))
             .where(ExcellentNomination.selected, PublicNotice.status == NOTICE_FINAL,
                    (MentorPair.mentor_id == WORKER) | (MentorPair.apprentice_id == WORKER)))
    found = results_of(WORKER).subquery()
    higher = select(literal("higher"), found.c.result_on, _moment(), _moment(), found.c.id, _number(), found.c.level,
                    found.c.contest, found.c.prize, found.c.title, _text())
    top = (select(literal("top"), _day(), TopAchievement.designated_at, _moment(), TopAchievement.year,
                  TopAchievement.position, Proposal.title, _text(), _text(), _text(), _text())
           .join(Proposal, Proposal.id == TopAchievement.proposal_id)
           .join(ProposalAuthor, ProposalAuthor.proposal_id == Proposal.id)
           .where(ProposalAuthor.user_id == WORKER))
    change, upgrade = SkillLevelChange, EducationUpgrade
    skills = select(literal("skill"), change.effective_date, _moment(), _moment(), change.id, change.level,
                    change.reason, change.certificate_no, change.issuing_body, _text(), _text()
                    ).where(change.user_id == WORKER)
    upgrades = select(literal("education"), upgrade.graduated_on, _moment(), _moment(), upgrade.id, _number(),
                      upgrade.school, upgrade.education,
                      select(TrainingProgramme.name).where(TrainingProgramme.id == upgrade.programme_id)
                      .correlate(upgrade).scalar_subquery(), _text(), _text()).where(upgrade.worker_id == WORKER)
    trade = (select(literal("trade"), _day(), _moment(), _moment(), _number(), _number(), Trade.name, _text(), _text(),
                    _text(), _text())
             .where(Trade.id == select(User.trade_id).where(User.id == WORKER).scalar_subquery()))
    return union_all(titles, pairs, higher, top, skills, upgrades, trade)


def records_of(worker_id: int) -> Records:
    """The worker's trade name and records (see Records): one kept statement."""
    records = Records()
    rows = db.session.flush() or db.session.connection().execute(  # Core: no ORM result processing
        shared_statement(("growth.records",), _statement), {WORKER.key: worker_id})
    for kind, day, moment, revoked_at, number, other, *texts in rows:
        if kind == "title":
            records.titles.append(HeldTitle(number, day, texts[0], texts[1], texts[3], texts[2], revoked_at,
                                            texts[4]))
        elif kind == "pair":
            records.excellent_pairs.append((number, moment, revoked_at))
        elif kind == "higher":
            records.higher_results.append(Honour(number, *texts[:3], day, texts[3]))
        elif kind == "top":
            records.top_achievements.append((moment, number, other, texts[0]))
        elif kind == "skill":
            records.skill_levels.append((day, other, *texts[:3], number))
        elif kind == "education":
            records.education_upgrades.append((day, *texts[:3], number))
        else:
            records.trade_name = texts[0]
    records.skill_levels.sort(key=lambda row: (row[0], row[-1]))
    records.education_upgrades.sort(key=lambda row: (row[0], row[-1]))
    records.titles.sort(key=lambda held: (held.award_date, held.id))
    records.excellent_pairs.sort(key=lambda pair: pair[0])
    records.higher_results.sort(key=lambda honour: (honour.on, honour.record_id), reverse=True)
    records.top_achievements.sort(key=lambda top: (-top[1], top[2]))
    return records

