"""The proposals area at the city's scale, over HTTP: every list and the ranking do the same number of
queries for 10 and 1,000 rows, long lists page by key (no OFFSET, no COUNT), the ranking pages by
stored position with page numbers, and the campaign page reads stored loads and tallies."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, update

from core import clock
from models import Enterprise, Role, User, UserRole, db
from models.judge_pool import refresh_judge_pool
from models.proposal_tallies import rebuild
from models.proposals import JudgeAssignment, Proposal, ProposalAuthor
from tests.factories import WorkerFactory, valid_credit_code
from tests.factories_proposals import JUDGE_TIME, SUBMIT_TIME, CampaignFactory
from tests.querycount import count_queries

SMALL, LARGE = 10, 1_000


def bulk(n, campaign, proposer, status="submitted", judge=None, score=None, start=0):
    """`n` proposals of `proposer` (sole author) written in bulk, optionally assigned to `judge`
    (submitted when scored), with scores `score(i)`; tallies recounted as a bulk load must."""
    first = (db.session.scalar(select(db.func.max(Proposal.id))) or 0) + 1
    ids = range(first, first + n)
    db.session.execute(insert(Proposal), [
        {"id": pid, "campaign_id": campaign.id, "enterprise_id": proposer.enterprise_id, "proposer_id": proposer.id,
         "kind": "design", "title": f"批量提案{start + i:04d}号{'甲乙丙丁'[i % 4]}", "problem": "", "solution": "",
         "expected_benefit": "", "status": status, "estimated_savings": Decimal(1000 + i),
         "score": score(start + i) if score else None, "judge_count": 0, "submitted_at": SUBMIT_TIME,
         "created_at": SUBMIT_TIME, "updated_at": SUBMIT_TIME}
        for i, pid in enumerate(ids)])
    db.session.execute(insert(ProposalAuthor), [{"proposal_id": pid, "user_id": proposer.id, "share": 100,
                                                 "position": 0} for pid in ids])
    if judge is not None:
        db.session.execute(insert(JudgeAssignment), [
            {"proposal_id": pid, "judge_id": judge.id, "campaign_id": campaign.id, "assigned_at": SUBMIT_TIME,
             "total": score(start + i) if score else None, "submitted_at": SUBMIT_TIME if score else None}
            for i, pid in enumerate(ids)])
    rebuild(db.session, [campaign.id])
    db.session.commit()


def queries_for(client, url) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def steady_queries_for(client, url) -> tuple[int, int]:
    """(queries of the first view, queries of a second one): the first may bring a stale ranking up
    to date, the second reads it as stored."""
    return queries_for(client, url), queries_for(client, url)


@pytest.mark.parametrize("persona, query", [("hr_a", ""), ("hr_a", "?status=submitted"), ("admin", ""),
                                            ("admin", "?kind=design&q=批量"), ("worker_a", ""),
                                            ("worker_a", "?mine=1")])
def test_proposal_lists_query_count_does_not_grow(client, login, world, persona, query):
    campaign = CampaignFactory()
    bulk(SMALL, campaign, world.worker_a)
    login(client, world.persona(persona))
    url = f"/proposals/list{query}"
    # the first view after a change may fill what is memoised per data version (the admin's town filter),
    # the next reads it: both the same with 10 and 1,000 proposals
    small = steady_queries_for(client, url)
    bulk(LARGE - SMALL, campaign, world.worker_a, start=SMALL)
    assert steady_queries_for(client, url) == small
    last = db.session.scalar(select(db.func.min(Proposal.id)))
    assert queries_for(client, f"{url}{'&' if query else '?'}after={last + 500}") == small[1]


def test_proposal_list_pages_by_key_both_ways(client, login, world):
    campaign = CampaignFactory()
    bulk(45, campaign, world.worker_a)
    login(client, world.admin)
    ids = list(db.session.scalars(select(Proposal.id).order_by(Proposal.id.desc())))

    def listed(html):
        return [int(i) for i in re.findall(r'<td[^>]*><a href="/proposals/(\d+)">', html)]

    first = client.get("/proposals/list").text
    assert listed(first) == ids[:20] and 'rel="prev" href="#"' in first and f"after={ids[19]}" in first
    second = client.get(f"/proposals/list?after={ids[19]}").text
    assert listed(second) == ids[20:40]
    third = client.get(f"/proposals/list?after={ids[39]}").text
    assert listed(third) == ids[40:] and 'rel="next" href="#"' in third
    back = client.get(f"/proposals/list?before={ids[40]}").text
    assert listed(back) == ids[20:40]
    assert listed(client.get(f"/proposals/list?before={ids[20]}").text) == ids[:20]


def test_queue_query_count_does_not_grow(client, login, world):
    campaign = CampaignFactory()
    bulk(SMALL, campaign, world.worker_a, status="under_review", judge=world.judge)
    login(client, world.judge)
    urls = ("/proposals/review", "/proposals/review?pending=1", "/proposals/")
    small = [queries_for(client, url) for url in urls]
    bulk(LARGE - SMALL, campaign, world.worker_a, status="under_review", judge=world.judge, start=SMALL)
    assert [queries_for(client, url) for url in urls] == small


def test_scoring_page_query_count_does_not_grow(client, login, world):
    """The judge's scoring page of a submitted proposal, offering the next one to mark: the same queries for
    10 and 1,000 of the judge's assignments and for one and five authors shown (identity not hidden)."""
    campaign = CampaignFactory(blind_review=False)
    with clock.frozen(JUDGE_TIME):
        bulk(SMALL, campaign, world.worker_a, status="scored", judge=world.judge, score=lambda i: Decimal(60))
        bulk(SMALL, campaign, world.worker_a, status="under_review", judge=world.judge, start=SMALL)
        target = db.session.scalar(select(db.func.min(JudgeAssignment.proposal_id)))
        url = f"/proposals/review/{target}"
        login(client, world.judge)
        small = queries_for(client, url)
        assert 'data-testid="next-proposal"' in client.get(url).text
        bulk(LARGE - SMALL, campaign, world.worker_a, status="under_review", judge=world.judge, start=2 * SMALL)
        colleagues = [WorkerFactory(enterprise=world.enterprise_a) for _ in range(4)]
        db.session.execute(update(ProposalAuthor).where(ProposalAuthor.proposal_id == target).values(share=20))
        db.session.execute(insert(ProposalAuthor), [{"proposal_id": target, "user_id": person.id, "share": 20,
                                                     "position": i + 1} for i, person in enumerate(colleagues)])
        db.session.commit()
        html = client.get(url).text
        assert all(person.name in html for person in colleagues)
        assert queries_for(client, url) == small


