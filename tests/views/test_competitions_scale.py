"""The competitions area at the city's scale, over HTTP: every competition page does the same number
of queries for 10 and for 1,000 entrants (tests/querycount.py); the ranking pages read a range of
stored positions (page 1 and a deep page alike); the score sheet, the judge's queue and the
registrations list page by key; results stored at sign-off follow a mark corrected after a
reopening at once. Rows are written in bulk, as the services would have written them."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from core import clock
from models import Role, User, competition_tallies, db
from models.competitions import (
    CONFIRMED,
    SCORING,
    WAITLISTED,
    CompetitionJudge,
    CompetitionMarkChange,
    CompetitionPracticalMark,
    CompetitionRegistration,
    CompetitionResult,
    CompetitionTheoryMark,
)
from models.jobs import JOB_DONE, Job
from services.common import notices
from services.competitions import export, judging, ranking_pages, results
from tests.factories import EnterpriseFactory, UserFactory
from tests.factories_competitions import CompetitionFactory, competition_in_scoring
from tests.querycount import count_queries

SMALL, LARGE = 10, 1_000
_serial = count(1)


def queries(client, url: str) -> int:
    client.get(url)  # warm-up (session, settings)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.fixture
def as_(app, login):
    """A new client logged in as `user`."""
    return lambda user: login(app.test_client(), user)


def _workers(enterprise_id: int, n: int) -> list[int]:
    rows = [{"name": f"选手{(k := next(_serial))}", "phone": f"135{k:08d}", "password_hash": "x",
             "enterprise_id": enterprise_id, "skill_level": 2} for _ in range(n)]
    return list(db.session.scalars(insert(User).returning(User.id), rows))


def competition_of(n: int, judges: list[User], enterprise, *, waitlisted: int = 0):
    """A competition in scoring with `n` confirmed entrants of `enterprise` (numbers 1..n), each with a
    theory mark and complete practical marks of every judge in `judges` (and their first-entry history),
    plus `waitlisted` entries waiting; marks make distinct totals with a few ties."""
    now = clock.now()
    competition = CompetitionFactory(status=SCORING, capacity=n, seats_taken=n, numbers_issued=n,
                                     registration_opens_at=now - timedelta(days=20),
                                     registration_closes_at=now - timedelta(days=5), held_on=clock.today())
    db.session.add_all([CompetitionJudge(competition_id=competition.id, judge_id=j.id) for j in judges])
    db.session.flush()
    workers = _workers(enterprise.id, n + waitlisted)
    waiting = set(range(5, 11 * waitlisted, 11))  # waitlisted entries spread among the confirmed ones
    rows, number = [], 0
    for i, w in enumerate(workers):
        row = {"competition_id": competition.id, "worker_id": w, "enterprise_id": enterprise.id, "created_at": now,
               "status": WAITLISTED, "competitor_no": None, "confirmed_at": None}
        if i not in waiting:
            number += 1
            row.update(status=CONFIRMED, competitor_no=number, confirmed_at=now)
        rows.append(row)
    ids = list(db.session.scalars(insert(CompetitionRegistration).returning(CompetitionRegistration.id), rows))
    competition_tallies.rebuild(db.session, [competition.id])  # a bulk insert passes the tallies' flush hooks by
    confirmed = [rid for rid, row in zip(ids, rows, strict=True) if row["status"] == CONFIRMED]
    assert len(confirmed) == n
    db.session.execute(insert(CompetitionTheoryMark), [
        {"registration_id": r, "mark": Decimal(50 + i % 50), "entered_by_id": None, "updated_at": now}
        for i, r in enumerate(confirmed)])
    marks, changes = [], []
    for i, r in enumerate(confirmed):
        for judge in judges:
            for item in competition.items:
                mark = Decimal(60 + (i * 7) % 40)
                marks.append({"registration_id": r, "judge_id": judge.id, "item_id": item.id, "mark": mark,
                              "updated_at": now})
                changes.append({"registration_id": r, "part": "practical", "judge_id": judge.id, "item_id": item.id,
                                "old_mark": None, "new_mark": mark, "changed_by_id": judge.id, "changed_at": now})
    db.session.execute(insert(CompetitionPracticalMark), marks)
    db.session.execute(insert(CompetitionMarkChange), changes)
    db.session.commit()
    return competition


@pytest.fixture
def panel():
    judge_enterprise = EnterpriseFactory()
    return [UserFactory(roles=(Role.JUDGE,), enterprise=judge_enterprise, skill_level=5) for _ in range(3)]


def _same(counts: dict[str, list[int]]) -> None:
    grown = {url: found for url, found in counts.items() if found[0] != found[1]}
    assert grown == {}, f"queries with {SMALL} and {LARGE} entrants: {grown}"


def _entry(competition, number: int) -> int:
    return db.session.scalar(select(CompetitionRegistration.id).where(
        CompetitionRegistration.competition_id == competition.id, CompetitionRegistration.competitor_no == number))


def test_scoring_pages_query_count_does_not_grow(world, panel, as_):
    admin, judge, hr = as_(world.admin), as_(panel[0]), as_(world.hr_a)
    counts: dict[str, list[int]] = {}
    for size in (SMALL, LARGE):
        c = competition_of(size, panel, world.enterprise_a, waitlisted=max(1, size // 10))
        first = _entry(c, 1)
        pages = {
            "scores": (admin, f"/competitions/{c.id}/scores"),
            "scores, a later page": (admin, f"/competitions/{c.id}/scores?after={min(size, 500) - 5}"),
            "an entry's marks and history": (admin, f"/competitions/{c.id}/scores/{first}"),
            "judge's queue": (judge, f"/competitions/{c.id}/judge"),
            "judge's queue, a later page": (judge, f"/competitions/{c.id}/judge?after={min(size, 500) - 5}"),
            "competition page (admin)": (admin, f"/competitions/{c.id}"),
            "registrations (admin)": (admin, f"/competitions/{c.id}/registrations"),
            "registrations, a later page": (admin, f"/competitions/{c.id}/registrations?after={first + size // 2 - 2}"),
            "registrations waitlisted": (admin, f"/competitions/{c.id}/registrations?status=waitlisted"),
            "registrations (HR)": (hr, f"/competitions/{c.id}/registrations"),
        }
        for label, (client, url) in pages.items():
            counts.setdefault(label, []).append(queries(client, url))
    _same(counts)


def test_result_pages_query_count_does_not_grow(app, world, panel, as_):
    admin, public = as_(world.admin), app.test_client()
    counts: dict[str, list[int]] = {}
    for size in (SMALL, LARGE):
        c = competition_of(size, panel, world.enterprise_a)
        results.sign_off(world.admin, c, acknowledge_flags=True)
        results.publish_results(world.admin, c)
        db.session.commit()
        pages = {
            "competition page (admin), ranking page 1": (admin, f"/competitions/{c.id}"),
            "competition page (admin), the ranking's last page": (admin, f"/competitions/{c.id}?page={-(-size // 50)}"),
            "public results page 1": (public, f"/competitions/results/{c.id}"),
            "public results page 3": (public, f"/competitions/results/{c.id}?page=3"),
            "scores after sign-off": (admin, f"/competitions/{c.id}/scores"),
        }
        for label, (client, url) in pages.items():
            counts.setdefault(label, []).append(queries(client, url))
    _same(counts)


def test_ranking_pages_are_ranges_of_stored_positions(world, panel, as_):
    c = competition_of(120, panel, world.enterprise_a)
    results.sign_off(world.admin, c, acknowledge_flags=True)
    db.session.commit()
    stored = list(db.session.execute(
        select(CompetitionResult.position, CompetitionResult.rank, CompetitionRegistration.competitor_no)
        .join(CompetitionRegistration).where(CompetitionResult.competition_id == c.id)
        .order_by(CompetitionResult.position)))
    assert [p for p, _r, _n in stored] == list(range(1, 121))
    ranked = [(rank, result.registration.competitor_no) for result, rank in results.ranking(c)]
    assert [(r, n) for _p, r, n in stored] == ranked  # the same order and shared ranks as RANK()
    admin = as_(world.admin)
    with count_queries() as q:
        page3 = admin.get(f"/competitions/{c.id}?page=3").get_data(as_text=True)
    ranking_reads = [s for s in q.statements if "competition_result" in s and "OFFSET" in s.upper()]
    assert ranking_reads == []  # a range of positions, never an OFFSET walk
    numbers = re.findall(r"<tr><td[^>]*>(\d+)</td><td[^>]*>(\d{3})</td>", page3)
    assert [(int(r), int(n)) for r, n in numbers] == ranked[100:120]


def test_score_sheet_reads_its_judges_with_their_sums(world, panel, as_):
    """The sheet's judge columns come in the statement that sums the page's marks (one round trip for
    both), on a page of the sheet and on an entry's marks; a sheet with no confirmed entry still heads
    its judges' columns."""
    c = competition_of(60, panel, world.enterprise_a)
    admin = as_(world.admin)
    for url in (f"/competitions/{c.id}/scores", f"/competitions/{c.id}/scores?after=50",
                f"/competitions/{c.id}/scores/{_entry(c, 1)}"):
        admin.get(url)
        with count_queries() as q:
            page = admin.get(url).get_data(as_text=True)
        panel_reads = [s for s in q.statements if "competition_judge" in s and "competition_practical_mark" in s]
        assert len(panel_reads) == 1 and "user.name" in panel_reads[0].replace('"', ""), url
        sizes = [s for s in q.statements if "competition_judge" in s and s not in panel_reads]
        assert len(sizes) == (0 if "/scores/" in url else 1), url  # a sheet's page size: its panel counted
        assert all(judge.name in page for judge in panel), url
    empty = CompetitionFactory(status=SCORING)
    db.session.add_all([CompetitionJudge(competition_id=empty.id, judge_id=judge.id) for judge in panel])
    db.session.commit()
    sheet = admin.get(f"/competitions/{empty.id}/scores").get_data(as_text=True)
    heads = re.findall(r'<th class="text-end">([^<]*)</th>', sheet)
    assert heads[:3] == [judge.name for judge in panel] and "没有确认参赛的选手" in sheet


