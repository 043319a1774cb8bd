"""Skill-level history: the latest entry is the current level; certificates are checked."""

from datetime import UTC, date, datetime

import pytest

from core import clock
from models.skills import REASON_ASSESSMENT, REASON_CERTIFICATE
from services.common import skills
from services.errors import RuleViolation

CERT = "Y350582202611240000001"


def test_change_updates_current_level_and_keeps_history(world):
    with clock.frozen(datetime(2026, 11, 24, tzinfo=UTC)):
        skills.change_skill_level(world.hr_a, world.worker_a, 3, reason=REASON_CERTIFICATE,
                                  certificate_no=CERT, issuing_body="晋江市职业技能鉴定中心",
                                  effective_date=date(2026, 6, 1))
        skills.change_skill_level(world.hr_a, world.worker_a, 4, reason=REASON_ASSESSMENT,
                                  source=("mentor_pair", 9))
    assert world.worker_a.skill_level == 4
    entries = skills.history(world.worker_a.id)
    assert [(e.previous_level, e.level, e.reason) for e in entries] == [(2, 3, "certificate"), (3, 4, "assessment")]
    assert (entries[1].source_type, entries[1].source_id) == ("mentor_pair", 9)


@pytest.mark.parametrize("kwargs, field", [
    ({"certificate_no": "Y123", "issuing_body": "鉴定中心"}, "certificate_no"),
    ({"certificate_no": CERT, "issuing_body": ""}, "issuing_body"),
    ({"certificate_no": CERT, "issuing_body": "鉴定中心", "effective_date": date(2030, 1, 1)}, "effective_date"),
])
def test_certificate_entries_are_checked(world, kwargs, field):
    with clock.frozen(datetime(2026, 11, 24, tzinfo=UTC)), pytest.raises(RuleViolation) as refused:
        skills.change_skill_level(world.hr_a, world.worker_a, 3, reason=REASON_CERTIFICATE, **kwargs)
    assert refused.value.field == field
    assert world.worker_a.skill_level == 2
