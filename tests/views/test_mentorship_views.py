"""HTTP behaviour of the mentorship area: messages beside the right field, visibility of pairs and
check-ins (404 for other enterprises), the agreement print view, export, and query counts that do
not grow with the number of pairs."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from core import clock
from models import db
from models.mentorship import Assessment, CheckIn, MentorPair
from tests.factories import WorkerFactory
from tests.factories_mentorship import MentorPairFactory, activate, create_pair
from tests.querycount import count_queries
from tests.service_probe import service_accepts

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(datetime(2026, 3, 2, 4, tzinfo=UTC)):
        yield


@pytest.fixture
def pair_a(world):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=4, name="陈师傅")
    return activate(create_pair(world.hr_a, mentor, world.worker_a))


def field_error(html: str, field: str) -> str:
    """The invalid-feedback text rendered right after the field's input."""
    start = html.index(f'id="{field}"')
    following = [i for i in (html.find('<div class="mb-3"', start), html.find("</form>", start)) if i != -1]
    block = html[start:min(following)]  # up to the next field
    marker = 'invalid-feedback'
    assert marker in block, f"no error shown beside {field}"
    return block[block.index(marker):block.index("</div>", block.index(marker))]


def post_pair(client, world, **overrides):
    data = {"mentor_id": "", "apprentice_id": str(world.worker_a.id), "trade_id": str(world.worker_a.trade_id),
            "goal_level": "3", "goals": "掌握关键工艺", "start_date": "2026-03-02", "planned_end": "",
            "checkin_frequency": "monthly", **overrides}
    return client.post("/mentorship/pairs/new", data=data)


@pytest.mark.parametrize(("mentor_level", "apprentice_level", "field", "message"), [
    (2, 0, "mentor_id", "师傅须达到高级工（三级）及以上，或持有工匠称号"),
    (3, 3, "mentor_id", "师傅的技能等级须至少比徒弟高一级"),
])
def test_refusals_are_shown_beside_the_field(client, login, world, mentor_level, apprentice_level, field, message):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=mentor_level)
    world.worker_a.skill_level = apprentice_level
    db.session.commit()
    login(client, world.hr_a)
    response = post_pair(client, world, mentor_id=str(mentor.id), goal_level=str(apprentice_level + 1))
    assert response.status_code == 200
    assert message in field_error(response.get_data(as_text=True), field)
    assert db.session.scalar(db.select(db.func.count(MentorPair.id))) == 0


def test_self_pairing_and_full_mentor_messages(client, login, world):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5, name="满员师傅")
    for _ in range(3):
        create_pair(world.hr_a, mentor, WorkerFactory(enterprise=world.enterprise_a, skill_level=1))
    login(client, world.hr_a)
    html = post_pair(client, world, mentor_id=str(world.worker_a.id)).get_data(as_text=True)
    assert "师傅和徒弟不能是同一个人" in field_error(html, "apprentice_id")
    html = post_pair(client, world, mentor_id=str(mentor.id)).get_data(as_text=True)
    assert "满员师傅 已有 3 名在带或待确认的徒弟，达到上限" in field_error(html, "mentor_id")


def test_already_paired_message_and_success_redirect(client, login, world):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5)
    login(client, world.hr_a)
    response = post_pair(client, world, mentor_id=str(mentor.id))
    assert response.status_code == 302
    pair = db.session.scalar(db.select(MentorPair))
    assert response.headers["Location"].endswith(f"/mentorship/pairs/{pair.id}")
    other = WorkerFactory(enterprise=world.enterprise_a, skill_level=5)
    html = post_pair(client, world, mentor_id=str(other.id)).get_data(as_text=True)
    assert "一个工种只能有一位在带师傅" in field_error(html, "apprentice_id")


def test_tampered_person_of_another_enterprise_is_404(client, login, world):
    login(client, world.hr_a)
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5)
    assert post_pair(client, world, mentor_id=str(mentor.id), apprentice_id=str(world.worker_b.id)).status_code == 404
    assert post_pair(client, world, mentor_id=str(world.judge.id)).status_code == 404


