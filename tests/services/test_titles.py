"""Titles: eligibility from evidence, nominations, review, quota, notice, revocation, verification."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core import clock
from models import AuditLog, User, db
from models.titles import (
    AWARD_FINAL,
    AWARD_NOTICE,
    AWARD_REVOKED,
    NOMINATION_AWARDED,
    Nomination,
    TitleAward,
    TitleRound,
)
from services.common import notices
from services.errors import NotAllowed, NotFound, RuleViolation
from services.titles import awards, certificates, eligibility, evidence, nominations, types
from tests.factories import WorkerFactory
from tests.factories_titles import award_through_round, default_titles, make_eligible, open_round

CITATION = "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。"
NOW = datetime(2026, 3, 2, 2, tzinfo=UTC)


@pytest.fixture
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def kinds():
    return default_titles()


def test_the_three_default_titles_with_prerequisites(kinds):
    assert set(kinds) == {"晋江工匠", "泉州工匠", "福建省金牌工人"}
    assert kinds["泉州工匠"].prerequisite.name == "晋江工匠"
    assert kinds["福建省金牌工人"].prerequisite.name == "泉州工匠"
    types.ensure_default_titles()
    assert len(types.title_types()) == 3


class TestEligibility:
    def rules(self, title_type, worker):
        return {r.code: r.met for r in eligibility.evaluate(title_type, evidence.evidence_for(worker.id))}

    def test_skill_level_and_years_in_trade(self, world, kinds, frozen):
        jinjiang = kinds["晋江工匠"]
        assert self.rules(jinjiang, world.worker_a) == {"skill_or_competition": False, "years_in_trade": True}
        make_eligible(world.hr_a, world.worker_a)
        assert self.rules(jinjiang, world.worker_a) == {"skill_or_competition": True, "years_in_trade": True}

    def test_years_in_trade_follow_the_clock(self, world, kinds):
        make_eligible(world.hr_a, world.worker_a, since=date(2021, 3, 10))
        with clock.frozen(datetime(2026, 3, 9, 12, tzinfo=UTC)):
            assert self.rules(kinds["晋江工匠"], world.worker_a)["years_in_trade"] is False  # 4 years 364 days
        with clock.frozen(datetime(2026, 3, 10, 12, tzinfo=UTC)):
            assert self.rules(kinds["晋江工匠"], world.worker_a)["years_in_trade"] is True

    def test_trade_since_defaults_to_hire_date(self, world, kinds, frozen):
        world.worker_a.trade_since = None
        world.worker_a.hire_date = date(2024, 1, 1)
        db.session.commit()
        assert evidence.evidence_for(world.worker_a.id).years_in_trade == 2

    def test_prerequisite_title_must_be_held_and_final(self, world, kinds):
        make_eligible(world.hr_a, world.worker_a, rank=5, since=date(2000, 1, 1))
        with clock.frozen(NOW):
            assert self.rules(kinds["泉州工匠"], world.worker_a)["prerequisite"] is False
        award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"], finalise=False)
        with clock.frozen(NOW):
            assert self.rules(kinds["泉州工匠"], world.worker_a)["prerequisite"] is False  # still on notice
        title_round = db.session.scalar(db.select(TitleRound))
        with clock.frozen(NOW + timedelta(days=45)):
            awards.finalise_round(world.admin, title_round)
            assert self.rules(kinds["泉州工匠"], world.worker_a)["prerequisite"] is True


class TestNominations:
    def test_hr_nominates_an_eligible_worker_with_computed_evidence(self, world, kinds, frozen):
        make_eligible(world.hr_a, world.worker_a)
        title_round = open_round(world.admin, kinds["晋江工匠"])
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a, CITATION)
        assert nomination.enterprise_id == world.enterprise_a.id
        assert nomination.evidence["skill_level"] == 4
        assert all(rule["met"] for rule in nomination.evidence["rules"])

    def test_ineligible_nomination_lists_unmet_rules(self, world, kinds, frozen):
        title_round = open_round(world.admin, kinds["晋江工匠"])
        with pytest.raises(RuleViolation) as refused:
            nominations.nominate(world.hr_a, title_round, world.worker_a, CITATION)
        assert "技能等级或竞赛名次" in str(refused.value.message)
        assert refused.value.field == "worker_id"

    def test_hr_cannot_nominate_another_enterprises_worker(self, world, kinds, frozen):
        make_eligible(world.hr_b, world.worker_b)
        title_round = open_round(world.admin, kinds["晋江工匠"])
        with pytest.raises(NotFound):
            nominations.nominate(world.hr_a, title_round, world.worker_b, CITATION)
        with pytest.raises(NotAllowed):
            nominations.nominate(world.worker_a, title_round, world.worker_a, CITATION)

    def test_no_nomination_after_the_deadline(self, world, kinds):
        make_eligible(world.hr_a, world.worker_a)
        with clock.frozen(NOW):
            title_round = open_round(world.admin, kinds["晋江工匠"], days=10)
        with clock.frozen(NOW + timedelta(days=10)), pytest.raises(RuleViolation, match="已经截止"):
            nominations.nominate(world.hr_a, title_round, world.worker_a, CITATION)

    def test_one_nomination_per_worker_and_round_and_a_citation(self, world, kinds, frozen):
        make_eligible(world.hr_a, world.worker_a)
        title_round = open_round(world.admin, kinds["晋江工匠"])
        with pytest.raises(RuleViolation, match="至少 20 个字"):
            nominations.nominate(world.hr_a, title_round, world.worker_a, "很好")
        nominations.nominate(world.hr_a, title_round, world.worker_a, CITATION)
        with pytest.raises(RuleViolation, match="已被推荐"):
            nominations.nominate(world.admin, title_round, world.worker_a, CITATION)

    def test_rejection_needs_reasons(self, world, kinds, frozen):
        make_eligible(world.hr_a, world.worker_a)
        title_round = open_round(world.admin, kinds["晋江工匠"])
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a, CITATION)
        with pytest.raises(RuleViolation, match="理由"):
            nominations.review_nomination(world.admin, nomination, False, " ")
        with pytest.raises(NotAllowed):
            nominations.review_nomination(world.hr_a, nomination, True, "")


class TestAwards:
    def test_quota_is_never_exceeded(self, world, kinds, frozen):
        title_round = open_round(world.admin, kinds["晋江工匠"], quota=1)
        approved = []
        for worker in (world.worker_a, WorkerFactory(enterprise=world.enterprise_a)):
            make_eligible(world.hr_a, worker)
            nomination = nominations.nominate(world.hr_a, title_round, worker, CITATION)
            nominations.review_nomination(world.admin, nomination, True, "")
            approved.append(nomination)
        awards.award(world.admin, approved[0])
        with pytest.raises(RuleViolation, match="名额（1 名）已用完"):
            awards.award(world.admin, approved[1])
        assert title_round.awarded_count == 1

    def test_only_approved_nominations_and_never_twice(self, world, kinds):
        make_eligible(world.hr_a, world.worker_a)
        granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
        assert granted.status == AWARD_FINAL and granted.certificate_no.startswith("JX-2026-")
        with clock.frozen(datetime(2027, 3, 1, tzinfo=UTC)):
            next_round = open_round(world.admin, kinds["晋江工匠"], year=2027)
            with pytest.raises(RuleViolation, match="不能重复授予"):
                nominations.nominate(world.hr_a, next_round, world.worker_a, CITATION)

    def test_journey_statuses_and_audit(self, world, kinds):
        make_eligible(world.hr_a, world.worker_a)
        granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"], finalise=False)
        assert granted.status == AWARD_NOTICE
        nomination = db.session.get(Nomination, granted.nomination_id)
        assert nomination.status == NOMINATION_AWARDED
        actions = {a.action for a in db.session.scalars(db.select(AuditLog))}
        assert {"nomination.submitted", "nomination.reviewed", "title.awarded", "notice.published"} <= actions

    def test_finalise_waits_for_objections(self, world, kinds):
        make_eligible(world.hr_a, world.worker_a)
        granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"], finalise=False)
        title_round = granted.round
        notice = awards.round_notice(title_round)
        with clock.frozen(NOW + timedelta(days=32)):
            objection = notices.file_objection(world.worker_b, notice, "该职工的技能证书为代考所得，请核查。")
        with clock.frozen(NOW + timedelta(days=45)):
            with pytest.raises(RuleViolation, match="未处理的异议"):
                awards.finalise_round(world.admin, title_round)
            notices.resolve_objection(world.admin, objection, True, "经核查属实，撤销授予。")
            awards.revoke_award(world.admin, granted, "公示期异议经核查属实")
            awards.finalise_round(world.admin, title_round)
        assert granted.status == AWARD_REVOKED
        assert title_round.awarded_count == 0  # the place freed during the notice

    def test_revocation_and_expiry_change_verification(self, world, kinds):
        kinds["晋江工匠"].validity_years = 3
        make_eligible(world.hr_a, world.worker_a)
        granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
        code = granted.verification_code
        with clock.frozen(datetime(2028, 1, 1, tzinfo=UTC)):
            assert certificates.verify(code)[0] == certificates.VERIFY_VALID
        with clock.frozen(datetime(2029, 6, 1, tzinfo=UTC)):
            assert certificates.verify(code)[0] == certificates.VERIFY_EXPIRED
        with pytest.raises(RuleViolation, match="撤销理由"):
            awards.revoke_award(world.admin, granted, "")
        awards.revoke_award(world.admin, granted, "弄虚作假")
        assert certificates.verify(code)[0] == certificates.VERIFY_REVOKED
        assert certificates.verify(code[:-1] + ("A" if code[-1] != "A" else "B"))[0] == certificates.VERIFY_UNKNOWN

    def test_verification_codes_are_random(self):
        codes = {certificates.new_verification_code() for _ in range(200)}
        assert len(codes) == 200 and {len(c) for c in codes} == {12}
        assert not set("".join(codes)) & set("01OIL")  # no look-alikes


@pytest.mark.postgres_only
def test_concurrent_awards_never_exceed_the_quota(app, world, kinds):
    """Eight admins award at once on PostgreSQL: exactly the quota succeeds."""
    import threading

    if db.engine.dialect.name != "postgresql":
        pytest.skip("true concurrency is tested on PostgreSQL")
    with clock.frozen(NOW):
        title_round = open_round(world.admin, kinds["晋江工匠"], quota=3)
        nomination_ids = []
        for _ in range(8):
            worker = WorkerFactory(enterprise=world.enterprise_a)
            make_eligible(world.hr_a, worker)
            nomination = nominations.nominate(world.hr_a, title_round, worker, CITATION)
            nominations.review_nomination(world.admin, nomination, True, "")
            nomination_ids.append(nomination.id)
        db.session.commit()
    results, barrier = [], threading.Barrier(len(nomination_ids))
    admin_id = world.admin.id  # read here: the test's session must not be used from the threads

    def award_one(nomination_id):
        with app.app_context(), clock.frozen(NOW):
            admin = db.session.get(User, admin_id)
            nomination = db.session.get(Nomination, nomination_id)
            barrier.wait(timeout=30)
            try:
                awards.award(admin, nomination)
                db.session.commit()
                results.append("ok")
            except RuleViolation:
                db.session.rollback()
                results.append("full")
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                db.session.rollback()
                results.append(repr(error))

    threads = [threading.Thread(target=award_one, args=(n,)) for n in nomination_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 3
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(TitleAward.id))) == 3


class TestTitleTypes:
    def data(self, **overrides):
        values = {"name": "劳动模范", "level": "city", "yearly_quota": 10, "min_skill_level": 3,
                  "min_years_in_trade": 5}
        values.update(overrides)
        return types.TitleTypeData(**values)

    def test_admin_creates_a_title_as_data(self, world, kinds):
        created = types.save_title_type(world.admin, None, self.data(prerequisite_id=kinds["晋江工匠"].id))
        assert created.prerequisite.name == "晋江工匠"
        with pytest.raises(NotAllowed):
            types.save_title_type(world.hr_a, None, self.data(name="别的"))

    @pytest.mark.parametrize("overrides, field", [
        ({"name": ""}, "name"),
        ({"name": "晋江工匠"}, "name"),
        ({"level": "galaxy"}, "level"),
        ({"yearly_quota": 0}, "yearly_quota"),
        ({"min_skill_level": None, "competition_top_n": None}, "min_skill_level"),
        ({"competition_top_n": 3, "competition_min_level": None, "competition_within_years": 3},
         "competition_min_level"),
        ({"competition_top_n": 3, "competition_min_level": "city", "competition_within_years": None},
         "competition_within_years"),
        ({"min_years_in_trade": -1}, "min_years_in_trade"),
    ])
    def test_incomplete_or_wrong_rules_are_refused(self, world, kinds, overrides, field):
        with pytest.raises(RuleViolation) as refused:
            types.save_title_type(world.admin, None, self.data(**overrides))
        assert refused.value.field == field

    def test_prerequisites_cannot_loop(self, world, kinds):
        jinjiang = kinds["晋江工匠"]
        data = self.data(name="晋江工匠", prerequisite_id=kinds["福建省金牌工人"].id)
        with pytest.raises(RuleViolation, match="循环"):
            types.save_title_type(world.admin, jinjiang, data)


def test_round_cards_and_nomination_lines_through_kept_statements_are_what_each_reader_may_see(world, kinds, frozen):
    """services.titles.round_page keeps one statement per kind of reader and order (the round, the reader's
    scope, the page's bounds bind parameters): each reader gets the rows of nominations_query, in its
    order (by date: the same rows), whatever the order readers ask in; the total is theirs; a page past the end
    counts apart. So are the titles page's lines of nominations (nominations.nomination_lines)."""
    from services.titles import round_page

    title_round = open_round(world.admin, kinds["晋江工匠"])
    for k, enterprise in enumerate([world.enterprise_a] * 3 + [world.enterprise_b] * 2):
        worker = WorkerFactory(enterprise=enterprise)
        db.session.add(Nomination(round_id=title_round.id, worker_id=worker.id, enterprise_id=enterprise.id,
                                  nominated_by_id=world.admin.id, citation=CITATION, status="submitted",
                                  evidence={"skill_level": 4, "n": k}, evidence_score=k % 2))
    db.session.commit()
    readers = [world.hr_b, world.admin, world.town_a, world.hr_a, world.town_b, world.worker_a, world.admin]
    for sort in ("evidence", "date", "enterprise", "status", "nonsense"):
        for reader in readers:
            expected = [n.id for n in db.session.scalars(nominations.nominations_query(reader, title_round, sort))]
            page = round_page.round_cards(reader, title_round.id, sort, 1, 50)
            found = [row[0] for row in page.items]
            if sort == "date":  # created at the same (frozen) moment: the order between them is the database's
                found, expected = sorted(found), sorted(expected)
            assert found == expected, (sort, reader.name)
            assert page.total == len(expected)
            assert round_page.round_cards(reader, title_round.id, sort, 9, 50).total == len(expected)
    assert {len(round_page.round_cards(r, title_round.id, "date", 1, 50).items) for r in readers} == {0, 2, 3, 5}
    for reader in readers:  # the titles page's list of nominations: the same rows, labels and names
        expected = sorted((n.id, n.worker.name, str(n.status_label), n.round.year, str(n.round.title_type.label))
                          for n in db.session.scalars(nominations.nominations_query(reader, sort="date")))
        page = nominations.nomination_lines(reader, 1, 50)
        assert sorted((n.id, n.worker_name, str(n.status_label), n.round_year, str(n.title_label))
                      for n in page.items) == expected, reader.name
        assert page.total == len(expected) == nominations.nomination_lines(reader, 3, 50).total


def test_the_admins_round_lines_are_every_round_in_order_page_by_page(world, kinds, frozen):
    """rounds.round_lines (a kept statement of plain rows) pages every round in rounds_query's order, with the
    rounds' own labels, and counts them (a page past the end too)."""
    from services.titles import rounds

    for year in (2024, 2026, 2025):
        for kind in kinds.values():
            open_round(world.admin, kind, year=year)
    expected = [(r.id, r.year, str(r.title_type.label), r.quota, r.awarded_count, str(r.status_label))
                for r in db.session.scalars(rounds.rounds_query())]
    pages = [rounds.round_lines(page, 4) for page in (1, 2, 3)]
    assert [(r.id, r.year, str(r.title_label), r.quota, r.awarded_count, str(r.status_label))
            for page in pages for r in page.items] == expected
    assert {page.total for page in pages} == {len(expected)} == {rounds.round_lines(9, 4).total}
