"""The proposal pages read as plain rows show what the ORM rows showed: the ranking's lines (title, kind,
enterprise, score, judges' totals, spread, prize) in both languages, the campaign page's judges with their
stored loads (the pool counted in the page's query; an enterprise's pool, its panel, read with the panel); the
ranking page reads its rows with the stored version and count in one query and still shows a changed score at
once (an empty page too, in one query); an active campaign's results page does not look for a public notice it
cannot have; the proposal's page and the judge's scoring page read of the people they name only their names
(authors, the timeline's actors, who verified a saving), no other column and no roles, and still name them."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from core import clock
from models import db
from models.files import StoredFile
from models.proposal_tallies import rebuild
from models.proposals import (
    Campaign,
    CampaignJudge,
    JudgeAssignment,
    Proposal,
    ProposalAuthor,
    ProposalStatusChange,
    RealisedSaving,
)
from services.proposals import assignment, judge_pool, ranking, results
from tests.factories import JudgeFactory, WorkerFactory
from tests.factories_proposals import JUDGE_TIME, CampaignFactory, ProposalFactory, assign
from tests.querycount import count_queries


def _cells(html: str) -> list[list[str]]:
    """The ranking table's rows as lists of their cells' text (tags dropped, spaces squeezed)."""
    rows = re.findall(r'<tr data-testid="rank-row">(.*?)</tr>', html, re.S)
    return [[html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split()))
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def test_ranking_rows_show_each_proposals_columns_in_both_languages(client, login, world):
    campaign = CampaignFactory(status="published")
    best = ProposalFactory(campaign=campaign, proposer=world.worker_b, status="scored", kind="invention",
                           title="乙企业<快换>方案", score=Decimal("91.50"), score_spread=Decimal("25.00"),
                           prize="first")
    next_ = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", kind="design",
                            title="甲企业模具方案", score=Decimal("70.00"), score_spread=None, prize="honourable")
    db.session.add_all([JudgeAssignment(proposal_id=best.id, judge_id=world.judge.id, campaign_id=campaign.id,
                                        total=Decimal("80.00")),
                        JudgeAssignment(proposal_id=next_.id, judge_id=world.judge.id, campaign_id=campaign.id)])
    db.session.commit()
    login(client, world.admin)
    url = f"/proposals/campaigns/{campaign.id}/results"
    html = client.get(url).text
    assert "乙企业&lt;快换&gt;方案" in html and f'href="/proposals/{best.id}"' in html
    judge = world.judge.name
    assert _cells(html) == [
        ["1", "乙企业<快换>方案 小发明", "乙纺织有限公司", "91.50", f"{judge} 80.00", "25.00 分差过大", "一等奖"],
        ["2", "甲企业模具方案 小设计", "甲鞋业有限公司", "70.00", f"{judge} —", "—", "优秀奖"],
    ]
    client.set_cookie("lang", "en")
    cells = _cells(client.get(url).text)
    assert [row[1] for row in cells] == ["乙企业<快换>方案 Small invention", "甲企业模具方案 Small design"]
    assert [row[-1] for row in cells] == ["First prize", "Honourable mention"]
    assert cells[0][5] == "25.00 Spread too large"
    page = ranking.ranking_page(campaign.id, 2, 1, 50)
    assert [(p.id, p.place, p.position, p.enterprise_name, p.prize) for p in page.items] == [
        (best.id, 1, 1, "乙纺织有限公司", "first"), (next_.id, 2, 2, "甲鞋业有限公司", "honourable")]


def test_an_active_campaigns_results_page_reads_no_notice(client, login, world):
    campaign = CampaignFactory()
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal("80"))
    assert results.campaign_notice(campaign) is None
    login(client, world.admin)
    with count_queries() as counted:
        assert client.get(f"/proposals/campaigns/{campaign.id}/results").status_code == 200
    assert not [s for s in counted.statements if "public_notice" in s]


def test_an_active_campaigns_page_looks_for_no_savings_to_verify(client, login, world):
    """Savings are entered only after adoption, which needs published results (services.proposals.savings):
    the page of a campaign still judging sends no statement for them."""
    campaign = CampaignFactory()
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    db.session.commit()
    login(client, world.admin)
    with count_queries() as counted:
        assert client.get(f"/proposals/campaigns/{campaign.id}").status_code == 200
    assert not [s for s in counted.statements if "proposal_realised_saving" in s]


def test_campaign_judges_page_lists_each_judge_with_the_stored_load(client, login, world):
    campaign = CampaignFactory()
    idle = JudgeFactory(name="评委甲闲", enterprise=None)
    first, second = (ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid") for _ in range(2))
    assign(first, world.judge)
    assign(second, world.judge).submitted_at = datetime(2026, 6, 10, tzinfo=UTC)
    rebuild(db.session, [campaign.id])
    db.session.commit()
    login(client, world.admin)
    with count_queries() as counted:
        html = client.get(f"/proposals/campaigns/{campaign.id}/judges").text
    assert len([s for s in counted.statements if " AS pool" in s]) == 1  # the pool counted with its page
    table = html[html.index('data-testid="judge-loads"'):]
    table = table[:table.index("</table>")]
    rows = [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr><td.*?</tr>", table, re.S)]
    assert rows == [[idle.name, "无单位", "0", "0"], [world.judge.name, "乙纺织有限公司", "2", "1"]]


def test_an_enterprise_campaigns_pool_is_its_panel_read_once(client, login, world):
    """An enterprise's campaign: its pool of judges is its panel's active members by name, with their stored
    loads, read from the panel's own statement (no pool statement): the same rows, order and count as the
    pool's query, on any page."""
    campaign = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id)
    members = [WorkerFactory(enterprise=world.enterprise_a, name=name) for name in ("评委丙", "评委甲", "评委乙")]
    members.append(WorkerFactory(enterprise=world.enterprise_a, name="评委丁停用", is_active=False))
    for person in members:  # the panel's order is not the names' order
        db.session.add(CampaignJudge(campaign_id=campaign.id, user_id=person.id))
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    assign(proposal, members[0]).submitted_at = datetime(2026, 6, 10, tzinfo=UTC)
    assign(proposal, members[2])
    rebuild(db.session, [campaign.id])
    db.session.commit()
    panel = assignment.panel_of(campaign)
    for page, per_page in ((1, 20), (1, 2), (2, 2), (3, 2)):
        read = judge_pool.judges_page(campaign, page, per_page)
        from_panel = judge_pool.judges_page(campaign, page, per_page, panel)
        assert [tuple(row) for row in from_panel.items] == [
            (row.id, row.name, row.enterprise_name, row.assigned, row.submitted) for row in read.items]
        assert (from_panel.total, from_panel.pages) == (read.total, read.pages)
    order = [row.name for row in judge_pool.judges_page(campaign, 1, 20).items]  # by name, the database's collation
    assert sorted(order) == ["评委丙", "评委乙", "评委甲"]  # the inactive member is not in the pool
    login(client, world.hr_a)
    with count_queries() as counted:
        html = client.get(f"/proposals/campaigns/{campaign.id}/judges").text
    assert not [s for s in counted.statements if " AS pool" in s]
    table = html[html.index('data-testid="judge-loads"'):]
    table = table[:table.index("</table>")]
    rows = [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr><td.*?</tr>", table, re.S)]
    loads = {"评委丙": ["1", "1"], "评委乙": ["1", "0"], "评委甲": ["0", "0"]}
    assert rows == [[name, "甲鞋业有限公司", *loads[name]] for name in order]


def _people_read(statements) -> list[str]:
    """The statements that read whole accounts (every column) or roles, but the reader's own (by its id)."""
    return [s for s in statements if ("password_hash" in s or "FROM user_role" in s)
            and not re.search(r'WHERE "?user"?\.id = ', s)]


def test_proposal_page_names_authors_actors_and_the_verifier_reading_only_names(client, login, world):
    campaign = CampaignFactory(status="published")
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="implemented",
                               score=Decimal("80"))
    colleague = WorkerFactory(enterprise=world.enterprise_a, name="合作者小林")
    proposal.authors[0].share = 60
    db.session.add(ProposalAuthor(proposal_id=proposal.id, user_id=colleague.id, share=40, position=1))
    db.session.add(ProposalStatusChange(proposal_id=proposal.id, from_status="submitted", to_status="implemented",
                                        actor_id=world.hr_a.id, at=JUDGE_TIME))
    stored = StoredFile(storage_key="f" * 64, original_name="证明.pdf", kind="pdf", content_type="application/pdf",
                        size=1, sha256="0" * 64, uploaded_by_id=world.hr_a.id)
    db.session.add(stored)
    db.session.flush()
    db.session.add(RealisedSaving(proposal_id=proposal.id, amount=Decimal("5000"), note="财务已确认",
                                  finance_file_id=stored.id, entered_by_id=world.hr_a.id,
                                  verified_by_id=world.admin.id, verified_at=JUDGE_TIME))
    db.session.commit()
    for reader in (world.admin, world.worker_a):
        login(client, reader)
        with count_queries() as counted:
            html = client.get(f"/proposals/{proposal.id}").text
        assert not _people_read(counted.statements)
        authors = html[html.index('data-testid="authors"'):]
        authors = " ".join(re.sub(r"<[^>]+>", " ", authors[:authors.index("</dd>")]).split())
        assert authors.endswith(f"{world.worker_a.name}（60%）、合作者小林（40%）")
        timeline = html[html.index('data-testid="timeline"'):]
        assert world.hr_a.name in timeline[:timeline.index("</ol>")]
        assert f"{world.admin.name} ·" in html and "已核实" in html


