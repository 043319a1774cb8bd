"""factory_boy factories of the training area (models/training.py). Helpers that walk a programme through
its states with the real services belong beside the services' tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory

from core import clock
from models.training import (
    BY_QR,
    CONFIRMED,
    PRESENT,
    PUBLISHED,
    TEAM_LEADER,
    TrainingAttendance,
    TrainingClass,
    TrainingEnrolment,
    TrainingProgramme,
)
from tests.factories import BaseFactory


class ProgrammeFactory(BaseFactory):
    """A published city programme whose enrolment window runs around the current clock."""

    class Meta:
        model = TrainingProgramme

    name = factory.Sequence(lambda n: f"班组长能力提升培训{n}")
    kind = TEAM_LEADER
    description = "面向一线班组长的管理能力培训"
    owner_level = "city"
    capacity = 30
    seats_taken = 0
    self_enrol = True
    enrol_opens_at = factory.LazyFunction(lambda: clock.now() - timedelta(days=1))
    enrol_closes_at = factory.LazyFunction(lambda: clock.now() + timedelta(days=7))
    starts_on = factory.LazyFunction(lambda: clock.today() + timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: clock.today() + timedelta(days=20))
    budget = Decimal("20000.00")
    funding_source = "union"
    completion_percent = 80
    assessment_required = True
    status = PUBLISHED


class ClassFactory(BaseFactory):
    """A four-hour class of `programme` ten days from now."""

    class Meta:
        model = TrainingClass

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"第{n}讲")
    starts_at = factory.LazyFunction(lambda: clock.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=4))
    place = "晋江市职工技能实训基地 201 室"
    hours = Decimal("4.0")
    trainer = "王老师"
    capacity = 40


class EnrolmentFactory(BaseFactory):
    """A confirmed enrolment of `worker` (required) in `programme`; does not move the seat counter."""

    class Meta:
        model = TrainingEnrolment

    programme = factory.SubFactory(ProgrammeFactory)
    worker = None
    enterprise_id = factory.LazyAttribute(lambda o: o.worker.enterprise_id)
    status = CONFIRMED
    confirmed_at = factory.LazyFunction(clock.now)


class AttendanceFactory(BaseFactory):
    """`enrolment`'s worker present at `training_class` with the class's hours."""

    class Meta:
        model = TrainingAttendance

    training_class = None
    enrolment = None
    class_id = factory.LazyAttribute(lambda o: o.training_class.id)
    programme_id = factory.LazyAttribute(lambda o: o.training_class.programme_id)
    enrolment_id = factory.LazyAttribute(lambda o: o.enrolment.id)
    worker_id = factory.LazyAttribute(lambda o: o.enrolment.worker_id)
    enterprise_id = factory.LazyAttribute(lambda o: o.enrolment.enterprise_id)
    status = PRESENT
    method = BY_QR
    signed_in_at = factory.LazyAttribute(lambda o: o.training_class.starts_at)
    hours = factory.LazyAttribute(lambda o: o.training_class.hours)
