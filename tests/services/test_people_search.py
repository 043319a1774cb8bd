"""The one people search (services.accounts.search): classifying a query, the prefix / phone-tail
matches, whom each picker purpose offers, and what a picker's typed text resolves to."""

from datetime import date

import pytest

from models import Role, User, db
from services.accounts import people, search
from services.accounts.people import Profile
from services.competitions.bulk import find_own_worker
from services.errors import NotAllowed, NotFound, RuleViolation
from tests.factories import EnterpriseFactory, JudgeFactory, WorkerFactory, valid_credit_code


def names(found) -> list[str]:
    return sorted(person.name for person in found)


def matching(q, stmt=None) -> list[str]:
    return names(db.session.scalars(search.add_people_search(db.select(User) if stmt is None else stmt, q)))


class TestClassify:
    @pytest.mark.parametrize(("raw", "expected"), [
        ("王伟", search.Query("王伟", name="王伟")),
        ("  王　伟 ", search.Query("王 伟", name="王 伟")),
        ("1234", search.Query("1234", phone_digits="1234", employee_no="1234")),
        ("138-0000-1234", search.Query("138-0000-1234", phone_digits="13800001234", employee_no="138-0000-1234")),
        ("12", search.Query("12", employee_no="12", username="12")),
        ("ｇ００１２", search.Query("g0012", employee_no="G0012", username="g0012")),
        ("Ahmed", search.Query("Ahmed", employee_no="AHMED", username="Ahmed", name="Ahmed")),
    ])
    def test_kinds(self, raw, expected):
        assert search.classify(raw) == expected

    def test_empty(self):
        assert search.classify("  ") is None
        assert search.classify(None) is None


class TestPeopleSearch:
    @pytest.fixture
    def crowd(self, world):
        a = world.enterprise_a
        return {
            "wangwei": WorkerFactory(enterprise=a, name="王伟", employee_no="G0012", phone="13912345678"),
            "wangweiqiang": WorkerFactory(enterprise=a, name="王伟强", employee_no="G0013", phone="13812340000"),
            "wangfang": WorkerFactory(enterprise=a, name="王芳", employee_no="H100", phone="13700005678"),
            "liwei": WorkerFactory(enterprise=a, name="李王伟", employee_no="X1", phone="13600009999"),
        }

    def test_name_start_surname_or_full_name_never_the_middle(self, crowd):
        assert matching("王") == ["王伟", "王伟强", "王芳"]
        assert matching("王伟") == ["王伟", "王伟强"]
        assert "李王伟" not in matching("王伟")

    def test_employee_number_prefix_any_case_and_width(self, crowd):
        assert matching("g001") == ["王伟", "王伟强"]
        assert matching("Ｇ００１３") == ["王伟强"]

    def test_phone_tail_four_or_more_digits_and_whole_phone(self, crowd):
        assert matching("5678") == ["王伟", "王芳"]
        assert matching("45678") == ["王伟"]
        assert matching("139 1234 5678") == ["王伟"]
        assert matching("1234") == []  # a tail, not the middle of a phone

    def test_phone_tail_follows_the_phone(self, crowd, world):
        worker = crowd["wangfang"]
        assert db.session.scalar(db.select(User.phone_tail).where(User.id == worker.id)) == "5678"
        people.update_account(world.admin, worker, Profile(
            name=worker.name, phone="13700004321", enterprise_id=worker.enterprise_id, employee_no="H100",
            trade_id=worker.trade_id, skill_level=worker.skill_level))
        db.session.commit()
        assert db.session.scalar(db.select(User.phone_tail).where(User.id == worker.id)) == "4321"
        assert matching("4321") == ["王芳"]

    def test_a_list_keeps_its_own_scope(self, crowd, world):
        WorkerFactory(enterprise=world.enterprise_b, name="王伟")
        scoped = db.select(User).where(User.enterprise_id == world.enterprise_a.id)
        assert matching("王伟", scoped) == ["王伟", "王伟强"]
        assert matching("王伟") == ["王伟", "王伟", "王伟强"]

    def test_like_wildcards_are_plain_text(self, crowd):
        assert matching("%") == [] and matching("_") == []
        WorkerFactory(name="100%_达人", employee_no="A_1.2")
        WorkerFactory(name="诱饵", employee_no="AB1.2")
        assert matching("100%") == ["100%_达人"]
        assert matching("a_1") == ["100%_达人"]