def test_scoring_page_names_the_authors_reading_only_names(client, login, world):
    campaign = CampaignFactory(blind_review=False)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    colleague = WorkerFactory(enterprise=world.enterprise_a, name="合作者小林")
    proposal.authors[0].share = 50
    db.session.add(ProposalAuthor(proposal_id=proposal.id, user_id=colleague.id, share=50, position=1))
    db.session.commit()
    assign(proposal, world.judge)
    login(client, world.judge)
    with clock.frozen(JUDGE_TIME), count_queries() as counted:
        html = client.get(f"/proposals/review/{proposal.id}").text
    assert not _people_read(counted.statements)
    assert f"{world.worker_a.name}、合作者小林" in html and world.enterprise_a.name in html


def test_scoring_page_statements_do_not_grow_and_a_blind_page_reads_no_author(client, login, world):
    """The judge's scoring page (services.proposals.scoring_page) sends as many statements for a proposal
    with co-authors and attachments as for a bare one; with blind review it reads no author's name."""
    from models.proposals import ProposalAttachment

    counts, n = {}, 0
    for blind in (True, False):
        for extra in (0, 3):
            campaign = CampaignFactory(blind_review=blind)
            proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
            for i in range(extra):
                n += 1
                colleague = WorkerFactory(enterprise=world.enterprise_a, name=f"合作者{n}")
                db.session.add(ProposalAuthor(proposal_id=proposal.id, user_id=colleague.id, share=1, position=i + 1))
                stored = StoredFile(storage_key=f"{n:064d}", original_name="图.png", kind="image",
                                    content_type="image/png", size=1, sha256="0" * 64, uploaded_by_id=world.hr_a.id)
                db.session.add(stored)
                db.session.flush()
                db.session.add(ProposalAttachment(proposal_id=proposal.id, file_id=stored.id))
            db.session.commit()
            assign(proposal, world.judge)
            login(client, world.judge)
            with clock.frozen(JUDGE_TIME), count_queries() as counted:
                html = client.get(f"/proposals/review/{proposal.id}").text
            counts[blind, extra] = counted.count
            assert html.count('data-testid="attachment-image"') == extra
            names = [world.worker_a.name] + [f"合作者{k}" for k in range(n - extra + 1, n + 1)]
            if blind:
                assert not [s for s in counted.statements if "proposal_author.position" in s]
                assert not [name for name in names if name in html]
            else:
                assert "、".join(names) in html
    assert counts[True, 0] == counts[True, 3] and counts[False, 0] == counts[False, 3] == counts[True, 0] + 1


