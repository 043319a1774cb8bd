"""Craftsman titles in plausible numbers: the yearly rounds of the three default titles in the years
the demo leaves free (晋江工匠 up to 20 a year, 泉州工匠 3, 福建省金牌工人 4), each with nominations
(awarded or rejected after review), final awards with certificate numbers and verification codes,
and the round's final public notice.

The rules of the titles service hold: nominees meet the skill level and years in the trade of the
title; a prefecture title goes only to holders of the city title (a province title to holders of the
prefecture title) awarded in an earlier year; nobody holds the same title twice; a round's awards stay
within its quota.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bench.seed import people, texts
from bench.seed.context import Context, Person
from models import db
from models.notices import NOTICE_FINAL, PublicNotice
from models.skills import level
from models.titles import (
    AWARD_FINAL,
    NOMINATION_AWARDED,
    NOMINATION_REJECTED,
    ROUND_FINAL,
    TITLE_NOTICE_SUBJECT,
    Nomination,
    TitleAward,
    TitleRound,
    TitleType,
)

# title name -> (years before this year, minimum level, minimum years in the trade)
SCHEDULE = {"晋江工匠": (range(7, 2, -1), 4, 5), "泉州工匠": (range(6, 1, -1), 5, 8),
            "福建省金牌工人": (range(5, 1, -1), 5, 10)}


def _years_in_trade(person: Person, on: date) -> int:
    since = person.hired
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day)) if since else 0


def generate(ctx: Context) -> None:
    """Rounds, nominations, awards and notices; a verification code for the manifest."""
    rng = ctx.rng
    types = {t.name: t for t in db.session.scalars(db.select(TitleType))}
    existing = set(db.session.execute(db.select(TitleRound.title_type_id, TitleRound.year)).all())
    held: dict[str, dict[int, int]] = {name: {} for name in SCHEDULE}  # title -> worker -> year awarded
    skilled = [p for p in ctx.participants() if (p.level or 0) >= 4 and p.id not in ctx.demo_ids]
    rounds, nominations, awards, notices = [], [], [], []
    prerequisite = {"泉州工匠": "晋江工匠", "福建省金牌工人": "泉州工匠"}
    for offset in range(7, 1, -1):
        year = ctx.today.year - offset
        for name, (offsets, min_level, min_years) in SCHEDULE.items():
            title = types[name]
            if offset not in offsets or (title.id, year) in existing:
                continue
            deadline = datetime(year, 3, 22, 2, tzinfo=UTC)
            quota = title.yearly_quota
            wanted = max(1, round(quota * min(1.0, 10 * ctx.scale)))
            if name in prerequisite:
                holders = held[prerequisite[name]]
                pool = [ctx.people[w] for w, y in holders.items() if y < year and w not in held[name]]
            else:
                pool = [p for p in rng.sample(skilled, min(len(skilled), 20 * wanted)) if p.id not in held[name]]
            pool = [p for p in pool if (p.level or 0) >= min_level and _years_in_trade(p, deadline.date()) >= min_years]
            if not pool:
                continue
            round_id = ctx.writer.next_id(TitleRound.__table__)
            winners = rng.sample(pool, min(len(pool), wanted))
            losers = [p for p in pool if p not in winners][: max(1, len(winners) // 2)]
            award_day = (deadline + timedelta(days=40)).date()
            for n, person in enumerate(winners + losers, start=1):
                nomination_id = ctx.writer.next_id(Nomination.__table__)
                won = n <= len(winners)
                nominations.append(_nomination(ctx, nomination_id, round_id, person, deadline, min_level, min_years,
                                               won))
                if won:
                    awards.append({
                        "title_type_id": title.id, "worker_id": person.id, "round_id": round_id,
                        "nomination_id": nomination_id, "enterprise_id": person.enterprise_id,
                        "certificate_no": f"JX-{year}-{title.id:02d}-{n:04d}",
                        "verification_code": people.token(rng, 18), "award_date": award_day, "valid_until": None,
                        "citation": rng.choice(texts.CITATIONS), "status": AWARD_FINAL, "awarded_by_id": ctx.admin_id,
                        "created_at": deadline + timedelta(days=10)})
                    held[name][person.id] = year
            rounds.append({"id": round_id, "title_type_id": title.id, "year": year, "deadline": deadline,
                           "quota": quota, "awarded_count": len(winners), "status": ROUND_FINAL,
                           "opened_by_id": ctx.admin_id, "created_at": deadline - timedelta(days=30)})
            published = deadline + timedelta(days=21)
            notices.append({"subject_type": TITLE_NOTICE_SUBJECT, "subject_id": round_id,
                            "title": f"{year}年度“{name}”拟授予名单公示", "status": NOTICE_FINAL,
                            "published_at": published, "ends_at": published + timedelta(days=9),
                            "published_by_id": ctx.admin_id, "finalised_at": published + timedelta(days=19),
                            "finalised_by_id": ctx.admin_id})
    ctx.writer.insert(TitleRound.__table__, rounds)
    ctx.writer.insert(Nomination.__table__, nominations)
    ctx.writer.insert(TitleAward.__table__, awards)
    ctx.writer.insert(PublicNotice.__table__, notices)
    ctx.manifest["title_round_id"] = rounds[0]["id"] if rounds else None
    ctx.manifest["verification_code"] = awards[-1]["verification_code"] if awards else None
    ctx.manifest["counts"]["title_awards"] = len(awards)


def _nomination(ctx: Context, nomination_id: int, round_id: int, person: Person, deadline: datetime,
                min_level: int, min_years: int, won: bool) -> dict:
    """A nomination with the evidence snapshot the titles service takes (rules met, figures)."""
    rng = ctx.rng
    years = _years_in_trade(person, deadline.date())
    rules = [
        {"code": "skill_or_competition", "label": "技能等级或竞赛名次", "met": True,
         "detail": f"职业技能等级 {level(min_level)} 及以上（现为 {level(person.level)}）"},
        {"code": "years_in_trade", "label": "工种年限", "met": True,
         "detail": f"从事本工种满 {min_years} 年（现为 {years} 年）"},
    ]
    created = deadline - timedelta(days=rng.randint(3, 25))
    hr_id = ctx.companies[person.enterprise_id].hr_id
    return {
        "id": nomination_id, "round_id": round_id, "worker_id": person.id, "enterprise_id": person.enterprise_id,
        "nominated_by_id": hr_id, "citation": rng.choice(texts.CITATIONS),
        "status": NOMINATION_AWARDED if won else NOMINATION_REJECTED,
        "evidence": {"rules": rules, "skill_level": person.level, "years_in_trade": years, "adopted_proposals": 0,
                     "verified_savings": "0.00", "completed_pairs": 0, "placings": []},
        "evidence_score": (person.level or 0) * 100 + 19 * 10 + years,
        "review_note": "事迹属实，条件符合。" if won else "名额有限，本年度未入选。",
        "reviewed_by_id": ctx.admin_id, "reviewed_at": deadline + timedelta(days=5), "created_at": created,
    }
