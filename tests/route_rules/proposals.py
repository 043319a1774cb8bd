"""Routes of the Five Small proposals area, for every persona.

Targets are proposals of enterprise B (worker_b) unless the rule says otherwise, so hr_a gets 404 and
hr_b 200; the judge (of enterprise B) is assigned to proposals of enterprise A only.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from core import clock
from models import db
from models.proposals import JudgeAssignment, ProposalAttachment, RealisedSaving
from services.common import uploads
from tests.route_rules import Rule, logged_in, only

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _open_campaign():
    from tests.factories_proposals import CampaignFactory

    now = clock.now()
    return CampaignFactory(submission_opens_at=now - timedelta(days=10), submission_closes_at=now + timedelta(days=10),
                           judging_opens_at=now - timedelta(days=5), judging_closes_at=now + timedelta(days=20))


def _proposal(world, status="submitted", proposer=None, campaign=None):
    from tests.factories_proposals import ProposalFactory

    return ProposalFactory(campaign=campaign or _open_campaign(), proposer=proposer or world.worker_b, status=status)


def _stored(world):
    return uploads.save_upload(world.worker_b, FileStorage(io.BytesIO(PNG), filename="photo.png"), allowed=("image",))


def _with_attachment(world):
    proposal = _proposal(world)
    attachment = ProposalAttachment(proposal_id=proposal.id, file=_stored(world))
    db.session.add(attachment)
    db.session.commit()
    return {"proposal_id": proposal.id, "attachment_id": attachment.id}


def _implemented(world):
    from tests.factories_proposals import CampaignFactory

    proposal = _proposal(world, status="implemented", campaign=CampaignFactory(status="published"))
    db.session.add(RealisedSaving(proposal_id=proposal.id, amount=Decimal("1000"), note="ok",
                                  finance_file=_stored(world), entered_by_id=world.hr_b.id))
    db.session.commit()
    return {"proposal_id": proposal.id}


def _b_campaign(world):
    """An open campaign owned by enterprise B (its own, run by hr_b)."""
    campaign = _open_campaign()
    campaign.owner_level, campaign.owner_enterprise_id = "enterprise", world.enterprise_b.id
    db.session.commit()
    return {"campaign_id": campaign.id}


def _b_panel(world):
    """A panel row of enterprise B's campaign (worker_b appointed)."""
    from models.proposals import CampaignJudge

    args = _b_campaign(world)
    row = CampaignJudge(campaign_id=args["campaign_id"], user_id=world.worker_b.id)
    db.session.add(row)
    db.session.commit()
    return {**args, "panel_id": row.id}


def _b_recommendable(world):
    """A valid proposal of enterprise B's own campaign and a city campaign taking recommendations."""
    args = _b_campaign(world)
    from models.proposals import Campaign

    proposal = _proposal(world, status="valid", campaign=db.session.get(Campaign, args["campaign_id"]))
    world._target = _open_campaign()
    world._target.recommend_quota = 10
    db.session.commit()
    return {"proposal_id": proposal.id}


def _b_recommended(world):
    """The entry of a valid proposal of enterprise B's own campaign, recommended by hr_b into a city campaign
    that has not started reviewing it (hr_b may withdraw it)."""
    from models.proposals import Proposal
    from services.proposals import recommendation

    source = db.session.get(Proposal, _b_recommendable(world)["proposal_id"])
    entry = recommendation.recommend(world.hr_b, source, world._target)
    db.session.commit()
    return {"proposal_id": entry.id}


def _town_campaign(world):
    """An open campaign owned by enterprise B's town (run by town_b; taking recommendations)."""
    campaign = _open_campaign()
    campaign.owner_level, campaign.owner_town_id = "town", world.enterprise_b.town_id
    campaign.min_judges, campaign.recommend_quota = 1, 5
    db.session.commit()
    return campaign


def _t_campaign(world):
    return {"campaign_id": _town_campaign(world).id}


