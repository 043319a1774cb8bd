"""Typed input is never wrong or lost (issue 12, items 2, 3, 9, 10) through HTTP: identifiers
normalised by every form that takes one, money and marks by one field class, refused forms shown
again as they were sent with the error beside the field, a too-large upload answered with a way back
to the form, and every create form creating one record however often it is sent."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import DecimalField, FloatField

import blueprints
from blueprints.forms import NumberTextField
from core import clock
from models import Enterprise, User, db
from models.competitions import CompetitionRegistration
from models.mentorship import Assessment, ExcellentNomination, MentorPair
from models.notices import Objection
from models.proposals import Proposal
from models.titles import Nomination
from services.common import uploads
from services.common.once import new_token
from tests.factories import PASSWORD, WorkerFactory
from tests.factories_competitions import CompetitionFactory, competition_in_scoring
from tests.factories_mentorship import MentorPairFactory
from tests.factories_proposals import SUBMIT_TIME, CampaignFactory, ProposalFactory
from tests.factories_titles import award_through_round, default_titles, make_eligible, open_round
from tests.views.test_admin import enterprise_form
from tests.views.test_proposals import form_data

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
COMPETITION_TIME = datetime(2026, 5, 11, 2, 0, tzinfo=UTC)
PAIR_TIME = datetime(2026, 3, 2, 4, tzinfo=UTC)


def all_form_classes():
    """Every form class of every blueprint."""
    from flask_wtf import FlaskForm

    for info in pkgutil.walk_packages(blueprints.__path__, "blueprints."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, FlaskForm) and value.__module__ == module.__name__:
                yield value


def unbound_fields(form_class):
    for name in dir(form_class):
        field = getattr(form_class, name)
        if hasattr(field, "field_class"):
            yield name, field


IDENTIFIER_NAMES = {"phone", "employee_no", "credit_code", "certificate_no", "identifier"}
NUMBER_NAMES = {"pass_mark", "estimated_savings", "amount", "hours", "score", "min_verified_savings",
                "calc_quantity_before", "calc_quantity_after", "calc_unit_price", "calc_annual_output",
                "calc_implementation_cost"}


# --- item 2: identifiers ---------------------------------------------------------------------------


def test_every_form_field_taking_an_identifier_normalises_it(app):
    seen = set()
    with app.test_request_context(method="POST"):
        for form_class in all_form_classes():
            for name, unbound in unbound_fields(form_class):
                if name not in IDENTIFIER_NAMES:
                    continue
                filters = unbound.kwargs.get("filters") or []
                assert filters, f"{form_class.__name__}.{name} takes an identifier without normalising it"
                form = form_class(formdata=MultiDict({name: " ａ０００８ "}))
                typed = getattr(form, name).data
                assert typed in {"A0008", "a0008"}, (form_class.__name__, name, typed)
                seen.add(f"{form_class.__name__}.{name}")
    assert {"EnterpriseForm.credit_code", "PersonForm.phone", "PersonForm.employee_no", "EmployeeNoForm.employee_no",
            "PromotionForm.certificate_no", "SkillCertificateForm.certificate_no", "RobotForm.credit_code",
            "LoginForm.identifier"} <= seen


def test_login_with_a_full_width_phone(client, world):
    typed = world.hr_a.phone.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post("/login", data={"identifier": f" {typed[:3]} {typed[3:]} ", "password": PASSWORD})
    assert response.status_code == 302 and "/login" not in response.headers["Location"]


def test_hr_finds_a_worker_by_a_lower_case_number(client, login, world):
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A0008", name="钱八")
    login(client, world.hr_a)
    assert "钱八" in client.get("/workers/", query_string={"q": "a0008"}).text
    assert "钱八" in client.get("/workers/", query_string={"q": "ａ０００８"}).text


def test_a_typed_employee_number_is_stored_canonical(client, login, world):
    login(client, world.hr_a)
    client.post("/workers/new", data={"name": "孙七", "phone": "１３６５５５５９９９９", "employee_no": "ａ－１００",
                                      "trade_id": str(world.worker_a.trade_id), "skill_level": "1",
                                      "hire_date": "2021-03-01", "birth_date": "1998-07-15",
                                      "password": "Welcome-Jinjiang-1"})
    worker = db.session.scalar(select(User).where(User.name == "孙七"))
    assert (worker.phone, worker.employee_no) == ("13655559999", "A-100")


def test_a_full_width_list_row_registers_its_worker_and_a_wrong_name_is_refused(client, login, world):
    worker = WorkerFactory(enterprise=world.enterprise_a, employee_no="A0006", name="王五")
    WorkerFactory(enterprise=world.enterprise_a, employee_no="A0009", name="赵六")
    out = io.StringIO()
    csv.writer(out).writerows([["工号", "姓名"], ["Ａ０００６", "王五"], ["", ""], ["A0009", "王五"]])
    with clock.frozen(COMPETITION_TIME):
        competition = CompetitionFactory()
        login(client, world.hr_a)
        response = client.post(f"/competitions/{competition.id}/enrol/upload", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(out.getvalue().encode()), "名单.csv")})
    assert "共 3 行：报名成功 1，候补 0，未能报名 1，空行跳过 1。" in response.text
    assert "姓名与工号不符" in response.text and "已跳过" in response.text
    assert db.session.scalars(select(CompetitionRegistration.worker_id)).all() == [worker.id]


# --- item 3: money and marks -----------------------------------------------------------------------


def test_every_money_and_mark_field_is_the_one_number_field():
    for form_class in all_form_classes():
        for name, unbound in unbound_fields(form_class):
            assert unbound.field_class not in (DecimalField, FloatField), f"{form_class.__name__}.{name}"
            if name in NUMBER_NAMES:
                assert issubclass(unbound.field_class, NumberTextField), f"{form_class.__name__}.{name}"


def test_savings_with_a_third_decimal_are_refused_beside_the_field(client, login, world):
    campaign = CampaignFactory()
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        response = client.post(f"/proposals/new/{campaign.id}", data=form_data(estimated_savings="8,000.125"))
    assert response.status_code == 200 and "最多 2 位小数" in response.text
    assert 'value="8,000.125"' in response.text and "is-invalid" in response.text
    assert db.session.scalar(select(func.count(Proposal.id))) == 0
    with clock.frozen(SUBMIT_TIME):
        client.post(f"/proposals/new/{campaign.id}", data=form_data(estimated_savings="８，０００．１３"))
    assert str(db.session.scalar(select(Proposal.estimated_savings))) == "8000.13"


# --- item 9: nothing typed is lost -----------------------------------------------------------------


def test_a_refused_screening_keeps_the_decision_and_the_note(client, login, world):
    proposal = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a)
    login(client, world.hr_a)
    response = client.post(f"/proposals/{proposal.id}/screen",
                           data={"decision": "reject", "reason": "", "note": "与去年第 12 号提案相同"})
    html = response.text
    assert response.status_code == 422
    assert _checked(html, "decision", "reject") and not _checked(html, "decision", "valid")
    assert "与去年第 12 号提案相同" in html
    reason = html[html.index('id="reason"'):]
    assert "不通过时请选择原因" in reason[:reason.index("</select>") + 200]
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "submitted"


def _checked(html: str, name: str, value: str) -> bool:
    """Whether the radio `name` with `value` is rendered checked."""
    for tag in html.split("<input")[1:]:
        tag = tag[:tag.index(">")]
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    return False


def test_the_pledge_error_sits_beside_its_checkbox(client, login, world):
    proposal = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a, status="draft")
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        response = client.post(f"/proposals/{proposal.id}/submit", data={})
    html = response.text
    assert response.status_code == 422
    pledge = html[html.index('id="pledge"'):]
    assert "提交前请确认真实性承诺" in pledge[:pledge.index("</form>")]
    assert 'id="pledge"' in html and "is-invalid" in html[html.index('id="pledge"') - 200:html.index('id="pledge"')]


def test_a_refused_form_is_summed_up_at_the_top_of_the_page_linking_to_its_field(client, login, world):
    # The pledge's checkbox sits below the fold on a phone: the page opens with a summary linking to it.
    proposal = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a, status="draft")
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        html = client.post(f"/proposals/{proposal.id}/submit", data={}).text
    main = html[html.index('<main'):]
    summary = main[main.index('data-error-summary'):]
    assert main.index('data-error-summary') < main.index('id="pledge"')
    assert 'href="#pledge"' in summary[:summary.index("</div>")]
    assert "提交前请确认真实性承诺" in summary[:summary.index("</div>")]
    # Every kind of form: a refused proposal form names each field in error.
    with clock.frozen(SUBMIT_TIME):
        html = client.post(f"/proposals/new/{proposal.campaign_id}", data={"title": "", "submit": "1"}).text
    assert 'data-error-summary' in html and 'href="#title"' in html
    # A page without a refused form has no summary.
    assert "data-error-summary" not in client.get(f"/proposals/{proposal.id}").text


def test_one_bad_theory_mark_keeps_every_typed_mark_and_marks_its_cell(client, login, world):
    with clock.frozen(COMPETITION_TIME):
        competition, entries, _judges = competition_in_scoring(competitors=3, judges=0)
        login(client, world.admin)
        first, second, third = (e.id for e in entries)
        response = client.post(f"/competitions/{competition.id}/scores",
                               data={f"theory_{first}": "88.5", f"theory_{second}": "75.555", f"theory_{third}": "90"})
    html = response.text
    assert response.status_code == 422
    assert 'value="88.5"' in html and 'value="75.555"' in html and 'value="90"' in html
    bad = html[html.index(f'id="theory_{second}"') - 80:]
    assert "is-invalid" in bad[:200] and "最多 2 位小数" in bad[:900]
    good = html[html.index(f'id="theory_{first}"') - 80:]
    assert "is-invalid" not in good[:120]
    assert all(e.theory is None for e in entries)


def test_the_calculator_works_in_the_page_and_the_server_recomputes(client, login, world):
    campaign = CampaignFactory()
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        page = client.get(f"/proposals/new/{campaign.id}").text
        assert "data-calculate" in page and "js/proposals.js" in page
        data = form_data(estimated_savings="1", calc_quantity_before="1.2", calc_quantity_after="1.0",
                         calc_unit_price="15", calc_annual_output="100,000", calc_implementation_cost="20000")
        client.post(f"/proposals/new/{campaign.id}", data=data)  # a wrong estimate is recomputed
    assert str(db.session.scalar(select(Proposal.estimated_savings))) == "280000.00"


def _held_tokens(html: str) -> list[str]:
    import re

    return re.findall(r'name="files_held" value="([0-9a-f]{32})"', html)


def test_without_javascript_the_calculator_keeps_the_chosen_files(client, login, world):
    """Issue 12's leftover: the 计算 button without JavaScript reloads the page; the chosen file is held
    and shown as 已上传, and saving the draft afterwards saves it without choosing it again."""
    campaign = CampaignFactory()
    login(client, world.worker_a)
    data = form_data(calc_quantity_before="1.2", calc_quantity_after="1.0", calc_unit_price="15",
                     calc_annual_output="100000", calc_implementation_cost="20000", calculate="1")
    del data["submit"]
    data["files"] = (io.BytesIO(b"%PDF-1.4 drawing"), "图纸.pdf")
    with clock.frozen(SUBMIT_TIME):
        response = client.post(f"/proposals/new/{campaign.id}", data=data, content_type="multipart/form-data")
    html = response.text
    assert 'value="280000.00"' in html and 'value="针车断线自动检测报警"' in html
    assert "已上传：图纸.pdf" in html
    [token] = _held_tokens(html)
    token_field = re.search(r'name="form_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="form_token"', html)
    saved = form_data(estimated_savings="280000.00", files_held=token)
    if token_field:
        saved["form_token"] = token_field.group(1)
    with clock.frozen(SUBMIT_TIME):
        response = client.post(f"/proposals/new/{campaign.id}", data=saved, content_type="multipart/form-data")
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert [a.file.original_name for a in proposal.attachments] == ["图纸.pdf"]
    assert uploads.held_files(world.worker_a, [token]) == []  # released once saved


def test_a_form_refused_for_another_field_keeps_its_file_for_its_owner_only(client, login, world):
    campaign = CampaignFactory()
    login(client, world.worker_a)
    data = form_data(title="")
    data["files"] = (io.BytesIO(PNG), "现场照片.png")
    with clock.frozen(SUBMIT_TIME):
        html = client.post(f"/proposals/new/{campaign.id}", data=data, content_type="multipart/form-data").text
    assert "请填写标题" in html and "已上传：现场照片.png" in html
    [token] = _held_tokens(html)
    assert uploads.held_files(world.worker_b, [token]) == []  # another person cannot use the token
    # A wrong file is refused beside the field and not held; the held one stays.
    data = form_data(title="", files_held=token)
    data["files"] = (io.BytesIO(b"MZ not a picture"), "tool.exe")
    with clock.frozen(SUBMIT_TIME):
        html = client.post(f"/proposals/new/{campaign.id}", data=data, content_type="multipart/form-data").text
    assert "不是允许的类型" in html and _held_tokens(html) == [token]
    # Unticked: dropped (not saved with the draft).
    with clock.frozen(SUBMIT_TIME):
        assert client.post(f"/proposals/new/{campaign.id}", data=form_data()).status_code == 302
    assert db.session.scalar(select(Proposal)).attachments == []


def test_a_too_large_upload_is_checked_in_the_page_and_answered_with_a_way_back(app, client, login, world):
    login(client, world.worker_a)
    proposal = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a, status="draft")
    page = client.get(f"/proposals/{proposal.id}").text
    assert f'data-max-upload="{app.config["MAX_CONTENT_LENGTH"]}"' in page
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(f"/proposals/{proposal.id}/attachments", content_type="multipart/form-data",
                           data={"files": (io.BytesIO(b"x" * (limit + 1)), "big.pdf")},
                           headers={"Referer": f"http://localhost/proposals/{proposal.id}/edit"})
    assert response.status_code == 413
    assert f'href="/proposals/{proposal.id}/edit" data-history-back' in response.text
    assert "已填写的文字仍在表单里" in response.text
    foreign = client.post(f"/proposals/{proposal.id}/attachments", data=b"x" * (limit + 1),
                          content_type="application/octet-stream", headers={"Referer": "http://evil.test/x"})
    assert foreign.status_code == 413 and "data-history-back" not in foreign.text


# --- item 10: double clicks ------------------------------------------------------------------------


def twice(client, url, data, **kwargs):
    """Send the same form twice (one token, as a double click or a resent tab does)."""
    data = {**data, "form_token": new_token()}
    first = client.post(url, data=dict(data), **kwargs)
    second = client.post(url, data=dict(data), **kwargs)
    return first, second


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def assert_one(first, second, model, location_part: str):
    assert first.status_code in (302, 303), first.text[:500]
    assert second.status_code == 303 and location_part in second.headers["Location"]
    assert count(model) == 1


def test_a_proposal_sent_twice_is_one_draft(client, login, world):
    campaign = CampaignFactory()
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        first, second = twice(client, f"/proposals/new/{campaign.id}", form_data())
    proposal = db.session.scalar(select(Proposal))
    assert_one(first, second, Proposal, f"/proposals/{proposal.id}")
    assert "已经提交过了" in client.get(second.headers["Location"]).text


def test_an_enterprise_sent_twice_is_one(client, login, world):
    login(client, world.admin)
    before = count(Enterprise)
    first, second = twice(client, "/admin/enterprises/new", enterprise_form())
    assert second.status_code == 303 and count(Enterprise) == before + 1
    created = db.session.scalar(select(Enterprise).order_by(Enterprise.id.desc()))
    assert f"/admin/enterprises/{created.id}" in second.headers["Location"]


@pytest.mark.parametrize(("who", "url", "target"), [("admin", "/admin/users/new", "/admin/users/"),
                                                    ("hr_a", "/workers/new", "/workers/")])
def test_an_account_sent_twice_is_one(client, login, world, who, url, target):
    login(client, getattr(world, who))
    data = {"name": "周九", "phone": "13655550009", "employee_no": "A-909", "trade_id": str(world.worker_a.trade_id),
            "skill_level": "1", "password": "Welcome-Jinjiang-1", "roles": ["worker"],
            "enterprise_id": str(world.enterprise_a.id)}
    first, second = twice(client, url, data)
    created = db.session.scalar(select(User).where(User.name == "周九"))
    assert first.status_code == 302 and second.status_code == 303
    assert f"{target}{created.id}" in second.headers["Location"]
    assert db.session.scalar(select(func.count(User.id)).where(User.name == "周九")) == 1


def test_a_competition_entry_sent_twice_is_one(client, login, world):
    with clock.frozen(COMPETITION_TIME):
        competition = CompetitionFactory()
        login(client, world.worker_a)
        first, second = twice(client, f"/competitions/{competition.id}/register", {})
        assert_one(first, second, CompetitionRegistration, f"/competitions/{competition.id}")
        login(client, world.hr_a)
        other = CompetitionFactory()
        first, second = twice(client, f"/competitions/{other.id}/enrol", {"employee_no": world.worker_a.employee_no})
        assert second.status_code == 303 and count(CompetitionRegistration) == 2


def test_a_team_sent_twice_is_one(client, login, world):
    with clock.frozen(COMPETITION_TIME):
        competition = CompetitionFactory(is_team=True, team_min=2, team_max=3)
        crew = [WorkerFactory(enterprise=world.enterprise_a) for _ in range(2)]
        login(client, world.hr_a)
        first, second = twice(client, f"/competitions/{competition.id}/enrol/team",
                              {"team_name": "恒信一队", "employee_nos": "\n".join(w.employee_no for w in crew)})
    assert_one(first, second, CompetitionRegistration, f"/competitions/{competition.id}")


def test_a_pair_sent_twice_is_one(client, login, world):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=4)
    login(client, world.hr_a)
    with clock.frozen(PAIR_TIME):
        first, second = twice(client, "/mentorship/pairs/new", {
            "mentor_id": str(mentor.id), "apprentice_id": str(world.worker_a.id),
            "trade_id": str(world.worker_a.trade_id), "goal_level": "3", "goals": "掌握关键工艺",
            "start_date": "2026-03-02", "planned_end": "", "checkin_frequency": "monthly"})
    pair = db.session.scalar(select(MentorPair))
    assert_one(first, second, MentorPair, f"/mentorship/pairs/{pair.id}")


def test_an_excellent_pair_nomination_sent_twice_is_one(client, login, world):
    mentor = WorkerFactory(enterprise=world.enterprise_a, skill_level=5)
    pair = MentorPairFactory(mentor=mentor, apprentice=world.worker_a, status="completed", ended_on=date(2026, 2, 1))
    db.session.add(Assessment(pair_id=pair.id, assessed_on=date(2026, 2, 1), grade="excellent", level_reached=3,
                              score=95, assessor="考评组"))
    db.session.commit()
    login(client, world.hr_a)
    with clock.frozen(PAIR_TIME):
        first, second = twice(client, f"/mentorship/pairs/{pair.id}/nominate",
                              {"citation": "倾囊相授，徒弟技艺突飞猛进。"})
    assert_one(first, second, ExcellentNomination, f"/mentorship/pairs/{pair.id}")


def test_a_title_nomination_sent_twice_is_one(client, login, world):
    make_eligible(world.hr_a, world.worker_a)
    with clock.frozen(PAIR_TIME):
        title_round = open_round(world.admin, default_titles()["晋江工匠"])
        login(client, world.hr_a)
        first, second = twice(client, f"/titles/rounds/{title_round.id}/nominate",
                              {"worker": world.worker_a.id,
                               "citation": "长期扎根一线，技术精湛，带出多名技术骨干，成绩突出。"})
    nomination = db.session.scalar(select(Nomination))
    assert_one(first, second, Nomination, f"/titles/nominations/{nomination.id}")


def test_an_objection_sent_twice_is_one(client, login, world):
    from services.titles import awards

    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, default_titles()["晋江工匠"],
                                  finalise=False)
    notice = awards.round_notice(granted.round)
    with clock.frozen(datetime(2026, 4, 3, 2, tzinfo=UTC)):
        login(client, world.worker_b)
        first, second = twice(client, f"/notices/{notice.id}/objections",
                              {"body": "该职工的技能证书为代考所得，请核查。"})
    assert_one(first, second, Objection, f"/titles/rounds/{granted.round_id}")


def test_create_forms_carry_their_token(client, login, world):
    campaign = CampaignFactory()
    login(client, world.worker_a)
    with clock.frozen(SUBMIT_TIME):
        assert 'name="form_token"' in client.get(f"/proposals/new/{campaign.id}").text
    login(client, world.hr_a)
    for url in ("/workers/new", "/mentorship/pairs/new"):
        assert 'name="form_token"' in client.get(url).text, url
    login(client, world.admin)
    for url in ("/admin/users/new", "/admin/enterprises/new"):
        assert 'name="form_token"' in client.get(url).text, url
    # An edit form has none: saving it again is not a duplicate.
    assert 'name="form_token"' not in client.get(f"/admin/enterprises/{world.enterprise_a.id}/edit").text



def test_the_same_form_sent_twice_at_once_makes_one_proposal(app, login, world):
    """Two sendings of one form at the same moment (two tabs, a double click past the script): the
    token's primary key lets one through; the other is answered with what the first created."""
    import threading

    campaign = CampaignFactory()
    db.session.commit()
    url, data = f"/proposals/new/{campaign.id}", {**form_data(), "form_token": new_token()}
    clients = [app.test_client() for _ in range(2)]
    for tab in clients:
        login(tab, world.worker_a)
    barrier, answers = threading.Barrier(len(clients)), []

    def send(tab):
        barrier.wait(timeout=30)
        answers.append(tab.post(url, data=dict(data)))

    with clock.frozen(SUBMIT_TIME):
        threads = [threading.Thread(target=send, args=(tab,)) for tab in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    proposal = db.session.scalar(select(Proposal))
    assert sorted(a.status_code for a in answers) == [302, 303]
    assert [a.headers["Location"] for a in answers] == [f"/proposals/{proposal.id}"] * 2
    assert count(Proposal) == 1


def test_the_enterprise_search_takes_a_credit_code_as_read_from_paper(client, login, world):
    code = world.enterprise_a.credit_code
    typed = " ".join(code[i:i + 4] for i in range(0, 18, 4)).lower().translate(
        str.maketrans("0123456789", "０１２３４５６７８９"))
    login(client, world.admin)
    html = client.get("/admin/enterprises", query_string={"q": typed}).text
    assert world.enterprise_a.name in html and world.enterprise_b.name not in html


def test_a_refused_form_sent_again_corrected_is_saved(client, login, world):
    """A refusal records nothing, its token included: the corrected form (same token) is saved."""
    campaign = CampaignFactory()
    login(client, world.worker_a)
    token = new_token()
    with clock.frozen(SUBMIT_TIME):
        refused = client.post(f"/proposals/new/{campaign.id}",
                              data={**form_data(estimated_savings="8,000.125"), "form_token": token})
        assert refused.status_code == 200 and f'value="{token}"' in refused.text
        # A refusal by the service (not the form): a co-author who is nobody.
        refused = client.post(f"/proposals/new/{campaign.id}", data={
            **form_data(proposer_share="60", **{"coauthors-0-user_id_q": "无此人", "coauthors-0-share": "40"}),
            "form_token": token})
        assert refused.status_code == 200 and "没有找到" in refused.text
        saved = client.post(f"/proposals/new/{campaign.id}", data={**form_data(), "form_token": token})
    assert saved.status_code == 302 and count(Proposal) == 1
