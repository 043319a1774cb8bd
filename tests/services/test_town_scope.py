"""Town union officers (issue 13, "The union's tree"): their read-only scope in services.policy,
records counted for the town of their time (enterprise_town_span), the town's figures, and the
admin's assignment of officers (services.accounts.towns)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core import clock
from models import AuditLog, EnterpriseTownSpan, Role, User, db
from models.proposals import Proposal
from services import policy
from services.accounts import dashboard, enterprises, people, towns
from services.accounts import policy as accounts_policy
from services.accounts.enterprises import EnterpriseData
from services.errors import NotAllowed, RuleViolation
from services.proposals import listing
from services.proposals import policy as proposals_policy
from tests.factories import TownFactory, TownOfficerFactory, WorkerFactory
from tests.factories_proposals import ProposalFactory

LAST_YEAR = datetime(2025, 5, 10, 2, 0, tzinfo=UTC)
MOVE = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)
THIS_YEAR = datetime(2026, 5, 10, 2, 0, tzinfo=UTC)


def _ids(stmt) -> set[int]:
    return set(db.session.scalars(stmt.with_only_columns(Proposal.id)))


def _move(admin, enterprise, town) -> None:
    data = EnterpriseData(enterprise.name, enterprise.credit_code, town.id, enterprise.industry, enterprise.is_member)
    enterprises.update_enterprise(admin, enterprise, data)
    db.session.commit()


def test_a_town_officer_manages_their_town_read_only(world):
    town_a = world.town_a
    assert policy.management_scope(town_a) == policy.Scope(policy.TOWN, world.enterprise_a.town_id)
    assert policy.in_scope(town_a, world.enterprise_a.id)
    assert not policy.in_scope(town_a, world.enterprise_b.id)
    assert not policy.in_scope(town_a, None)
    # read-only: never allowed to act, even in their own town
    assert not policy.can_act_in(town_a, world.enterprise_a.id)
    assert policy.can_act_in(world.hr_a, world.enterprise_a.id)
    assert policy.oversees_enterprises(town_a) and not policy.oversees_enterprises(world.hr_a)
    # people: the town's, in SQL
    seen = set(db.session.scalars(policy.scope_people(db.select(User.id), town_a)))
    assert {world.worker_a.id, world.hr_a.id} <= seen
    assert not seen & {world.worker_b.id, world.hr_b.id, world.judge.id}
    # sees a worker of the town, manages none
    assert accounts_policy.can_view_worker(town_a, world.worker_a)
    assert not accounts_policy.can_view_worker(town_a, world.worker_b)
    assert not accounts_policy.can_manage_worker(town_a, world.worker_a)


def test_an_officer_without_a_town_or_a_deactivated_role_manages_nothing(world):
    officer = world.town_a
    officer.role_rows[0].town_id = None
    db.session.flush()
    assert policy.management_scope(officer).kind == policy.NOBODY
    assert not db.session.scalars(policy.scope_people(db.select(User.id), officer)).all()


def test_a_move_keeps_past_records_in_the_old_town(world):
    """Enterprise A moves from town X to town Y: last year's proposal stays X's (figures and the
    officers' lists), this year's is Y's; a person belongs to the current town."""
    town_x, town_y = world.enterprise_a.town, TownFactory(name="磁灶镇")
    officer_y = TownOfficerFactory(town=town_y)
    with clock.frozen(LAST_YEAR):
        old = ProposalFactory(proposer=world.worker_a)
    with clock.frozen(MOVE):
        _move(world.admin, world.enterprise_a, town_y)
    with clock.frozen(THIS_YEAR):
        new = ProposalFactory(proposer=world.worker_a, campaign=old.campaign)
        spans = db.session.scalars(db.select(EnterpriseTownSpan).where(
            EnterpriseTownSpan.enterprise_id == world.enterprise_a.id).order_by(EnterpriseTownSpan.valid_from)).all()
        assert [(s.town_id, s.valid_to) for s in spans] == [(town_x.id, MOVE), (town_y.id, None)]
        assert spans[1].valid_from == MOVE

        assert dashboard.town_summary(town_x.id, 2025)["proposals"] == 1
        assert dashboard.town_summary(town_y.id, 2025)["proposals"] == 0
        assert dashboard.town_summary(town_x.id, 2026)["proposals"] == 0
        assert dashboard.town_summary(town_y.id, 2026)["proposals"] == 1

        filters = listing.ProposalFilters()
        assert _ids(listing.proposals_query(world.town_a, filters)) == {old.id}
        assert _ids(listing.proposals_query(officer_y, filters)) == {new.id}
        assert proposals_policy.manages(world.town_a, old) and not proposals_policy.manages(world.town_a, new)
        # the admin's town filter of the list follows the same history
        assert _ids(listing.proposals_query(world.admin, listing.ProposalFilters(town_id=town_x.id))) == {old.id}
        assert _ids(listing.proposals_query(world.admin, listing.ProposalFilters(town_id=town_y.id))) == {new.id}
        assert policy.in_scope(officer_y, world.enterprise_a.id, at=new.created_at)
        assert not policy.in_scope(officer_y, world.enterprise_a.id, at=old.created_at)
        # the person and the enterprise: the town of today
        assert policy.in_scope(officer_y, world.enterprise_a.id)
        assert not accounts_policy.can_view_worker(world.town_a, world.worker_a)
        assert accounts_policy.can_view_worker(officer_y, world.worker_a)


def test_an_edit_that_keeps_the_town_opens_no_span(world):
    before = db.session.scalar(db.select(db.func.count(EnterpriseTownSpan.id)))
    enterprise = world.enterprise_b
    data = EnterpriseData("乙纺织新名有限公司", enterprise.credit_code, enterprise.town_id, enterprise.industry, True)
    enterprises.update_enterprise(world.admin, enterprise, data)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(EnterpriseTownSpan.id))) == before


