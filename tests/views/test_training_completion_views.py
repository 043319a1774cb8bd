"""Pages of training completion (blueprints/training/completion.py): the owner's assessment and completion
page (query count constant with the rows), finishing, the certificate inline, the worker's results, the
growth record's link, the training evidence on the nomination page and the rule fields of the forms."""

from __future__ import annotations

from decimal import Decimal

from models import db
from models.titles import TitleType
from services.common import verification
from services.mentorship.settings import get_settings
from tests.factories import WorkerFactory
from tests.factories_training import AttendanceFactory, EnrolmentFactory
from tests.querycount import count_queries
from tests.training_completion_scene import finished_programme, ready_programme


def _page_queries(client, url):
    client.get(url)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_the_completion_page_counts_the_same_for_a_page_of_rows(client, login, world):
    scene = ready_programme(world)
    login(client, world.hr_b)
    url = f"/training/programmes/{scene['programme'].id}/completion"
    few = _page_queries(client, url)
    for _ in range(25):
        enrolment = EnrolmentFactory(programme=scene["programme"], worker=WorkerFactory(enterprise=world.enterprise_b))
        AttendanceFactory(training_class=scene["classes"][0], enrolment=enrolment)
    db.session.commit()
    assert _page_queries(client, url) == few


def test_the_owner_records_assessments_and_finishes(client, login, world):
    scene = ready_programme(world)
    login(client, world.hr_b)
    url = f"/training/programmes/{scene['programme'].id}/completion"
    page = client.get(url).get_data(as_text=True)
    assert "出勤学时" in page and 'data-testid="finish"' in page
    # the hours read as attended of the total, with the threshold named (not "8.0 / 6.4")
    assert "8.0 / 8.0 学时" in page and "（结业需 6.4）" in page and "8.0 / 6.4" not in page
    response = client.post(f"/training/enrolments/{scene['full'].id}/assessment", data={"passed": "1", "score": "95"})
    assert response.status_code == 302
    db.session.expire_all()
    assert scene["full"].assessment_passed is True and scene["full"].assessment_score == Decimal("95")
    client.post(f"/training/enrolments/{scene['half'].id}/assessment", data={"passed": "1", "score": "120"})
    db.session.expire_all()
    assert scene["half"].assessment_passed is None  # refused, nothing written
    assert client.post(f"/training/programmes/{scene['programme'].id}/finish").status_code == 302
    page = client.get(url).get_data(as_text=True)
    db.session.expire_all()
    assert "已结业" in page and "学时不足" in page and verification.grouped(scene["full"].certificate_code) in page
    assert 'data-testid="assessment-form"' not in page


def test_the_worker_opens_the_certificate_inline_and_sees_the_results(client, login, world):
    scene = finished_programme(world)
    login(client, world.worker_b)
    page = client.get("/training/my-certificates").get_data(as_text=True)
    assert "班组长管理能力提升班" in page and 'data-testid="certificate-link"' in page and "8.0" in page
    response = client.get(f"/training/certificates/{scene['full'].id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    growth = client.get(f"/titles/growth/{world.worker_b.id}").get_data(as_text=True)
    assert "技能培训" in growth and 'data-testid="timeline-certificate-link"' in growth


def test_a_revoked_certificate_loses_its_download_and_verifies_as_revoked(client, login, world):
    scene = finished_programme(world)
    login(client, world.hr_b)
    response = client.post(f"/training/certificates/{scene['full'].id}/revoke",
                           data={"reason": "代签到", "confirm": "y"})
    assert response.status_code == 302
    login(client, world.worker_b)
    page = client.get("/training/my-certificates").get_data(as_text=True)
    assert 'data-testid="certificate-revoked"' in page and 'data-testid="certificate-link"' not in page
    verify = client.get(f"/verify?code={scene['full'].certificate_code}").get_data(as_text=True)
    assert 'data-status="revoked"' in verify and "培训结业证书" in verify


def test_the_nomination_page_shows_training_evidence(client, login, world):
    from tests.factories_titles import default_titles, open_round

    finished_programme(world)
    title_type = default_titles()["晋江工匠"]
    title_type.training_programme_kind = "team_leader"
    db.session.commit()
    title_round = open_round(world.admin, title_type)
    login(client, world.hr_b)
    page = client.get(f"/titles/rounds/{title_round.id}/nominate?worker={world.worker_b.id}").get_data(as_text=True)
    assert 'data-testid="training-evidence"' in page and "8.0 学时" in page and "班组长管理能力提升班" in page
    assert "培训结业" in page  # the rule's verdict


def test_the_forms_keep_the_training_rules(client, login, world):
    login(client, world.admin)
    response = client.post("/titles/types/new", data={
        "name": "金牌班组长", "level": "city", "yearly_quota": "5", "min_skill_level": "3",
        "training_min_hours": "40", "training_hours_years": "3", "training_programme_kind": "team_leader",
        "training_programme_years": "2", "is_active": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.scalar(db.select(TitleType).where(TitleType.name == "金牌班组长"))
    assert (saved.training_min_hours, saved.training_programme_kind) == (Decimal("40"), "team_leader")
    response = client.post("/mentorship/settings", data={
        "max_active_apprentices": "3", "grace_days": "7", "dissolution_months": "1", "excellent_quota": "100",
        "training_programme_kind": "safety", "training_programme_years": "3"})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_settings().training_programme_kind == "safety"


def test_a_code_of_letters_only_is_marked_as_a_code_not_english(client, login, world):
    """A verification code may be letters only (CI drew EMDS-FUXE-ZZUP): every page that prints one marks it
    translate="no", so neither a translator nor the language check reads it as an English word."""
    scene = finished_programme(world)
    scene["full"].certificate_code = "EMDSFUXEZZUP"
    db.session.commit()
    marked = '<span class="font-monospace" translate="no">EMDS-FUXE-ZZUP</span>'
    login(client, world.worker_b)
    assert marked in client.get("/training/my-certificates").get_data(as_text=True)
    growth = client.get(f"/titles/growth/{world.worker_b.id}").get_data(as_text=True)
    assert f"结业证书编号 {marked}" in growth
    login(client, world.hr_b)
    completion = f"/training/programmes/{scene['programme'].id}/completion"
    assert marked in client.get(completion).get_data(as_text=True)
    revoke = f"/training/certificates/{scene['full'].id}/revoke"  # CI drew TTKE-FTXA-YRDF here
    assert marked in client.get(revoke).get_data(as_text=True)
    verdict = client.get("/verify?code=emds-fuxe-zzup").get_data(as_text=True)
    assert 'translate="no">EMDS-FUXE-ZZUP</dd>' in verdict


def test_the_assessment_form_shows_the_recorded_result(client, login, world):
    # the rows are built in Python (blueprints/training/completion_rows.py): the recorded pass is checked,
    # the score stands in the field and after the state, the failed radio stays unchecked
    scene = ready_programme(world)
    login(client, world.hr_b)
    url = f"/training/programmes/{scene['programme'].id}/completion"
    full = scene["full"].id
    client.post(f"/training/enrolments/{full}/assessment", data={"passed": "1", "score": "95"})
    page = client.get(url).get_data(as_text=True)
    assert f'value="1" id="pass-{full}" checked>' in page and f'value="0" id="fail-{full}">' in page
    assert 'value="95.00" placeholder="成绩"' in page and "</span> · 成绩 95.00</td>" in page