@pytest.mark.parametrize(("judges", "size"), [(0, 50), (3, 50), (12, 50), (13, 46), (30, 20), (45, 20)])
def test_a_large_panel_makes_shorter_pages_of_the_sheet(world, judges, size):
    """A page of the score sheet holds LONG_PAGE_SIZE entries while their judge cells stay within
    SHEET_CELLS, fewer for a larger panel, never fewer than PAGE_SIZE."""
    c = CompetitionFactory(status=SCORING)
    people = [UserFactory(roles=(Role.JUDGE,)) for _ in range(judges)]
    db.session.add_all([CompetitionJudge(competition_id=c.id, judge_id=judge.id) for judge in people])
    db.session.flush()
    assert ranking_pages.sheet_page_size(c, 50, 20) == size


def test_the_sheet_of_a_thirty_judge_panel_pages_by_twenty(world, as_):
    judges = [UserFactory(roles=(Role.JUDGE,), enterprise=world.enterprise_b) for _ in range(30)]
    c = competition_of(25, judges, world.enterprise_a)
    admin = as_(world.admin)
    first = admin.get(f"/competitions/{c.id}/scores").get_data(as_text=True)
    assert [int(n) for n in re.findall(r'aria-label="[^"]*(\d{3})"', first)] == list(range(1, 21))
    assert f"/competitions/{c.id}/scores?after=20" in first
    second = admin.get(f"/competitions/{c.id}/scores?after=20").get_data(as_text=True)
    assert [int(n) for n in re.findall(r'aria-label="[^"]*(\d{3})"', second)] == list(range(21, 26))


