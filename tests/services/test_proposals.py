"""Service rules of proposals: campaigns, writing and submitting, screening, transitions, savings."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from werkzeug.datastructures import FileStorage

from core import clock
from models import db
from models.proposals import (
    ADOPTED,
    DRAFT,
    IMPLEMENTED,
    PROPOSAL_STATUS_LABELS,
    REJECTED,
    RETURNED,
    SUBMITTED,
    VALID,
    WITHDRAWN,
    Mark,
    Proposal,
    ProposalStatusChange,
)
from services.errors import NotAllowed, NotFound, RuleViolation
from services.proposals import campaigns, lifecycle, listing, savings, screening, similar_titles, submission
from services.proposals import loaders as proposal_loaders
from services.proposals.campaigns import CampaignData
from services.proposals.lifecycle import TRANSITIONS
from services.proposals.submission import ProposalData
from tests.factories import EnterpriseFactory, WorkerFactory
from tests.factories_proposals import (
    JUDGING_CLOSES,
    JUDGING_OPENS,
    SUBMISSION_CLOSES,
    SUBMISSION_OPENS,
    SUBMIT_TIME,
    CampaignFactory,
    ProposalFactory,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% test\n"


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def campaign_data(**overrides) -> CampaignData:
    data = CampaignData(
        name="2026年五小·智慧杯", submission_opens_at=SUBMISSION_OPENS, submission_closes_at=SUBMISSION_CLOSES,
        judging_opens_at=JUDGING_OPENS, judging_closes_at=JUDGING_CLOSES,
        criteria=[("创新性", 25), ("可行性", 25), ("经济效益", 30), ("推广价值", 20)],
    )
    return replace(data, **overrides)


def proposal_data(**overrides) -> ProposalData:
    data = ProposalData(kind="improvement", title="缝纫线头自动剪切装置", problem="人工剪线头慢。",
                        solution="加装自动剪线器。", expected_benefit="每人每天省半小时。",
                        estimated_savings=Decimal("50000"))
    return replace(data, **overrides)


@pytest.fixture
def campaign():
    return CampaignFactory()


@pytest.fixture
def at_submission():
    with clock.frozen(SUBMIT_TIME):
        yield


# --- campaigns ------------------------------------------------------------------------------


def test_admin_creates_campaign_with_default_rubric_and_settings(world):
    campaign = campaigns.create_campaign(world.admin, campaign_data())
    db.session.commit()
    assert [(c.name, c.weight) for c in campaign.criteria] == [
        ("创新性", 25), ("可行性", 25), ("经济效益", 30), ("推广价值", 20)]
    assert campaign.min_judges == 3 and campaign.blind_review is True
    assert campaign.pass_mark == Decimal("60") and not campaign.locked


@pytest.mark.parametrize("criteria, message", [
    ([("创新性", 25), ("可行性", 25), ("经济效益", 30)], "100"),
    ([("创新性", 50), ("创新性", 50)], "重复"),
    ([("创新性", 0), ("可行性", 100)], "1 到 100"),
    ([], "至少"),
])
def test_rubric_weights_must_sum_to_100(world, criteria, message):
    with pytest.raises(RuleViolation) as error:
        campaigns.create_campaign(world.admin, campaign_data(criteria=criteria))
    assert message in str(error.value.message) and error.value.field == "criteria"


def test_windows_must_be_in_order(world):
    with pytest.raises(RuleViolation) as error:
        campaigns.create_campaign(world.admin, campaign_data(judging_closes_at=SUBMISSION_CLOSES - timedelta(days=1),
                                                             judging_opens_at=SUBMISSION_OPENS))
    assert error.value.field == "judging_closes_at"


@pytest.mark.parametrize("persona", ["worker_a", "judge"])
def test_only_owners_create_campaigns(world, persona):
    with pytest.raises(NotAllowed):
        campaigns.create_campaign(world.persona(persona), campaign_data())


def test_hr_creates_its_enterprises_own_campaign_and_admins_the_citys(world):
    own = campaigns.create_campaign(world.hr_a, campaign_data())
    city = campaigns.create_campaign(world.admin, campaign_data())  # the same name: another owner
    assert (own.owner_level, own.owner_enterprise_id, own.owner_town_id) == ("enterprise", world.enterprise_a.id, None)
    assert (city.owner_level, city.owner_enterprise_id) == ("city", None)


def test_rubric_is_fixed_once_marks_exist(world, campaign):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="under_review")
    from tests.factories_proposals import assign

    assignment = assign(proposal, world.judge)
    db.session.add(Mark(assignment_id=assignment.id, proposal_id=proposal.id, judge_id=world.judge.id,
                        criterion_id=campaign.criteria[0].id, mark=7))
    db.session.commit()
    with pytest.raises(RuleViolation) as error:
        campaigns.update_campaign(world.admin, campaign, campaign_data(name=campaign.name,
                                                                       criteria=[("创新性", 50), ("可行性", 50)]))
    assert error.value.field == "criteria"


# --- writing and submitting -----------------------------------------------------------------


def test_worker_drafts_edits_and_submits_with_pledge(world, campaign, at_submission):
    proposal = submission.create_proposal(world.worker_a, campaign, proposal_data())
    db.session.commit()
    assert proposal.status == DRAFT and proposal.enterprise_id == world.enterprise_a.id
    assert [(a.user_id, a.share) for a in proposal.authors] == [(world.worker_a.id, 100)]
    submission.update_proposal(world.worker_a, proposal, proposal_data(title="缝纫线头自动剪切装置（改进版）"))
    with pytest.raises(RuleViolation) as error:
        submission.submit_proposal(world.worker_a, proposal, pledge=False)
    assert error.value.field == "pledge"
    submission.submit_proposal(world.worker_a, proposal, pledge=True)
    db.session.commit()
    assert proposal.status == SUBMITTED
    assert proposal.pledge_confirmed_at == SUBMIT_TIME and proposal.submitted_at == SUBMIT_TIME
    steps = [(c.from_status, c.to_status, c.actor_id) for c in listing.timeline(proposal)]
    assert steps == [(None, DRAFT, world.worker_a.id), (DRAFT, SUBMITTED, world.worker_a.id)]


def test_no_submission_after_the_window(world, campaign):
    with clock.frozen(SUBMIT_TIME):
        proposal = submission.create_proposal(world.worker_a, campaign, proposal_data())
        db.session.commit()
    with clock.frozen(SUBMISSION_CLOSES), pytest.raises(RuleViolation) as error:
        submission.submit_proposal(world.worker_a, proposal, pledge=True)
    assert "征集时间" in str(error.value.message)
    with clock.frozen(SUBMISSION_CLOSES + timedelta(days=1)), pytest.raises(RuleViolation):
        submission.create_proposal(world.worker_a, campaign, proposal_data(title="另一件截止后的提案"))


def test_no_submission_before_the_window_opens(world, campaign):
    with clock.frozen(SUBMISSION_OPENS - timedelta(days=2)):
        proposal = submission.create_proposal(world.worker_a, campaign, proposal_data())
        with pytest.raises(RuleViolation):
            submission.submit_proposal(world.worker_a, proposal, pledge=True)


def test_incomplete_proposal_cannot_be_submitted(world, campaign, at_submission):
    proposal = submission.create_proposal(world.worker_a, campaign, proposal_data(solution="", estimated_savings=None))
    with pytest.raises(RuleViolation) as error:
        submission.submit_proposal(world.worker_a, proposal, pledge=True)
    assert "改进措施" in str(error.value.message) and "预计年节约额" in str(error.value.message)


def test_only_the_proposer_edits_submits_and_withdraws(world, campaign, at_submission):
    proposal = submission.create_proposal(world.worker_a, campaign, proposal_data())
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    for action in (lambda u: submission.submit_proposal(u, proposal, True),
                   lambda u: submission.withdraw_proposal(u, proposal),
                   lambda u: submission.update_proposal(u, proposal, proposal_data())):
        with pytest.raises(NotFound):
            action(colleague)


def test_withdraw_before_review_but_not_after(world, campaign, at_submission):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    submission.withdraw_proposal(world.worker_a, proposal, "想再完善")
    assert proposal.status == WITHDRAWN
    reviewed = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="under_review")
    with pytest.raises(RuleViolation) as error:
        submission.withdraw_proposal(world.worker_a, reviewed)
    assert "评审中" in str(error.value.message)
    db.session.rollback()
    assert db.session.get(Proposal, reviewed.id).status == "under_review"


def test_a_draft_is_deleted_never_withdrawn(world, campaign, at_submission):
    draft = submission.create_proposal(world.worker_a, campaign, proposal_data())
    with pytest.raises(RuleViolation):
        submission.withdraw_proposal(world.worker_a, draft)
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    with pytest.raises(NotFound):
        submission.delete_draft(colleague, draft)
    draft_id = draft.id
    submission.delete_draft(world.worker_a, draft)
    db.session.commit()
    assert db.session.get(Proposal, draft_id) is None
    submitted = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="submitted")
    with pytest.raises(RuleViolation) as error:
        submission.delete_draft(world.worker_a, submitted)
    assert "撤回" in str(error.value.message)


def test_returned_proposal_is_edited_and_resubmitted(world, campaign, at_submission):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    screening.screen_proposal(world.hr_a, proposal, "return", None, "请补充测算依据")
    data = proposal_data(calc_quantity_before="2", calc_quantity_after="1", calc_unit_price="3",
                         calc_annual_output="10000", calc_implementation_cost="5000", estimated_savings=None)
    submission.update_proposal(world.worker_a, proposal, data)
    submission.submit_proposal(world.worker_a, proposal, pledge=True)
    assert proposal.status == SUBMITTED and proposal.estimated_savings == Decimal("25000.00")


# --- savings and bad input ------------------------------------------------------------------


@pytest.mark.parametrize("before, after, price, output, cost, expected", [
    ("1.2", "1.0", "15", "100000", "20000", "280000.00"),
    ("0.35", "0.30", "42.5", "800000", "150000", "1550000.00"),
    ("10", "10", "5", "1000", "0", "0.00"),
    ("3", "2.5", "0.01", "3", "0", "0.02"),  # 0.015 rounds half up
])
def test_savings_calculator_worked_examples(before, after, price, output, cost, expected):
    result = savings.calculate_savings(*(Decimal(v) for v in (before, after, price, output, cost)))
    assert result == Decimal(expected) and isinstance(result, Decimal)


@pytest.mark.parametrize("overrides, field", [
    ({"estimated_savings": "-10"}, "estimated_savings"),
    ({"estimated_savings": "200000000"}, "estimated_savings"),
    ({"estimated_savings": "很多"}, "estimated_savings"),
    ({"estimated_savings": "NaN"}, "estimated_savings"),
    ({"calc_quantity_before": "2", "calc_unit_price": "3"}, "calc_quantity_after"),
    ({"calc_quantity_before": "1", "calc_quantity_after": "2", "calc_unit_price": "3",
      "calc_annual_output": "10", "calc_implementation_cost": "0"}, "estimated_savings"),
    ({"title": "短"}, "title"),
    ({"kind": "big"}, "kind"),
])
def test_bad_proposal_input_is_refused_with_its_field(world, campaign, at_submission, overrides, field):
    with pytest.raises(RuleViolation) as error:
        submission.create_proposal(world.worker_a, campaign, proposal_data(**overrides))
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_coauthor_shares_must_sum_to_100(world, campaign, at_submission):
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    with pytest.raises(RuleViolation) as error:
        submission.create_proposal(world.worker_a, campaign,
                                  proposal_data(proposer_share=60, coauthors=[(colleague.id, 30)]))
    assert error.value.field == "coauthors" and "90" in str(error.value.message)
    proposal = submission.create_proposal(world.worker_a, campaign,
                                         proposal_data(proposer_share=60, coauthors=[(colleague.id, 40)]))
    assert sorted((a.user_id, a.share) for a in proposal.authors) == sorted(
        [(world.worker_a.id, 60), (colleague.id, 40)])


def test_coauthors_from_another_enterprise_or_twice_are_refused(world, campaign, at_submission):
    with pytest.raises(RuleViolation) as error:
        submission.create_proposal(world.worker_a, campaign,
                                  proposal_data(proposer_share=50, coauthors=[(world.worker_b.id, 50)]))
    assert "本企业" in str(error.value.message)
    colleague = WorkerFactory(enterprise=world.enterprise_a)
    with pytest.raises(RuleViolation):
        submission.create_proposal(world.worker_a, campaign, proposal_data(
            proposer_share=50, coauthors=[(colleague.id, 25), (colleague.id, 25)]))
    with pytest.raises(RuleViolation):
        submission.create_proposal(world.worker_a, campaign, proposal_data(
            proposer_share=50, coauthors=[(world.worker_a.id, 50)]))


def test_attachments_are_checked_by_content_and_size(world, campaign, at_submission):
    with pytest.raises(RuleViolation) as error:
        submission.create_proposal(world.worker_a, campaign, proposal_data(
            files=[upload(b"MZ\x90\x00 this is a program", "图纸.pdf")]))
    assert error.value.field == "files" and "图纸.pdf" in str(error.value.message)
    with pytest.raises(RuleViolation) as error:
        submission.create_proposal(world.worker_a, campaign, proposal_data(
            files=[upload(PDF + b"0" * (10 * 1024 * 1024), "大文件.pdf")]))
    assert "10 MB" in str(error.value.message)
    proposal = submission.create_proposal(world.worker_a, campaign, proposal_data(
        files=[upload(PNG, "现场照片.png"), upload(PDF, "说明.pdf")]))
    assert [a.file.kind for a in proposal.attachments] == ["image", "pdf"]


def test_attachments_are_served_only_to_those_who_see_the_proposal(world, campaign, at_submission):
    proposal = submission.create_proposal(world.worker_a, campaign, proposal_data(files=[upload(PNG, "a.png")]))
    db.session.commit()
    attachment_id = proposal.attachments[0].id
    assert submission.get_attachment(world.worker_a, proposal.id, attachment_id).original_name == "a.png"
    for outsider in (world.worker_b, world.hr_b, world.judge, world.hr_a):  # HR does not see drafts
        with pytest.raises(NotFound):
            submission.get_attachment(outsider, proposal.id, attachment_id)


def test_html_in_text_is_stored_verbatim_for_escaping(world, campaign, at_submission):
    proposal = submission.create_proposal(world.worker_a, campaign,
                                         proposal_data(title="<script>alert(1)</script>改进"))
    assert proposal.title == "<script>alert(1)</script>改进"


# --- screening and transitions --------------------------------------------------------------


def test_hr_screens_their_enterprises_submitted_proposals(world, campaign):
    valid = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    rejected = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    screening.screen_proposal(world.hr_a, valid, "valid", None, None)
    screening.screen_proposal(world.hr_a, rejected, "reject", "own_duty", "属于岗位职责范围")
    db.session.commit()
    assert valid.status == VALID and rejected.status == REJECTED
    last = listing.timeline(rejected)[-1]
    assert (last.from_status, last.to_status, last.actor_id, last.reason, last.note) == (
        SUBMITTED, REJECTED, world.hr_a.id, "own_duty", "属于岗位职责范围")


def test_hr_of_another_enterprise_cannot_screen(world, campaign):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    with pytest.raises(NotFound):
        screening.screen_proposal(world.hr_b, proposal, "valid", None, None)
    with pytest.raises(NotFound):
        proposal_loaders.get_proposal(world.hr_b, proposal.id)


@pytest.mark.parametrize("decision, reason, note, field", [
    ("reject", None, "说明", "reason"),
    ("reject", "bogus", "说明", "reason"),
    ("reject", "other", "", "note"),
    ("return", None, "  ", "note"),
    ("approve", None, None, "decision"),
])
def test_screening_needs_reasons(world, campaign, decision, reason, note, field):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    with pytest.raises(RuleViolation) as error:
        screening.screen_proposal(world.hr_a, proposal, decision, reason, note)
    assert error.value.field == field and proposal.status == SUBMITTED


ROLES = ("author", "hr", "admin", "system")


@pytest.mark.parametrize("source", list(PROPOSAL_STATUS_LABELS))
def test_every_transition_is_allowed_only_as_specified(source):
    """The full table: a (from, to, role) triple passes check_transition iff TRANSITIONS names it."""
    proposal = Proposal(status=source)
    for target in PROPOSAL_STATUS_LABELS:
        for role in ROLES:
            allowed = TRANSITIONS.get((source, target)) == role
            if allowed:
                lifecycle.check_transition(proposal, target, role)
            else:
                with pytest.raises(RuleViolation):
                    lifecycle.check_transition(proposal, target, role)


@pytest.mark.parametrize("status", [DRAFT, RETURNED, REJECTED, WITHDRAWN, VALID, "under_review", "scored"])
def test_illegal_screening_is_refused_and_changes_nothing(world, campaign, status):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status=status)
    before = db.session.scalar(db.select(db.func.count(ProposalStatusChange.id)))
    with pytest.raises(RuleViolation) as error:
        screening.screen_proposal(world.hr_a, proposal, "valid", None, None)
    assert "不能变为" in str(error.value.message)
    db.session.rollback()
    assert db.session.get(Proposal, proposal.id).status == status
    assert db.session.scalar(db.select(db.func.count(ProposalStatusChange.id))) == before


def test_worker_cannot_screen_and_author_cannot_adopt(world, campaign):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    with pytest.raises(NotFound):
        screening.screen_proposal(world.worker_a, proposal, "valid", None, None)
    with pytest.raises(NotFound):
        savings.adopt_proposal(world.worker_a, proposal)


# --- duplicates -----------------------------------------------------------------------------


def test_similar_titles_in_the_same_enterprise_and_campaign_are_flagged(world, campaign):
    first = ProposalFactory(campaign=campaign, proposer=world.worker_a, title="鞋底模具快速换模装置")
    second = ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_a),
                             title="鞋底模具快速换模装置改进")
    other = ProposalFactory(campaign=campaign, proposer=world.worker_a, title="食堂节水龙头")
    elsewhere = ProposalFactory(campaign=campaign, proposer=world.worker_b, title="鞋底模具快速换模装置")
    other_campaign = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a, title="鞋底模具快速换模装置")
    flags = screening.duplicate_flags([first, second, other, elsewhere, other_campaign])
    assert [pid for pid, _t in flags[first.id]] == [second.id]
    assert [pid for pid, _t in flags[second.id]] == [first.id]
    assert other.id not in flags and elsewhere.id not in flags and other_campaign.id not in flags


@pytest.mark.parametrize("a, b, similar", [
    ("节能灯改造", "节能灯 改造！", True),
    ("缝纫机压脚改进方案", "缝纫机压脚改进", True),
    ("缝纫机压脚改进", "空压机余热回收", False),
])
def test_title_similarity(a, b, similar):
    assert similar_titles.titles_similar(a, b) is similar


# --- adoption, implementation and savings ---------------------------------------------------


def _published_scored(world, **kw):
    campaign = CampaignFactory(status="published")
    return ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", score=Decimal("80"), **kw)


def test_adopt_implement_and_verify_realised_savings(world):
    proposal = _published_scored(world, estimated_savings=Decimal("100000"))
    savings.adopt_proposal(world.hr_a, proposal)
    with pytest.raises(RuleViolation) as error:
        savings.record_implementation(world.hr_a, proposal, "90000", "", upload(PDF, "财务确认.pdf"))
    assert error.value.field == "note"
    with pytest.raises(RuleViolation) as error:
        savings.record_implementation(world.hr_a, proposal, "90000", "已实施", upload(b"GIF89a", "x.pdf"))
    assert error.value.field == "finance_file"
    with pytest.raises(RuleViolation):
        savings.record_implementation(world.hr_a, proposal, "-1", "已实施", upload(PDF, "财务确认.pdf"))
    saving = savings.record_implementation(world.hr_a, proposal, "90000", "2026年7-12月实测",
                                             upload(PDF, "财务确认.pdf"))
    assert proposal.status == IMPLEMENTED and saving.amount == Decimal("90000.00")
    with pytest.raises(NotAllowed):
        savings.verify_saving(world.hr_a, proposal)
    rows = db.session.scalars(savings.savings_totals(world.admin, proposal.campaign)).all()
    assert [(r.estimated, r.entered, r.verified) for r in rows] == [(Decimal("100000"), Decimal("90000"), 0)]
    savings.verify_saving(world.admin, proposal)
    db.session.commit()
    rows = db.session.scalars(savings.savings_totals(world.admin, proposal.campaign)).all()
    assert Decimal(rows[0].verified) == Decimal("90000")
    with pytest.raises(RuleViolation):
        savings.verify_saving(world.admin, proposal)


def test_adoption_waits_for_published_results(world, campaign):
    proposal = ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored")
    with pytest.raises(RuleViolation):
        savings.adopt_proposal(world.hr_a, proposal)
    published = _published_scored(world)
    with pytest.raises(RuleViolation):
        savings.record_implementation(world.hr_a, published, "1", "x", upload(PDF, "f.pdf"))
    assert published.status == "scored" and proposal.status != ADOPTED


def test_savings_totals_are_per_enterprise_and_scoped_for_hr(world):
    campaign = CampaignFactory(status="published")
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="valid", estimated_savings=Decimal("10"))
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="scored", estimated_savings=Decimal("5"))
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="rejected", estimated_savings=Decimal("999"))
    ProposalFactory(campaign=campaign, proposer=world.worker_b, status="valid", estimated_savings=Decimal("7"))
    rows = {r.enterprise_id: r for r in db.session.scalars(savings.savings_totals(world.admin, campaign))}
    assert (rows[world.enterprise_a.id].valid, Decimal(rows[world.enterprise_a.id].estimated)) == (2, Decimal("15"))
    assert [r.enterprise_id for r in db.session.scalars(savings.savings_totals(world.hr_b, campaign))] == [
        world.enterprise_b.id]
    assert [Decimal(x) for x in savings.savings_sums(world.hr_b, campaign)] == [Decimal("7"), 0]
    with pytest.raises(NotAllowed):
        savings.savings_totals(world.worker_a, campaign)


def test_workers_see_own_and_published_proposals_only(world, campaign):
    own = ProposalFactory(campaign=campaign, proposer=world.worker_a)
    others = ProposalFactory(campaign=campaign, proposer=WorkerFactory(enterprise=world.enterprise_a))
    published = _published_scored(world)
    foreign = ProposalFactory(campaign=campaign, proposer=world.worker_b)
    assert proposal_loaders.get_proposal(world.worker_a, own.id) == own
    assert proposal_loaders.get_proposal(world.worker_b, published.id) == published
    for pid in (others.id, foreign.id):
        with pytest.raises(NotFound):
            proposal_loaders.get_proposal(world.worker_a, pid)
    listed = db.session.execute(listing.proposals_query(world.worker_a, listing.ProposalFilters())).all()
    assert {p.id for p in listed} == {own.id, published.id}


def test_hr_list_is_scoped_and_filtered(world, campaign):
    a1 = ProposalFactory(campaign=campaign, proposer=world.worker_a, kind="invention")
    ProposalFactory(campaign=campaign, proposer=world.worker_a, kind="design")
    ProposalFactory(campaign=campaign, proposer=world.worker_a, status="draft")
    ProposalFactory(campaign=campaign, proposer=world.worker_b)
    ids = lambda actor, **f: {p.id for p in db.session.execute(  # noqa: E731
        listing.proposals_query(actor, listing.ProposalFilters(**f)))}
    assert len(ids(world.hr_a)) == 2
    assert ids(world.hr_a, kind="invention") == {a1.id}
    assert len(ids(world.admin)) == 4
    assert len(ids(world.admin, enterprise_id=world.enterprise_b.id)) == 1
    other_town = EnterpriseFactory(town__name="英林镇")
    assert ids(world.admin, town_id=other_town.town_id) == set()
