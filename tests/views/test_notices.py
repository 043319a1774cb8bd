"""The one objection flow (blueprints/notices) through HTTP: each area's page posts its objection form
to /notices/<id>/objections and the owner's resolution to /notices/objections/<id>/resolve; both go back
to the subject's page. Who may do it is in tests/route_rules/notices.py."""

from datetime import UTC, datetime, timedelta

from core import clock
from models import db
from models.notices import OBJECTION_UPHELD, Objection
from services.titles import awards
from tests.factories_competitions import scenario
from tests.factories_titles import award_through_round, default_titles, make_eligible

BODY = "该职工的技能证书为代考所得，请核查。"
NOTICE_TIME = datetime(2026, 4, 3, 2, tzinfo=UTC)  # the round's notice runs (published on 2 April)


def test_an_objection_to_a_title_round_is_filed_and_resolved_on_its_pages(client, login, world):
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, default_titles()["晋江工匠"],
                                  finalise=False)
    notice = awards.round_notice(granted.round)
    with clock.frozen(NOTICE_TIME):
        login(client, world.worker_b)
        page = client.get(f"/titles/rounds/{granted.round_id}/notice").text
        assert f'action="/notices/{notice.id}/objections"' in page
        response = client.post(f"/notices/{notice.id}/objections", data={"body": BODY}, follow_redirects=True)
        assert response.request.path == f"/titles/rounds/{granted.round_id}/notice"
        assert "您的异议已实名提交" in response.text and BODY in response.text  # under 我提出的异议
        objection = db.session.scalar(db.select(Objection))
        assert objection.objector_id == world.worker_b.id
        assert client.post(f"/notices/objections/{objection.id}/resolve",
                           data={"outcome": "upheld", "note": "经核查属实。"}).status_code == 403
        login(client, world.admin)
        assert f'action="/notices/objections/{objection.id}/resolve"' in client.get(
            f"/titles/rounds/{granted.round_id}").text
        response = client.post(f"/notices/objections/{objection.id}/resolve",
                               data={"outcome": "upheld", "note": "经核查属实。"})
        assert response.headers["Location"].endswith(f"/titles/rounds/{granted.round_id}")
    db.session.expire_all()
    assert objection.status == OBJECTION_UPHELD and objection.resolved_by_id == world.admin.id


def test_a_refused_objection_is_flashed_on_the_subjects_page(client, login, world):
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, default_titles()["晋江工匠"],
                                  finalise=False)
    notice = awards.round_notice(granted.round)
    login(client, world.worker_b)
    with clock.frozen(NOTICE_TIME):
        response = client.post(f"/notices/{notice.id}/objections", data={"body": "不服"}, follow_redirects=True)
        assert "请具体说明异议的理由" in response.text
    with clock.frozen(NOTICE_TIME + timedelta(days=30)):
        response = client.post(f"/notices/{notice.id}/objections", data={"body": BODY}, follow_redirects=True)
        assert "公示期已结束" in response.text
    assert db.session.scalar(db.select(db.func.count(Objection.id))) == 0


def test_a_competition_page_lists_objections_and_posts_to_the_one_flow(client, login, world):
    s = scenario(world)
    login(client, world.admin)
    html = client.get(f"/competitions/{s['final'].id}").text
    assert "成绩计算可能有误" in html and f'action="/notices/objections/{s["objection"].id}/resolve"' in html
    response = client.post(f"/notices/objections/{s['objection'].id}/resolve",
                           data={"outcome": "dismissed", "note": "经复核无误。"}, follow_redirects=True)
    assert response.request.path == f"/competitions/{s['final'].id}" and "异议不成立" in response.text


def test_a_provisional_end_reads_暂定_on_the_notice_and_round_pages(client, login, world):
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, default_titles()["晋江工匠"],
                                  finalise=False)
    notice = awards.round_notice(granted.round)
    login(client, world.admin)
    with clock.frozen(NOTICE_TIME):
        assert 'data-testid="provisional-end"' not in client.get(f"/titles/rounds/{granted.round_id}/notice").text
        notice.provisional = True
        db.session.commit()
        for url in (f"/titles/rounds/{granted.round_id}/notice", f"/titles/rounds/{granted.round_id}"):
            page = client.get(url).text
            assert page.count('data-testid="provisional-end"') == 1 and "暂定" in page, url


def test_every_template_shows_a_notice_end_through_the_one_macro():
    """Every page that prints a notice's end goes through _macros/notice.html notice_end (which adds 暂定).
    (Other things end too: a training class's `ends_at` is its timetable, not a notice.)"""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    notice_end = re.compile(r"notice\w*\.ends_at")
    offenders = [p.relative_to(root).as_posix() for p in root.rglob("*.html")
                 if notice_end.search(p.read_text(encoding="utf-8"))]
    assert offenders == ["_macros/notice.html"]