def test_people_are_picked_by_typed_name_within_own_enterprise(client, login, world):
    login(client, world.hr_a)
    html = client.get("/mentorship/pairs/new").get_data(as_text=True)
    assert world.worker_a.name not in html and world.worker_b.name not in html  # no list of everyone
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5, name="甲企老师傅")
    html = post_pair(client, world, mentor_id_q=world.worker_b.name).get_data(as_text=True)
    assert "没有找到" in field_error(html, "mentor_id")  # another enterprise's worker is not found
    response = post_pair(client, world, mentor_id_q=mentor.employee_no.lower(), apprentice_id="",
                         apprentice_id_q=world.worker_a.name)
    assert response.status_code == 302
    assert db.session.scalar(db.select(MentorPair)).mentor_id == mentor.id


def test_confirm_and_respond_through_http(client, login, world):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=4)
    pair = create_pair(world.hr_a, mentor, world.worker_a)
    login(client, mentor)
    client.post(f"/mentorship/pairs/{pair.id}/confirm")
    login(client, world.worker_a)
    client.post(f"/mentorship/pairs/{pair.id}/confirm")
    db.session.expire_all()
    assert db.session.get(MentorPair, pair.id).status == "active"
    login(client, mentor)
    # Refused for another field (no skill points): the photo is held and shown, not chosen again.
    html = client.post(f"/mentorship/pairs/{pair.id}/checkins/new", data={
        "checkin_date": "2026-03-02", "hours": "2.5", "taught": "讲解针车操作", "skill_points": "",
        "photo": (io.BytesIO(PNG), "课堂.png")}, content_type="multipart/form-data").get_data(as_text=True)
    assert "已上传：课堂.png" in html
    token = re.search(r'name="photo_held" value="([0-9a-f]{32})"', html).group(1)
    response = client.post(f"/mentorship/pairs/{pair.id}/checkins/new", data={
        "checkin_date": "2026-03-02", "hours": "2.5", "taught": "讲解针车操作", "skill_points": "针距",
        "photo_held": token}, content_type="multipart/form-data")
    assert response.status_code == 302
    checkin = db.session.scalar(db.select(CheckIn))
    assert checkin.photo_id is not None
    login(client, world.worker_a)
    html = client.post(f"/mentorship/checkins/{checkin.id}/respond",
                       data={f"checkin{checkin.id}-dispute": "1", f"checkin{checkin.id}-note": ""}).get_data(
        as_text=True)
    assert "提出异议时请写明原因" in html
    client.post(f"/mentorship/checkins/{checkin.id}/respond", data={f"checkin{checkin.id}-confirm": "1"})
    db.session.expire_all()
    assert db.session.get(CheckIn, checkin.id).status == "confirmed"


def test_checkin_and_photo_visible_only_to_pair_their_hr_and_admins(client, login, world, pair_a):
    from services.mentorship import checkins

    class Upload:
        filename = "照片.png"

        def read(self, n=-1):
            return PNG

    checkin = checkins.record_checkin(pair_a.mentor, pair_a, checkin_date=date(2026, 3, 2), hours=2,
                                     taught="讲解", skill_points="要点", photo=Upload())
    db.session.commit()
    stranger = WorkerFactory(enterprise=world.enterprise_a)
    expect = {pair_a.mentor: 200, world.worker_a: 200, world.hr_a: 200, world.admin: 200,
              world.hr_b: 404, world.worker_b: 404, stranger: 404, world.judge: 404}
    for user, status in expect.items():
        login(client, user)
        show = client.get(f"/mentorship/pairs/{pair_a.id}")
        photo = client.get(f"/mentorship/checkins/{checkin.id}/photo")
        assert (show.status_code, photo.status_code) == (status, status), user.name
        if status == 200:
            assert "讲解" in show.get_data(as_text=True)
            assert photo.data == PNG