class TestPurposes:
    def test_hr_picks_workers_of_their_enterprise_only(self, world):
        other = WorkerFactory(enterprise=world.enterprise_b, name="甲企职工")  # same name, other enterprise
        found = search.search_people(world.hr_a, "甲企", purpose="workers")
        assert [p.id for p in found] == [world.worker_a.id]
        assert other.id in [p.id for p in search.search_people(world.admin, "甲企", purpose="workers")]

    def test_colleagues_are_the_actors_enterprise_without_the_actor(self, world):
        mate = WorkerFactory(enterprise=world.enterprise_a, name="甲企同事")
        assert [p.id for p in search.search_people(world.worker_a, "甲企", purpose="colleagues")] == [mate.id]

    def test_inactive_and_non_workers_are_not_offered(self, world):
        gone = WorkerFactory(enterprise=world.enterprise_a, name="甲企离职", is_active=False)
        found = search.search_people(world.admin, "甲企", purpose="workers")
        assert world.hr_a.id not in [p.id for p in found] and gone.id not in [p.id for p in found]
        assert gone.id in [p.id for p in search.search_people(world.admin, "甲企", purpose="people")]

    def test_judges_are_for_admins(self, world):
        assert [p.id for p in search.search_people(world.admin, "评委", purpose="judges")] == [world.judge.id]
        with pytest.raises(NotAllowed):
            search.search_people(world.hr_a, "评委", purpose="judges")
        with pytest.raises(NotFound):
            search.search_people(world.admin, "评委", purpose="everyone")

    def test_at_most_twenty_exact_matches_first(self, world):
        for n in range(25):
            WorkerFactory(enterprise=world.enterprise_a, name=f"张三{n:02d}")
        exact = WorkerFactory(enterprise=world.enterprise_a, name="张三")
        found = search.search_people(world.admin, "张三", purpose="workers", limit=50)
        assert len(found) == 20 and found[0].id == exact.id


class TestResolve:
    def test_one_match_is_chosen_several_are_refused_with_examples(self, world):
        WorkerFactory(enterprise=world.enterprise_a, name="陈明")
        WorkerFactory(enterprise=world.enterprise_a, name="陈明亮")
        assert search.pick_person(world.hr_a, "陈明亮", purpose="workers", field="mentor_id").name == "陈明亮"
        assert search.pick_person(world.hr_a, "陈明", purpose="workers", field="mentor_id").name == "陈明"  # exact
        WorkerFactory(enterprise=world.enterprise_a, name="陈明")
        with pytest.raises(RuleViolation) as several:
            search.pick_person(world.hr_a, "陈明", purpose="workers", field="mentor_id")
        assert several.value.field == "mentor_id" and "陈明（" in str(several.value.message)
        with pytest.raises(RuleViolation, match="没有找到"):
            search.pick_person(world.hr_a, "无此人", purpose="workers", field="mentor_id")

    def test_the_type_aheads_choice_stands_while_the_text_names_it(self, world):
        twin = WorkerFactory(enterprise=world.enterprise_a, name=world.worker_a.name)
        label = search.person_label(twin)
        assert search.pick_person(world.hr_a, label, twin.id, purpose="workers", field="x").id == twin.id
        assert search.pick_person(world.hr_a, twin.employee_no, world.worker_a.id, purpose="workers",
                                  field="x").id == twin.id  # text changed after choosing: resolved again
        other = WorkerFactory(enterprise=world.enterprise_b)
        with pytest.raises(RuleViolation):  # an id out of reach is never taken
            search.pick_person(world.hr_a, search.person_label(other), other.id, purpose="workers", field="x")

    def test_empty_text(self, world):
        assert search.pick_person(world.hr_a, "", purpose="workers", field="x", required=False) is None
        with pytest.raises(RuleViolation, match="请输入姓名"):
            search.pick_person(world.hr_a, " ", purpose="workers", field="x")

    def test_a_filter_matches_every_candidate(self, world):
        found = search.resolve_person(world.admin, "甲企", purpose="people")
        assert found.chosen is None and set(found.ids) == {world.hr_a.id, world.worker_a.id}
        assert search.resolve_person(world.admin, None, world.worker_a.id).ids == [world.worker_a.id]
        assert search.resolve_person(world.admin, "没有", purpose="people").ids == []
        assert search.resolve_person(world.admin, "").ids is None


