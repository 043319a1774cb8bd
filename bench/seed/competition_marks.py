"""Panels, marks and results of generated competitions, computed with the app's own arithmetic
(services.common.scoring) and rules (docs/domain.md, "Competitions"):

- practical judges hold the judge role and at least the competition's level (技师) and never mark a
  competitor of their own enterprise; each competitor is marked by 3-5 judges of the panel;
- a judge's practical score = weighted_total(item marks x item weights, scale 100); the practical mark
  is the trimmed_mean over judges; total = theory x 30% + practical x 70% (weighted_total, scale 100);
- the ranking is total descending, then practical descending, equal on both = shared rank, and each
  result's position is its place in that order, then by competitor number (services.competitions.
  standings); prizes and honours follow the prize table; at finalisation every competitor gets a
  certificate and the top N below 技师 are recommended for one level up.
Competitions in scoring have part of their marks (the demo judge has a third of his queue done);
open and draft ones have none. Every mark's first entry is in the mark history.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from bench.seed import people
from bench.seed.context import Context, Person
from models.competitions import (
    CONFIRMED,
    FINAL,
    NOTICE_SUBJECT,
    NOTICED,
    PROMOTION_RECOMMENDED,
    SCORING,
    SIGNED_OFF,
    CompetitionCertificate,
    CompetitionJudge,
    CompetitionMarkChange,
    CompetitionPracticalMark,
    CompetitionPromotion,
    CompetitionResult,
    CompetitionTheoryMark,
)
from models.notices import NOTICE_FINAL, NOTICE_OPEN, PublicNotice
from models.skills import TECHNICIAN
from services.common import scoring

MARKED = (SCORING, SIGNED_OFF, NOTICED, FINAL)
RESULTS = (SIGNED_OFF, NOTICED, FINAL)


def _two(value: float) -> Decimal:
    return Decimal(f"{min(100.0, max(0.0, value)):.2f}")


def _at(day, hour: int = 2) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def generate(ctx: Context, specs, registrations: list[dict]) -> None:
    """Panels, marks, results, certificates, promotion recommendations and notices of `specs`."""
    by_competition: dict[int, list[dict]] = {}
    for row in registrations:
        if row["status"] == CONFIRMED:
            by_competition.setdefault(row["competition_id"], []).append(row)
    writer = ctx.writer
    out = {name: [] for name in ("judges", "theory", "practical", "changes", "results", "certificates",
                                 "promotions", "notices")}
    for spec in specs:
        if spec.status not in MARKED:
            continue
        entries = sorted(by_competition.get(spec.id, []), key=lambda r: r["competitor_no"])
        panel = _panel(ctx, spec, out["judges"])
        lines = _mark(ctx, spec, entries, panel, out)
        if spec.status in RESULTS:
            _results(ctx, spec, lines, out)
    writer.insert(CompetitionJudge.__table__, out["judges"])
    writer.insert(CompetitionTheoryMark.__table__, out["theory"])
    writer.insert(CompetitionPracticalMark.__table__, out["practical"])
    writer.insert(CompetitionMarkChange.__table__, out["changes"])
    writer.insert(CompetitionResult.__table__, out["results"])
    writer.insert(CompetitionCertificate.__table__, out["certificates"])
    writer.insert(CompetitionPromotion.__table__, out["promotions"])
    writer.insert(PublicNotice.__table__, out["notices"])


def _panel(ctx: Context, spec, rows: list[dict]) -> list[Person]:
    """The practical judges: qualified judges (level 技师 or above); the demo judge on the scoring one."""
    panel = ctx.rng.sample(_qualified(ctx), min(len(_qualified(ctx)), spec.panel))
    if spec.status == SCORING:
        panel = [ctx.people[ctx.demo["judge"]], *panel[:4]]
    for judge in panel:
        _seat(ctx, spec, judge, rows)
    return panel


def _qualified(ctx: Context) -> list[Person]:
    return [p for p in ctx.judges if (p.level or 0) >= 4 and p.id != ctx.demo["judge"]]


def _seat(ctx: Context, spec, judge: Person, rows: list[dict]) -> None:
    rows.append({"competition_id": spec.id, "judge_id": judge.id, "assigned_by_id": ctx.admin_id,
                 "assigned_at": spec.opens + timedelta(days=3)})


def _free_judges(ctx: Context, spec, panel: list[Person], entry: dict, rows: list[dict]) -> list[Person]:
    """The panel's judges who may mark `entry` (not its enterprise, not the entrant); when fewer than
    three, the union adds qualified judges to the panel so that the entry can be signed off."""
    free = [j for j in panel if j.enterprise_id != entry["enterprise_id"] and j.id != entry["worker_id"]]
    if len(free) < 3 and spec.status != SCORING:
        seated = {j.id for j in panel}
        for judge in _qualified(ctx):
            if len(free) >= 3:
                break
            if judge.id not in seated and judge.enterprise_id != entry["enterprise_id"]:
                panel.append(judge)
                _seat(ctx, spec, judge, rows)
                free.append(judge)
    return free


def _mark(ctx: Context, spec, entries: list[dict], panel: list[Person], out) -> list[tuple]:
    """Theory and practical marks; returns (registration, theory, practical, judges) per complete entry."""
    rng = ctx.rng
    weights = [w for _n, w in spec.items]
    day = spec.held_on
    scoring_now = spec.status == SCORING
    demo_judge = ctx.demo["judge"]
    lines = []
    for index, entry in enumerate(entries):
        ability = rng.gauss(85 if entry["worker_id"] == ctx.demo["worker"] else 72, 9)
        theory = _two(rng.gauss(ability, 8))
        if not scoring_now or rng.random() < 0.85:
            out["theory"].append({"registration_id": entry["id"], "mark": theory, "entered_by_id": ctx.admin_id,
                                  "updated_at": _at(day, 9)})
            out["changes"].append({"registration_id": entry["id"], "part": "theory", "judge_id": None,
                                   "item_id": None, "old_mark": None, "new_mark": theory,
                                   "changed_by_id": ctx.admin_id, "changed_at": _at(day, 9)})
        free = _free_judges(ctx, spec, panel, entry, out["judges"])
        if scoring_now:
            others = [j for j in free if j.id != demo_judge]
            judges = rng.sample(others, min(3, len(others))) if rng.random() < 0.8 else []
            if any(j.id == demo_judge for j in free):
                if index % 3 == 0:
                    judges.append(ctx.people[demo_judge])
                else:
                    ctx.manifest.setdefault("judge_registration_id", entry["id"])
        else:
            judges = rng.sample(free, min(len(free), rng.choice((3, 3, 4, 5))))
        scores = []
        for judge in judges:
            marks = [_two(rng.gauss(ability + rng.gauss(0, 3), 4)) for _ in weights]
            at = _at(day, rng.randint(3, 9))
            for item_id, mark in zip(spec.item_ids, marks, strict=True):
                out["practical"].append({"registration_id": entry["id"], "judge_id": judge.id, "item_id": item_id,
                                         "mark": mark, "updated_at": at})
                out["changes"].append({"registration_id": entry["id"], "part": "practical", "judge_id": judge.id,
                                       "item_id": item_id, "old_mark": None, "new_mark": mark,
                                       "changed_by_id": judge.id, "changed_at": at})
            scores.append(scoring.weighted_total(zip(marks, weights, strict=True), 100))
        if not scoring_now:
            practical = scoring.trimmed_mean(scores)
            total = scoring.weighted_total([(theory, 30), (practical, 70)], 100)
            lines.append((entry, theory, practical, total, len(scores)))
    return lines


def _results(ctx: Context, spec, lines: list[tuple], out) -> None:
    """Ranks by (total, practical) with shared ranks, prizes by the table; certificates and promotion
    recommendations once final; the public notice (open while noticed, final after)."""
    ordered = sorted(lines, key=lambda line: (-line[3], -line[2], line[0]["competitor_no"]))
    ranks = scoring.competition_ranks([(line[3], line[2]) for line in ordered])
    signed = _at(spec.held_on + timedelta(days=7), 4)
    final_at = signed + timedelta(days=12)
    for position, ((entry, theory, practical, total, judges), rank) in enumerate(zip(ordered, ranks, strict=True),
                                                                                start=1):
        tier = next((t for t in spec.tiers if t[0] <= rank <= t[1]), None)
        out["results"].append({"competition_id": spec.id, "registration_id": entry["id"], "theory": theory,
                               "practical": practical, "total": total, "judges": judges, "rank": rank,
                               "position": position, "prize": tier[2] if tier else None,
                               "honour": tier[3] if tier else None})
        if spec.status != FINAL:
            continue
        out["certificates"].append({"registration_id": entry["id"], "worker_id": entry["worker_id"],
                                    "kind": "prize" if tier else "participation", "code": people.token(ctx.rng, 12),
                                    "issued_at": final_at, "revoked_at": None, "revoke_reason": None})
        current = ctx.people[entry["worker_id"]].level
        if spec.promote_top_n and rank <= spec.promote_top_n and (current or 0) < TECHNICIAN:
            out["promotions"].append({
                "registration_id": entry["id"], "worker_id": entry["worker_id"],
                "enterprise_id": entry["enterprise_id"],
                "from_level": current, "to_level": current + 1 if current is not None else 1,
                "status": PROMOTION_RECOMMENDED, "created_at": final_at})
    if spec.status in (NOTICED, FINAL):
        published = signed + timedelta(days=1)
        final = spec.status == FINAL
        out["notices"].append({
            "subject_type": NOTICE_SUBJECT, "subject_id": spec.id, "title": f"{spec.name} 成绩公示",
            "status": NOTICE_FINAL if final else NOTICE_OPEN, "published_at": published,
            "ends_at": published + timedelta(days=9) if final else ctx.now + timedelta(days=5),
            "published_by_id": ctx.admin_id, "finalised_at": final_at if final else None,
            "finalised_by_id": ctx.admin_id if final else None})
