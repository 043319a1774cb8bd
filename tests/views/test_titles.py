"""Titles through HTTP: nomination form, review, public honour roll and verification, growth record."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from core import clock
from models import db
from models.titles import Nomination, TitleAward
from services.titles import awards, nominations
from tests.factories import WorkerFactory
from tests.factories_titles import award_through_round, default_titles, make_eligible, open_round
from tests.querycount import count_queries
from tests.service_probe import service_accepts

CITATION = "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。"
NOW = datetime(2026, 3, 2, 2, tzinfo=UTC)


@pytest.fixture
def kinds():
    return default_titles()


def test_nomination_form_shows_computed_rules_and_refuses_ineligible(client, login, world, kinds):
    with clock.frozen(NOW):
        title_round = open_round(world.admin, kinds["晋江工匠"])
        login(client, world.hr_a)
        page = client.get(f"/titles/rounds/{title_round.id}/nominate?worker={world.worker_a.id}")
        html = page.get_data(as_text=True)
        assert "✗" in html and "技能等级或竞赛名次" in html and "中级工" in html
        response = client.post(f"/titles/rounds/{title_round.id}/nominate",
                               data={"worker": world.worker_a.id, "citation": CITATION})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "不符合申报条件" in html and CITATION in html  # the reason, and what was typed is kept
    assert db.session.scalar(db.select(db.func.count(Nomination.id))) == 0


def test_hr_nominates_with_attachment_and_admin_awards(client, login, world, kinds, app):
    make_eligible(world.hr_a, world.worker_a)
    with clock.frozen(NOW):
        title_round = open_round(world.admin, kinds["晋江工匠"])
        login(client, world.hr_a)
        response = client.post(
            f"/titles/rounds/{title_round.id}/nominate",
            data={"worker": world.worker_a.id, "citation": CITATION,
                  "attachments": [(io.BytesIO(b"%PDF-1.4 evidence"), "事迹材料.pdf")]},
            content_type="multipart/form-data")
        assert response.status_code == 302
        nomination = db.session.scalar(db.select(Nomination))
        assert [f.original_name for f in nomination.attachments] == ["事迹材料.pdf"]
        file_url = f"/titles/nominations/{nomination.id}/files/{nomination.attachments[0].id}"
        assert client.get(file_url).status_code == 200
        other_hr = app.test_client()
        login(other_hr, world.hr_b)
        assert other_hr.get(file_url).status_code == 404
        admin = app.test_client()
        login(admin, world.admin)
        html = admin.get(f"/titles/rounds/{title_round.id}").get_data(as_text=True)
        assert world.worker_a.name in html and "技师" in html
        admin.post(f"/titles/nominations/{nomination.id}/review", data={"decision": "approve"})
        admin.post(f"/titles/nominations/{nomination.id}/award")
    db.session.expire_all()
    granted = db.session.scalar(db.select(TitleAward))
    assert granted.worker_id == world.worker_a.id and granted.status == "notice"


def test_public_honour_roll_shows_holders_without_private_data(client, world, kinds):
    make_eligible(world.hr_a, world.worker_a)
    award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
    html = client.get("/titles/honours").get_data(as_text=True)
    assert world.worker_a.name in html and "晋江工匠" in html and world.enterprise_a.name in html
    for private in (world.worker_a.phone, world.worker_a.username, world.worker_a.employee_no, "1990"):
        assert private not in html


def test_honour_roll_query_count_is_flat(client, world, kinds):
    with clock.frozen(NOW):
        title_round = open_round(world.admin, kinds["晋江工匠"], quota=100)

    def award_new(count):
        with clock.frozen(NOW):
            for _ in range(count):
                worker = WorkerFactory(enterprise=world.enterprise_a)
                make_eligible(world.hr_a, worker)
                nomination = nominations.nominate(world.hr_a, title_round, worker, CITATION)
                nominations.review_nomination(world.admin, nomination, True, "")
                awards.award(world.admin, nomination)
            db.session.commit()

    award_new(2)
    client.get("/titles/honours")
    with count_queries() as few:
        client.get("/titles/honours")
    award_new(25)
    with count_queries() as many:
        client.get("/titles/honours")
    assert few.count == many.count


def test_verification_page_states(client, world, kinds):
    """Old QR links (/titles/verify/<code>) redirect to the one page, which answers every state."""
    kinds["晋江工匠"].validity_years = 2
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
    url = f"/titles/verify/{granted.verification_code}"
    with clock.frozen(NOW + timedelta(days=100)):
        assert 'data-status="valid"' in client.get(url, follow_redirects=True).get_data(as_text=True)
    with clock.frozen(NOW + timedelta(days=800)):
        assert 'data-status="expired"' in client.get(url, follow_redirects=True).get_data(as_text=True)
    awards.revoke_award(world.admin, granted, "弄虚作假")
    db.session.commit()
    html = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert 'data-status="revoked"' in html and world.worker_a.phone not in html
    assert 'data-status="not_found"' in client.get("/titles/verify/guessed-code",
                                                    follow_redirects=True).get_data(as_text=True)
    response = client.get(f"/titles/verify?code={granted.verification_code}")
    assert response.status_code == 302 and response.location.startswith("/verify?code=")


def test_certificate_pdf_has_chinese_text_and_is_private(app, client, login, world, kinds):
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
    login(client, world.worker_a)
    response = client.get(f"/titles/awards/{granted.id}/certificate.pdf")
    assert response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "晋江工匠" in text and world.worker_a.name in text and granted.certificate_no in text
    stranger = app.test_client()
    login(stranger, world.worker_b)
    assert stranger.get(f"/titles/awards/{granted.id}/certificate.pdf").status_code == 404


def test_a_title_reads_proposed_then_on_notice_then_awarded_and_has_no_certificate_before(client, login, world,
                                                                                          kinds):
    """拟授予 (awarded in the round, notice not published) -> 公示中 (notice runs) -> 已授予 (final); the
    certificate exists (and its links show) only once final."""
    make_eligible(world.hr_a, world.worker_a)
    start = datetime(2026, 3, 2, 2, tzinfo=UTC)
    with clock.frozen(start):
        title_round = open_round(world.admin, kinds["晋江工匠"])
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a, CITATION)
        nominations.review_nomination(world.admin, nomination, True, "事迹属实")
        granted = awards.award(world.admin, nomination)
        db.session.commit()
    login(client, world.worker_a)
    certificate = f"/titles/awards/{granted.id}/certificate.pdf"
    stages = []
    for when, step in ((start, None), (start + timedelta(days=31), awards.publish_awards),
                       (start + timedelta(days=45), awards.finalise_round)):
        with clock.frozen(when):
            if step:
                step(world.admin, title_round)
                db.session.commit()
            db.session.expire_all()
            stages.append((str(db.session.get(TitleAward, granted.id).status_label),
                           str(db.session.get(Nomination, nomination.id).status_label),
                           client.get(certificate).status_code, certificate in client.get("/titles/").text))
    assert stages == [("拟授予", "拟授予", 404, False), ("公示中", "公示中", 404, False),
                      ("已授予", "已授予", 200, True)]


class TestGrowthRecord:
    def test_visible_to_self_own_hr_and_admin_only(self, app, login, world):
        url = f"/titles/growth/{world.worker_a.id}"
        for person, status in ((world.worker_a, 200), (world.hr_a, 200), (world.admin, 200), (world.hr_b, 404),
                               (world.worker_b, 404)):
            client = app.test_client()
            login(client, person)
            assert client.get(url).status_code == status, person.name

    def test_shows_levels_and_titles_in_time_order(self, client, login, world, kinds):
        make_eligible(world.hr_a, world.worker_a)
        award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
        login(client, world.worker_a)
        html = client.get(f"/titles/growth/{world.worker_a.id}").get_data(as_text=True)
        assert html.index("技师（二级）") < html.index("晋江工匠")

    def test_query_count_does_not_grow_with_history(self, client, login, world):
        login(client, world.worker_a)
        url = f"/titles/growth/{world.worker_a.id}"
        client.get(url)
        with count_queries() as few:
            client.get(url)
        for rank in (3, 4, 5, 3, 4, 5, 6):
            make_eligible(world.hr_a, world.worker_a, rank=rank)
        with count_queries() as many:
            client.get(url)
        assert few.count == many.count


def test_the_admins_award_list_reads_each_stage_with_the_holders_name_and_enterprise(client, login, world, kinds):
    """The round page's award list (plain rows) shows what the awards themselves read at every stage:
    拟授予, 公示中, 已授予, then 已撤销 with its reason; the holder's name and enterprise."""
    make_eligible(world.hr_a, world.worker_a)
    start = datetime(2026, 3, 2, 2, tzinfo=UTC)
    with clock.frozen(start):
        title_round = open_round(world.admin, kinds["晋江工匠"])
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a, CITATION)
        nominations.review_nomination(world.admin, nomination, True, "事迹属实")
        granted = awards.award(world.admin, nomination)
        db.session.commit()
    login(client, world.admin)
    seen = []
    for when, step in ((start, None), (start + timedelta(days=31), awards.publish_awards),
                       (start + timedelta(days=45), awards.finalise_round),
                       (start + timedelta(days=46), lambda actor, _round: awards.revoke_award(
                           actor, db.session.get(TitleAward, granted.id), "材料弄虚作假"))):
        with clock.frozen(when):
            if step:
                step(world.admin, title_round)
                db.session.commit()
            db.session.expire_all()
            expected = [(a.id, a.certificate_no, a.status, a.revoked_reason, a.worker.name, a.enterprise.name,
                         str(a.status_label)) for a in awards.round_awards(db.session.get(type(title_round),
                                                                                          title_round.id))]
            rows = awards.round_award_rows(db.session.get(type(title_round), title_round.id))
            assert [(r.id, r.certificate_no, r.status, r.revoked_reason, r.worker_name, r.enterprise_name,
                     str(r.status_label)) for r in rows] == expected
            section = client.get(f"/titles/rounds/{title_round.id}").text.split('data-testid="round-awards"', 1)[1]
            section = section.split("</table>", 1)[0]
            assert world.worker_a.name in section and world.enterprise_a.name in section
            seen.append(next(label for label in ("拟授予", "公示中", "已授予", "已撤销") if label in section))
    assert seen == ["拟授予", "公示中", "已授予", "已撤销"]
    assert "材料弄虚作假" in section


