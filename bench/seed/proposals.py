"""Five Small proposals at the city's scale: this year's city campaign of 46,000 proposals in judging
(judging open, most proposals scored, some still under review, the demo judge with a queue) and last
year's, final (ranks, prizes, adopted and implemented proposals with verified savings).

Every proposal follows the life cycle of models/proposals.py (TRANSITIONS in the proposals service) and
leaves its timeline: draft -> submitted -> valid / returned / rejected, or withdrawn; valid -> under
review when judges are assigned -> scored when all have submitted -> awarded at finalisation; adopted
and implemented by HR once results are published. Ranks are stored only when results are published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from flask import current_app

from bench.seed import judging, texts
from bench.seed.context import Context, Person
from models import StoredFile, db, proposal_tallies
from models.notices import NOTICE_FINAL, PublicNotice
from models.proposals import (
    ADOPTED,
    AWARDED,
    CAMPAIGN_ACTIVE,
    CAMPAIGN_FINAL,
    DEFAULT_RUBRIC,
    DRAFT,
    IMPLEMENTED,
    NOTICE_SUBJECT,
    REJECTED,
    RETURNED,
    SCORED,
    SUBMITTED,
    UNDER_REVIEW,
    VALID,
    WITHDRAWN,
    Campaign,
    Proposal,
    ProposalAuthor,
    ProposalStatusChange,
    RealisedSaving,
    RubricCriterion,
)
from models.vocabulary import prize_label

CAMPAIGN_NAME = "晋江市职工五小创新大赛"
BIG = 46_000
PREVIOUS = 9_200
A_SHARE = 150  # the demo enterprise A is a model enterprise for proposals
QUOTAS = (2, 5, 52)
PASS_MARK = Decimal("85")
# Where this year's proposals stand, judging open (weights in per mille).
ACTIVE_MIX = {DRAFT: 30, WITHDRAWN: 15, RETURNED: 15, REJECTED: 60, SUBMITTED: 5, VALID: 10, UNDER_REVIEW: 60,
              SCORED: 805}
FINAL_MIX = {DRAFT: 10, WITHDRAWN: 15, RETURNED: 10, REJECTED: 60, SCORED: 905}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass(slots=True)
class Plan:
    """One generated proposal before it is written."""

    id: int
    proposer: Person
    authors: list[tuple[int, int]]
    status: str
    created: datetime
    steps: list[tuple[str | None, str, int | None, datetime, str | None, str | None]] = field(default_factory=list)
    judged: judging.Judged | None = None
    rank: int | None = None
    prize: str | None = None
    submitted: datetime | None = None
    reason: str | None = None
    note: str | None = None

    def step(self, to: str, actor: int | None, at: datetime, reason: str | None = None, note: str | None = None):
        """Move to `to`, keeping the timeline row (from, to, who, when, why)."""
        self.steps.append((self.status if self.steps else None, to, actor, at, reason, note))
        self.status = to


@dataclass
class Window:
    """A campaign's windows (aware UTC)."""

    opens: datetime
    closes: datetime
    judging_opens: datetime
    judging_closes: datetime


def generate(ctx: Context) -> None:
    """Both campaigns, their proposals, judging, results and savings; ids for the manifest."""
    year = ctx.today.year
    now = ctx.now
    day = timedelta(days=1)
    current = Window(now - 120 * day, now - 30 * day, now - 25 * day, now + 20 * day)
    previous = Window(now - 485 * day, now - 395 * day, now - 390 * day, now - 350 * day)
    big_name, old_name = f"{year}年{CAMPAIGN_NAME}", f"{year - 1}年{CAMPAIGN_NAME}"
    # Last year's campaign first: ids grow with time, as in a database that has been in service a year.
    old_id, old_criteria = _campaign(ctx, old_name, previous, CAMPAIGN_FINAL)
    old_plans = _campaign_proposals(ctx, old_criteria, previous, ctx.n(PREVIOUS, 30), FINAL_MIX, final=True)
    files, savings = _results(ctx, old_id, old_name, old_plans, previous)
    _write(ctx, old_id, old_criteria, old_plans)
    ctx.writer.insert(StoredFile.__table__, files)
    ctx.writer.insert(RealisedSaving.__table__, savings)
    big_id, big_criteria = _campaign(ctx, big_name, current, CAMPAIGN_ACTIVE)
    plans = _campaign_proposals(ctx, big_criteria, current, ctx.n(BIG, 60), ACTIVE_MIX, final=False)
    _write(ctx, big_id, big_criteria, plans)
    # Bulk rows bypass the ORM, which keeps the stored tallies (models.proposal_tallies): recount them.
    proposal_tallies.rebuild(db.session, [big_id, old_id])
    _manifest(ctx, big_id, old_id, plans, old_plans)