def _t_panel(world):
    """A panel row of B's town's campaign: a judge of the city's pool (no enterprise) appointed."""
    from models.proposals import CampaignJudge
    from tests.factories import JudgeFactory

    campaign = _town_campaign(world)
    world._city_judge = JudgeFactory(enterprise=None, name="市评委老郑")
    row = CampaignJudge(campaign_id=campaign.id, user_id=world._city_judge.id)
    db.session.add(row)
    db.session.commit()
    return {"campaign_id": campaign.id, "panel_id": row.id}


def _t_assignable(world):
    """B's town's campaign with a city judge on its panel and a valid proposal of worker_b to assign."""
    args = _t_panel(world)
    from models.proposals import Campaign

    world._assigned_proposal = _proposal(world, status="valid", campaign=db.session.get(Campaign, args["campaign_id"]))
    return {"campaign_id": args["campaign_id"]}


def _t_assigned(world):
    """An assignment (no marks) of the city judge to worker_b's proposal in B's town's campaign."""
    args = _t_assignable(world)
    assignment = JudgeAssignment(proposal_id=world._assigned_proposal.id, judge_id=world._city_judge.id,
                                 campaign_id=args["campaign_id"])
    db.session.add(assignment)
    db.session.commit()
    return {**args, "assignment_id": assignment.id}


def _t_published(world):
    """B's town's campaign with results published by town_b (公示 running)."""
    from services.proposals import results
    from tests.factories_proposals import CampaignFactory

    campaign = CampaignFactory(locked=True, judging_closes_at=clock.now() + timedelta(days=1), owner_level="town",
                               owner_town_id=world.enterprise_b.town_id)
    _proposal(world, status="scored", campaign=campaign).score = Decimal("80")
    results.publish_results(world.town_b, campaign)
    db.session.commit()
    return campaign


def t_objection_args(world):
    """A pending objection (worker_b's) to the results of B's town's campaign."""
    from services.proposals import results

    objection = results.file_objection(world.worker_b, _t_published(world), "这项结果有问题，请复核评分过程。")
    db.session.commit()
    return {"objection_id": objection.id}


def _t_recommendable(world):
    """A valid proposal of B's town's campaign and a city campaign taking recommendations."""
    proposal = _proposal(world, status="valid", campaign=_town_campaign(world))
    world._target = _open_campaign()
    world._target.recommend_quota = 10
    db.session.commit()
    return {"proposal_id": proposal.id}


def _t_recommended(world):
    """The entry of B's town's proposal recommended by town_b into a city campaign (not yet reviewed)."""
    from models.proposals import Proposal
    from services.proposals import recommendation

    source = db.session.get(Proposal, _t_recommendable(world)["proposal_id"])
    entry = recommendation.recommend(world.town_b, source, world._target)
    db.session.commit()
    return {"proposal_id": entry.id}


def _b(world, **kw):
    return {"proposal_id": _proposal(world, **kw).id}


def _campaign(world):
    return {"campaign_id": _open_campaign().id}


def _assigned(world):
    """A proposal of enterprise A under review by the judge (of enterprise B)."""
    proposal = _proposal(world, status="under_review", proposer=world.worker_a)
    assignment = JudgeAssignment(proposal_id=proposal.id, judge_id=world.judge.id, campaign_id=proposal.campaign_id)
    db.session.add(assignment)
    db.session.commit()
    return proposal, assignment


def _assigned_campaign(world):
    """url_args for assigning: remembers the proposal so the form data can name it (ids differ per run)."""
    world._assigned_proposal = _assigned(world)[0]
    return {"campaign_id": world._assigned_proposal.campaign_id}


def published(world):
    from services.proposals import results
    from tests.factories_proposals import CampaignFactory

    campaign = CampaignFactory(locked=True, judging_closes_at=clock.now() + timedelta(days=1))
    _proposal(world, status="scored", campaign=campaign).score = Decimal("80")
    results.publish_results(world.admin, campaign)
    db.session.commit()
    return campaign


