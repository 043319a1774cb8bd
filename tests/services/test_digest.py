"""The officers' daily WeCom digest: an enterprise's robot gets its HR's waiting counts, the city's robot
the administrators'; once a day from 08:00 (Shanghai), through the scheduler, against the loopback stub."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core import clock
from models import MessageDelivery, db
from models.messages import DELIVERY_SENT
from models.notices import Objection, PublicNotice
from services.errors import NotAllowed, RuleViolation
from services.jobs.scheduler import tick
from services.messages import channels
from tests.factories_proposals import CampaignFactory, ProposalFactory
from tests.services.test_messages import WebhookStub, http_stub  # noqa: F401 (the loopback stub fixture)

EARLY = datetime(2026, 3, 2, 23, tzinfo=UTC)  # 07:00 on 3 March in Shanghai
MORNING = datetime(2026, 3, 3, 1, tzinfo=UTC)  # 09:00


@pytest.fixture
def robots(world, http_stub):  # noqa: F811 (the fixture imported above)
    with clock.frozen(EARLY - timedelta(days=1)):
        a = channels.save_robot(world.admin, f"{http_stub}/a", credit_code=world.enterprise_a.credit_code)
        b = channels.save_robot(world.admin, f"{http_stub}/b", credit_code=world.enterprise_b.credit_code)
        city = channels.save_robot(world.admin, f"{http_stub}/city", city=True)
        db.session.commit()
    return a, b, city


def contents() -> list[str]:
    return [body["text"]["content"] for body in WebhookStub.received]


def test_each_robot_gets_its_officers_counts_once_a_day(world, robots):
    campaign = CampaignFactory()
    for _ in range(2):
        ProposalFactory(campaign=campaign, proposer=world.worker_a)
    notice = PublicNotice(subject_type="proposal_campaign", subject_id=campaign.id, title="五小结果", status="open",
                          published_at=MORNING, ends_at=MORNING + timedelta(days=7))
    db.session.add(notice)
    db.session.flush()
    db.session.add(Objection(notice_id=notice.id, objector_id=world.worker_b.id, body="成绩计算可能有误，请核实。"))
    db.session.commit()
    with clock.frozen(EARLY):
        tick()
    assert WebhookStub.received == []  # before 08:00
    with clock.frozen(MORNING):
        tick()
    with clock.frozen(MORNING + timedelta(hours=1, minutes=1)):
        tick()  # the same day again: nothing more
    texts = contents()
    assert len(texts) == 2  # enterprise B has nothing waiting
    [enterprise] = [t for t in texts if world.enterprise_a.name in t]
    assert "待审核的五小提案：2" in enterprise and "2026-03-03" in enterprise
    [city] = [t for t in texts if "市总工会" in t]
    assert "“五小结果”待处理的异议：1" in city and "待审核的五小提案" not in city
    sent = db.session.scalars(select(MessageDelivery)).all()
    assert {row.status for row in sent} == {DELIVERY_SENT} and len(sent) == 2
    with clock.frozen(MORNING + timedelta(days=1)):
        tick()
    assert len(contents()) == 4  # the next day's digests


def test_a_disabled_robot_gets_no_digest(world, robots):
    a, _b, city = robots
    a.enabled = city.enabled = False
    ProposalFactory(proposer=world.worker_a)
    db.session.commit()
    with clock.frozen(MORNING):
        tick()
    assert WebhookStub.received == []


def test_only_admins_add_the_city_robot_and_a_robot_needs_an_owner(world):
    with pytest.raises(NotAllowed):
        channels.save_robot(world.hr_a, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", city=True)
    with pytest.raises(RuleViolation):
        channels.save_robot(world.admin, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x")


def test_a_towns_robot_gets_what_waits_for_its_officers_once_a_day(world, robots, http_stub):  # noqa: F811
    """A town's robot: the objections and results waiting in the events its town owns, not the city's nor
    another town's; once a day even when the scheduler runs twice."""
    town_id = world.enterprise_a.town_id
    with clock.frozen(EARLY - timedelta(days=1)):
        town_robot = channels.save_robot(world.admin, f"{http_stub}/town", town_id=town_id)
        other = channels.save_robot(world.admin, f"{http_stub}/other", town_id=world.enterprise_b.town_id)
        db.session.commit()
    published = CampaignFactory(name="镇五小", status="published", owner_level="town", owner_town_id=town_id)
    CampaignFactory(name="镇五小二期", owner_level="town", owner_town_id=town_id,
                    submission_opens_at=MORNING - timedelta(days=30), submission_closes_at=MORNING - timedelta(days=20),
                    judging_opens_at=MORNING - timedelta(days=20), judging_closes_at=MORNING - timedelta(days=1))
    notice = PublicNotice(subject_type="proposal_campaign", subject_id=published.id, title="镇级结果", status="open",
                          published_at=MORNING, ends_at=MORNING + timedelta(days=7))
    db.session.add(notice)
    db.session.flush()
    db.session.add(Objection(notice_id=notice.id, objector_id=world.worker_b.id, body="成绩计算可能有误，请核实。"))
    db.session.commit()
    with clock.frozen(MORNING):
        tick()
    with clock.frozen(MORNING + timedelta(hours=1, minutes=1)):
        tick()  # the scheduler again the same day: nothing more
    texts = contents()
    label, other_label = str(town_robot.town.label), str(other.town.label)
    [town] = [text for text in texts if text.startswith(label)]
    assert "2026-03-03" in town
    assert "“镇级结果”待处理的异议：1" in town and "“镇五小二期”评审已结束，待公示结果：1" in town
    assert not [text for text in texts if text.startswith(other_label)]  # nothing waits for the other town
    assert [text for text in texts if "镇级结果" in text] == [town]  # nor for the city or an enterprise
    with clock.frozen(MORNING + timedelta(days=1)):
        tick()
    assert len([text for text in contents() if text.startswith(label)]) == 2  # the next day's digest
