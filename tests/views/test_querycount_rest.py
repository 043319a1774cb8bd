"""Query counts of every list page of mentoring, titles, the growth record and the public notice, at
10 and at 1,000 rows (tests/querycount.py): the count must not move with the rows (docs/domain.md,
"Scale the platform is built for"). Rows are written in bulk, as the services would have written them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest

from core import clock
from models import Enterprise, Objection, PublicNotice, SkillLevelChange, User, UserRole, db
from models.mentorship import Assessment, CheckIn, ExcellentNomination, ExcellentRound, MentorPair
from models.titles import TITLE_NOTICE_SUBJECT, Nomination, TitleAward, TitleRound, TitleType
from services.mentorship import figures
from tests.factories import AdminFactory, TownFactory, TradeFactory, valid_credit_code
from tests.querycount import count_queries

SIZES = (10, 1_000)
NOW = datetime(2026, 3, 2, 4, tzinfo=UTC)
_serial = count(1)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def queries(client, url: str) -> int:
    client.get(url)  # warm-up (session, settings)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


def flat(grow, *pages) -> None:
    """Each page (a logged-in client, a URL) costs the same number of queries with 10 rows as with 1,000
    (`grow(n)`: top the rows up to n)."""
    counts = {}
    for size in SIZES:
        grow(size)
        db.session.commit()
        for index, (client, url) in enumerate(pages):
            counts.setdefault(f"{index}: {url}", []).append(queries(client, url))
    grown = {url: found for url, found in counts.items() if found[0] != found[1]}
    assert grown == {}, f"queries with {SIZES[0]} and {SIZES[1]} rows: {grown}"


@pytest.fixture
def as_(app, login):
    """A new client logged in as `user`."""
    return lambda user: login(app.test_client(), user)


# --- bulk rows ----------------------------------------------------------------------------------------


def workers(enterprise_id: int, n: int, **columns) -> list[int]:
    """`n` new workers of an enterprise (no login needed): their ids."""
    trade_id = TradeFactory().id
    rows = [{"name": f"职工{(k := next(_serial))}", "phone": f"136{k:08d}", "password_hash": "x",
             "enterprise_id": enterprise_id, "trade_id": trade_id, "skill_level": 2, "hire_date": date(2015, 3, 1),
             **columns} for _ in range(n)]
    return list(db.session.scalars(db.insert(User).returning(User.id), rows))


def enterprises(n: int) -> list[int]:
    town_id = TownFactory().id
    rows = [{"name": f"晋江批量企业{(k := next(_serial))}有限公司", "credit_code": valid_credit_code(100_000 + k),
             "town_id": town_id, "industry": "footwear", "is_member": True, "is_active": True} for _ in range(n)]
    return list(db.session.scalars(db.insert(Enterprise).returning(Enterprise.id), rows))


def pairs(enterprise_id: int, n: int, *, mentor_id: int | None = None, status: str = "active") -> list[int]:
    """`n` pairs of an enterprise (each with its own apprentice; one mentor when given), counted in the
    enterprise's figures as services.mentorship.lifecycle would count them."""
    mentors = [mentor_id] * n if mentor_id else workers(enterprise_id, n, skill_level=5)
    apprentices = workers(enterprise_id, n)
    trade_id = TradeFactory().id
    rows = [{"enterprise_id": enterprise_id, "mentor_id": m, "apprentice_id": a, "trade_id": trade_id,
             "goal_level": 3, "goals": "掌握关键工序", "start_date": date(2025, 1, 5), "planned_end": date(2026, 1, 5),
             "checkin_frequency": "monthly", "status": status, "next_checkin_due": date(2026, 2, 1),
             "ended_on": date(2026, 1, 20) if status == "completed" else None}
            for m, a in zip(mentors, apprentices, strict=True)]
    ids = list(db.session.scalars(db.insert(MentorPair).returning(MentorPair.id), rows))
    for _ in ids:
        figures.count_status_change(enterprise_id, None, status)
    if status == "completed":
        db.session.execute(db.insert(Assessment), [
            {"pair_id": pair_id, "assessed_on": date(2026, 1, 20), "grade": "pass", "level_reached": 3,
             "score": Decimal("80"), "assessor": "考评组"} for pair_id in ids])
    return ids


