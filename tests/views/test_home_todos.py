"""Each role's home page opens with what waits for that person: counts that link to the filtered list,
right the moment the state changes, and as many queries with 1,000 waiting rows as with 10."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert

from core import clock
from models import Message, db
from models.mentorship import CheckIn
from models.notices import Objection, PublicNotice
from models.proposals import JudgeAssignment, Proposal, ProposalAuthor
from services.proposals import screening
from tests.factories import WorkerFactory
from tests.factories_mentorship import MentorPairFactory, create_pair
from tests.factories_proposals import JUDGE_TIME, CampaignFactory, ProposalFactory
from tests.querycount import count_queries

NOW = JUDGE_TIME


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def as_(app, login):
    return lambda user: login(app.test_client(), user)


def todos_on(client) -> dict[str, str]:
    """The home page's to-do list: label -> the count shown."""
    page = client.get("/").get_data(as_text=True)
    section = page.split('data-testid="todos"', 1)[1].split("</section>", 1)[0]
    return {re.sub(r"\s+", " ", label).strip(): n for label, n in re.findall(
        r'<span>([^<]+)(?:<span[^>]*>[^<]*</span>)?</span>\s*<span class="badge[^"]*">([^<]+)</span>', section)}


def test_hr_sees_proposals_to_screen_and_the_count_follows_screening(world, as_):
    campaign = CampaignFactory()
    first, _second = (ProposalFactory(campaign=campaign, proposer=world.worker_a) for _ in range(2))
    ProposalFactory(campaign=campaign, proposer=world.worker_b)  # another enterprise's
    hr = as_(world.hr_a)
    assert todos_on(hr)["待审核的五小提案"] == "2"
    page = hr.get("/").get_data(as_text=True)
    assert "/proposals/list?status=submitted" in page
    assert page.index('data-testid="todos"') < page.index('data-testid="home-hr"')  # first on the page
    screening.screen_proposal(world.hr_a, first, "valid", None, None)
    db.session.commit()
    assert todos_on(hr)["待审核的五小提案"] == "1"
    assert todos_on(as_(world.hr_b))["待审核的五小提案"] == "1"  # enterprise B's own


def test_a_judge_sees_proposals_to_score_with_the_deadline(world, as_):
    campaign = CampaignFactory()
    for _ in range(3):
        proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="under_review")
        db.session.add(JudgeAssignment(proposal_id=proposal.id, judge_id=world.judge.id, campaign_id=campaign.id))
    db.session.commit()
    judge = as_(world.judge)
    assert todos_on(judge)["待评分的五小提案"] == "3"
    assert "截止" in judge.get("/").get_data(as_text=True)
    assert "待评分的五小提案" not in todos_on(as_(world.worker_a))


def test_a_worker_sees_returned_proposals_agreements_and_unread_messages(world, as_):
    ProposalFactory(proposer=world.worker_a, status="returned")
    mentor = world.worker_a
    mentor.skill_level = 4
    apprentice = WorkerFactory(enterprise=world.enterprise_a, trade=mentor.trade, skill_level=1)
    db.session.commit()
    create_pair(world.hr_a, mentor, apprentice)
    client = as_(world.worker_a)
    todos = todos_on(client)
    assert todos["被退回修改的五小提案"] == "1"
    assert todos["待确认的带徒协议"] == "1"
    assert "未读消息" not in todos  # messages are not to-dos: counted apart, like the badge
    home = client.get("/").get_data(as_text=True)
    unread = home[home.index('data-testid="home-unread"'):]
    assert re.search(r"未读消息 <span[^>]*>1</span>", unread[:unread.index("</p>")])
    assert "待确认的带徒协议" not in todos_on(as_(world.worker_b))
    # Confirming the agreement is what the message asked for: the message is read, the to-do gone.
    from models.mentorship import MentorPair

    pair = db.session.scalar(db.select(MentorPair).where(MentorPair.mentor_id == world.worker_a.id))
    assert client.post(f"/mentorship/pairs/{pair.id}/confirm").status_code == 302
    assert "待确认的带徒协议" not in todos_on(client)
    assert 'data-testid="home-unread"' not in client.get("/").get_data(as_text=True)


def test_admin_sees_objections_to_resolve(world, as_):
    notice = PublicNotice(subject_type="proposal_campaign", subject_id=CampaignFactory(status="published").id,
                          title="五小结果", status="open", published_at=NOW, ends_at=NOW + timedelta(days=7))
    db.session.add(notice)
    db.session.flush()
    db.session.add(Objection(notice_id=notice.id, objector_id=world.worker_a.id, body="成绩计算可能有误，请核实。"))
    db.session.commit()
    todos = todos_on(as_(world.admin))
    assert todos["“五小结果”待处理的异议"] == "1"
    assert "“五小结果”待处理的异议" not in todos_on(as_(world.hr_a))