def _campaign(ctx: Context, name: str, window: Window, status: str) -> tuple[int, list[tuple[int, int]]]:
    campaign_id = ctx.writer.next_id(Campaign.__table__)
    quotas = [max(1, round(q * min(1.0, 10 * ctx.scale))) for q in QUOTAS]
    created = window.opens - timedelta(days=10)
    ctx.writer.insert(Campaign.__table__, [{
        "id": campaign_id, "name": name, "description": "面向全市职工征集小革新、小发明、小创造、小设计、小建议。",
        "submission_opens_at": window.opens, "submission_closes_at": window.closes,
        "judging_opens_at": window.judging_opens, "judging_closes_at": window.judging_closes, "min_judges": 3,
        "blind_review": True, "quota_first": quotas[0], "quota_second": quotas[1], "quota_third": quotas[2],
        "pass_mark": PASS_MARK, "locked": False, "status": status, "created_by_id": ctx.admin_id,
        "created_at": created, "updated_at": created,
    }])
    ids = ctx.writer.ids(RubricCriterion.__table__, len(DEFAULT_RUBRIC))
    ctx.writer.insert(RubricCriterion.__table__, [
        {"id": cid, "campaign_id": campaign_id, "name": str(label), "weight": weight, "position": position}
        for position, (cid, (label, weight)) in enumerate(zip(ids, DEFAULT_RUBRIC, strict=True))])
    return campaign_id, [(cid, weight) for cid, (_label, weight) in zip(ids, DEFAULT_RUBRIC, strict=True)]