def test_score_sheet_pages_by_competitor_number(world, panel, as_):
    c = competition_of(120, panel, world.enterprise_a)
    admin = as_(world.admin)
    first = admin.get(f"/competitions/{c.id}/scores").get_data(as_text=True)
    shown = [int(n) for n in re.findall(r'name="theory_\d+" value="[^"]*" inputmode="decimal" '
                                        r'aria-label="[^"]*(\d{3})"', first)]
    assert shown == list(range(1, 51))
    assert "成绩修改记录" not in first  # history is a page of each entry's own
    second = admin.get(f"/competitions/{c.id}/scores?after=50").get_data(as_text=True)
    assert re.findall(r'aria-label="[^"]*(\d{3})"', second)[:1] == ["051"]
    # the kept page statements answer for each competition and each direction, whichever ran first
    other = competition_of(60, panel, world.enterprise_a)
    for competition, args, expected in ((other, "after=50", "051"), (c, "before=51", "001"), (other, "", "001"),
                                        (other, "before=60", "010"), (c, "after=100", "101")):
        page = admin.get(f"/competitions/{competition.id}/scores?{args}").get_data(as_text=True)
        numbers = re.findall(r'name="theory_(\d+)"', page)
        assert re.findall(r'aria-label="[^"]*(\d{3})"', page)[:1] == [expected], (competition.id, args)
        assert {int(n) for n in numbers} <= set(db.session.scalars(select(CompetitionRegistration.id).where(
            CompetitionRegistration.competition_id == competition.id))), (competition.id, args)


