"""HTTP journeys of the competitions area: forms, pages, uploads, exports, query counts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from core import clock
from models import Role, db
from models.competitions import CONFIRMED, WAITLISTED, Competition, CompetitionPracticalMark, CompetitionRegistration
from services.competitions import bulk, judging, registration, results
from tests.factories import EnterpriseFactory, UserFactory, WorkerFactory
from tests.factories_competitions import CompetitionFactory, competition_in_scoring, scenario
from tests.querycount import count_queries
from tests.service_probe import service_accepts

NOW = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def _form(**overrides):
    data = {
        "name": "2026年晋江市运动鞋制作工技能竞赛", "trade_id": "", "level": "city", "description": "说明",
        "venue": "实训基地", "held_on": "2026-06-20", "registration_opens_at": "2026-05-10T09:00",
        "registration_closes_at": "2026-06-10T18:00", "capacity": "40", "min_age": "16", "max_age": "60",
        "members_only": "y", "theory_weight": "30", "practical_weight": "70",
        "items": "裁断 25\n针车 35\n成型 25\n整理 15", "min_judges": "3", "judge_min_level": "4",
        "prize_tiers": "1-1 一等奖 五一劳动奖章\n2-3 二等奖 技术能手\n4-6 三等奖", "promote_top_n": "3",
        "per_enterprise_cap": "5",
    }
    data.update(overrides)
    return data


def test_admin_creates_and_edits_a_competition(client, login, world):
    login(client, world.admin)
    trade_id = str(world.worker_a.trade_id)
    response = client.post("/competitions/new", data=_form(trade_id=trade_id, eligible_trade_ids=[trade_id]))
    assert response.status_code == 302
    competition = db.session.scalar(select(Competition))
    assert (competition.capacity, competition.per_enterprise_cap, competition.promote_top_n) == (40, 5, 3)
    assert [(i.name, i.weight) for i in competition.items] == [("裁断", 25), ("针车", 35), ("成型", 25), ("整理", 15)]
    assert [(t.rank_from, t.rank_to, t.prize, t.honour) for t in competition.prize_tiers][0] == (
        1, 1, "first", "五一劳动奖章")
    # window entered in Beijing time, stored in UTC
    assert competition.registration_opens_at == datetime(2026, 5, 10, 1, 0, tzinfo=UTC)
    assert competition.status == "draft"

    page = client.get(f"/competitions/{competition.id}/edit").get_data(as_text=True)
    assert "裁断 25" in page and "1-1 一等奖 五一劳动奖章" in page
    bad = client.post(f"/competitions/{competition.id}/edit",
                      data=_form(trade_id=trade_id, theory_weight="40", items="裁断 50\n针车 40"))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "理论与实操权重之和应为 100%" in text
    bad = client.post(f"/competitions/{competition.id}/edit", data=_form(trade_id=trade_id, items="裁断 50\n针车 40"))
    assert "实操各项目权重之和应为 100%（现为 90%）" in bad.get_data(as_text=True)
    bad = client.post(f"/competitions/{competition.id}/edit",
                      data=_form(trade_id=trade_id, prize_tiers="1-3 一等奖\n3-4 二等奖"))
    assert "不能重叠" in bad.get_data(as_text=True)
    ok = client.post(f"/competitions/{competition.id}/edit", data=_form(trade_id=trade_id, capacity="50"))
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).capacity == 50



def test_prize_table_takes_labels_or_codes_stores_codes_and_refuses_other_prizes(client, login, world):
    login(client, world.admin)
    trade_id = str(world.worker_a.trade_id)
    response = client.post("/competitions/new",
                           data=_form(trade_id=trade_id, prize_tiers="1-1 first  五一劳动奖章\n2-3\t优秀奖"))
    assert response.status_code == 302
    competition = db.session.scalar(select(Competition))
    assert [(t.prize, t.honour) for t in competition.prize_tiers] == [("first", "五一劳动奖章"), ("honourable", None)]
    page = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "一等奖（五一劳动奖章）" in page and "优秀奖" in page and "first" not in page
    refused = client.post("/competitions/new", data=_form(trade_id=trade_id, prize_tiers="1-1 特等奖"))
    assert refused.status_code == 200
    assert "这一行的奖项应为一等奖、二等奖、三等奖、优秀奖" in refused.get_data(as_text=True)


def test_worker_sees_eligibility_registers_waitlists_and_withdraws(client, login, world):
    competition = CompetitionFactory(capacity=1, min_skill_level=2)
    CompetitionFactory(name="高级工以上竞赛", min_skill_level=3)
    login(client, world.worker_a)
    page = client.get("/competitions/").get_data(as_text=True)
    assert "高级工以上竞赛" in page and "职业技能等级低于 高级工（三级）" in page

    response = client.post(f"/competitions/{competition.id}/register", follow_redirects=True)
    assert "您的参赛号是 001" in response.get_data(as_text=True)
    page = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert 'data-testid="competitor-number">001<' in page

    other = WorkerFactory(enterprise=world.enterprise_a)
    login(client, other)
    response = client.post(f"/competitions/{competition.id}/register", follow_redirects=True)
    assert "候补名单，第 1 位" in response.get_data(as_text=True)

    login(client, world.worker_a)
    own = db.session.scalar(
        select(CompetitionRegistration).where(CompetitionRegistration.worker_id == world.worker_a.id))
    client.post(f"/competitions/registrations/{own.id}/withdraw")
    login(client, other)
    page = client.get("/competitions/mine").get_data(as_text=True)
    assert "已从候补转为正式参赛，参赛号 002" in page
    again = client.post(f"/competitions/{competition.id}/register", follow_redirects=True)
    assert "每人只能报名一次" in again.get_data(as_text=True)


def _csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8"))


def _xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.mark.parametrize(("maker", "name"), [(_csv, "名单.csv"), (_xlsx, "名单.xlsx")])
def test_hr_uploads_a_list_and_sees_every_row(client, login, world, maker, name):
    competition = CompetitionFactory(capacity=1)
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A-77", name="第二名职工")
    login(client, world.hr_a)
    rows = [["工号"], [world.worker_a.employee_no], ["A-77"], [world.worker_b.employee_no], ["NOPE"]]
    response = client.post(f"/competitions/{competition.id}/enrol/upload",
                           data={"file": (maker(rows), name)}, content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "共 4 行：报名成功 1，候补 1，未能报名 2，空行跳过 0。" in text
    assert "已确认，参赛号 001" in text and "名额已满，候补第 1 位" in text
    assert f"本企业没有工号为“{world.worker_b.employee_no}”的职工" in text
    assert "本企业没有工号为“NOPE”的职工" in text
    statuses = sorted(db.session.scalars(select(CompetitionRegistration.status)))
    assert statuses == [CONFIRMED, WAITLISTED]
    assert db.session.scalar(select(func.count(CompetitionRegistration.id)).where(
        CompetitionRegistration.worker_id == world.worker_b.id)) == 0


def test_upload_of_the_wrong_type_is_refused_by_content(client, login, world):
    competition = CompetitionFactory()
    login(client, world.hr_a)
    fake = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    response = client.post(f"/competitions/{competition.id}/enrol/upload",
                           data={"file": (fake, "名单.xlsx")}, content_type="multipart/form-data")
    assert "不是允许的类型" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CompetitionRegistration.id))) == 0


def test_hr_one_by_one_and_other_enterprise_refused(client, login, world):
    competition = CompetitionFactory()
    login(client, world.hr_a)
    response = client.post(f"/competitions/{competition.id}/enrol", data={"employee_no": world.worker_b.employee_no})
    assert "本企业没有工号" in response.get_data(as_text=True)
    response = client.post(f"/competitions/{competition.id}/enrol", data={"employee_no": world.worker_a.employee_no},
                           follow_redirects=True)
    assert "报名成功，参赛号 001" in response.get_data(as_text=True)
    listing = client.get(f"/competitions/{competition.id}/registrations").get_data(as_text=True)
    assert world.worker_a.name in listing


def test_judge_crafted_post_for_own_enterprise_writes_nothing(client, login, world):
    s = scenario(world)
    login(client, world.judge)
    items = {f"item_{i.id}": "100" for i in s["scoring"].items}
    response = client.post(f"/competitions/{s['scoring'].id}/judge/{s['scoring_b'].id}", data=items)
    assert response.status_code == 404
    queue = client.get(f"/competitions/{s['scoring'].id}/judge").get_data(as_text=True)
    assert "001" in queue and "002" not in queue
    # blind: the marking page shows the number only
    page = client.get(f"/competitions/{s['scoring'].id}/judge/{s['scoring_a'].id}").get_data(as_text=True)
    assert world.worker_a.name not in page and world.enterprise_a.name not in page
    assert db.session.scalar(select(func.count(CompetitionPracticalMark.id))) == 0


def test_public_pages_show_no_private_data(client, world):
    s = scenario(world)
    page = client.get(f"/competitions/results/{s['final'].id}").get_data(as_text=True)
    assert world.worker_b.name in page and "一等奖" in page
    assert world.worker_b.phone not in page and world.worker_b.employee_no not in page
    # an old link (a code of the old kind, case-sensitive with dashes) redirects to the one page and verifies
    good = client.get(f"/competitions/verify?code={s['certificate'].code}", follow_redirects=True)
    assert "证书有效" in good.get_data(as_text=True) and world.worker_b.phone not in good.get_data(as_text=True)
    bad = client.get("/competitions/verify?code=not-a-real-code", follow_redirects=True).get_data(as_text=True)
    assert 'data-status="not_found"' in bad


def test_exports_are_excel_files(client, login, world):
    s = scenario(world)
    login(client, world.admin)
    response = client.get(f"/competitions/{s['open'].id}/export/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["B2"].value == world.worker_b.name
    response = client.get(f"/competitions/{s['final'].id}/export/results.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert (sheet["A2"].value, sheet["C2"].value, sheet["H2"].value) == (1, world.worker_b.name, "一等奖")
    login(client, world.hr_a)  # HR's export holds their own enterprise only
    sheet = load_workbook(io.BytesIO(client.get(f"/competitions/{s['open'].id}/export/registrations.xlsx").data)).active
    assert sheet.max_row == 1


def test_certificate_pdf_download(client, login, world):
    s = scenario(world)
    login(client, world.worker_b)
    response = client.get(f"/competitions/certificates/{s['certificate'].id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    with count_queries() as q:  # the competition's page offers it: read in the statement of the worker's entry
        page = client.get(f"/competitions/{s['final'].id}").get_data(as_text=True)
    assert f"/competitions/certificates/{s['certificate'].id}.pdf" in page
    reads = [statement for statement in q.statements if "competition_certificate" in statement]
    assert len(reads) == 1 and "FROM competition_registration" in reads[0]


def _registrations(count):
    competition = CompetitionFactory(capacity=count)
    for _ in range(count):
        worker = WorkerFactory()
        registration.register(worker, competition, worker)
    db.session.commit()
    return competition


def _queries(client, url):
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    return q.count


def test_registration_list_queries_do_not_grow(client, login, world):
    login(client, world.admin)
    small, large = _registrations(10), _registrations(200)
    url = "/competitions/{}/registrations?page={}"
    assert _queries(client, url.format(small.id, 1)) == _queries(client, url.format(large.id, 4))


def _teams(count):
    competition = CompetitionFactory(is_team=True, team_min=2, team_max=3, capacity=count)
    crews = []
    for n in range(count):
        enterprise = EnterpriseFactory()
        hr = UserFactory(enterprise=enterprise, roles=[Role.HR])
        crew = [WorkerFactory(enterprise=enterprise) for _ in range(3)]
        bulk.register_team(hr, competition, f"队{n}", [w.employee_no for w in crew])
        crews.append(crew)
    db.session.commit()
    return competition, crews


def test_registration_list_shows_each_team_and_its_members_in_the_same_queries(client, login, world):
    login(client, world.admin)
    small, crews = _teams(2)
    page = client.get(f"/competitions/{small.id}/registrations").get_data(as_text=True)
    for n, crew in enumerate(crews):  # the members' names and employee numbers in the order entered
        assert f"<strong>队{n}</strong>" in page
        assert "、".join(w.name for w in crew) in page and "、".join(w.employee_no for w in crew) in page
    large, _crews = _teams(12)
    url = "/competitions/{}/registrations"
    assert _queries(client, url.format(small.id)) == _queries(client, url.format(large.id))


def test_open_competitions_list_queries_do_not_grow(client, login, world):
    login(client, world.worker_a)
    counts = []
    for total in (10, 40):
        for _ in range(total - (counts and 10 or 0)):
            CompetitionFactory()
        counts.append(_queries(client, "/competitions/"))
    assert counts[0] == counts[1]


def test_scores_and_ranking_pages_queries_do_not_grow(client, login, world):
    counts = []
    for size in (10, 200):
        competition, entries, judges = competition_in_scoring(competitors=size, judges=3)
        for entry in entries:
            judging.enter_theory_mark(world.admin, entry, "80")
            for judge in judges:
                judging.enter_practical_marks(judge, entry, {i.id: "75" for i in competition.items})
        db.session.commit()
        login(client, world.admin)
        scores = _queries(client, f"/competitions/{competition.id}/scores")
        results.sign_off(world.admin, competition)
        results.publish_results(world.admin, competition)
        db.session.commit()
        show = _queries(client, f"/competitions/{competition.id}")
        public = _queries(client, f"/competitions/results/{competition.id}")
        counts.append((scores, show, public))
    assert counts[0] == counts[1]


def test_admin_rejects_with_reason_and_waitlist_moves_up(client, login, world):
    competition = CompetitionFactory(capacity=1)
    first, second = WorkerFactory(enterprise=world.enterprise_a), WorkerFactory(enterprise=world.enterprise_b)
    a = registration.register(first, competition, first)
    b = registration.register(second, competition, second)
    db.session.commit()
    login(client, world.admin)
    client.post(f"/competitions/registrations/{a.id}/reject", data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(CompetitionRegistration, a.id).status == CONFIRMED
    client.post(f"/competitions/registrations/{a.id}/reject", data={"reason": "非在岗职工"})
    db.session.expire_all()
    assert db.session.get(CompetitionRegistration, a.id).status == "rejected"
    assert db.session.get(CompetitionRegistration, b.id).competitor_no == 2
    login(client, second)
    assert "从候补转为正式参赛" in client.get(f"/competitions/{competition.id}").get_data(as_text=True)


def test_window_closed_pages_say_so(client, login, world):
    competition = CompetitionFactory(registration_closes_at=NOW - timedelta(hours=1),
                                     registration_opens_at=NOW - timedelta(days=3))
    login(client, world.worker_a)
    page = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "不在报名时间内" in page
    response = client.post(f"/competitions/{competition.id}/register", follow_redirects=True)
    assert "不在报名时间内" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CompetitionRegistration.id))) == 0


def test_hr_enters_a_team_through_the_form(client, login, world):
    competition = CompetitionFactory(is_team=True, team_min=2, team_max=3)
    crew = [WorkerFactory(enterprise=world.enterprise_a) for _ in range(2)]
    login(client, world.hr_a)
    page = client.get(f"/competitions/{competition.id}/enrol").get_data(as_text=True)
    assert "组队报名（每队 2-3 人）" in page and "逐个报名" not in page
    response = client.post(f"/competitions/{competition.id}/enrol/team",
                           data={"team_name": "恒信一队", "employee_nos": crew[0].employee_no})
    assert "每队 2-3 人，现填写了 1 人" in response.get_data(as_text=True)
    response = client.post(f"/competitions/{competition.id}/enrol/team", follow_redirects=True,
                           data={"team_name": "恒信一队", "employee_nos": "\n".join(w.employee_no for w in crew)})
    assert "“恒信一队”队报名成功，参赛号 001" in response.get_data(as_text=True)
    listing = client.get(f"/competitions/{competition.id}/registrations").get_data(as_text=True)
    assert "恒信一队" in listing and crew[1].name in listing
    login(client, crew[1])
    page = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "队伍：恒信一队" in page and 'data-testid="competitor-number">001<' in page


def test_list_filters_by_year_level_trade_and_status(client, login, world):
    from datetime import date

    from tests.factories import TradeFactory

    sewing = TradeFactory(name="缝纫工")
    CompetitionFactory(name="甲竞赛", level="town", held_on=date(2025, 6, 1))
    CompetitionFactory(name="乙竞赛", level="city", trade=sewing, held_on=date(2026, 6, 1))
    CompetitionFactory(name="丙竞赛", level="city", status="final", held_on=date(2026, 6, 1))
    CompetitionFactory(name="丁竞赛", status="draft", held_on=date(2026, 6, 1))
    login(client, world.hr_a)

    def names(query):
        page = client.get(f"/competitions/?{query}").get_data(as_text=True)
        return {n for n in ("甲竞赛", "乙竞赛", "丙竞赛", "丁竞赛") if f">{n}</a>" in page}

    assert names("year=2025") == {"甲竞赛"}
    assert names("level=city") == {"乙竞赛", "丙竞赛"}
    assert names(f"trade={sewing.id}") == {"乙竞赛"}
    assert names("status=final") == {"丙竞赛"}
    assert names("") == {"甲竞赛", "乙竞赛", "丙竞赛"}  # drafts only for admins
    login(client, world.admin)
    assert "丁竞赛" in names("status=draft")


def test_admin_imports_theory_marks_from_a_spreadsheet(client, login, world):
    competition, entries, _judges = competition_in_scoring(competitors=2, judges=0)
    login(client, world.admin)
    upload = _xlsx([["参赛号", "理论成绩"], ["001", 88.5], ["002", "abc"], ["009", 70]])
    response = client.post(f"/competitions/{competition.id}/scores/import", data={"file": (upload, "理论.xlsx")},
                           content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert "已保存" in text and "请填写数字" in text and "没有参赛号为“009”的选手" in text
    db.session.expire_all()
    assert db.session.get(CompetitionRegistration, entries[0].id).theory.mark == 88.5
    assert db.session.get(CompetitionRegistration, entries[1].id).theory is None


def test_admin_approves_a_registration(client, login, world):
    competition = CompetitionFactory()
    entry = registration.register(world.worker_a, competition, world.worker_a)
    db.session.commit()
    login(client, world.admin)
    client.post(f"/competitions/registrations/{entry.id}/approve")
    db.session.expire_all()
    assert db.session.get(CompetitionRegistration, entry.id).approved_by_id == world.admin.id


def test_tie_and_rounding_rules_are_stated_on_the_form_and_the_results_pages(client, login, world):
    s = scenario(world)
    final = s["final"]
    login(client, world.admin)
    pages = {"form": client.get("/competitions/new").text, "edit": client.get(f"/competitions/{final.id}/edit").text,
             "show": client.get(f"/competitions/{final.id}").text,
             "public": client.get(f"/competitions/results/{final.id}").text}
    for name, page in pages.items():
        assert page.count('data-testid="tie-rule"') == 1 and "名次并列" in page, name
    for name in ("show", "public"):
        assert "先四舍五入到两位小数，再与理论成绩合计" in pages[name]
        assert f"理论 × {final.theory_weight}% + 实操 × {final.practical_weight}%" in pages[name], name


def test_a_finished_competition_shows_no_waitlist_place_and_a_passed_over_entry_says_why(client, login, world):
    from models.competitions import FINAL, PASSED_OVER

    competition = CompetitionFactory(capacity=1)
    holder = WorkerFactory(enterprise=world.enterprise_a)
    registration.register(holder, competition, holder)
    waiting = registration.register(world.worker_a, competition, world.worker_a)
    db.session.commit()
    login(client, world.worker_a)
    assert 'data-testid="waitlist-position"' in client.get(f"/competitions/{competition.id}").text
    competition.status = FINAL
    db.session.commit()
    page = client.get(f"/competitions/{competition.id}").text
    assert 'data-testid="waitlist-position"' not in page and "候补未能递补" in page
    assert registration.waitlist_positions(competition.id) == {}
    waiting.status, waiting.reason = PASSED_OVER, "账号已停用。"
    db.session.commit()
    page = client.get(f"/competitions/{competition.id}").text
    assert 'data-testid="passed-over"' in page and "账号已停用。" in page and "递补时已跳过" in page


def test_a_prize_reads_proposed_until_the_results_are_final(client, login, world):
    from models.competitions import NOTICED

    s = scenario(world)
    final = s["final"]
    login(client, world.worker_b)
    assert 'data-testid="prize-stage"' not in client.get(f"/competitions/{final.id}").text
    final.status = NOTICED
    db.session.commit()
    page = client.get(f"/competitions/{final.id}").text
    assert 'data-testid="prize-stage"' in page and "拟获奖，公示中" in page


def test_the_trade_restriction_reads_the_same_as_the_header(client, login, world):
    """One text of the restriction (eligibility.trade_restriction): with no trade chosen, the detail
    page does not read a bare 不限 under a header naming a trade; with trades chosen, the page and the
    refusal name the same trades."""
    from tests.factories import TradeFactory

    competition = CompetitionFactory(name="电工竞赛")
    db.session.commit()
    login(client, world.worker_a)
    html = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    row = html[html.index('data-testid="trade-restriction"'):]
    row = row[:row.index("</dd>")]
    assert "不限工种" in row and str(competition.trade.label) in row
    other = TradeFactory(name="电焊工")
    competition.eligible_trades = [other]
    db.session.commit()
    html = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    row = html[html.index('data-testid="trade-restriction"'):]
    assert row[row.index(">") + 1:row.index("</dd>")] == "电焊工"
    assert "工种不符（限 电焊工）" in html


@pytest.mark.parametrize("which", ["open", "scoring", "final"])
def test_the_entrants_withdraw_button_is_offered_exactly_when_the_rule_allows(client, login, world, which):
    """The competitor's 退赛 button follows services.competitions.registration.withdraw: offered while
    the registration window is open, never after (scoring, final)."""

    s = scenario(world)
    competition = s[which]
    entry = db.session.scalar(select(CompetitionRegistration).where(
        CompetitionRegistration.competition_id == competition.id,
        CompetitionRegistration.worker_id == world.worker_b.id))
    login(client, world.worker_b)
    html = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    shown = f"/competitions/registrations/{entry.id}/withdraw" in html
    allowed = service_accepts(lambda: registration.withdraw(world.worker_b, entry))
    assert shown == allowed
    assert shown == (which == "open")
