"""Eligibility for a title: each configured rule of a title type checked against a worker's evidence.

The rules (docs/domain.md, "Titles"), each applied only where the title type sets it:
- skill level at least `min_skill_level` OR a place within `competition_top_n` in a competition of
  at least `competition_min_level` during the last `competition_within_years` years (a top-three prize
  of a contest above the city recorded as 上级成绩 is such a place: services.titles.evidence.best_placing);
- at least `min_years_in_trade` whole years in the trade;
- at least `min_adopted_proposals` adopted proposals with verified savings of at least
  `min_verified_savings` yuan in total;
- at least `min_completed_pairs` completed mentor pairs as mentor;
- the prerequisite title held, final (after public notice) and not revoked;
- training (services.training.evidence): at least `training_min_hours` hours within
  `training_hours_years` years, and a completed programme of kind `training_programme_kind` within
  `training_programme_years` years.
The evidence is never typed in: it comes from the platform's records (services.titles.evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models.honours import HIGHER_PRIZE_LABELS
from models.skills import level
from models.titles import AWARD_FINAL, TitleType
from models.vocabulary import LEVEL_LABELS
from services.common.i18n import Deferred, as_deferred, deferred
from services.titles.evidence import Evidence
from services.training import evidence as training_evidence


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict: a stable `code`, its `label`, whether it is `met`, and a `detail` to show.

    `label` and `detail` are Deferred: kept with a nomination and shown in the reader's language."""

    code: str
    label: Deferred
    met: bool
    detail: Deferred

    def as_json(self) -> dict:
        return {"code": self.code, "label": self.label.as_json(), "met": self.met, "detail": self.detail.as_json()}


def evaluate(title_type: TitleType, worker_evidence: Evidence) -> list[RuleResult]:
    """Every configured rule of `title_type` with whether `worker_evidence` meets it and why."""
    checks = (_skill_or_competition, _years_in_trade, _proposals, _mentoring, _prerequisite)
    results = (check(title_type, worker_evidence) for check in checks)
    return [result for result in results if result is not None] + _training(title_type, worker_evidence)


def unmet(results: list[RuleResult]) -> list[RuleResult]:
    """The rules of `results` that are not met (an empty list: eligible)."""
    return [r for r in results if not r.met]


def evidence_record(worker_evidence: Evidence, results: list[RuleResult]) -> dict:
    """The evidence and verdicts as plain JSON data, kept with a nomination as of its submission."""
    ev = worker_evidence
    return {"rules": [r.as_json() for r in results], "skill_level": ev.skill_level,
            "years_in_trade": ev.years_in_trade, "adopted_proposals": ev.adopted_proposals,
            "verified_savings": str(ev.verified_savings), "completed_pairs": ev.completed_pairs,
            "placings": [{"name": p.name, "level": p.level, "held_on": p.held_on.isoformat(), "rank": p.rank,
                          "prize": p.prize} for p in ev.placings],
            "higher_results": [{"level": h.level, "contest": h.contest, "prize": h.prize, "on": h.on.isoformat(),
                                "proposal": h.proposal_title} for h in ev.higher_results],
            "training": ev.training.as_json(ev.day)}


def _skill_or_competition(title_type: TitleType, ev: Evidence) -> RuleResult | None:
    if title_type.min_skill_level is None and not title_type.competition_top_n:
        return None
    parts, met = [], False
    if title_type.min_skill_level is not None:
        met = ev.skill_level is not None and ev.skill_level >= title_type.min_skill_level
        now = level(ev.skill_level)
        parts.append(deferred("职业技能等级 %(need)s 及以上（现为 %(now)s）",
                              need=as_deferred(level(title_type.min_skill_level).label),
                              now=as_deferred(now.label) if now else "—"))
    if title_type.competition_top_n:
        best = ev.best_placing(title_type.competition_top_n, title_type.competition_min_level,
                               title_type.competition_within_years)
        met = met or best is not None
        if best is None:
            found = deferred("无")
        elif best.competition_id is None:  # a prize of a contest above the city (上级成绩)
            found = deferred("%(name)s（%(level)s）%(prize)s", level=as_deferred(LEVEL_LABELS[best.level]),
                             name=best.name, prize=as_deferred(HIGHER_PRIZE_LABELS[best.prize]))
        else:
            found = deferred("%(name)s 第 %(rank)d 名", name=best.name, rank=best.rank)
        parts.append(deferred("近 %(years)d 年%(level)s及以上竞赛前 %(n)d 名（%(found)s）",
                              years=title_type.competition_within_years,
                              level=as_deferred(LEVEL_LABELS[title_type.competition_min_level]),
                              n=title_type.competition_top_n, found=found))
    detail = deferred("%(first)s或%(second)s", first=parts[0], second=parts[1]) if len(parts) > 1 else parts[0]
    return RuleResult("skill_or_competition", deferred("技能等级或竞赛名次"), met, detail)


def _years_in_trade(title_type: TitleType, ev: Evidence) -> RuleResult | None:
    if not title_type.min_years_in_trade:
        return None
    return RuleResult(
        "years_in_trade", deferred("工种年限"), ev.years_in_trade >= title_type.min_years_in_trade,
        deferred("从事本工种满 %(need)d 年（现为 %(now)d 年）", need=title_type.min_years_in_trade,
                 now=ev.years_in_trade))


def _proposals(title_type: TitleType, ev: Evidence) -> RuleResult | None:
    if not title_type.min_adopted_proposals:
        return None
    need_savings = title_type.min_verified_savings or Decimal(0)
    met = ev.adopted_proposals >= title_type.min_adopted_proposals and ev.verified_savings >= need_savings
    return RuleResult(
        "proposals", deferred("五小创新成果"), met,
        deferred("采纳并核实节约的提案至少 %(n)d 项、核实节约至少 %(s)s 元（现为 %(have)d 项、%(saved)s 元）",
                 n=title_type.min_adopted_proposals, s=str(need_savings), have=ev.adopted_proposals,
                 saved=str(ev.verified_savings)))


def _mentoring(title_type: TitleType, ev: Evidence) -> RuleResult | None:
    if not title_type.min_completed_pairs:
        return None
    return RuleResult(
        "mentoring", deferred("带徒成果"), ev.completed_pairs >= title_type.min_completed_pairs,
        deferred("作为师傅完成带徒至少 %(n)d 对（现为 %(have)d 对）", n=title_type.min_completed_pairs,
                 have=ev.completed_pairs))


def _prerequisite(title_type: TitleType, ev: Evidence) -> RuleResult | None:
    if not title_type.prerequisite_id:
        return None
    held = ev.titles.get(title_type.prerequisite_id) == AWARD_FINAL
    return RuleResult("prerequisite", deferred("前置称号"), held,
                      deferred("须已获得“%(name)s”称号", name=as_deferred(title_type.prerequisite.label)))


def _training(title_type: TitleType, ev: Evidence) -> list[RuleResult]:
    """The training rules the title type sets (services.training.evidence.check), as of the evidence's day."""
    verdicts = training_evidence.check(title_type, ev.training, ev.day)
    return [RuleResult(v.code, v.label, v.met, v.detail) for v in verdicts]