def test_each_owner_sees_the_objections_of_its_own_events(world, as_):
    """The owner resolves a notice's objections (services.common.notices): the town's officers see those
    of their town's campaign, an enterprise's HR those of its own campaign, the admins only the city's."""
    town = CampaignFactory(name="甲镇五小", status="published", owner_level="town",
                           owner_town_id=world.enterprise_a.town_id)
    own = CampaignFactory(name="甲企业五小", status="published", owner_level="enterprise",
                          owner_enterprise_id=world.enterprise_a.id)
    for campaign, title in ((town, "镇级结果"), (own, "企业结果")):
        notice = PublicNotice(subject_type="proposal_campaign", subject_id=campaign.id, title=title, status="open",
                              published_at=NOW, ends_at=NOW + timedelta(days=7))
        db.session.add(notice)
        db.session.flush()
        db.session.add(Objection(notice_id=notice.id, objector_id=world.worker_b.id, body="成绩计算可能有误，请核实。"))
    db.session.commit()
    town_label, own_label = "“镇级结果”待处理的异议", "“企业结果”待处理的异议"
    mine = todos_on(as_(world.town_a))
    assert mine[town_label] == "1" and own_label not in mine
    assert town_label not in todos_on(as_(world.town_b))
    hr = todos_on(as_(world.hr_a))
    assert hr[own_label] == "1" and town_label not in hr
    assert not {town_label, own_label} & set(todos_on(as_(world.admin)))
    assert not {town_label, own_label} & set(todos_on(as_(world.hr_b)))


def test_a_town_officer_sees_its_campaigns_whose_results_wait_to_be_published(world, as_):
    closed = CampaignFactory(name="甲镇五小", owner_level="town", owner_town_id=world.enterprise_a.town_id,
                             judging_closes_at=NOW - timedelta(days=1))
    CampaignFactory(name="甲镇评审中", owner_level="town", owner_town_id=world.enterprise_a.town_id)
    db.session.commit()
    label = "“甲镇五小”评审已结束，待公示结果"
    assert todos_on(as_(world.town_a))[label] == "1"
    assert "“甲镇评审中”评审已结束，待公示结果" not in todos_on(as_(world.town_a))
    assert label not in todos_on(as_(world.town_b)) and label not in todos_on(as_(world.admin))
    closed.status = "published"
    db.session.commit()
    assert label not in todos_on(as_(world.town_a))


def test_admin_sees_realised_savings_to_verify_until_verified(world, as_):
    """Issue 11's leftover: the union's queue of realised savings to verify (the campaign page lists
    them) is on the admin's to-do list, per campaign, and leaves it once verified."""
    from services.proposals import savings
    from tests.route_rules.proposals import _implemented

    proposal = db.session.get(Proposal, _implemented(world)["proposal_id"])
    label = f"“{proposal.campaign.name}”待核实的实际节约额"
    client = as_(world.admin)
    assert todos_on(client)[label] == "1"
    assert f'href="/proposals/campaigns/{proposal.campaign_id}"' in client.get("/").get_data(as_text=True)
    campaign_page = client.get(f"/proposals/campaigns/{proposal.campaign_id}").get_data(as_text=True)
    assert "待核实的实际节约额" in campaign_page and proposal.title in campaign_page
    assert label not in todos_on(as_(world.hr_b))
    savings.verify_saving(world.admin, proposal)
    db.session.commit()
    assert label not in todos_on(as_(world.admin))
    assert "待核实的实际节约额" not in client.get(f"/proposals/campaigns/{proposal.campaign_id}").get_data(as_text=True)


# --- the query count does not grow with the rows ------------------------------------------------------


