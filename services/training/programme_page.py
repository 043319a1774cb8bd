"""What a training programme's page reads besides the programme and its enrolment list, in one statement: its
classes, its owner's name and target trades, and (for a reader who oversees it) its enrolments counted by
status.

Why one statement: the three were a kept statement each (three round trips on every view of the page); they
are one UNION ALL with a kind column (core.statements.shared_statement, the programme's id the bind
parameter PROGRAMME), the classes' branch first, so its columns' types read every row (the other branches
fill their columns or leave them NULL). Each part keeps its own order: the classes by start (then id), the
trades by name (TrainingProgramme.trades' order).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, literal, null, select, union_all

from core.statements import shared_statement
from models import Enterprise, Town, Trade, User, db
from models.training import TrainingClass, TrainingEnrolment, TrainingProgramme, training_programme_trade
from services.training.programmes import owner_and_trades

PROGRAMME = bindparam("programme_page_programme")
CLASS, FACT, COUNT = "class", "fact", "count"


@dataclass
class PageParts:
    """`classes`: plain rows in order of start (id, title, starts_at, ends_at, place, hours, trainer,
    assistant_id, assistant_name: the class assistant's name or None); `owner_name` and `trade_labels` as
    programmes.owner_and_trades gives them; `counts`: status -> number of enrolments (None unless asked for)."""

    classes: list
    owner_name: str
    trade_labels: list[str]
    counts: dict[str, int] | None


def _statement(with_counts: bool):
    classes = (select(literal(CLASS).label("kind"), TrainingClass.id, TrainingClass.title, TrainingClass.starts_at,
                      TrainingClass.ends_at, TrainingClass.place, TrainingClass.hours, TrainingClass.trainer,
                      TrainingClass.assistant_id, User.name.label("assistant_name"))
               .outerjoin(User, User.id == TrainingClass.assistant_id)
               .where(TrainingClass.programme_id == PROGRAMME))
    # the owner's name (enterprise or town) in `title` and `place`, a target trade's name in `trainer`
    facts = (select(literal(FACT), null(), Enterprise.name, null(), null(), Town.name, null(), Trade.name, null(),
                    null())
             .select_from(TrainingProgramme)
             .outerjoin(Enterprise, Enterprise.id == TrainingProgramme.owner_enterprise_id)
             .outerjoin(Town, Town.id == TrainingProgramme.owner_town_id)
             .outerjoin(training_programme_trade, training_programme_trade.c.programme_id == TrainingProgramme.id)
             .outerjoin(Trade, Trade.id == training_programme_trade.c.trade_id)
             .where(TrainingProgramme.id == PROGRAMME))
    branches = [classes, facts]
    if with_counts:  # the number in `id`, the status in `title`
        branches.append(select(literal(COUNT), func.count(TrainingEnrolment.id), TrainingEnrolment.status, null(),
                               null(), null(), null(), null(), null(), null())
                        .where(TrainingEnrolment.programme_id == PROGRAMME).group_by(TrainingEnrolment.status))
    parts = union_all(*branches).subquery()
    return select(parts).order_by(parts.c.kind, parts.c.starts_at, parts.c.id, parts.c.trainer)


def page_parts(programme, *, with_counts: bool) -> PageParts:
    """The classes, owner name, target trades and (`with_counts`) enrolment counts of `programme`'s page."""
    stmt = shared_statement(("training.programme_page", with_counts), lambda: _statement(with_counts))
    classes, facts, counts = [], [], {}
    for row in db.session.execute(stmt, {PROGRAMME.key: programme.id}):
        if row.kind == CLASS:
            classes.append(row)
        elif row.kind == FACT:
            facts.append((row.title, row.place, row.trainer))
        else:
            counts[row.title] = row.id
    owner_name, trade_labels = owner_and_trades(programme, facts)
    return PageParts(classes, owner_name, trade_labels, counts if with_counts else None)
