"""HTTP behaviour of the proposals area: forms keep input, blind pages, crafted posts, query counts, export."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core import clock
from models import db
from models.proposals import JudgeAssignment, Mark, Proposal, ProposalAuthor
from tests.factories import WorkerFactory
from tests.factories_proposals import JUDGE_TIME, SUBMIT_TIME, CampaignFactory, ProposalFactory, assign

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(**overrides):
    data = {"kind": "improvement", "title": "针车断线自动检测报警", "problem": "断线后要很久才发现。",
            "solution": "加装光电检测和蜂鸣器。", "expected_benefit": "减少返工。", "estimated_savings": "36000",
            "proposer_share": "100", "submit": "1"}
    data.update(overrides)
    return data


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def at_submission():
    with clock.frozen(SUBMIT_TIME):
        yield


@pytest.fixture
def at_judging():
    with clock.frozen(JUDGE_TIME):
        yield


# --- journey 2: writing, bad input, submit --------------------------------------------------


def test_worker_writes_and_submits_a_proposal_through_the_forms(client, login, world, campaign, at_submission):
    WorkerFactory(enterprise=world.enterprise_a, name="同厂合作者")
    login(client, world.worker_a)
    page = client.get(f"/proposals/new/{campaign.id}")
    assert page.status_code == 200 and "同厂合作者" not in page.text  # co-authors are typed, not listed
    other = form_data(proposer_share="70", **{"coauthors-0-user_id_q": world.worker_b.name, "coauthors-0-share": "30"})
    assert "没有找到" in client.post(f"/proposals/new/{campaign.id}", data=other).text
    data = form_data(proposer_share="70", **{"coauthors-0-user_id_q": "同厂合作者", "coauthors-0-share": "30"})
    data["files"] = (io.BytesIO(PNG), "现场.png")
    response = client.post(f"/proposals/new/{campaign.id}", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    proposal = db.session.scalar(db.select(Proposal))
    assert proposal.status == "draft" and len(proposal.attachments) == 1
    assert sorted(a.share for a in proposal.authors) == [30, 70]
    response = client.post(f"/proposals/{proposal.id}/submit", data={})
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "draft"
    client.post(f"/proposals/{proposal.id}/submit", data={"pledge": "y"})
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "submitted"
    show = client.get(f"/proposals/{proposal.id}")
    assert "已提交" in show.text and "真实性承诺" in show.text
    assert show.text.count('class="list-group-item"') == 2  # timeline: draft, submitted


@pytest.mark.parametrize("overrides, message", [
    ({"proposer_share": "80"}, "比例之和应为 100%，现在是 80%"),
    ({"estimated_savings": "-5"}, "不能为负数"),
    ({"estimated_savings": "999999999"}, "超过 1 亿元"),
    ({"calc_quantity_before": "2"}, "请填写全部五项"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_lost(client, login, world, campaign, at_submission,
                                                             overrides, message):
    login(client, world.worker_a)
    response = client.post(f"/proposals/new/{campaign.id}", data=form_data(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert 'value="针车断线自动检测报警"' in response.text and "加装光电检测和蜂鸣器。" in response.text
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_coauthor_from_another_enterprise_by_crafted_post_is_refused(client, login, world, campaign, at_submission):
    login(client, world.worker_a)
    response = client.post(f"/proposals/new/{campaign.id}", data=form_data(
        proposer_share="50", **{"coauthors-0-user_id": str(world.worker_b.id), "coauthors-0-share": "50"}))
    assert response.status_code == 200 and "合作者只能是本企业在职的职工" in response.text
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_disguised_attachment_is_refused_and_text_kept(client, login, world, campaign, at_submission):
    login(client, world.worker_a)
    data = form_data()
    data["files"] = (io.BytesIO(b"<?php system($_GET['c']); ?>"), "照片.jpg")
    response = client.post(f"/proposals/new/{campaign.id}", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "照片.jpg" in response.text and "不是允许的类型" in response.text
    assert "加装光电检测和蜂鸣器。" in response.text
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_html_in_text_fields_is_rendered_escaped(client, login, world, campaign, at_submission):
    login(client, world.worker_a)
    client.post(f"/proposals/new/{campaign.id}", data=form_data(
        title="<script>alert('x')</script>改进", solution="<img src=x onerror=alert(1)>"))
    proposal = db.session.scalar(db.select(Proposal))
    page = client.get(f"/proposals/{proposal.id}").text
    assert "<script>alert(" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_calculate_button_fills_the_estimate_without_javascript(client, login, world, campaign, at_submission):
    login(client, world.worker_a)
    data = form_data(estimated_savings="", calc_quantity_before="1.2", calc_quantity_after="1.0",
                     calc_unit_price="15", calc_annual_output="100000", calc_implementation_cost="20000")
    del data["submit"]
    data["calculate"] = "1"
    response = client.post(f"/proposals/new/{campaign.id}", data=data)
    assert response.status_code == 200 and 'value="280000.00"' in response.text
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_submission_after_window_is_refused_through_http(client, login, world, campaign):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="draft")
    login(client, world.worker_a)
    with clock.frozen(JUDGE_TIME):
        response = client.post(f"/proposals/{proposal.id}/submit", data={"pledge": "y"}, follow_redirects=True)
    assert "不在征集时间内" in response.text
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "draft"


# --- journey 3: screening -------------------------------------------------------------------


def test_hr_screens_with_reason_and_sees_duplicate_flags(client, login, world, campaign):
    first = ProposalFactory(campaign=campaign, proposer=world.worker_a, title="裁断机安全光幕改造")
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    ProposalFactory(campaign=campaign, proposer=colleague, title="裁断机安全光幕改造方案")
    login(client, world.hr_a)
    listing = client.get(f"/proposals/list?campaign={campaign.id}&status=submitted")
    assert listing.text.count('data-testid="duplicate-flag"') == 2
    response = client.post(f"/proposals/{first.id}/screen", data={"decision": "reject", "reason": "", "note": "x"},
                           follow_redirects=True)
    assert "不通过时请选择原因" in response.text
    client.post(f"/proposals/{first.id}/screen", data={"decision": "reject", "reason": "duplicate", "note": "同一件"})
    db.session.expire_all()
    assert db.session.get(Proposal, first.id).status == "rejected"
    login(client, world.hr_b)
    assert client.post(f"/proposals/{first.id}/screen", data={"decision": "valid"}).status_code == 404


# --- journeys 4 and 5: conflicts, blind pages, marks ----------------------------------------


def test_crafted_posts_for_unassigned_or_conflicted_proposals_are_404(client, login, world, campaign, at_judging):
    unassigned = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    own_enterprise = ProposalFactory(campaign=campaign, proposer=world.worker_b, status="under_review")
    db.session.add(JudgeAssignment(proposal_id=own_enterprise.id, judge_id=world.judge.id, campaign_id=campaign.id))
    db.session.commit()
    login(client, world.judge)
    criterion = campaign.criteria[0].id
    for proposal in (unassigned, own_enterprise):
        assert client.get(f"/proposals/review/{proposal.id}").status_code == 404
        crafted = {f"c{criterion}": "9", "final": "1"}
        assert client.post(f"/proposals/review/{proposal.id}", data=crafted).status_code == 404
        assert client.get(f"/proposals/{proposal.id}").status_code == 404
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0
    assert own_enterprise.title not in client.get("/proposals/review").text


def test_admin_assignment_by_crafted_post_refuses_conflicts(client, login, world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid")
    login(client, world.admin)
    response = client.post(f"/proposals/campaigns/{campaign.id}/assign",
                           data={"proposal_id": proposal.id, "judge_id": world.judge.id}, follow_redirects=True)
    assert "利益冲突" in response.text
    assert db.session.scalar(db.select(db.func.count(JudgeAssignment.id))) == 0


def test_admin_adds_a_judge_to_a_scored_proposal_from_its_page(client, login, world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal("70"))
    login(client, world.admin)
    page = client.get(f"/proposals/{proposal.id}").text
    assert 'data-testid="add-judge"' in page
    response = client.post(f"/proposals/campaigns/{campaign.id}/assign",
                           data={"proposal_id": proposal.id, "judge_id": world.judge.id}, follow_redirects=True)
    assert "已分配评委" in response.text and "只有有效提案" not in response.text
    db.session.expire_all()
    assert db.session.get(type(proposal), proposal.id).status == "under_review"
    login(client, world.hr_a)
    assert 'data-testid="add-judge"' not in client.get(f"/proposals/{proposal.id}").text


def test_blind_review_hides_authors_phone_and_enterprise(client, login, world, campaign, at_judging):
    author = WorkerFactory(enterprise=world.enterprise_a, name="郑匿名", phone="13912345678")
    proposal = ProposalFactory(campaign=campaign, proposer=author, status="valid")
    assign(proposal, world.judge)
    login(client, world.judge)
    for url in ("/proposals/review", f"/proposals/review/{proposal.id}", f"/proposals/{proposal.id}", "/proposals/"):
        html = client.get(url).text
        assert proposal.title in html
        for secret in ("郑匿名", "13912345678", world.enterprise_a.name, author.employee_no):
            assert secret not in html, (url, secret)


def test_blind_judge_downloads_attachments_under_a_neutral_name(client, login, world, campaign, at_judging):
    from werkzeug.datastructures import FileStorage

    from models.proposals import ProposalAttachment
    from services.common import uploads

    author = WorkerFactory(enterprise=world.enterprise_a, name="郑匿名")
    proposal = ProposalFactory(campaign=campaign, proposer=author, status="valid")
    stored = uploads.save_upload(author, FileStorage(io.BytesIO(PNG), filename="郑匿名的改进方案.png"),
                                 allowed=("image",))
    attachment = ProposalAttachment(proposal_id=proposal.id, file_id=stored.id)
    db.session.add(attachment)
    db.session.commit()
    assign(proposal, world.judge)
    url = f"/proposals/{proposal.id}/attachments/{attachment.id}"
    login(client, world.judge)
    response = client.get(url)
    assert response.status_code == 200 and response.data == PNG
    assert "郑匿名" not in response.headers["Content-Disposition"]
    assert f"attachment-{attachment.id}.png" in response.headers["Content-Disposition"]
    login(client, author)
    assert "filename*=UTF-8" in client.get(url).headers["Content-Disposition"]  # the author sees the real name


def test_open_review_shows_authors(client, login, world, at_judging):
    campaign = CampaignFactory(blind_review=False)
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    assign(proposal, world.judge)
    login(client, world.judge)
    assert world.worker_a.name in client.get(f"/proposals/review/{proposal.id}").text


def test_judge_saves_revises_and_submits_through_the_form(client, login, world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    assign(proposal, world.judge)
    ids = [c.id for c in campaign.criteria]
    login(client, world.judge)
    client.post(f"/proposals/review/{proposal.id}", data={f"c{ids[0]}": "8", "save": "1"})
    page = client.post(f"/proposals/review/{proposal.id}",
                       data={f"c{ids[0]}": "11", f"c{ids[1]}": "7", "save": "1"})
    assert page.status_code == 200 and "0 到 10" in page.text
    client.post(f"/proposals/review/{proposal.id}", data={**{f"c{i}": "9" for i in ids}, "final": "1"})
    page = client.get(f"/proposals/review/{proposal.id}").text
    assert re.search(r'data-testid="mark-total">90\.00<', page)
    assert client.post(f"/proposals/review/{proposal.id}", data={f"c{ids[0]}": "1", "save": "1"}).status_code == 200
    assert db.session.scalar(db.select(Mark.mark).where(Mark.criterion_id == ids[0])) == 9


def test_marks_frozen_after_lock_through_http(client, login, world, campaign, at_judging):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid")
    assign(proposal, world.judge)
    login(client, world.admin)
    client.post(f"/proposals/campaigns/{campaign.id}/lock", data={"locked": "1"})
    login(client, world.judge)
    page = client.get(f"/proposals/review/{proposal.id}").text
    assert 'data-testid="frozen"' in page
    response = client.post(f"/proposals/review/{proposal.id}", data={f"c{campaign.criteria[0].id}": "5", "save": "1"})
    assert "锁定" in response.text
    assert db.session.scalar(db.select(db.func.count(Mark.id))) == 0


# --- authorisation --------------------------------------------------------------------------


def test_workers_see_only_their_own_and_published(client, login, world, campaign):
    own = ProposalFactory(campaign=campaign, proposer=world.worker_a, title="我自己的提案一号")
    colleague = ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_a),
                                title="同事的提案二号")
    login(client, world.worker_a)
    listing = client.get("/proposals/list").text
    assert own.title in listing and colleague.title not in listing
    assert client.get(f"/proposals/{colleague.id}").status_code == 404


# --- bulk rows and the ranking (query counts at scale: test_proposals_scale.py) --------------


def bulk(n, campaign, proposer, status="submitted", judge=None, score=None):
    rows = []
    for i in range(n):
        p = Proposal(campaign_id=campaign.id, enterprise_id=proposer.enterprise_id, proposer_id=proposer.id,
                     kind="design", title=f"批量提案{i:04d}号{'甲乙丙丁'[i % 4]}", status=status,
                     estimated_savings=Decimal(1000 + i), score=score(i) if score else None)
        p.authors.append(ProposalAuthor(user_id=proposer.id, share=100))
        rows.append(p)
    db.session.add_all(rows)
    db.session.flush()
    if judge is not None:
        db.session.add_all(JudgeAssignment(proposal_id=p.id, judge_id=judge.id, campaign_id=campaign.id, total=p.score)
                           for p in rows)
    db.session.commit()


def test_ranking_page_shows_shared_ranks(client, login, world):
    campaign = CampaignFactory(status="published")
    for score in ("90", "85", "85", "70"):
        ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal(score))
    login(client, world.worker_b)
    html = client.get(f"/proposals/campaigns/{campaign.id}/results").text
    assert re.findall(r'data-testid="place">(\d+)<', html) == ["1", "2", "2", "4"]
    assert html.count('data-testid="tie-rule"') == 1 and "名次并列" in html  # the tie rule, stated


def test_the_campaign_form_states_the_tie_rule(client, login, world):
    login(client, world.admin)
    html = client.get("/proposals/campaigns/new").text
    assert html.count('data-testid="tie-rule"') == 1 and "多出的获奖数从紧接的下一奖项中扣除" in html


# --- export ---------------------------------------------------------------------------------


def test_export_runs_as_a_job_and_offers_the_workbook(client, login, world):
    campaign = CampaignFactory()
    bulk(120, campaign, world.worker_a)
    ProposalFactory(campaign=campaign, proposer=world.worker_b, title="乙企业<提案>")
    login(client, world.admin)
    page = client.get(f"/proposals/campaigns/{campaign.id}/export.xlsx")
    assert page.status_code == 200 and "121" in page.text
    response = client.post(f"/proposals/campaigns/{campaign.id}/export.xlsx")
    assert response.status_code == 302 and "/jobs/" in response.location
    job_page = client.get(response.location)
    assert "proposals-" in job_page.text
    download = client.get(response.location + "/download")
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(download.get_data()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 1 + 121
    assert rows[-1][2] == "乙企业<提案>" and rows[-1][4] == world.enterprise_b.name
    login(client, world.hr_a)
    assert client.get(response.location).status_code == 404


def test_savings_page_for_hr_shows_own_enterprise_only(client, login, world):
    campaign = CampaignFactory(status="published")
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid", estimated_savings=Decimal("1234"))
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid", estimated_savings=Decimal("999"))
    login(client, world.hr_a)
    html = client.get(f"/proposals/campaigns/{campaign.id}/savings").text
    assert world.enterprise_a.name in html and world.enterprise_b.name not in html


# --- journey 1: campaign form ---------------------------------------------------------------


def campaign_form(**overrides):
    data = {"name": "2027年五小·智慧杯", "submission_opens_at": "2027-03-01T08:00",
            "submission_closes_at": "2027-05-31T18:00", "judging_opens_at": "2027-06-01T08:00",
            "judging_closes_at": "2027-06-30T18:00", "min_judges": "3", "blind_review": "y",
            "quota_first": "2", "quota_second": "5", "quota_third": "52", "pass_mark": "60"}
    for i, (name, weight) in enumerate((("创新性", "25"), ("可行性", "25"), ("经济效益", "30"), ("推广价值", "20"))):
        data[f"criteria-{i}-name"], data[f"criteria-{i}-weight"] = name, weight
    data.update(overrides)
    return data


def test_new_campaign_form_is_prefilled_with_the_default_rubric(client, login, world):
    login(client, world.admin)
    html = client.get("/proposals/campaigns/new").text
    for name, weight in (("创新性", 25), ("可行性", 25), ("经济效益", 30), ("推广价值", 20)):
        assert f'value="{name}"' in html and f'value="{weight}"' in html
    blind = re.search(r'<input[^>]*name="blind_review"[^>]*>', html).group(0)
    assert "checked" in blind


def test_admin_creates_a_campaign_in_shanghai_time(client, login, world):
    from models.proposals import Campaign

    login(client, world.admin)
    response = client.post("/proposals/campaigns/new", data=campaign_form())
    assert response.status_code == 302
    campaign = db.session.scalar(db.select(Campaign))
    assert campaign.submission_opens_at.isoformat() == "2027-03-01T00:00:00+00:00"  # 08:00 in Shanghai
    assert [c.weight for c in campaign.criteria] == [25, 25, 30, 20] and campaign.blind_review


def test_rubric_not_summing_to_100_is_refused_and_input_kept(client, login, world):
    login(client, world.admin)
    response = client.post("/proposals/campaigns/new", data=campaign_form(**{"criteria-3-weight": "10"}))
    assert response.status_code == 200 and "各项权重之和应为 100，现在是 90" in response.text
    assert 'value="2027年五小·智慧杯"' in response.text and 'value="推广价值"' in response.text


# --- journeys 6 and 7 over HTTP --------------------------------------------------------------


def test_objection_under_real_name_and_resolution(client, login, world):
    from services.proposals import results

    campaign = CampaignFactory(locked=True)
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal("80"))
    with clock.frozen(JUDGE_TIME):
        results.publish_results(world.admin, campaign)
        db.session.commit()
        login(client, world.worker_b)
        notice = results.campaign_notice(campaign)
        response = client.post(f"/notices/{notice.id}/objections", data={"body": "第一名提案与去年获奖项目雷同。"})
        assert response.headers["Location"].endswith(f"/proposals/campaigns/{campaign.id}/results")
        html = client.get(f"/proposals/campaigns/{campaign.id}/results").text
        assert world.worker_b.name in html and "第一名提案与去年获奖项目雷同。" in html
        objection_id = results.objections(campaign)[0].id
        login(client, world.admin)
        client.post(f"/notices/objections/{objection_id}/resolve",
                    data={"outcome": "dismissed", "note": "经复核不属于雷同。"})
        assert "异议不成立" in client.get(f"/proposals/campaigns/{campaign.id}/results").text


def test_hr_records_implementation_with_finance_file_and_admin_verifies(client, login, world):
    campaign = CampaignFactory(status="published")
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal("70"))
    login(client, world.hr_a)
    client.post(f"/proposals/{proposal.id}/adopt", data={"note": "试用"})
    # Refused for the note: the page again with the amount typed and the file held (not chosen again).
    refused = client.post(f"/proposals/{proposal.id}/implement", content_type="multipart/form-data",
                          data={"amount": "45000.50", "note": "",
                                "finance_file": (io.BytesIO(b"%PDF-1.4 stamped"), "确认函.pdf")})
    assert refused.status_code == 422 and 'value="45000.50"' in refused.text
    assert "已上传：确认函.pdf" in refused.text and "请说明实施情况" in refused.text
    token = re.search(r'name="finance_file_held" value="([0-9a-f]{32})"', refused.text).group(1)
    response = client.post(f"/proposals/{proposal.id}/implement", content_type="multipart/form-data",
                           data={"amount": "45000.50", "note": "实施半年", "finance_file_held": token},
                           follow_redirects=True)
    assert "已登记实施情况" in response.text
    assert client.get(f"/proposals/{proposal.id}/finance-file").status_code == 200
    login(client, world.hr_b)
    assert client.get(f"/proposals/{proposal.id}/finance-file").status_code == 404
    login(client, world.worker_a)
    assert client.get(f"/proposals/{proposal.id}/finance-file").status_code == 403
    login(client, world.admin)
    client.post(f"/proposals/{proposal.id}/verify")
    html = client.get(f"/proposals/campaigns/{campaign.id}/savings").text
    assert re.search(r'data-testid="total-verified">45,000\.5', html)
    assert re.search(r'data-testid="total-estimated">120,000', html)


def test_timeline_shows_who_when_and_why(client, login, world, campaign):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    login(client, world.hr_a)
    client.post(f"/proposals/{proposal.id}/screen", data={"decision": "return", "note": "请补充现场照片"})
    login(client, world.worker_a)
    timeline = client.get(f"/proposals/{proposal.id}").text.split('data-testid="timeline"')[1]
    assert "退回修改" in timeline and world.hr_a.name in timeline and "请补充现场照片" in timeline


def test_locking_in_the_window_goes_through_a_page_listing_exactly_what_is_left_out(client, login, world, campaign,
                                                                                   at_submission):
    waiting = [ProposalFactory(campaign=campaign, proposer=world.worker_b) for _ in range(2)]
    login(client, world.admin)
    response = client.post(f"/proposals/campaigns/{campaign.id}/lock", data={"locked": "1"})
    assert response.headers["Location"].endswith(f"/proposals/campaigns/{campaign.id}/confirm/lock")
    page = client.get(response.headers["Location"]).text
    assert 'data-testid="window-open"' in page
    assert re.findall(r'data-testid="left-out-row"><td[^>]*>(\d+)<', page) == [str(p.id) for p in waiting]
    assert not db.session.get(type(campaign), campaign.id).locked
    client.post(f"/proposals/campaigns/{campaign.id}/lock", data={"locked": "1", "confirmed": "2"})
    db.session.expire_all()
    assert db.session.get(type(campaign), campaign.id).locked


def test_publishing_with_unscreened_proposals_goes_through_the_confirmation_page(client, login, world):
    from tests.factories_proposals import AFTER_JUDGING

    campaign = CampaignFactory(locked=True)
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal("80"))
    waiting = ProposalFactory(campaign=campaign, proposer=world.worker_b)
    login(client, world.admin)
    with clock.frozen(AFTER_JUDGING):
        response = client.post(f"/proposals/campaigns/{campaign.id}/publish", data={"working_days": "7"})
        assert "/confirm/publish" in response.headers["Location"] and "working_days=7" in response.headers["Location"]
        page = client.get(response.headers["Location"]).text
        assert waiting.title in page and 'name="working_days" value="7"' in page
        assert client.post(f"/proposals/campaigns/{campaign.id}/publish",
                           data={"working_days": "7", "confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(campaign), campaign.id).status == "published"


def test_a_closed_campaigns_new_proposal_link_says_it_is_closed(client, login, world, campaign):
    login(client, world.worker_a)
    with clock.frozen(JUDGE_TIME):
        response = client.get(f"/proposals/new/{campaign.id}")
    assert response.status_code == 410 and 'data-testid="campaign-closed"' in response.text
    assert "截止" in response.text and campaign.name in response.text


STATUSES = ("draft", "submitted", "returned", "valid", "rejected", "under_review", "scored", "withdrawn")


@pytest.mark.parametrize("status", STATUSES)
def test_the_proposers_buttons_are_the_ones_the_status_machine_allows(client, login, world, campaign, status):
    """Each status-dependent button of the proposer's page matches its service rule (TRANSITIONS, the
    editable statuses): a draft is edited, submitted or deleted, never withdrawn."""
    from services.proposals.lifecycle import TRANSITIONS
    from services.proposals.policy import EDITABLE_STATUSES

    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=status)
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        html = client.get(f"/proposals/{proposal.id}").text
    shown = {"withdraw": f"/proposals/{proposal.id}/withdraw" in html,
             "delete": f"/proposals/{proposal.id}/delete" in html,
             "submit": f"/proposals/{proposal.id}/submit" in html,
             "edit": f"/proposals/{proposal.id}/edit" in html}
    allowed = {"withdraw": (status, "withdrawn") in TRANSITIONS, "delete": status == "draft",
               "submit": status in EDITABLE_STATUSES, "edit": status in EDITABLE_STATUSES}
    assert shown == allowed
    if status == "draft":
        assert "撤回提案" not in html and "删除草稿" in html
        with clock.frozen(SUBMIT_TIME):
            response = client.post(f"/proposals/{proposal.id}/delete")
        assert response.status_code == 302
        assert db.session.scalar(select(func.count(Proposal.id)).where(Proposal.id == proposal.id)) == 0


def test_a_filtered_list_says_so_and_clears_back_to_the_list(client, login, world, campaign):
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="submitted")
    login(client, world.worker_a)
    html = client.get("/proposals/list?mine=1").text
    assert 'data-testid="filter-status"' not in html
    html = client.get("/proposals/list?mine=1&status=submitted&q=").text
    status = html[html.index('data-testid="filter-status"'):]
    status = status[:status.index("</p>")]
    assert 'data-filters="status"' in status and "已筛选 1 项" in status
    assert 'href="/proposals/list?mine=1"' in status and "清除筛选" in status


def test_the_judges_queue_marks_its_active_filter_and_leads_each_card_with_the_title(client, login, world):
    login(client, world.judge)
    pending = client.get("/proposals/review?pending=1").text
    active = re.search(r'<a class="nav-link active"[^>]*>([^<]+)</a>', pending)
    assert active and active.group(1) == "只看未提交"
    everything = client.get("/proposals/review").text
    assert re.search(r'<a class="nav-link active"[^>]*>([^<]+)</a>', everything).group(1) == "全部"


def test_ranking_page_shows_each_judges_total_for_its_overseers(client, login, world):
    campaign = CampaignFactory(status="published")
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal("85.50"))
    other = WorkerFactory(name="李<评委>")
    db.session.add_all([JudgeAssignment(proposal_id=proposal.id, judge_id=world.judge.id, campaign_id=campaign.id,
                                        total=Decimal("85.50")),
                        JudgeAssignment(proposal_id=proposal.id, judge_id=other.id, campaign_id=campaign.id)])
    db.session.commit()
    login(client, world.admin)
    html = client.get(f"/proposals/campaigns/{campaign.id}/results").text
    assert f'class="small">{world.judge.name} 85.50；李&lt;评委&gt; —</td>' in html  # in assignment order, escaped
    login(client, world.worker_b)
    assert "85.50；" not in client.get(f"/proposals/campaigns/{campaign.id}/results").text  # not for a reader