def grow_everything(world, campaign, notice, pair, n: int) -> None:
    """Top up, to n each: HR A's proposals to screen, the judge's proposals to score, the worker's
    unread messages, the apprentice's check-ins to confirm, objections to resolve."""
    have = db.session.query(Proposal).filter(Proposal.enterprise_id == world.enterprise_a.id).count()
    if have < n:
        rows = db.session.execute(insert(Proposal).returning(Proposal.id), [
            {"campaign_id": campaign.id, "enterprise_id": world.enterprise_a.id, "proposer_id": world.worker_a.id,
             "kind": "improvement", "title": f"提案{i}", "status": "submitted"} for i in range(have, n)])
        rows = rows.scalars().all()
        db.session.execute(insert(ProposalAuthor), [{"proposal_id": pid, "user_id": world.worker_a.id, "share": 100}
                                                    for pid in rows])
        db.session.execute(insert(JudgeAssignment), [{"proposal_id": pid, "judge_id": world.judge.id,
                                                      "campaign_id": campaign.id} for pid in rows])
    have = db.session.query(Message).count()
    if have < n:
        db.session.execute(insert(Message), [{"recipient_id": world.worker_a.id, "kind": "test", "subject": {
            "text": "已导出 %(n)d 条。", "args": {"n": i}}} for i in range(have, n)])
    have = db.session.query(CheckIn).count()
    if have < n:
        db.session.execute(insert(CheckIn), [
            {"pair_id": pair.id, "checkin_date": date(2026, 1, 1) + timedelta(days=i % 300), "hours": Decimal("2"),
             "taught": "t", "skill_points": "s", "status": "pending"} for i in range(have, n)])
    have = db.session.query(Objection).count()
    if have < n:
        db.session.execute(insert(Objection), [{"notice_id": notice.id, "objector_id": world.worker_b.id,
                                                "body": "异议内容足够长。", "status": "pending"}
                                               for _ in range(have, n)])


def test_home_pages_cost_the_same_queries_with_10_and_1000_waiting_rows(world, as_):
    campaign = CampaignFactory()
    notice = PublicNotice(subject_type="proposal_campaign", subject_id=campaign.id, title="公示", status="open",
                          published_at=NOW, ends_at=NOW + timedelta(days=7))
    db.session.add(notice)
    pair = MentorPairFactory(apprentice=world.worker_a, mentor__enterprise=world.enterprise_a)
    db.session.commit()
    clients = [as_(user) for user in (world.hr_a, world.judge, world.worker_a, world.admin)]
    counts = []
    for n in (10, 1_000):
        grow_everything(world, campaign, notice, pair, n)
        db.session.commit()
        row = []
        for client in clients:
            client.get("/")
            with count_queries() as counter:
                response = client.get("/")
            assert response.status_code == 200
            row.append(counter.count)
        counts.append(row)
        assert todos_on(clients[0])["待审核的五小提案"] == f"{n:,}"
        assert todos_on(clients[1])["待评分的五小提案"] == f"{n:,}"
        assert todos_on(clients[2])["待确认的带徒记录"] == f"{n:,}"
    assert counts[0] == counts[1], counts


def test_admin_follows_entries_to_check_to_the_filtered_registrations(world, as_):
    from services.competitions import registration
    from tests.factories_competitions import scenario

    made = scenario(world)
    admin = as_(world.admin)
    assert todos_on(admin)["“报名中的竞赛”待审核的报名"] == "1"
    assert todos_on(admin)["“评分中的竞赛”待审核的报名"] == "2"
    url = f"/competitions/{made['open'].id}/registrations?status=unapproved"
    assert url in admin.get("/").get_data(as_text=True)
    assert world.worker_b.name in admin.get(url).get_data(as_text=True)
    registration.approve(world.admin, made["open_b"])
    db.session.commit()
    assert "“报名中的竞赛”待审核的报名" not in todos_on(admin)
    assert world.worker_b.name not in admin.get(url).get_data(as_text=True)


def test_the_town_officers_home_costs_the_same_queries_with_10_and_1000_objections(world, as_):
    campaign = CampaignFactory(status="published", owner_level="town", owner_town_id=world.enterprise_a.town_id)
    notice = PublicNotice(subject_type="proposal_campaign", subject_id=campaign.id, title="镇级公示", status="open",
                          published_at=NOW, ends_at=NOW + timedelta(days=7))
    db.session.add(notice)
    db.session.commit()
    client, counts = as_(world.town_a), []
    for n in (10, 1_000):
        have = db.session.query(Objection).count()
        db.session.execute(insert(Objection), [{"notice_id": notice.id, "objector_id": world.worker_b.id,
                                                "body": "异议内容足够长。", "status": "pending"}
                                               for _ in range(have, n)])
        db.session.commit()
        client.get("/")
        with count_queries() as counter:
            assert client.get("/").status_code == 200
        counts.append(counter.count)
        assert todos_on(client)["“镇级公示”待处理的异议"] == f"{n:,}"
    assert counts[0] == counts[1], counts


def test_a_worker_home_shows_the_trade_from_the_to_dos_statement(world, as_):
    """The worker's trade is a column of the home page's one to-dos statement (no lazy load of the
    trade): two statements in all, the session user and that one; '—' without a trade."""
    client = as_(world.worker_a)
    client.get("/")
    with count_queries() as counter:
        page = client.get("/").get_data(as_text=True)
    assert f"工种：{world.worker_a.trade.name} ·" in page
    assert counter.count == 2, counter.statements
    world.worker_a.trade = None
    db.session.commit()
    assert "工种：— ·" in client.get("/").get_data(as_text=True)
