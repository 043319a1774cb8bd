"""The seed's shared state: the scale, a seeded random source, the moment it runs, the writer, and
what the area modules made so far (ids, people, the manifest the harness reads)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bench.seed.bulk import Writer
from core import clock


@dataclass(slots=True)
class Person:
    """A generated (or demo) person, as the area modules need them: no ORM object, a few fields."""

    id: int
    enterprise_id: int | None
    trade_id: int | None
    level: int | None
    birth: date | None
    hired: date | None
    active: bool = True
    name: str = ""


@dataclass(slots=True)
class Company:
    """A generated (or demo) enterprise."""

    id: int
    industry: str
    town_id: int
    active: bool
    hr_id: int | None = None


@dataclass(slots=True)
class SkillEvent:
    """One entry of a person's skill history, written at the end (so areas can add their own)."""

    day: date
    level: int
    reason: str
    previous: int | None = None
    source: tuple[str, int] | None = None
    row_id: int | None = None  # preallocated when another row points at it (a mentor assessment)
    note: str | None = None


@dataclass
class Context:
    """Everything an area module's `generate(ctx)` reads and adds to."""

    scale: float
    rng: random.Random
    writer: Writer
    now: datetime = field(default_factory=clock.now)
    demo: dict[str, int] = field(default_factory=dict)  # demo username -> user id
    demo_enterprises: dict[str, int] = field(default_factory=dict)  # "A" / "B" -> enterprise id
    demo_ids: set[int] = field(default_factory=set)  # people the demo seed made (their data is left alone)
    issued: dict[tuple[int, bool], int] = field(default_factory=dict)  # employee numbers given per enterprise
    towns: list[int] = field(default_factory=list)
    trades: dict[str, int] = field(default_factory=dict)  # trade name -> id
    companies: dict[int, Company] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    staff: dict[int, list[Person]] = field(default_factory=dict)  # enterprise id -> active workers
    judges: list[Person] = field(default_factory=list)
    history: dict[int, list[SkillEvent]] = field(default_factory=dict)
    audit_objects: dict[str, list[tuple[int, int | None]]] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)

    @property
    def admin_id(self) -> int:
        return self.demo["admin"]

    @property
    def today(self) -> date:
        return clock.today()

    def n(self, full: int, minimum: int = 1) -> int:
        """`full` (the count at scale 1.0) at this run's scale, never below `minimum`."""
        return max(minimum, round(full * self.scale))

    def moment(self, start: datetime, end: datetime) -> datetime:
        """A random moment in [start, end)."""
        span = (end - start).total_seconds()
        return start + timedelta(seconds=self.rng.random() * max(span, 1))

    def day_between(self, start: date, end: date) -> date:
        """A random day in [start, end]."""
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def participants(self) -> list[Person]:
        """Active workers of active enterprises, in id order."""
        return [p for people in self.staff.values() for p in people]

    def remember(self, kind: str, object_id: int, enterprise_id: int | None) -> None:
        """Note an object the audit log may name (kept to a sample, enough for realistic rows)."""
        bucket = self.audit_objects.setdefault(kind, [])
        if len(bucket) < 20000:
            bucket.append((object_id, enterprise_id))
        elif self.rng.random() < 0.05:
            bucket[self.rng.randrange(len(bucket))] = (object_id, enterprise_id)