def topping_up(make):
    """A `grow(n)` that calls `make(k)` for the k rows still missing."""
    made = [0]

    def grow(n: int) -> None:
        if n > made[0]:
            make(n - made[0])
            made[0] = n
    return grow


# --- mentoring ----------------------------------------------------------------------------------------


def test_mentoring_dashboards_and_pair_lists(as_, world):
    hr, admin = as_(world.hr_a), as_(world.admin)
    flat(topping_up(lambda k: pairs(world.enterprise_a.id, k)),
         (hr, "/mentorship/"), (hr, "/mentorship/pairs"), (hr, "/mentorship/pairs?filter=overdue"))
    flat(topping_up(lambda k: [pairs(e, 2) for e in enterprises(max(1, k // 2))]),
         (admin, "/mentorship/"), (admin, "/mentorship/pairs?filter=active"),
         (admin, "/mentorship/pairs?filter=passed_year"))


def test_a_pair_page_with_its_checkins(as_, world):
    pair_id = pairs(world.enterprise_a.id, 1)[0]
    db.session.commit()
    pair = db.session.get(MentorPair, pair_id)

    def make(k):
        db.session.execute(db.insert(CheckIn), [
            {"pair_id": pair_id, "checkin_date": date(2025, 6, 1) + timedelta(days=i % 200), "hours": Decimal("2"),
             "taught": "讲解", "skill_points": "要点", "status": "pending" if i % 3 else "confirmed"}
            for i in range(k)])
    url = f"/mentorship/pairs/{pair_id}"
    flat(topping_up(make), (as_(world.hr_a), url), (as_(pair.apprentice), url), (as_(pair.mentor), url))


def test_excellent_pairs(as_, world):
    selection = ExcellentRound(year=2026, quota=2000, selected_count=0, published=True)
    db.session.add(selection)
    db.session.commit()

    def nominate(k):
        db.session.execute(db.insert(ExcellentNomination), [
            {"round_id": selection.id, "pair_id": pair_id, "enterprise_id": world.enterprise_a.id,
             "citation": "师徒同心，徒弟技能提升明显。", "selected": pair_id % 2 == 0}
            for pair_id in pairs(world.enterprise_a.id, k, status="completed")])
    url = "/mentorship/excellent?year=2026"
    flat(topping_up(nominate), (as_(world.admin), url), (as_(world.hr_a), url), (as_(world.worker_b), url))


def test_a_mentors_record_and_own_pairs(as_, world):
    mentor_id = workers(world.enterprise_a.id, 1, skill_level=6)[0]
    db.session.commit()
    mentor = db.session.get(User, mentor_id)
    mentor.role_rows.append(UserRole(role="worker"))
    db.session.commit()
    flat(topping_up(lambda k: pairs(world.enterprise_a.id, k, mentor_id=mentor_id, status="completed")),
         (as_(world.hr_a), f"/mentorship/people/{mentor_id}"), (as_(mentor), f"/mentorship/people/{mentor_id}"),
         (as_(mentor), "/mentorship/"))


# --- titles -----------------------------------------------------------------------------------------------


def title_type(name: str = "晋江工匠") -> TitleType:
    kind = TitleType(name=f"{name}{next(_serial)}", level="city", yearly_quota=5000, min_skill_level=0)
    db.session.add(kind)
    db.session.flush()
    return kind


def a_round(kind: TitleType, year: int = 2026, status: str = "open") -> TitleRound:
    title_round = TitleRound(title_type_id=kind.id, year=year, deadline=NOW + timedelta(days=30), quota=5000,
                             awarded_count=0, status=status)
    db.session.add(title_round)
    db.session.flush()
    return title_round


def nominations(title_round: TitleRound, enterprise_id: int, k: int, nominated_by: int) -> None:
    db.session.execute(db.insert(Nomination), [
        {"round_id": title_round.id, "worker_id": worker_id, "enterprise_id": enterprise_id,
         "nominated_by_id": nominated_by, "citation": "长期扎根一线，技术精湛，成绩突出。", "status": "submitted",
         "evidence": {"skill_level": 4, "placings": []}, "evidence_score": worker_id % 97}
        for worker_id in workers(enterprise_id, k)])


def awards(title_round: TitleRound, enterprise_id: int, k: int, status: str = "final") -> None:
    db.session.execute(db.insert(TitleAward), [
        {"title_type_id": title_round.title_type_id, "worker_id": worker_id, "round_id": title_round.id,
         "enterprise_id": enterprise_id, "certificate_no": f"JX-T-{(n := next(_serial))}",
         "verification_code": f"code-{n}", "award_date": date(2020 + n % 6, 4, 1), "citation": "技术精湛。",
         "status": status}
        for worker_id in workers(enterprise_id, k)])


def test_titles_home_rounds_and_nominations(as_, world):
    kinds = [title_type() for _ in range(10)]
    years = iter(range(2000, 2100))

    def make_rounds(k):  # ten titles a year
        for year in [next(years) for _ in range(k // 10)]:
            for kind in kinds:
                a_round(kind, year, "final")
    admin, hr = as_(world.admin), as_(world.hr_a)
    flat(topping_up(make_rounds), (admin, "/titles/"))
    title_round = a_round(title_type(), 2026)
    url = f"/titles/rounds/{title_round.id}"
    flat(topping_up(lambda k: nominations(title_round, world.enterprise_a.id, k, world.hr_a.id)),
         (admin, url), (admin, url + "?sort=enterprise"), (admin, url + "?sort=status"), (hr, "/titles/"),
         (hr, url + "?sort=date"), (as_(world.town_a), url))


def test_a_rounds_notice_and_the_honour_roll(as_, client, world):
    title_round = a_round(title_type(), 2025, "notice")
    notice = PublicNotice(subject_type=TITLE_NOTICE_SUBJECT, subject_id=title_round.id, title="公示", status="open",
                          published_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=6))
    db.session.add(notice)
    db.session.commit()

    def make(k):
        awards(title_round, world.enterprise_b.id, k, status="notice")
        db.session.execute(db.insert(Objection), [
            {"notice_id": notice.id, "objector_id": objector, "body": "请核实该职工的竞赛成绩是否属实。"}
            for objector in workers(world.enterprise_a.id, k)])
    notice_page = f"/titles/rounds/{title_round.id}/notice"
    flat(topping_up(make), (as_(world.admin), f"/titles/rounds/{title_round.id}"), (as_(world.worker_a), notice_page),
         (as_(world.admin), notice_page))
    other = a_round(title_type(), 2024, "final")
    db.session.commit()
    flat(topping_up(lambda k: awards(other, world.enterprise_a.id, k)), (client, "/titles/honours"),
         (client, "/titles/honours?year=2023"), (client, f"/titles/honours?title={other.title_type_id}"))


def test_growth_record(as_, world):
    mentor_of = topping_up(lambda k: pairs(world.enterprise_a.id, k, mentor_id=world.worker_a.id, status="completed"))

    def history(k):
        db.session.execute(db.insert(SkillLevelChange), [
            {"user_id": world.worker_a.id, "level": 1 + i % 7, "reason": "certificate",
             "effective_date": date(2000, 1, 1) + timedelta(days=i)} for i in range(k)])
        mentor_of(k)
    url = f"/titles/growth/{world.worker_a.id}"
    flat(topping_up(history), (as_(world.worker_a), url), (as_(world.hr_a), url), (as_(AdminFactory()), url))