class TestEnterprises:
    def test_name_also_after_the_city_and_credit_code_prefix(self, world):
        hengxin = EnterpriseFactory(name="晋江市恒信鞋业有限公司", credit_code=valid_credit_code(777))
        assert [e.id for e in search.search_enterprises(world.admin, "恒信")] == [hengxin.id]
        assert [e.id for e in search.search_enterprises(world.admin, "晋江市恒")] == [hengxin.id]
        assert hengxin.id in [e.id for e in search.search_enterprises(world.admin, valid_credit_code(777)[:12].lower())]
        assert search.search_enterprises(world.admin, "鞋业") == []

    def test_pick_and_admins_only(self, world):
        assert search.pick_enterprise(world.admin, "乙纺织有限公司", field="e").id == world.enterprise_b.id
        with pytest.raises(RuleViolation, match="有多个结果"):
            EnterpriseFactory(name="乙纺织二厂")
            search.pick_enterprise(world.admin, "乙纺织", field="e")
        with pytest.raises(NotAllowed):
            search.search_enterprises(world.hr_a, "乙")


class TestEmployeeNumbers:
    def test_stored_normalised_and_found_whatever_was_typed(self, world):
        worker = people.create_account(world.hr_a, Profile(
            name="全角工号", phone="13655550001", employee_no=" ｇ-００７ ", trade_id=world.worker_a.trade_id,
            skill_level=1, hire_date=date(2020, 1, 1), birth_date=date(1995, 1, 1)))
        db.session.commit()
        assert worker.employee_no == "G-007"
        assert find_own_worker(world.hr_a, "g-007").id == worker.id
        with pytest.raises(RuleViolation, match="本企业已有这个工号"):
            people.create_account(world.hr_a, Profile(
                name="重复", phone="13655550002", employee_no="G-007", trade_id=world.worker_a.trade_id,
                skill_level=1))

    def test_judge_picker_finds_by_employee_number(self, world):
        judge = JudgeFactory(enterprise=world.enterprise_a, name="林评委", employee_no="J77")
        assert search.pick_person(world.admin, "j77", purpose="judges", field="judge_id").id == judge.id
        assert world.judge.has_role(Role.JUDGE)


class TestOtherListsUseTheSearch:
    def test_pairs_by_mentor_or_apprentice(self, world):
        from services.mentorship import reports
        from tests.factories_mentorship import create_pair

        mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5, name="黄师傅", employee_no="M-1")
        pair = create_pair(world.hr_a, mentor, world.worker_a)
        db.session.commit()
        for q in ("黄", "m-1", world.worker_a.phone[-5:], world.worker_a.name):
            assert [p.id for p in db.session.scalars(reports.pairs_query(world.hr_a, search=q))] == [pair.id], q
        assert db.session.scalars(reports.pairs_query(world.hr_a, search="师傅")).all() == []

    def test_registrations_by_entrant(self, world):
        from services.competitions import registration
        from tests.factories_competitions import CompetitionFactory

        competition = CompetitionFactory(trade=world.worker_a.trade)
        entry = registration.register(world.worker_a, competition, world.worker_a)
        db.session.commit()
        for q in (world.worker_a.name[:1], world.worker_a.employee_no.lower(), world.worker_a.phone[-4:]):
            stmt = registration.registrations_query(world.admin, competition, search=q)
            assert [r.id for r in db.session.scalars(stmt)] == [entry.id], q