def test_ranking_page_reads_rows_version_and_count_at_once_and_a_changed_score_shows_at_once(client, login, world):
    campaign = CampaignFactory()
    low, high = (ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal(score))
                 for score in ("70", "80"))
    login(client, world.admin)
    url = f"/proposals/campaigns/{campaign.id}/results"

    def shown(page_url):
        with count_queries() as counted:
            html = client.get(page_url).text
        return re.findall(r'href="/proposals/(\d+)"', html), counted.statements

    assert shown(url)[0] == [str(high.id), str(low.id)]  # the first view stores the ranking
    ids, statements = shown(url)
    assert ids == [str(high.id), str(low.id)]
    assert not [s for s in statements if "proposal_ranking" in s and "proposal.title" not in s]
    db.session.get(Proposal, low.id).score = Decimal("90")  # raises the campaign's ranking_version
    db.session.commit()
    assert shown(url)[0] == [str(low.id), str(high.id)]
    db.session.get(Proposal, high.id).score = Decimal("95")
    db.session.commit()
    assert shown(f"{url}?page=3")[0] == []  # past the end, stale: brought up to date, no rows
    ids, statements = shown(f"{url}?page=3")
    assert ids == [] and len([s for s in statements if "proposal_ranking" in s]) == 1  # the page's own query
    version = db.session.scalar(select(Campaign.ranking_version).where(Campaign.id == campaign.id))
    assert ranking.ranking_page(campaign.id, None, 1, 50, version=version).fresh
    assert shown(url)[0] == [str(high.id), str(low.id)]