def test_the_pair_page_links_a_photo_only_where_there_is_one_and_names_who_changed_the_status(
        client, login, world, pair_a):
    """Each check-in links its photo only when it has one; the history names the person of each change
    (a change without a person reads —)."""
    from models.mentorship import PairStatusChange
    from services.mentorship import checkins

    class Upload:
        filename = "照片.png"

        def read(self, n=-1):
            return PNG

    with_photo = checkins.record_checkin(pair_a.mentor, pair_a, checkin_date=date(2026, 3, 2), hours=2,
                                        taught="讲解", skill_points="要点", photo=Upload())
    without = checkins.record_checkin(pair_a.mentor, pair_a, checkin_date=date(2026, 3, 2), hours=2,
                                     taught="示范", skill_points="要点")
    db.session.add(PairStatusChange(pair_id=pair_a.id, from_status="active", to_status="active", reason="系统核对"))
    db.session.commit()
    login(client, world.hr_a)
    html = client.get(f"/mentorship/pairs/{pair_a.id}").get_data(as_text=True)
    assert f"/mentorship/checkins/{with_photo.id}/photo" in html
    assert f"/mentorship/checkins/{without.id}/photo" not in html and "示范" in html
    history = html.split('data-testid="history"', 1)[1].split("</table>", 1)[0]
    names = re.findall(r'data-label="办理人">([^<]*)</td>', history)
    assert names[0] == world.hr_a.name and names[-1] == "—" and len(names) >= 3


def test_agreement_print_view(client, login, world, pair_a):
    login(client, world.hr_a)
    html = client.get(f"/mentorship/pairs/{pair_a.id}/agreement").get_data(as_text=True)
    assert "带徒协议" in html and "陈师傅" in html and world.worker_a.name in html and "js/mentorship.js" in html
    login(client, world.hr_b)
    assert client.get(f"/mentorship/pairs/{pair_a.id}/agreement").status_code == 404


def test_worker_sees_only_own_pairs_in_the_index(client, login, world, pair_a):
    MentorPairFactory(mentor__enterprise=world.enterprise_a, mentor__name="别人的师傅")
    login(client, world.worker_a)
    html = client.get("/mentorship/").get_data(as_text=True)
    assert "我的师傅：陈师傅" in html and "别人的师傅" not in html


def test_export_is_an_xlsx_of_own_enterprise(client, login, world, pair_a):
    MentorPairFactory(mentor__enterprise=world.enterprise_b)
    login(client, world.hr_a)
    page = client.get("/mentorship/pairs/export.xlsx?filter=active")
    assert page.status_code == 200 and 'data-testid="export"' in page.text
    response = client.post("/mentorship/pairs/export.xlsx?filter=active")  # a background job
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job_page = client.get(response.headers["Location"]).text
    assert "已导出 1 个师徒结对。" in job_page
    named = re.search(r'data-testid="job-kind">([^<]*)<', job_page).group(1)  # what the job is, and its file
    assert named.endswith(".xlsx") and " · " in named
    download = client.get(response.headers["Location"] + "/download")
    assert download.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(download.data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [pair_a.id]
    assert client.get("/mentorship/pairs/export.xlsx?filter=bogus").status_code == 404


def test_dashboard_number_links_to_its_list(client, login, world, pair_a):
    login(client, world.hr_a)
    html = client.get("/mentorship/").get_data(as_text=True)
    assert 'href="/mentorship/pairs?filter=active"' in html
    listing = client.get("/mentorship/pairs?filter=active").get_data(as_text=True)
    assert "陈师傅" in listing
    assert client.get("/mentorship/pairs?filter=bogus").status_code == 404


# --- query counts ----------------------------------------------------------------------------------


def make_pairs(world, n):
    for i in range(n):
        pair = MentorPairFactory(mentor__enterprise=world.enterprise_a if i % 2 else world.enterprise_b,
                                 status=("active", "completed", "proposed")[i % 3])
        if pair.status == "completed":
            db.session.add(Assessment(pair_id=pair.id, assessed_on=date(2026, 1, 5), grade="pass", level_reached=2,
                                      score=80, assessor="考评组"))
    db.session.commit()


def queries(client, url):
    client.get(url)  # warm-up (session load, caches)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


@pytest.mark.parametrize(("persona", "url"), [
    ("hr_a", "/mentorship/"),
    ("admin", "/mentorship/"),
    ("hr_a", "/mentorship/pairs"),
    ("admin", "/mentorship/pairs?filter=active"),
    ("admin", "/mentorship/excellent"),
])
def test_query_count_does_not_grow_with_pairs(client, login, world, persona, url):
    login(client, world.persona(persona))
    make_pairs(world, 10)
    small = queries(client, url)
    make_pairs(world, 190)
    assert queries(client, url) == small


def test_person_page_query_count_does_not_grow(client, login, world):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=6)
    login(client, world.hr_a)

    def add(n):
        for _ in range(n):
            MentorPairFactory(mentor=mentor, status="completed")
    add(10)
    small = queries(client, f"/mentorship/people/{mentor.id}")
    add(190)
    assert queries(client, f"/mentorship/people/{mentor.id}") == small