def test_a_corrected_mark_after_reopening_moves_the_rank_at_once(world, as_):
    competition, entries, judges = competition_in_scoring(competitors=4, judges=3)
    for n, entry in enumerate(entries):  # totals fall with the number: #1 first ... #4 last
        judging.enter_theory_mark(world.admin, entry, str(90 - n * 5))
        for judge in judges:
            judging.enter_practical_marks(judge, entry, {i.id: str(90 - n * 4) for i in competition.items})
    results.sign_off(world.admin, competition)
    notice = results.publish_results(world.admin, competition)
    db.session.commit()
    objection = notices.file_objection(world.worker_b, notice, "004 号的理论成绩登记错了。")
    notices.resolve_objection(world.admin, objection, upheld=True, note="核对答题卡，确属登记错误。")
    db.session.commit()
    last = entries[3]

    def stored(entry):
        db.session.expire_all()
        return db.session.scalar(select(CompetitionResult).where(CompetitionResult.registration_id == entry.id))

    assert (stored(last).rank, stored(last).prize) == (4, "third")
    admin = as_(world.admin)
    reopened = admin.post(f"/competitions/{competition.id}/reopen", data={"reason": "更正 004 号理论成绩"})
    assert reopened.status_code == 302
    # the admin corrects the theory mark on the score sheet: the stored result follows in that request
    assert admin.post(f"/competitions/{competition.id}/scores", data={f"theory_{last.id}": "100"}).status_code == 302
    result = stored(last)
    # 100 x 30% + 78 x 70% = 84.60: past #3 (81.40), behind #2 (85.70)
    assert (result.theory, result.total, result.rank, result.position, result.prize) == (
        Decimal("100.00"), Decimal("84.60"), 3, 3, "second")
    assert (stored(entries[2]).rank, stored(entries[2]).prize) == (4, "third")
    sheet = admin.get(f"/competitions/{competition.id}/scores").get_data(as_text=True)
    assert re.findall(r'data-testid="current-rank">(\d+)<', sheet) == ["1", "2", "4", "3"]
    entry_page = admin.get(f"/competitions/{competition.id}/scores/{last.id}").get_data(as_text=True)
    assert 'data-testid="current-rank">3' in entry_page
    # a judge's correction moves it again, at once
    for judge in judges:
        judging.enter_practical_marks(judge, db.session.get(CompetitionRegistration, last.id),
                                      {i.id: "10" for i in competition.items})
    db.session.commit()
    assert stored(last).rank == 4 and stored(entries[2]).rank == 3
    # signing off again ranks exactly as the stored positions already showed
    results.sign_off(world.admin, competition)
    db.session.commit()
    assert [(r.registration.competitor_no, rank) for r, rank in results.ranking(competition)] == [
        (1, 1), (2, 2), (3, 3), (4, 4)]


def _rows(response) -> list[tuple]:
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(load_workbook(io.BytesIO(response.get_data()), read_only=True).active.iter_rows(values_only=True))


def test_big_exports_run_as_jobs_with_every_row(world, panel, as_, monkeypatch):
    c = competition_of(30, panel, world.enterprise_a, waitlisted=3)
    results.sign_off(world.admin, c, acknowledge_flags=True)
    db.session.commit()
    admin = as_(world.admin)
    small = _rows(admin.get(f"/competitions/{c.id}/export/registrations.xlsx"))  # small: straight in the request
    assert len(small) == 1 + 33
    monkeypatch.setattr(export, "INLINE_ROWS", 20)
    monkeypatch.setattr(export, "BATCH", 7)
    for kind, rows, first in (("registrations", 33, "参赛号"), ("scores", 30, "参赛号"), ("results", 30, "名次")):
        url = f"/competitions/{c.id}/export/{kind}.xlsx"
        page = admin.get(url)
        assert page.status_code == 200 and f"共 {rows} 行" in page.text
        started = admin.post(url)
        assert started.status_code == 302 and "/jobs/" in started.location
        job = db.session.get(Job, int(started.location.rstrip("/").rsplit("/", 1)[1]))
        assert job.status == JOB_DONE and job.done == job.total == rows
        written = _rows(admin.get(started.location + "/download"))
        assert written[0][0] == first and len(written) == 1 + rows
        assert as_(world.hr_a).get(started.location).status_code == 404  # only whoever asked
    hr = as_(world.hr_a)
    assert hr.post(f"/competitions/{c.id}/export/results.xlsx").status_code == 403
    assert hr.get(f"/competitions/{c.id}/export/scores.xlsx").status_code == 403
