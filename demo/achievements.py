"""Demo: the city's top ten innovation achievements (全市十大创新成果). The admin designated some of last
year's (with citations) and this year's list is partly filled, so both states show; once (nothing is added
when any designation exists)."""

from __future__ import annotations

from datetime import datetime

from core import clock
from models import User, db
from models.achievements import TopAchievement
from models.proposals import VALID_STATUSES, Proposal
from services.proposals import achievements

CITATIONS = ("工艺改进效果显著，已在全市同行业推广。", "填补企业技术空白，节约成本明显。", None,
             "职工自主创新的典型。", None)


def seed() -> None:
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    if admin is None or db.session.scalar(db.select(TopAchievement.id).limit(1)):
        return
    this_year = clock.today().year
    start = datetime(this_year, 1, 1, tzinfo=clock.SHANGHAI)
    originals = db.select(Proposal).where(Proposal.origin_id.is_(None), Proposal.status.in_(VALID_STATUSES),
                                          Proposal.submitted_at.is_not(None))
    earlier = db.session.scalars(originals.where(Proposal.submitted_at < start)
                                 .order_by(Proposal.score.desc().nulls_last(), Proposal.id).limit(5)).all()
    for position, (proposal, citation) in enumerate(zip(earlier, CITATIONS, strict=False), start=1):
        achievements.designate(admin, proposal, year=this_year - 1, position=position, citation=citation)
    recent = db.session.scalars(originals.where(Proposal.id.not_in([p.id for p in earlier]))
                                .order_by(Proposal.submitted_at.desc(), Proposal.id).limit(2)).all()
    for position, proposal in enumerate(recent, start=1):
        achievements.designate(admin, proposal, year=this_year, position=position)
    db.session.flush()
