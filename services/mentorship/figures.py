"""Each enterprise's pairs counted by status (models.mentorship.MentorshipFigures), stored so that the
union's dashboard never counts every pair of the city per view (docs/domain.md, "Scale the platform is
built for": aggregates are stored, maintained in the same transaction as what they count).

Every status change of a pair goes through services.mentorship.lifecycle.record_change, which calls
`count_status_change` in the same transaction: a new pair counts one more pair and one more of its
status; a change moves one from the old status to the new one. The counts are guarded UPDATEs
(`x = x + 1`), so concurrent changes never lose one.
"""

from __future__ import annotations

from sqlalchemy import update

from models import db
from models.mentorship import ACTIVE, COMPLETED, DISSOLVED, ENDED_EARLY, PROPOSED, MentorshipFigures

STATUS_COLUMNS = {PROPOSED: "proposed", ACTIVE: "active", COMPLETED: "completed", ENDED_EARLY: "ended_early",
                  DISSOLVED: "dissolved"}


def insert_missing(model, key: str, **values) -> None:
    """INSERT a row of `model` unless one with the same `key` column exists (ON CONFLICT DO NOTHING: safe
    when two requests create it at once), on PostgreSQL and SQLite alike."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=[key]))


def count_status_change(enterprise_id: int, from_status: str | None, to_status: str) -> None:
    """Count a pair of `enterprise_id` moving from `from_status` (None: a new pair) to `to_status`."""
    if from_status == to_status:
        return  # an extension: the pair stays active
    insert_missing(MentorshipFigures, "enterprise_id", enterprise_id=enterprise_id, pairs=0, proposed=0, active=0,
                   completed=0, ended_early=0, dissolved=0)
    table = MentorshipFigures.__table__.c
    changes = {STATUS_COLUMNS[to_status]: table[STATUS_COLUMNS[to_status]] + 1}
    if from_status is None:
        changes["pairs"] = table.pairs + 1
    else:
        changes[STATUS_COLUMNS[from_status]] = table[STATUS_COLUMNS[from_status]] - 1
    db.session.execute(update(MentorshipFigures).where(MentorshipFigures.enterprise_id == enterprise_id)
                       .values(**changes).execution_options(synchronize_session=False))


def enterprises_query():
    """Select of the enterprise ids of every enterprise with pairs (its MentorshipFigures row), most active
    pairs first (an index walk of ix_mentorship_figures_active); page it, then read the page's rows."""
    return (db.select(MentorshipFigures.enterprise_id).where(MentorshipFigures.pairs > 0)
            .order_by(MentorshipFigures.active.desc(), MentorshipFigures.enterprise_id.desc()))


def city_totals_columns() -> list:
    """The city's pairs and active pairs (labelled "pairs" and "active"), sums over the enterprises' stored
    counts, and the number of enterprises with pairs (labelled "enterprises": the rows of enterprises_query),
    as scalar subqueries to select with other figures in one statement."""
    with_pairs = enterprises_query().order_by(None).subquery()
    return [db.select(db.func.coalesce(db.func.sum(MentorshipFigures.pairs), 0)).scalar_subquery().label("pairs"),
            db.select(db.func.coalesce(db.func.sum(MentorshipFigures.active), 0)).scalar_subquery().label("active"),
            db.select(db.func.count()).select_from(with_pairs).scalar_subquery().label("enterprises")]
