"""factory_boy factories and helpers for the mentorship area (built on tests.factories)."""

from __future__ import annotations

from datetime import date

import factory

from core import clock
from models import db
from models.mentorship import ACTIVE, MONTHLY, MentorPair
from services.mentorship import figures, pairing
from tests.factories import BaseFactory, HRFactory, TradeFactory, WorkerFactory


class MentorFactory(WorkerFactory):
    skill_level = 4  # 技师


class ApprenticeFactory(WorkerFactory):
    skill_level = 1  # 初级工


class MentorPairFactory(BaseFactory):
    """A pair written directly (for bulk data); use `create_pair` below to go through the rules."""

    class Meta:
        model = MentorPair

    mentor = factory.SubFactory(MentorFactory)
    apprentice = factory.SubFactory(ApprenticeFactory, enterprise=factory.SelfAttribute("..mentor.enterprise"))
    enterprise = factory.SelfAttribute("mentor.enterprise")
    trade = factory.SubFactory(TradeFactory)
    goal_level = 2
    goals = "掌握鞋面缝合与帮底结合的关键工艺"
    start_date = date(2026, 1, 5)
    planned_end = date(2027, 1, 5)
    checkin_frequency = MONTHLY
    status = ACTIVE
    activated_on = factory.SelfAttribute("start_date")
    next_checkin_due = date(2026, 2, 5)
    apprentice_level_at_start = 1
    mentor_level_at_start = 4
    credit_until = date(2030, 1, 5)

    @factory.post_generation
    def counted(pair, create, extracted, **kwargs):
        """Counted in its enterprise's figures, as services.mentorship.lifecycle does for a new pair."""
        if create:
            figures.count_status_change(pair.enterprise_id, None, pair.status)
            db.session.commit()


def create_pair(hr, mentor, apprentice, **overrides):
    """Create a pair through the service (all rules) and commit."""
    plan = pairing.PairPlan(
        mentor_id=mentor.id, apprentice_id=apprentice.id,
        trade_id=overrides.pop("trade_id", None) or apprentice.trade_id,
        goal_level=overrides.pop("goal_level", (apprentice.skill_level or 0) + 1),
        goals=overrides.pop("goals", "掌握本工种关键工艺，达到上一级技能水平"),
        start_date=overrides.pop("start_date", None) or clock.today(),
        **overrides,
    )
    pair = pairing.create_pair(hr, plan)
    db.session.commit()
    return pair


def activate(pair):
    """Both sides confirm the agreement; committed."""
    pairing.confirm_agreement(pair.mentor, pair)
    pairing.confirm_agreement(pair.apprentice, pair)
    db.session.commit()
    return pair


def hr_for(enterprise):
    return HRFactory(enterprise=enterprise)
