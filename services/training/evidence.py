"""Training as evidence (培训作为评选依据): what the platform knows about a person's training, and the two
training rule kinds a title type's eligibility rules or the mentoring settings' mentor rule may set
(models.training.TrainingRequirement, data like the other rules):

- "training hours": at least `training_min_hours` hours attended (TrainingAttendance.hours, under any
  employer) in classes that started within the last `training_hours_years` years (blank: ever) before the
  day the evidence is taken as of;
- "completed programme": a programme of kind `training_programme_kind` (e.g. team_leader) completed, its
  certificate not revoked, within the last `training_programme_years` years (blank: ever).

`collect(worker_ids)` reads the evidence of any number of workers in two queries (one per source:
attendance, completions); `check(requirement, evidence, day)` answers each configured rule with whether
it is met and a detail to show. services.titles.eligibility and services.mentorship.pairing use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core import clock
from core.l10n import lazy_gettext as _l
from models import db
from models.training import PROGRAMME_KINDS, TrainingAttendance, TrainingClass, TrainingEnrolment, TrainingProgramme
from services.common.i18n import Deferred, as_deferred, deferred
from services.errors import RuleViolation
from services.training import programmes


@dataclass(frozen=True)
class Completion:
    """A completed programme: its name, kind and the day it was completed (Asia/Shanghai)."""

    name: str
    kind: str
    on: date


@dataclass
class TrainingEvidence:
    """One worker's training: hours attended per class day, and completed programmes (newest first)."""

    attended: list[tuple[date, Decimal]] = field(default_factory=list)
    completions: list[Completion] = field(default_factory=list)

    def hours_within(self, years: int | None, day: date) -> Decimal:
        """Hours of classes held on or before `day` and, with `years`, within that many years before it."""
        since = years_before(day, years) if years else date.min
        return sum((hours for on, hours in self.attended if since <= on <= day), Decimal("0.0"))

    def completion_within(self, kind: str, years: int | None, day: date) -> Completion | None:
        """The latest completed programme of `kind` on or before `day`, within `years` years before it."""
        since = years_before(day, years) if years else date.min
        return next((c for c in self.completions if c.kind == kind and since <= c.on <= day), None)

    def as_json(self, day: date) -> dict:
        """Hours and completions up to `day`, as plain JSON data (kept with a nomination)."""
        return {"hours": str(self.hours_within(None, day)),
                "completions": [{"name": c.name, "kind": c.kind, "on": c.on.isoformat()}
                                for c in self.completions if c.on <= day]}


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def collect(worker_ids) -> dict[int, TrainingEvidence]:
    """The training evidence of each worker id: two queries whatever the number of workers."""
    ids = list(dict.fromkeys(worker_ids))
    result = {worker_id: TrainingEvidence() for worker_id in ids}
    if not ids:
        return result
    for worker_id, starts_at, hours in db.session.execute(
            select(TrainingAttendance.worker_id, TrainingClass.starts_at, TrainingAttendance.hours)
            .join(TrainingClass, TrainingClass.id == TrainingAttendance.class_id)
            .where(TrainingAttendance.worker_id.in_(ids), TrainingAttendance.hours > 0)):
        result[worker_id].attended.append((starts_at.astimezone(clock.SHANGHAI).date(), Decimal(hours)))
    for worker_id, name, kind, completed_at in db.session.execute(
            select(TrainingEnrolment.worker_id, TrainingProgramme.name, TrainingProgramme.kind,
                   TrainingEnrolment.completed_at)
            .join(TrainingProgramme, TrainingProgramme.id == TrainingEnrolment.programme_id)
            .where(TrainingEnrolment.worker_id.in_(ids), TrainingEnrolment.completed_at.is_not(None),
                   TrainingEnrolment.certificate_revoked_at.is_(None))
            .order_by(TrainingEnrolment.completed_at.desc())):
        result[worker_id].completions.append(Completion(name, kind, completed_at.astimezone(clock.SHANGHAI).date()))
    return result


def evidence_for(worker_id: int) -> TrainingEvidence:
    return collect([worker_id])[worker_id]


@dataclass(frozen=True)
class TrainingVerdict:
    """One training rule's verdict: a stable code, its label, met or not, and the detail (Deferred)."""

    code: str
    label: Deferred
    met: bool
    detail: Deferred


def _within(years: int | None) -> Deferred:
    return deferred("近 %(years)d 年", years=years) if years else deferred("累计")


def check(requirement, ev: TrainingEvidence, day: date | None = None) -> list[TrainingVerdict]:
    """Each training rule `requirement` (a title type or the mentoring settings) sets, answered for `ev`
    as of `day` (None: today, Asia/Shanghai). Rules that are not set are left out."""
    day = day or clock.today()
    verdicts = []
    if requirement.training_min_hours:
        need = Decimal(requirement.training_min_hours)
        have = ev.hours_within(requirement.training_hours_years, day)
        verdicts.append(TrainingVerdict(
            "training_hours", deferred("培训学时"), have >= need,
            deferred("%(within)s培训至少 %(need)s 学时（现为 %(have)s 学时）",
                     within=_within(requirement.training_hours_years), need=str(need), have=str(have))))
    kind = requirement.training_programme_kind
    if kind:
        found = ev.completion_within(kind, requirement.training_programme_years, day)
        seen = deferred("%(name)s，%(on)s 结业", name=found.name, on=found.on.isoformat()) if found else deferred("无")
        verdicts.append(TrainingVerdict(
            "training_programme", deferred("培训结业"), found is not None,
            deferred("%(within)s完成“%(kind)s”类培训并结业（%(found)s）", within=_within(
                requirement.training_programme_years), kind=as_deferred(PROGRAMME_KINDS.get(kind, kind)),
                found=seen)))
    return verdicts


def check_requirement_data(data) -> None:
    """The training rules of a form's data are complete and in range (RuleViolation on the field):
    hours 0.5-10000 with years 1-50 or blank; a known programme kind with years 1-50 or blank."""
    if data.training_min_hours is not None and not Decimal("0.5") <= Decimal(data.training_min_hours) <= 10000:
        raise RuleViolation(_l("培训学时应在 0.5 到 10000 之间。"), field="training_min_hours")
    for years_field in ("training_hours_years", "training_programme_years"):
        if (years := getattr(data, years_field)) is not None and not 1 <= years <= 50:
            raise RuleViolation(_l("年限应在 1 到 50 年之间（空为不限）。"), field=years_field)
    if data.training_programme_kind:
        programmes.check_kind(data.training_programme_kind, "training_programme_kind")