@pytest.mark.parametrize("status,after_deadline", [("submitted", False), ("submitted", True), ("approved", False),
                                                   ("rejected", False), ("withdrawn", False)])
def test_the_nomination_withdraw_button_is_offered_exactly_when_the_rule_allows(client, login, world, kinds,
                                                                                 status, after_deadline):
    """HR's 撤回推荐 button follows services.titles.nominations.withdraw_nomination (a submitted
    nomination, before review and the deadline)."""

    make_eligible(world.hr_a, world.worker_a)
    with clock.frozen(NOW):
        title_round = open_round(world.admin, kinds["晋江工匠"])
        nomination = nominations.nominate(world.hr_a, title_round, world.worker_a, CITATION, [])
        nomination.status = status
        db.session.commit()
    moment = title_round.deadline + timedelta(days=1) if after_deadline else NOW
    with clock.frozen(moment):
        login(client, world.hr_a)
        html = client.get(f"/titles/nominations/{nomination.id}").get_data(as_text=True)
        shown = f"/titles/nominations/{nomination.id}/withdraw" in html
        allowed = service_accepts(lambda: nominations.withdraw_nomination(world.hr_a, nomination))
    assert shown == allowed
    assert allowed == (status == "submitted" and not after_deadline)


def test_a_refused_nomination_keeps_its_attachments(client, login, world, kinds):
    import re

    make_eligible(world.hr_a, world.worker_a)
    with clock.frozen(NOW):
        title_round = open_round(world.admin, kinds["晋江工匠"])
        login(client, world.hr_a)
        html = client.post(f"/titles/rounds/{title_round.id}/nominate", content_type="multipart/form-data",
                           data={"worker": world.worker_a.id, "citation": "",
                                 "attachments": [(io.BytesIO(b"%PDF-1.4 evidence"), "事迹材料.pdf")]}).text
        assert "已上传：事迹材料.pdf" in html
        token = re.search(r'name="attachments_held" value="([0-9a-f]{32})"', html).group(1)
        response = client.post(f"/titles/rounds/{title_round.id}/nominate", content_type="multipart/form-data",
                               data={"worker": world.worker_a.id, "citation": CITATION, "attachments_held": token,
                                     "form_token": re.search(r'name="form_token"[^>]*value="([^"]+)"', html).group(1)
                                     if re.search(r'name="form_token"[^>]*value="([^"]+)"', html) else ""})
        assert response.status_code == 302
        nomination = db.session.scalar(db.select(Nomination))
        assert [f.original_name for f in nomination.attachments] == ["事迹材料.pdf"]