def test_ranking_campaign_and_savings_pages_query_count_does_not_grow(client, login, world):
    campaign = CampaignFactory()

    def score(i):
        return Decimal(50 + i % 7)

    bulk(SMALL, campaign, world.worker_a, status="scored", judge=world.judge, score=score)
    bulk(3, campaign, world.worker_a, status="valid", start=SMALL)
    login(client, world.admin)
    base = f"/proposals/campaigns/{campaign.id}"
    urls = (f"{base}/results", base, f"{base}/savings",
            f"{base}/export.xlsx")
    small = [steady_queries_for(client, url) for url in urls]
    bulk(LARGE - SMALL, campaign, world.worker_a, status="scored", judge=world.judge, score=score, start=SMALL + 3)
    bulk(LARGE, campaign, world.worker_a, status="valid", start=LARGE + 3)
    assert [steady_queries_for(client, url) for url in urls] == small
    deep = f"/proposals/campaigns/{campaign.id}/results?page=15"
    assert queries_for(client, deep) == small[0][1]


def _enterprises_with_valid_proposals(campaign, worker, start: int, n: int) -> None:
    town_id = db.session.scalar(select(Enterprise.town_id).where(Enterprise.id == worker.enterprise_id))
    first = (db.session.scalar(select(db.func.max(Enterprise.id))) or 0) + 1
    db.session.execute(insert(Enterprise), [
        {"id": first + i, "name": f"规模测试企业{start + i:04d}", "credit_code": valid_credit_code(500_000 + start + i),
         "town_id": town_id, "industry": "footwear", "created_at": SUBMIT_TIME,
         "updated_at": SUBMIT_TIME} for i in range(n)])
    db.session.execute(insert(Proposal), [
        {"campaign_id": campaign.id, "enterprise_id": first + i, "proposer_id": worker.id, "kind": "design",
         "title": f"企业{i}的提案", "problem": "", "solution": "", "expected_benefit": "", "status": "valid",
         "estimated_savings": Decimal(100), "judge_count": 0, "created_at": SUBMIT_TIME,
         "updated_at": SUBMIT_TIME} for i in range(n)])
    rebuild(db.session, [campaign.id])
    db.session.commit()


def test_savings_page_query_count_does_not_grow_with_enterprises(client, login, world):
    campaign = CampaignFactory(status="published")
    _enterprises_with_valid_proposals(campaign, world.worker_a, 0, SMALL)
    login(client, world.admin)
    url = f"/proposals/campaigns/{campaign.id}/savings"
    small = queries_for(client, url)
    _enterprises_with_valid_proposals(campaign, world.worker_a, SMALL, LARGE - SMALL)
    assert queries_for(client, url) == small
    html = client.get(url).text
    assert re.search(r'data-testid="total-estimated">100,000', html)  # all 1,000 enterprises, not a page


def _judges(n: int, start: int) -> None:
    first = (db.session.scalar(select(db.func.max(User.id))) or 0) + 1
    db.session.execute(insert(User), [
        {"id": first + i, "name": f"规模评委{start + i:04d}", "username": f"scale_judge{start + i}",
         "password_hash": "x", "session_token": f"t{first + i}",
         "created_at": SUBMIT_TIME, "updated_at": SUBMIT_TIME} for i in range(n)])
    db.session.execute(insert(UserRole), [{"user_id": first + i, "role": Role.JUDGE.value, "granted_at": SUBMIT_TIME}
                                          for i in range(n)])
    refresh_judge_pool(db.session.connection())  # rows inserted without the ORM, as a bulk loader does
    db.session.commit()


@pytest.mark.parametrize("page", ["", "/judges"])
def test_campaign_pages_query_count_does_not_grow_with_judges(client, login, world, page):
    campaign = CampaignFactory()
    bulk(SMALL, campaign, world.worker_a, status="valid")
    _judges(SMALL, 0)
    login(client, world.admin)
    url = f"/proposals/campaigns/{campaign.id}{page}"
    small = queries_for(client, url)
    _judges(LARGE - SMALL, SMALL)
    assert queries_for(client, url) == small
    if not page:
        return
    html = client.get(f"{url}?page=3").text
    assert len(re.findall(r"<tr><td[^>]*>规模评委", html)) == 20  # the judges' loads are a page, not every judge
