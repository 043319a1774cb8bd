"""Enterprises: credit code validation and uniqueness, admin-only changes, audit."""

import pytest

from models import AuditLog, db
from services.accounts import enterprises
from services.accounts.enterprises import EnterpriseData
from services.errors import NotAllowed, RuleViolation
from tests.factories import TownFactory, valid_credit_code


def data(**overrides):
    values = {"name": "晋江市新企业有限公司", "credit_code": valid_credit_code(999), "town_id": TownFactory().id,
                  "industry": "footwear", "is_member": True}
    values.update(overrides)
    return EnterpriseData(**values)


def test_admin_creates_and_edits_with_audit(world):
    enterprise = enterprises.create_enterprise(world.admin, data(credit_code=" " + valid_credit_code(999).lower()))
    assert enterprise.credit_code == valid_credit_code(999)
    enterprises.update_enterprise(world.admin, enterprise, data(name="晋江市新企业股份有限公司"))
    enterprises.set_enterprise_active(world.admin, enterprise, False)
    actions = [a.action for a in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["enterprise.created", "enterprise.updated", "enterprise.deactivated"]


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": ""}, "name", "企业名称"),
    ({"credit_code": "123"}, "credit_code", "18 位"),
    ({"credit_code": valid_credit_code(999)[:-1] + ("0" if valid_credit_code(999)[-1] != "0" else "1")},
     "credit_code", "校验位"),
    ({"town_id": None}, "town_id", "镇"),
    ({"industry": "mining"}, "industry", "行业"),
])
def test_bad_input_names_the_field(world, overrides, field, message):
    with pytest.raises(RuleViolation) as refused:
        enterprises.create_enterprise(world.admin, data(**overrides))
    assert refused.value.field == field
    assert message in str(refused.value.message)


def test_credit_code_is_unique(world):
    with pytest.raises(RuleViolation, match="已有企业"):
        enterprises.create_enterprise(world.admin, data(credit_code=world.enterprise_a.credit_code))


def test_only_admins(world):
    with pytest.raises(NotAllowed):
        enterprises.create_enterprise(world.hr_a, data())