def test_pair_page_query_count_does_not_grow_with_checkins(client, login, world, pair_a):
    login(client, world.hr_a)

    def add(n):
        for _ in range(n):
            db.session.add(CheckIn(pair_id=pair_a.id, checkin_date=date(2026, 3, 2), hours=1, taught="讲解",
                                   skill_points="要点"))
        db.session.commit()
    add(10)
    small = queries(client, f"/mentorship/pairs/{pair_a.id}")
    add(190)
    assert queries(client, f"/mentorship/pairs/{pair_a.id}") == small


def test_hr_of_another_enterprise_cannot_act(client, login, world, pair_a):
    login(client, world.hr_b)
    for url in (f"/mentorship/pairs/{pair_a.id}/assess", f"/mentorship/pairs/{pair_a.id}/end",
                f"/mentorship/pairs/{pair_a.id}/extend", f"/mentorship/pairs/{pair_a.id}/dissolve"):
        assert client.post(url, data={"reason": "x", "end-reason": "left_company"}).status_code == 404, url
    db.session.expire_all()
    assert db.session.get(MentorPair, pair_a.id).status == "active"


def test_the_admin_revokes_a_final_excellent_pair_from_the_list(client, login, world):
    from models.mentorship import ExcellentNomination
    from services.mentorship import excellent
    from tests.route_rules.mentorship import nomination_args

    nomination = db.session.get(ExcellentNomination, nomination_args(world)["nomination_id"])
    excellent.select(world.admin, nomination)
    excellent.publish(world.admin, 2026)
    db.session.commit()
    with clock.frozen(clock.now() + timedelta(days=30)):
        excellent.finalise(world.admin, 2026)
        db.session.commit()
        login(client, world.admin)
        html = client.get("/mentorship/excellent?year=2026").text
        assert f"/mentorship/nominations/{nomination.id}/revoke" in html
        client.post(f"/mentorship/nominations/{nomination.id}/revoke", data={"reason": ""})
        db.session.expire_all()
        assert db.session.get(ExcellentNomination, nomination.id).revoked_at is None  # a reason is required
        client.post(f"/mentorship/nominations/{nomination.id}/revoke", data={"reason": "材料不实，予以撤销"})
        html = client.get("/mentorship/excellent?year=2026").text
        assert 'data-testid="excellent-revoked"' in html and "材料不实" in html
        assert f"/mentorship/nominations/{nomination.id}/revoke" not in html
        pair_id = nomination.pair_id
        page = client.get(f"/mentorship/pairs/{pair_id}").text
        assert 'data-testid="excellent-revoked"' in page and 'data-testid="excellent-certificate"' not in page