def objection_args(world):
    from services.proposals import results

    campaign = published(world)
    objection = results.file_objection(world.worker_b, campaign, "这项结果有问题，请复核评分过程。")
    db.session.commit()
    return {"objection_id": objection.id}


ADMIN_GET = {"admin": 200}
ADMIN_POST = {"admin": 302}
OWNER_ONLY = {"worker_a": 404}  # worker_a holds the worker role but is not the proposer
HR_B = {"hr_a": 404, "hr_b": 302}
MANAGERS = {"hr_a": 200, "hr_b": 200, "admin": 200, "town_a": 200, "town_b": 200}
# Enterprise B's own campaign: A's town does not see it (404), B's town oversees it read-only (403 to act).
B_OWN = {"hr_a": 404, "town_a": 404, "town_b": 403}
# B's town's own campaign: town_b runs it; hr_b and the admin see it but do not run it (403); A's side 404.
B_TOWN_GET = {"hr_a": 404, "town_a": 404, "town_b": 200}
B_TOWN_POST = {"hr_a": 404, "town_a": 404, "town_b": 302}

RULES = [
    logged_in("proposals.index"),
    logged_in("proposals.proposal_list"),
    logged_in("proposals.proposal_list", url_args=lambda world: {"stage": "valid", "year": 2026}, note="report"),
    only("proposals.export_list", {"hr_a": 302, "hr_b": 302, "admin": 302, "town_a": 302, "town_b": 302},
         method="POST", url_args=lambda world: {"stage": "collected", "year": 2026}),
    logged_in("proposals.campaign_list"),
    only("proposals.create", {"worker_a": 200}, url_args=_campaign),
    only("proposals.create", {"worker_a": 200}, method="POST", url_args=_campaign, note="(empty form)"),
    Rule("proposals.show", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 200, "admin": 200,
                            "town_a": 404, "town_b": 200},
         url_args=_b),
    only("proposals.edit", OWNER_ONLY, url_args=lambda w: _b(w, status="draft")),
    only("proposals.edit", OWNER_ONLY, method="POST", url_args=lambda w: _b(w, status="draft")),
    only("proposals.attach", OWNER_ONLY, method="POST", url_args=lambda w: _b(w, status="draft")),
    only("proposals.detach", OWNER_ONLY, method="POST", url_args=_with_attachment),
    Rule("proposals.attachment", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 200,
                                  "admin": 200, "town_a": 404, "town_b": 200}, url_args=_with_attachment),
    only("proposals.submit_proposal", OWNER_ONLY, method="POST", url_args=lambda w: _b(w, status="draft"),
         data=lambda w: {"pledge": "y"}),
    only("proposals.withdraw", OWNER_ONLY, method="POST", url_args=_b),
    only("proposals.delete_draft", OWNER_ONLY, method="POST", url_args=lambda w: _b(w, status="draft")),
    only("proposals.screen", HR_B, method="POST", url_args=_b, data=lambda w: {"decision": "valid"}),
    only("proposals.adopt", HR_B, method="POST", url_args=lambda w: _b(w, status="scored")),
    only("proposals.implement", {"hr_a": 404, "hr_b": 422}, method="POST", url_args=lambda w: _b(w, status="adopted"),
         note="(empty form: the page again with the errors)"),
    only("proposals.verify", ADMIN_POST, method="POST", url_args=_implemented),
    only("proposals.finance_file", {"hr_a": 404, "hr_b": 200, "admin": 200}, url_args=_implemented),
    # union admin
    only("proposals.campaign_create", MANAGERS),
    only("proposals.campaign_create", MANAGERS, method="POST",
         note="(empty form; each manager creates its own: B's town's for town_b)"),
    only("proposals.campaign_edit", ADMIN_GET, url_args=_campaign),
    only("proposals.campaign_edit", ADMIN_GET, method="POST", url_args=_campaign, data=lambda w: {"name": ""},
         note="(no name)"),
    only("proposals.campaign_show", ADMIN_GET, url_args=_campaign),
    only("proposals.campaign_judges", ADMIN_GET, url_args=_campaign),
    only("proposals.assign", ADMIN_POST, method="POST", url_args=_assigned_campaign,
         data=lambda w: {"proposal_id": str(w._assigned_proposal.id), "judge_id": str(w.judge.id)}),
    only("proposals.auto_assign", ADMIN_POST, method="POST", url_args=_campaign),
    only("proposals.unassign", ADMIN_POST, method="POST",
         url_args=lambda w: (lambda pa: {"campaign_id": pa[0].campaign_id, "assignment_id": pa[1].id})(_assigned(w))),
    only("proposals.lock", ADMIN_POST, method="POST", url_args=_campaign, data=lambda w: {"locked": "1"}),
    only("proposals.close_confirm", ADMIN_GET, url_args=lambda w: {**_campaign(w), "action": "lock"}),
    only("proposals.close_confirm", ADMIN_GET, url_args=lambda w: {**_campaign(w), "action": "publish"}),
    only("proposals.results", ADMIN_GET, others=404, url_args=_campaign, note="(not published)"),
    logged_in("proposals.results", url_args=lambda w: {"campaign_id": published(w).id}, note="(published)"),
    only("proposals.publish", ADMIN_POST, method="POST", url_args=_campaign, data=lambda w: {"working_days": "5"}),
    only("proposals.finalise", ADMIN_POST, method="POST", url_args=lambda w: {"campaign_id": published(w).id}),
    only("proposals.export", ADMIN_GET, url_args=_campaign),
    only("proposals.export", ADMIN_POST, method="POST", url_args=_campaign, note="(starts the job)"),
    only("proposals.savings", MANAGERS, url_args=_campaign),
    only("proposals.appoint", ADMIN_POST, method="POST", url_args=_campaign, data=lambda w: {"user_id": ""},
         note="(city)"),
    only("proposals.figures", MANAGERS),
    only("proposals.figures", MANAGERS, url_args=lambda w: {"year": "2026"}, note="(a year)"),
    # enterprise B's own campaign: hr_b runs it, the admin oversees it read-only, hr_a does not see it
    only("proposals.campaign_show", {**B_OWN, "hr_b": 200, "admin": 200, "town_b": 200}, url_args=_b_campaign,
         note="(enterprise B's)"),
    only("proposals.campaign_judges", {**B_OWN, "hr_b": 200, "admin": 200, "town_b": 200}, url_args=_b_campaign,
         note="(enterprise B's)"),
    only("proposals.campaign_edit", {**B_OWN, "hr_b": 200}, url_args=_b_campaign, note="(enterprise B's)"),
    only("proposals.appoint", {**B_OWN, "hr_b": 302}, method="POST", url_args=_b_campaign,
         data=lambda w: {"user_id": str(w.worker_b.id)}, note="(enterprise B's)"),
    only("proposals.dismiss", {**B_OWN, "hr_b": 302}, method="POST", url_args=_b_panel),
    only("proposals.auto_assign", {**B_OWN, "hr_b": 302}, method="POST", url_args=_b_campaign,
         note="(enterprise B's)"),
    Rule("proposals.results", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 200,
                               "admin": 200, "town_a": 404, "town_b": 200}, url_args=_b_campaign,
         note="(enterprise B's, not published; B's town sees it read-only)"),
    only("proposals.create", {"worker_a": 404}, url_args=_b_campaign, note="(enterprise B's)"),
    only("proposals.recommend", {**B_OWN, "hr_b": 302}, method="POST", url_args=_b_recommendable,
         data=lambda w: {"target_id": str(w._target.id)}),
    only("proposals.withdraw_recommendation", {**B_OWN, "hr_b": 302}, method="POST", url_args=_b_recommended),
    # B's town's own campaign (issue 14): town_b runs it end to end; the city and B's HR see it, act 403
    only("proposals.campaign_show", {**B_TOWN_GET, "admin": 200}, url_args=_t_campaign, note="(B's town's)"),
    only("proposals.campaign_judges", {**B_TOWN_GET, "admin": 200}, url_args=_t_campaign, note="(B's town's)"),
    only("proposals.campaign_edit", B_TOWN_GET, url_args=_t_campaign, note="(B's town's)"),
    only("proposals.campaign_edit", B_TOWN_GET, method="POST", url_args=_t_campaign,
         data=lambda w: {"name": ""}, note="(B's town's, no name: the form again)"),
    only("proposals.appoint", B_TOWN_POST, method="POST", url_args=_t_campaign,
         data=lambda w: {"user_id": str(w.judge.id)}, note="(B's town's: a judge of the city's pool)"),
    only("proposals.dismiss", B_TOWN_POST, method="POST", url_args=_t_panel, note="(B's town's)"),
    only("proposals.assign", B_TOWN_POST, method="POST", url_args=_t_assignable, note="(B's town's)",
         data=lambda w: {"proposal_id": str(w._assigned_proposal.id), "judge_id": str(w._city_judge.id)}),
    only("proposals.auto_assign", B_TOWN_POST, method="POST", url_args=_t_assignable, note="(B's town's)"),
    only("proposals.unassign", B_TOWN_POST, method="POST", url_args=_t_assigned, note="(B's town's)"),
    only("proposals.lock", B_TOWN_POST, method="POST", url_args=_t_campaign, data=lambda w: {"locked": "1"},
         note="(B's town's)"),
    only("proposals.close_confirm", B_TOWN_GET, url_args=lambda w: {**_t_campaign(w), "action": "lock"},
         note="(B's town's)"),
    only("proposals.close_confirm", B_TOWN_GET, url_args=lambda w: {**_t_campaign(w), "action": "publish"},
         note="(B's town's)"),
    Rule("proposals.results", {"anonymous": 302, "worker_a": 404, "judge": 404, "hr_a": 404, "hr_b": 404,
                               "admin": 200, "town_a": 404, "town_b": 200}, url_args=_t_campaign,
         note="(B's town's, not published)"),
    only("proposals.publish", B_TOWN_POST, method="POST", url_args=_t_campaign,
         data=lambda w: {"working_days": "5"}, note="(B's town's: judging still open, flashed)"),
    only("proposals.finalise", B_TOWN_POST, method="POST", url_args=lambda w: {"campaign_id": _t_published(w).id},
         note="(B's town's)"),
    only("proposals.export", {**B_TOWN_GET, "admin": 200}, url_args=_t_campaign, note="(B's town's)"),
    only("proposals.export", {**B_TOWN_POST, "admin": 302}, method="POST", url_args=_t_campaign,
         note="(B's town's, starts the job)"),
    only("proposals.recommend", B_TOWN_POST, method="POST", url_args=_t_recommendable,
         data=lambda w: {"target_id": str(w._target.id)}, note="(B's town's, into the city's)"),
    only("proposals.withdraw_recommendation", B_TOWN_POST, method="POST", url_args=_t_recommended,
         note="(B's town's, from the city's)"),
    # judges: the city's pool (the judge role) and any campaign's panel (workers, HR)
    only("proposals.queue", {"judge": 200, "worker_a": 200, "hr_a": 200, "hr_b": 200}),
    only("proposals.review", {"judge": 200, "worker_a": 404, "hr_a": 404, "hr_b": 404},
         url_args=lambda w: {"proposal_id": _assigned(w)[0].id}),
    only("proposals.review", {"judge": 302, "worker_a": 404, "hr_a": 404, "hr_b": 404}, method="POST",
         url_args=lambda w: {"proposal_id": _assigned(w)[0].id}, data=lambda w: {"save": "1"}),
]
