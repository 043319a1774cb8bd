"""What the yearly report counts that the other parts leave out: results at higher levels (上级成绩, models/
honours.py) and revoked titles.

- Higher results (services/honours/results.py): the city recommends last year's prize-winning proposals
  (a proposal that passed screening) and the top competitors of its big final (active workers) to the
  prefecture's and the province's contests, once per subject and contest, after its own results; most
  results are in, each with a prize (or "none") and an evidence file, the rest still awaited.
- Revoked titles (services/titles/awards.py revoke_award): a few final awards revoked by an admin with a
  reason, none that a later title builds on and not the one the manifest verifies.

Own random source, so every row of the other parts stays as it was.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, func, update

from bench.seed.context import Context
from models import StoredFile, db
from models.competitions import CompetitionRegistration, CompetitionResult
from models.honours import HigherResult
from models.proposals import Proposal
from models.titles import AWARD_FINAL, AWARD_REVOKED, TitleAward

PROPOSALS, COMPETITORS, REVOKED = 40, 12, 4
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PROPOSAL_PRIZES = (("first", 5), ("second", 15), ("third", 30), ("honourable", 25), ("none", 25))
COMPETITOR_PRIZES = (("gold", 10), ("silver", 20), ("bronze", 30), ("none", 40))
REASON = "经复核，获评时申报的技能竞赛成绩与事实不符，依规撤销称号。"


def generate(ctx: Context) -> None:
    shared, ctx.rng = ctx.rng, random.Random(f"honours-{ctx.manifest.get('seed', 0)}")
    try:
        rows = _proposals(ctx) + _competitors(ctx)
        files = []
        root = Path(current_app.config["UPLOAD_FOLDER"])
        for row in rows:
            if row["prize"] is not None:
                row["evidence_file_id"] = ctx.writer.next_id(StoredFile.__table__)
                files.append(_evidence(ctx, row["evidence_file_id"], row["result_on"], root))
        ctx.writer.insert(StoredFile.__table__, files)
        ctx.writer.insert(HigherResult.__table__, rows)
        ctx.manifest["counts"].update(higher_results=len(rows), titles_revoked=_revoke(ctx))
    finally:
        ctx.rng = shared


def _row(ctx: Context, level: str, contest: str, recommended, enterprise_id, prizes, **subject) -> dict:
    rng = ctx.rng
    result_on = recommended + timedelta(days=rng.randint(30, 150))
    decided = result_on <= ctx.today and rng.random() < 0.85
    return {"level": level, "contest": contest, "proposal_id": None, "person_id": None, **subject,
            "enterprise_id": enterprise_id, "recommended_on": recommended,
            "prize": rng.choices(*zip(*prizes, strict=True))[0] if decided else None,
            "result_on": result_on if decided else None, "evidence_file_id": None, "recorded_by_id": ctx.admin_id,
            "recorded_at": datetime.combine(recommended, time(2), tzinfo=UTC),
            "result_by_id": ctx.admin_id if decided else None}


def _proposals(ctx: Context) -> list[dict]:
    """Last year's prize-winning proposals: the best to the prefecture, the best of those to the province."""
    rng = ctx.rng
    winners = db.session.execute(db.select(Proposal.id, Proposal.enterprise_id).where(
        Proposal.campaign_id == ctx.manifest["previous_campaign_id"], Proposal.prize.is_not(None))
        .order_by(Proposal.rank, Proposal.id).limit(ctx.n(PROPOSALS, 4))).all()
    year = ctx.today.year - 1
    rows = []
    for place, (proposal_id, enterprise_id) in enumerate(winners):
        day = ctx.today - timedelta(days=rng.randint(200, 300))
        rows.append(_row(ctx, "prefecture", f"{year}年泉州市职工五小创新成果评选", day, enterprise_id,
                         PROPOSAL_PRIZES, proposal_id=proposal_id))
        if place < len(winners) // 4 or place == 0:
            rows.append(_row(ctx, "province", f"{year}年福建省职工五小创新成果评选", day + timedelta(days=40),
                             enterprise_id, PROPOSAL_PRIZES, proposal_id=proposal_id))
    return rows


def _competitors(ctx: Context) -> list[dict]:
    """The top of the city's big final (held about two months ago) to the province's contest."""
    rng = ctx.rng
    top = db.session.execute(db.select(CompetitionRegistration.worker_id, CompetitionRegistration.enterprise_id)
                             .join(CompetitionResult, CompetitionResult.registration_id == CompetitionRegistration.id)
                             .where(CompetitionResult.competition_id == ctx.manifest["competition_id"])
                             .order_by(CompetitionResult.rank, CompetitionResult.id)
                             .limit(ctx.n(COMPETITORS, 3))).all()
    active = {p.id for p in ctx.participants()}
    day = ctx.today - timedelta(days=rng.randint(20, 40))
    return [_row(ctx, "province", f"{ctx.today.year}年福建省职业技能大赛（鞋服类）", day, enterprise_id,
                 COMPETITOR_PRIZES, person_id=worker_id)
            for worker_id, enterprise_id in top if worker_id in active]


def _evidence(ctx: Context, file_id: int, day, root: Path) -> dict:
    key = f"{ctx.rng.getrandbits(128):032x}"
    path = root / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    return {"id": file_id, "storage_key": key, "original_name": "获奖证书.pdf", "kind": "pdf",
            "content_type": "application/pdf", "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest(),
            "uploaded_by_id": ctx.admin_id, "uploaded_at": datetime.combine(day, time(3), tzinfo=UTC)}


def _revoke(ctx: Context) -> int:
    """A few final titles revoked (a holder's only title, so that no later title rests on it)."""
    only = (db.select(TitleAward.worker_id).group_by(TitleAward.worker_id).having(func.count() == 1))
    candidates = list(db.session.execute(db.select(TitleAward.id, TitleAward.award_date).where(
        TitleAward.status == AWARD_FINAL, TitleAward.worker_id.in_(only),
        TitleAward.verification_code != ctx.manifest.get("verification_code", "")).order_by(TitleAward.id)))
    chosen = ctx.rng.sample(candidates, min(len(candidates), ctx.n(REVOKED, 1)))
    rows = [{"award_id": award_id, "revoked_at": min(datetime.combine(
        awarded + timedelta(days=ctx.rng.randint(60, 300)), time(3), tzinfo=UTC), ctx.now - timedelta(days=1)),
        "reason": REASON} for award_id, awarded in chosen]
    if rows:
        table = TitleAward.__table__
        db.session.execute(update(table).where(table.c.id == bindparam("award_id")).values(
            status=AWARD_REVOKED, revoked_at=bindparam("revoked_at"), revoked_reason=bindparam("reason"),
            revoked_by_id=ctx.admin_id).execution_options(synchronize_session=False), rows)
    return len(rows)