def test_town_summary_counts_the_towns_enterprises_and_workers(world):
    summary = dashboard.town_summary(world.enterprise_a.town_id)
    assert summary["enterprises"] == 1
    assert summary["workers"] == 1  # worker_a; HR and the officer hold no worker role
    assert summary["per_level"] == {world.worker_a.skill_level: 1}
    WorkerFactory(enterprise=world.enterprise_a, skill_level=4)
    assert dashboard.town_summary(world.enterprise_a.town_id)["per_level"] == {world.worker_a.skill_level: 1, 4: 1}
    assert dashboard.town_summary(world.enterprise_b.town_id)["workers"] == 1  # worker_b (the judge: no worker role)


def test_admins_assign_move_and_remove_town_officers_audited(world):
    person = WorkerFactory(enterprise=world.enterprise_b)
    town_x, town_y = world.enterprise_a.town, world.enterprise_b.town
    towns.assign_town_officer(world.admin, person, town_x.id)
    db.session.commit()
    assert person.has_role(Role.TOWN) and person.town_id == town_x.id
    assert policy.management_scope(person) == policy.Scope(policy.TOWN, town_x.id)
    towns.assign_town_officer(world.admin, person, town_y.id)  # one town per officer: a move
    db.session.commit()
    assert [r.town_id for r in person.role_rows if r.role == Role.TOWN.value] == [town_y.id]
    # set_roles neither grants nor drops the officer's role
    people.set_roles(world.admin, person, {Role.WORKER, Role.JUDGE})
    assert person.town_id == town_y.id
    people.set_roles(world.admin, person, {Role.WORKER, Role.TOWN})
    assert person.roles == {Role.WORKER, Role.TOWN}
    towns.remove_town_officer(world.admin, person)
    db.session.commit()
    assert not person.has_role(Role.TOWN) and person.town_id is None
    actions = db.session.scalars(db.select(AuditLog.action).where(
        AuditLog.object_id == person.id, AuditLog.action.like("account.%")).order_by(AuditLog.id)).all()
    assert actions.count("account.town_officer_assigned") == 2
    assert "account.role_revoked" in actions
    assert {r.id for r in db.session.scalars(towns.town_officers_query())} == {world.town_a.id, world.town_b.id}
    assert {r.id for r in db.session.scalars(towns.town_officers_query(town_y.id))} == {world.town_b.id}


def test_only_admins_assign_and_the_town_and_person_are_checked(world):
    with pytest.raises(NotAllowed):
        towns.assign_town_officer(world.hr_a, world.worker_a, world.enterprise_a.town_id)
    with pytest.raises(NotAllowed):
        towns.assign_town_officer(world.town_a, world.worker_a, world.enterprise_a.town_id)
    with pytest.raises(RuleViolation) as refused:
        towns.assign_town_officer(world.admin, world.worker_a, 999999)
    assert refused.value.field == "town_id"
    world.worker_b.is_active = False
    with pytest.raises(RuleViolation) as refused:
        towns.assign_town_officer(world.admin, world.worker_b, world.enterprise_a.town_id)
    assert refused.value.field == "person"
    for office in (world.hr_a, world.admin):  # their own office would hide the town's
        with pytest.raises(RuleViolation) as refused:
            towns.assign_town_officer(world.admin, office, world.enterprise_a.town_id)
        assert refused.value.field == "person"
    with pytest.raises(RuleViolation):  # the officer's only role
        towns.remove_town_officer(world.admin, world.town_a)


def test_the_town_officer_picker_is_the_admins(world):
    from services.accounts import search

    found = search.search_people(world.admin, "甲企", purpose="town_officers")
    assert world.worker_a in found
    with pytest.raises(NotAllowed):
        search.search_people(world.hr_a, "甲企", purpose="town_officers")
    # a town officer picks among their own town's enterprises only
    assert search.search_enterprises(world.town_a, "甲") == [world.enterprise_a]
    assert search.search_enterprises(world.town_a, "乙") == []
    with pytest.raises(NotAllowed):
        search.search_enterprises(world.hr_a, "甲")


