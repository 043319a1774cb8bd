"""The demo seed builds proposals in every status, marks, and ranked published results; it is idempotent."""

from sqlalchemy import func, select

from demo import proposals as demo_proposals
from demo import seed_demo
from models import db
from models.honours import HigherResult
from models.proposals import PROPOSAL_STATUS_LABELS, Campaign, Mark, Proposal, RealisedSaving


def test_demo_covers_every_status_and_runs_twice(monkeypatch):
    # Only the foundation's accounts and this area's seed: other areas' seeds are tested by their owners.
    from demo import competitions as demo_competitions
    from demo import mentorship as demo_mentorship

    monkeypatch.setattr(demo_competitions, "seed", lambda: None)
    monkeypatch.setattr(demo_mentorship, "seed", lambda: {})
    seed_demo()
    db.session.commit()
    statuses = set(db.session.scalars(select(Proposal.status)))
    assert statuses == set(PROPOSAL_STATUS_LABELS)
    by_owner = sorted(db.session.execute(select(Campaign.owner_level, Campaign.status)).all())
    assert by_owner == [("city", "active"), ("city", "final"), ("city", "published"),
                        ("enterprise", "active"), ("enterprise", "final"), ("town", "active")]
    assert db.session.scalar(select(func.count(Mark.id))) > 0
    # The enterprise's finished campaign recommended its three best into the city's open campaign, and the
    # city recorded a provincial prize (issue 14).
    assert db.session.scalar(select(func.count(Proposal.id)).where(Proposal.recommended_from_id.is_not(None))) == 3
    # The fourth was recommended and withdrawn (an audit record, the author told); the city reviews the best.
    from models.audit import AuditLog
    from models.messages import Message

    assert db.session.scalar(select(func.count(AuditLog.id))
                             .where(AuditLog.action == "proposals.recommendation_withdrawn")) == 1
    assert db.session.scalar(select(func.count(Message.id))
                             .where(Message.kind == "proposal.recommendation_withdrawn")) >= 1
    statuses = sorted(db.session.scalars(select(Proposal.status).where(Proposal.recommended_from_id.is_not(None))))
    assert statuses == ["under_review", "valid", "valid"]
    assert db.session.scalar(select(HigherResult.prize).where(HigherResult.prize.is_not(None))) == "second"
    published = db.session.scalar(select(Campaign).where(Campaign.status == "published"))
    ranks = list(db.session.scalars(select(Proposal.rank).where(Proposal.campaign_id == published.id)))
    assert ranks and None not in ranks
    assert db.session.scalar(select(func.count(RealisedSaving.id)).where(RealisedSaving.verified_at.is_not(None))) == 1
    count = db.session.scalar(select(func.count(Proposal.id)))
    demo_proposals.seed()
    db.session.commit()
    assert db.session.scalar(select(func.count(Proposal.id))) == count


def test_the_demo_town_officer_has_a_campaign_waiting_for_the_town(monkeypatch):
    """The demo town's own campaign (demo/town_campaigns.py) is on the town officer's to-do list."""
    from demo import competitions as demo_competitions
    from demo import mentorship as demo_mentorship
    from demo import town_campaigns
    from models import User
    from services.messages import todos

    monkeypatch.setattr(demo_competitions, "seed", lambda: None)
    monkeypatch.setattr(demo_mentorship, "seed", lambda: {})
    seed_demo()
    db.session.commit()
    officer = db.session.scalar(select(User).where(User.username == "town"))
    labels = [str(todo.label) for todo in todos.todos_for(officer)]
    assert f"“{town_campaigns.name()}”评审已结束，待公示结果" in labels
    count = db.session.scalar(select(func.count(Campaign.id)))
    town_campaigns.seed()
    db.session.commit()
    assert db.session.scalar(select(func.count(Campaign.id))) == count