def test_excellent_selection_through_http_shows_on_both_records(client, login, world):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5, name="金牌师傅")
    pair = MentorPairFactory(mentor=mentor, apprentice=world.worker_a, status="completed", ended_on=date(2026, 2, 1))
    db.session.add(Assessment(pair_id=pair.id, assessed_on=date(2026, 2, 1), grade="excellent", level_reached=3,
                              score=95, assessor="考评组"))
    db.session.commit()
    login(client, world.hr_a)
    assert client.post(f"/mentorship/pairs/{pair.id}/nominate",
                       data={"citation": "倾囊相授，徒弟技艺突飞猛进。"}).status_code == 302
    login(client, world.hr_b)
    assert "金牌师傅" not in client.get("/mentorship/excellent").get_data(as_text=True)
    login(client, world.admin)
    html = client.get("/mentorship/excellent").get_data(as_text=True)
    assert "倾囊相授" in html
    from models.mentorship import ExcellentNomination

    nomination = db.session.scalar(db.select(ExcellentNomination))
    client.post(f"/mentorship/nominations/{nomination.id}/select")
    badge = '<span class="badge text-bg-success">%s</span>'
    assert badge % "拟表彰" in client.get("/mentorship/excellent").text  # selected, not yet on notice
    client.post("/mentorship/excellent/2026/publish")  # on public notice (公示)
    assert badge % "公示中" in client.get("/mentorship/excellent").text
    login(client, world.hr_b)
    assert "金牌师傅" in client.get("/mentorship/excellent").get_data(as_text=True)  # published: public
    from services.mentorship import excellent

    notice = excellent.round_notice(excellent.get_round(2026))
    response = client.post(f"/notices/{notice.id}/objections", data={"body": "请核实该徒弟的出师考核成绩是否属实。"})
    assert response.headers["Location"].endswith("/mentorship/excellent?year=2026")
    login(client, mentor)
    assert "2026 年优秀师徒" not in client.get(f"/mentorship/people/{mentor.id}").get_data(as_text=True)
    login(client, world.admin)
    from models.notices import Objection

    objection = db.session.scalar(db.select(Objection))
    assert objection.objector_id == world.hr_b.id
    assert "请核实该徒弟" in client.get("/mentorship/excellent?year=2026").get_data(as_text=True)
    client.post("/mentorship/excellent/2026/finalise")  # still on notice: refused
    client.post(f"/notices/objections/{objection.id}/resolve",
                data={"outcome": "dismissed", "note": "经核实考核成绩属实。"})
    with clock.frozen(clock.now() + timedelta(days=15)):
        client.post("/mentorship/excellent/2026/finalise")
        assert badge % "已表彰" in client.get("/mentorship/excellent?year=2026").text
        for person in (mentor, world.worker_a):
            login(client, person)
            assert "2026 年优秀师徒" in client.get(f"/mentorship/people/{person.id}").get_data(as_text=True)


@pytest.mark.parametrize("status,activated_days_ago", [("proposed", None), ("active", 5), ("active", 60),
                                                       ("completed", 400), ("dissolved", 5)])
def test_the_pair_buttons_are_the_ones_the_rules_allow(client, login, world, status, activated_days_ago):
    """Each status-dependent button of a pair's page for its mentor matches the service's answer:
    dissolving (the first month only) and confirming (a proposed pair) are offered exactly when the
    service would accept them."""
    from services.mentorship import pairing

    today = clock.today()
    activated = today - timedelta(days=activated_days_ago) if activated_days_ago is not None else None
    pair = MentorPairFactory(mentor__enterprise=world.enterprise_a, status=status, activated_on=activated,
                             start_date=activated or today)
    db.session.commit()
    login(client, pair.mentor)
    html = client.get(f"/mentorship/pairs/{pair.id}").get_data(as_text=True)
    shown = {"dissolve": f"/mentorship/pairs/{pair.id}/dissolve" in html,
             "confirm": f"/mentorship/pairs/{pair.id}/confirm" in html}

    mentor = pair.mentor
    assert shown == {"dissolve": service_accepts(lambda: pairing.dissolve(mentor, pair, "双方协商一致解除")),
                     "confirm": service_accepts(lambda: pairing.confirm_agreement(mentor, pair))}