def _proposers(ctx: Context, count: int, demo_statuses: list[str]) -> list[tuple[Person, str | None]]:
    """Who proposes: the demo worker (with fixed statuses), a model share from enterprise A, then anyone."""
    rng = ctx.rng
    worker = ctx.people[ctx.demo["worker"]]
    staff_a = ctx.staff[ctx.demo_enterprises["A"]]
    everyone = ctx.participants()
    chosen = [(worker, status) for status in demo_statuses]
    chosen += [(rng.choice(staff_a), None) for _ in range(min(ctx.n(A_SHARE, 6), count // 4))]
    chosen += [(rng.choice(everyone), None) for _ in range(count - len(chosen))]
    return chosen


def _authors(ctx: Context, proposer: Person) -> list[tuple[int, int]]:
    rng = ctx.rng
    colleagues = ctx.staff[proposer.enterprise_id]
    roll = rng.random()
    shares = [100] if roll < 0.7 or len(colleagues) < 4 else ([60, 40] if roll < 0.9 else [50, 30, 20])
    authors = [(proposer.id, shares[0])]
    taken = {proposer.id}
    for share in shares[1:]:
        other = rng.choice(colleagues)
        if other.id not in taken:
            taken.add(other.id)
            authors.append((other.id, share))
    if len(authors) < len(shares):  # a colleague drawn twice: the proposer keeps the rest
        authors[0] = (proposer.id, 100 - sum(s for _u, s in authors[1:]))
    return authors


def _campaign_proposals(ctx, criteria, window: Window, count: int, mix: dict, final: bool) -> list[Plan]:
    """Plans with timelines and judging, in id order. In the open campaign the demo judge sits on
    about 300 panels, about 40 of them still waiting for their marks."""
    rng = ctx.rng
    statuses, weights = list(mix), list(mix.values())
    demo = [AWARDED if final else SCORED, SCORED if final else UNDER_REVIEW]
    ids = ctx.writer.ids(Proposal.__table__, count)
    hr = {cid: c.hr_id for cid, c in ctx.companies.items()}
    judge_seats = {SCORED: 0 if final else ctx.n(300, 10), UNDER_REVIEW: 0 if final else ctx.n(40, 3)}
    odds = {status: min(1.0, 1.5 * seats / max(1, count * mix.get(status, 0) / 1000))
            for status, seats in judge_seats.items()}
    rubric = [w for _c, w in criteria]
    plans = []
    for proposal_id, (proposer, fixed) in zip(ids, _proposers(ctx, count, demo), strict=True):
        target = fixed or rng.choices(statuses, weights)[0]
        created = ctx.moment(window.opens, window.closes - timedelta(hours=2))
        plan = Plan(proposal_id, proposer, _authors(ctx, proposer), DRAFT, created)
        plan.step(DRAFT, proposer.id, created)
        if target != DRAFT and not (target == WITHDRAWN and rng.random() < 0.3):
            plan.submitted = min(created + timedelta(hours=rng.randint(1, 120)), window.closes - timedelta(hours=1))
            plan.step(SUBMITTED, proposer.id, plan.submitted)
        if target == WITHDRAWN:
            plan.step(WITHDRAWN, proposer.id, (plan.submitted or created) + timedelta(hours=rng.randint(1, 48)),
                      note=rng.choice(texts.WITHDRAW_NOTES))
        elif target not in (DRAFT, SUBMITTED):
            screened = min(plan.submitted + timedelta(hours=rng.randint(2, 240)),
                           window.judging_opens - timedelta(hours=6))
            hr_id = hr[proposer.enterprise_id]
            if target == REJECTED:
                plan.reason = rng.choice(list(texts.REJECT_NOTES))
                plan.note = texts.REJECT_NOTES[plan.reason]
                plan.step(REJECTED, hr_id, screened, plan.reason, plan.note)
            elif target == RETURNED:
                plan.note = rng.choice(texts.RETURN_NOTES)
                plan.step(RETURNED, hr_id, screened, note=plan.note)
            else:
                plan.step(VALID, hr_id, screened)
                if target != VALID:
                    seated = target in judge_seats and judge_seats[target] > 0 and rng.random() < odds[target]
                    _judge_plan(ctx, plan, target, window, rubric, seated, 9.3 if fixed == AWARDED else None)
                    if seated and any(m.judge_id == ctx.demo["judge"] for m in plan.judged.panel):
                        judge_seats[target] -= 1
        plans.append(plan)
    return plans


def _judge_plan(ctx, plan: Plan, target: str, window: Window, rubric, seated: bool, quality) -> None:
    """Assign a panel (the demo judge on it when `seated` and free of conflict) and mark."""
    rng = ctx.rng
    author_ids = {uid for uid, _s in plan.authors}
    enterprise_id = plan.proposer.enterprise_id
    demo_judge = ctx.people[ctx.demo["judge"]]
    forced = demo_judge if seated and not judging.conflicted(demo_judge, enterprise_id, author_ids) else None
    size = rng.choices(judging.PANEL_SIZES, judging.PANEL_WEIGHTS)[0]
    panel = judging.pick_panel(ctx, size, enterprise_id, author_ids, forced)
    assigned = ctx.moment(window.judging_opens - timedelta(days=3), window.judging_opens + timedelta(days=5))
    assigned = max(assigned, plan.steps[-1][3] + timedelta(hours=1))
    until = min(ctx.now - timedelta(hours=1), window.judging_closes - timedelta(hours=1))
    pending = frozenset()
    if target == UNDER_REVIEW:
        waiting = [forced] if forced is not None else rng.sample(panel, rng.randint(1, len(panel)))
        pending = frozenset(p.id for p in waiting)
    plan.judged = judging.judge(ctx, panel, rubric, assigned, window.judging_opens, until, pending, quality)
    plan.step(UNDER_REVIEW, ctx.admin_id, assigned, note="开始评审")
    if plan.judged.scored_at is not None:
        last = max(plan.judged.panel, key=lambda m: m.submitted_at)
        plan.step(SCORED, last.judge_id, plan.judged.scored_at, note="评委已全部提交评分")


def _results(ctx: Context, campaign_id: int, name: str, plans: list[Plan], window: Window) -> tuple[list, list]:
    """Last year's results: ranks and prizes stored at publication, prize winners awarded at
    finalisation, then adoptions and implementations by HR with finance's confirmation. The notice is
    written here; the stored files and savings are returned, to be written after the proposals."""
    rng = ctx.rng
    published = window.judging_closes + timedelta(days=5)
    final = published + timedelta(days=15)
    quotas = tuple(max(1, round(q * min(1.0, 10 * ctx.scale))) for q in QUOTAS)
    scored = [(p.id, p.judged.score) for p in plans if p.status == SCORED]
    places = judging.ranks_and_prizes(scored, quotas, PASS_MARK)
    hr = {cid: c.hr_id for cid, c in ctx.companies.items()}
    savings, files = [], []
    upload_root = Path(current_app.config["UPLOAD_FOLDER"])
    for plan in plans:
        if plan.id not in places:
            continue
        plan.rank, plan.prize = places[plan.id]
        if plan.prize:
            plan.step(AWARDED, ctx.admin_id, final, note=str(prize_label(plan.prize)))
        if rng.random() < (0.5 if plan.prize else 0.08):
            hr_id = hr[plan.proposer.enterprise_id]
            adopted = ctx.moment(final, final + timedelta(days=60))
            plan.step(ADOPTED, hr_id, adopted, note="企业决定采纳实施")
            if rng.random() < 0.35:
                implemented = ctx.moment(adopted + timedelta(days=30), ctx.now - timedelta(days=20))
                note = rng.choice(texts.IMPLEMENT_NOTES)
                plan.step(IMPLEMENTED, hr_id, implemented, note=note)
                savings.append(_saving(ctx, plan, hr_id, implemented, note, files, upload_root))
    ctx.writer.insert(PublicNotice.__table__, [{
        "subject_type": NOTICE_SUBJECT, "subject_id": campaign_id, "title": f"{name} 评审结果",
        "status": NOTICE_FINAL, "published_at": published, "ends_at": published + timedelta(days=9),
        "published_by_id": ctx.admin_id, "finalised_at": final, "finalised_by_id": ctx.admin_id}])
    return files, savings


def _saving(ctx, plan: Plan, hr_id: int, at: datetime, note: str, files: list, root: Path) -> dict:
    key = f"{ctx.rng.getrandbits(128):032x}"
    path = root / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    file_id = ctx.writer.next_id(StoredFile.__table__)
    files.append({"id": file_id, "storage_key": key, "original_name": "财务部门确认单.pdf", "kind": "pdf",
                  "content_type": "application/pdf", "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest(),
                  "uploaded_by_id": hr_id, "uploaded_at": at})
    verified = ctx.rng.random() < 0.8
    amount = (texts.savings(ctx.rng) * Decimal(ctx.rng.randint(60, 130)) / 100).quantize(Decimal("0.01"))
    return {"proposal_id": plan.id, "amount": amount, "note": note, "finance_file_id": file_id,
            "entered_by_id": hr_id, "entered_at": at, "verified_by_id": ctx.admin_id if verified else None,
            "verified_at": at + timedelta(days=ctx.rng.randint(1, 10)) if verified else None}


def _write(ctx: Context, campaign_id: int, criteria, plans: list[Plan]) -> None:
    rng = ctx.rng
    rows, authors, steps = [], [], []
    for plan in plans:
        kind, title, problem, solution, benefit = texts.proposal_text(rng)
        judged = plan.judged
        rows.append({
            "id": plan.id, "campaign_id": campaign_id, "enterprise_id": plan.proposer.enterprise_id,
            "proposer_id": plan.proposer.id, "kind": kind, "title": title, "problem": problem,
            "solution": solution, "expected_benefit": benefit, "estimated_savings": texts.savings(rng),
            "status": plan.status, "pledge_confirmed_at": plan.submitted, "submitted_at": plan.submitted,
            "screening_reason": plan.reason, "screening_note": plan.note,
            "score": judged.score if judged else None, "score_spread": judged.spread if judged else None,
            "judge_count": judged.judge_count if judged else 0, "rank": plan.rank, "prize": plan.prize,
            "created_at": plan.created, "updated_at": plan.steps[-1][3],
        })
        for position, (user_id, share) in enumerate(plan.authors):
            authors.append({"proposal_id": plan.id, "user_id": user_id, "share": share, "position": position})
        for from_status, to, actor, at, reason, note in plan.steps:
            steps.append({"proposal_id": plan.id, "from_status": from_status, "to_status": to, "actor_id": actor,
                          "at": at, "reason": reason, "note": note})
        ctx.remember("proposal", plan.id, plan.proposer.enterprise_id)
    ctx.writer.insert(Proposal.__table__, rows)
    ctx.writer.insert(ProposalAuthor.__table__, authors)
    ctx.writer.insert(ProposalStatusChange.__table__, steps)
    judging.write(ctx, campaign_id, [cid for cid, _w in criteria], ctx.admin_id,
                  [(p.id, p.judged) for p in plans if p.judged])


def _manifest(ctx: Context, big_id: int, old_id: int, plans: list[Plan], old_plans: list[Plan]) -> None:
    judge_id, worker_id = ctx.demo["judge"], ctx.demo["worker"]
    ranked = sum(1 for p in plans if p.status == SCORED)
    pages = max(1, -(-ranked // 50))
    queue = [p.id for p in plans if p.judged and any(m.judge_id == judge_id and m.submitted_at is None
                                                      for m in p.judged.panel)]
    own = [p.id for p in plans if p.proposer.id == worker_id and p.status == SCORED]
    ctx.manifest.update({
        "campaign_id": big_id, "previous_campaign_id": old_id, "ranked_proposals": ranked,
        "ranking_pages": pages, "ranking_deep_page": max(1, round(pages * 0.6)),
        "proposal_id": next((p.id for p in plans if p.status == SCORED and len(p.authors) > 1),
                            next(p.id for p in plans if p.status == SCORED)),
        "worker_proposal_id": own[0], "judge_proposal_id": queue[0],
        "judge_queue": sum(1 for p in plans if p.judged and any(m.judge_id == judge_id for m in p.judged.panel)),
        "judge_pending": len(queue),
    })
    ctx.manifest["counts"]["proposals"] = len(plans) + len(old_plans)