def test_entries_and_pairs_stay_with_the_town_of_their_time(world):
    """Enterprise B (town Y) joins town X: its entries and pairs made before stay Y's, in the figures
    and in both officers' lists; after the move B's people are X's."""
    from models.mentorship import MentorPair
    from services.competitions import registration
    from services.mentorship import policy as mentorship_policy
    from tests.factories_competitions import scenario
    from tests.factories_mentorship import MentorPairFactory

    town_x, town_y = world.enterprise_a.town, world.enterprise_b.town
    with clock.frozen(LAST_YEAR):
        made = scenario(world)
        pair_b = MentorPairFactory(mentor__enterprise=world.enterprise_b)
    with clock.frozen(MOVE):
        _move(world.admin, world.enterprise_b, town_x)
    with clock.frozen(THIS_YEAR):
        assert dashboard.town_summary(town_y.id, 2025)["registrations"] == 3
        assert dashboard.town_summary(town_x.id, 2025)["registrations"] == 1  # worker_a's
        assert dashboard.town_summary(town_y.id, 2025)["pairs"] == 1
        assert dashboard.town_summary(town_x.id, 2025)["pairs"] == 0

        def entries(officer):
            return set(db.session.scalars(registration.registrations_query(officer, made["scoring"])))

        assert entries(world.town_a) == {made["scoring_a"]}
        assert entries(world.town_b) == {made["scoring_b"]}

        def pairs(officer):
            return set(db.session.scalars(mentorship_policy.scope_pairs(db.select(MentorPair), officer)))

        assert pairs(world.town_b) == {pair_b} and pairs(world.town_a) == set()
        assert accounts_policy.can_view_worker(world.town_a, world.worker_b)
        assert not accounts_policy.can_view_worker(world.town_b, world.worker_b)


def test_a_town_officer_sees_the_towns_nominations_and_withdraws_none(world):
    from services.errors import NotFound
    from services.titles import nominations
    from tests.factories_titles import default_titles, make_eligible, open_round

    with clock.frozen(datetime(2026, 3, 2, 2, tzinfo=UTC)):
        title_type = default_titles()["晋江工匠"]
        make_eligible(world.hr_b, world.worker_b)
        title_round = open_round(world.admin, title_type)
        nomination = nominations.nominate(world.hr_b, title_round, world.worker_b,
                                          "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。")
        db.session.commit()
        assert nominations.get_nomination(world.town_b, nomination.id) == nomination
        with pytest.raises(NotFound):
            nominations.get_nomination(world.town_a, nomination.id)
        with pytest.raises(NotAllowed):
            nominations.withdraw_nomination(world.town_b, nomination)
        nominations.withdraw_nomination(world.hr_b, nomination)


def test_enterprises_loaded_in_bulk_get_their_span_afterwards(world):
    from sqlalchemy import insert

    from models import Enterprise
    from models.accounts import EARLIEST, add_missing_town_spans
    from tests.factories import valid_credit_code

    db.session.execute(insert(Enterprise), [{"name": "批量导入企业有限公司", "credit_code": valid_credit_code(777_001),
                                             "town_id": world.enterprise_a.town_id, "industry": "footwear"}])
    loaded = db.session.scalar(db.select(Enterprise.id).where(Enterprise.name == "批量导入企业有限公司"))
    assert not policy.in_scope(world.town_a, loaded, at=THIS_YEAR)  # no history yet: nobody's
    assert add_missing_town_spans(db.session.connection()) == 1
    assert add_missing_town_spans(db.session.connection()) == 0
    span = db.session.scalar(db.select(EnterpriseTownSpan).where(EnterpriseTownSpan.enterprise_id == loaded))
    assert (span.town_id, span.valid_from, span.valid_to) == (world.enterprise_a.town_id, EARLIEST, None)
    assert policy.in_scope(world.town_a, loaded, at=THIS_YEAR)


def test_excellent_pair_nominations_stay_with_the_town_of_their_time(world):
    """An excellent-pair nomination (优秀师徒) of enterprise B made before B joins town X stays town Y's:
    its officer sees it among the managed nominations, X's officer does not; one made after is X's."""
    from models.mentorship import ExcellentNomination, ExcellentRound
    from services.mentorship import policy as mentorship_policy
    from tests.factories_mentorship import MentorPairFactory

    town_x = world.enterprise_a.town
    selection = ExcellentRound(year=2025, quota=10)
    db.session.add(selection)
    db.session.flush()

    def nominate() -> ExcellentNomination:
        pair = MentorPairFactory(mentor__enterprise=world.enterprise_b, status="completed")
        nomination = ExcellentNomination(round_id=selection.id, pair_id=pair.id, enterprise_id=world.enterprise_b.id,
                                         citation="带徒有方")
        db.session.add(nomination)
        db.session.commit()
        return nomination

    with clock.frozen(LAST_YEAR):
        before = nominate()
    with clock.frozen(MOVE):
        _move(world.admin, world.enterprise_b, town_x)
    with clock.frozen(THIS_YEAR):
        after = nominate()

        def managed(officer):
            return set(db.session.scalars(mentorship_policy.scope_managed_nominations(
                db.select(ExcellentNomination), officer)))

        assert managed(world.town_b) == {before}
        assert managed(world.town_a) == {after}
