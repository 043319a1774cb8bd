"""Documents over HTTP: server-made PDFs served inline with a UTF-8 file name and the same permissions as
their pages, the hint inside WeChat's browser, the admin's revocation form, the holder's links after a
revocation, and the one public verification page (old addresses redirect, rate limit)."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from models import db
from models.audit import AuditLog
from tests.factories_competitions import scenario
from tests.factories_mentorship import MentorPairFactory
from tests.factories_titles import award_through_round, default_titles, make_eligible

WECHAT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN")


def pdf_text(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def assert_inline_pdf(response, name: str) -> None:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;") and f"filename*=UTF-8''{quote(name)}" in disposition
    assert "no-store" in response.headers["Cache-Control"]


def test_each_pdf_is_inline_with_its_utf8_name(client, login, world):
    s = scenario(world)
    login(client, world.admin)
    name = s["scoring"].name
    assert_inline_pdf(client.get(f"/competitions/{s['scoring'].id}/sign-in.pdf"), f"{name}-签到表.pdf")
    assert_inline_pdf(client.get(f"/competitions/{s['scoring'].id}/score-sheets.pdf"), f"{name}-评分表.pdf")
    assert_inline_pdf(client.get(f"/titles/growth/{world.worker_b.id}.pdf"), f"{world.worker_b.name}-成长档案.pdf")
    pair = MentorPairFactory(mentor__enterprise=world.enterprise_b)
    assert_inline_pdf(client.get(f"/mentorship/pairs/{pair.id}/agreement.pdf"), f"带徒协议-MP-{pair.id:06d}.pdf")
    response = client.get(f"/competitions/certificates/{s['certificate'].id}.pdf")
    assert_inline_pdf(response, f"{s['final'].name}-{world.worker_b.name}-证书.pdf")
    assert "/verify?code=" in pdf_text(response)


def test_every_certificate_prints_the_public_address_not_the_requests_host(app, client, login, world):
    """A certificate prints its verification address from PUBLIC_BASE_URL whatever host served the
    download (an internal address, a proxy); every certificate view builds it with external_url."""
    s = scenario(world)
    login(client, world.admin)
    app.config["PUBLIC_BASE_URL"] = "https://jx.example.cn"
    try:
        response = client.get(f"/competitions/certificates/{s['certificate'].id}.pdf")
        text = pdf_text(response).replace("\n", "")
        assert "https://jx.example.cn/verify?code=" in text and "localhost" not in text
    finally:
        app.config["PUBLIC_BASE_URL"] = ""
    response = client.get(f"/competitions/certificates/{s['certificate'].id}.pdf")
    assert "http://localhost/verify?code=" in pdf_text(response).replace("\n", "")
    for module in ("blueprints/titles/views.py", "blueprints/mentorship/excellent.py",
                   "blueprints/competitions/certificates.py"):
        source = (Path(__file__).parents[2] / module).read_text()
        assert "_external=True" not in source and "external_url(\"verify.check\"" in source


def test_my_entries_link_each_certificate_and_say_when_it_was_revoked(client, login, world):
    from services.competitions import events

    s = scenario(world)
    certificate = s["certificate"]
    events.certificates_ready(s["final"])
    db.session.commit()
    login(client, world.worker_b)
    mine = client.get("/competitions/mine").get_data(as_text=True)
    cell = mine[mine.index(f'data-testid="certificate-{certificate.registration_id}"'):]
    assert f"/competitions/certificates/{certificate.id}.pdf" in cell[:cell.index("</td>")]
    # The "certificate ready" message opens the page with the download.
    inbox = client.get("/messages/").get_data(as_text=True)
    message_link = re_message_link(inbox)
    opened = client.get(message_link, follow_redirects=True).get_data(as_text=True)
    assert f"/competitions/certificates/{certificate.id}.pdf" in opened
    certificate.revoked_at, certificate.revoke_reason = certificate.issued_at, "成绩更正"
    db.session.commit()
    mine = client.get("/competitions/mine").get_data(as_text=True)
    cell = mine[mine.index(f'data-testid="certificate-{certificate.registration_id}"'):]
    assert "已撤销" in cell[:cell.index("</td>")] and ".pdf" not in cell[:cell.index("</td>")]


def test_the_growth_record_shows_the_certificate_number_with_each_prize(client, login, world):
    from services.common.verification import grouped

    s = scenario(world)
    login(client, world.worker_b)
    html = client.get("/titles/growth", follow_redirects=True).get_data(as_text=True)
    assert s["final"].name in html and grouped(s["certificate"].code) in html
    s["certificate"].revoked_at = s["certificate"].issued_at
    db.session.commit()
    assert "撤销" in client.get("/titles/growth", follow_redirects=True).get_data(as_text=True)


def re_message_link(html: str) -> str:
    import re

    return re.search(r'href="(/messages/\d+)"', html).group(1)


def test_the_result_notice_is_the_competitors_own(client, login, world):
    s = scenario(world)
    login(client, world.worker_b)
    page = client.get(f"/competitions/{s['final'].id}").get_data(as_text=True)
    assert 'data-testid="result-notice-link"' in page
    response = client.get(f"/competitions/{s['final'].id}/result-notice.pdf")
    assert_inline_pdf(response, f"{s['final'].name}-{world.worker_b.name}-成绩通知单.pdf")
    text = pdf_text(response)
    assert world.worker_b.name in text and "88.60" in text and "一等奖" in text
    login(client, world.worker_a)  # no result of their own there
    assert client.get(f"/competitions/{s['final'].id}/result-notice.pdf").status_code == 404
    assert client.get(f"/competitions/{s['scoring'].id}/result-notice.pdf").status_code == 404


def test_a_name_no_font_can_print_is_refused_with_its_character(client, login, world):
    world.worker_a.name = "张\U00030000"
    db.session.commit()
    login(client, world.worker_a)
    response = client.get(f"/titles/growth/{world.worker_a.id}.pdf", follow_redirects=True)
    assert response.mimetype == "text/html" and "U+30000" in response.get_data(as_text=True)


def test_wechat_gets_the_hint_to_open_in_the_browser(client, login, world):
    login(client, world.worker_a)
    url = f"/titles/growth/{world.worker_a.id}"
    assert 'data-testid="wechat-hint"' not in client.get(url).get_data(as_text=True)
    page = client.get(url, headers={"User-Agent": WECHAT}).get_data(as_text=True)
    assert 'data-testid="wechat-hint"' in page and "在浏览器打开" in page
    pair = MentorPairFactory(mentor=world.worker_a, apprentice__enterprise=world.enterprise_a)
    page = client.get(f"/mentorship/pairs/{pair.id}", headers={"User-Agent": WECHAT}).get_data(as_text=True)
    assert 'data-testid="wechat-hint"' in page and 'data-testid="agreement-pdf"' in page


def test_admin_revokes_a_competition_certificate_from_the_ui(client, login, world):
    s = scenario(world)
    certificate = s["certificate"]
    login(client, world.admin)
    show = client.get(f"/competitions/{s['final'].id}").get_data(as_text=True)
    assert f"/competitions/{s['final'].id}/certificates" in show
    listing = client.get(f"/competitions/{s['final'].id}/certificates").get_data(as_text=True)
    assert f"/competitions/certificates/{certificate.id}/revoke" in listing
    form = client.get(f"/competitions/certificates/{certificate.id}/revoke").get_data(as_text=True)
    assert 'data-testid="revoke-form"' in form and 'name="confirm"' in form
    refused = client.post(f"/competitions/certificates/{certificate.id}/revoke", data={"reason": "成绩更正"})
    assert refused.status_code == 200 and "请勾选确认" in refused.get_data(as_text=True)
    no_reason = client.post(f"/competitions/certificates/{certificate.id}/revoke", data={"confirm": "y"})
    assert "请填写撤销理由" in no_reason.get_data(as_text=True)
    db.session.expire_all()
    assert certificate.revoked_at is None
    done = client.post(f"/competitions/certificates/{certificate.id}/revoke",
                       data={"reason": "成绩更正", "confirm": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    assert certificate.revoked_at is not None and certificate.revoke_reason == "成绩更正"
    entry = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "competition.certificate_revoked"))
    assert entry is not None and entry.actor_id == world.admin.id
    # the holder: no download link any more, and the document itself says 已撤销
    login(client, world.worker_b)
    page = client.get(f"/competitions/{s['final'].id}").get_data(as_text=True)
    assert f"/competitions/certificates/{certificate.id}.pdf" not in page
    assert 'data-testid="certificate-revoked"' in page and "result-notice-link" not in page
    assert "已撤销" in pdf_text(client.get(f"/competitions/certificates/{certificate.id}.pdf"))


def test_a_revoked_title_loses_its_download_link(client, login, world):
    from services.titles import awards

    kinds = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
    login(client, world.worker_a)
    link = f"/titles/awards/{granted.id}/certificate.pdf"
    assert link in client.get("/titles/").get_data(as_text=True)
    awards.revoke_award(world.admin, granted, "弄虚作假")
    db.session.commit()
    assert link not in client.get("/titles/").get_data(as_text=True)
    assert "已撤销" in pdf_text(client.get(link))


def test_the_one_verification_page(client, world):
    s = scenario(world)
    s["certificate"].code = "K7Q4M9XP3RTW"
    db.session.commit()
    page = client.get("/verify", query_string={"code": "ｋ７ｑ４－ｍ９ｘｐ－３ｒｔｗ"}).get_data(as_text=True)
    assert 'data-status="valid"' in page and world.worker_b.name in page and world.enterprise_b.name in page
    assert world.worker_b.phone not in page and world.worker_b.employee_no not in page
    assert 'data-status="not_found"' in client.get("/verify?code=K7Q4-M9XP-3RTX").get_data(as_text=True)
    kinds = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
    page = client.get("/verify", query_string={"code": granted.certificate_no.lower()}).get_data(as_text=True)
    assert 'data-status="valid"' in page and "晋江工匠" in page  # the number printed on the paper
    old = client.get("/competitions/verify?code=K7Q4M9XP3RTW")
    assert old.status_code == 302 and old.location == "/verify?code=K7Q4M9XP3RTW"


@pytest.fixture
def strict_limit(app):
    previous = app.config["VERIFY_LIMIT_PER_IP"]
    app.config["VERIFY_LIMIT_PER_IP"] = "3 per minute"
    yield
    app.config["VERIFY_LIMIT_PER_IP"] = previous


def test_the_verification_page_is_rate_limited(client, strict_limit):
    answers = [client.get(f"/verify?code=GUESS{n}").status_code for n in range(5)]
    assert answers == [200, 200, 200, 429, 429]


def test_each_pdf_is_drawn_in_the_readers_language(client, login, world):
    """With the UI in English the PDFs carry English labels and file names; what people typed (names,
    enterprises, goals) stays as typed. In Chinese (the default) the same PDFs carry the Chinese labels."""
    import re

    s = scenario(world)
    pair = MentorPairFactory(mentor__enterprise=world.enterprise_b, goals="掌握数控车床编程")
    english = {
        f"/competitions/{s['scoring'].id}/sign-in.pdf": (
            world.admin, ["check-in sheet", "Competitor number", "Signature"], ["签到时间"]),
        f"/competitions/{s['scoring'].id}/score-sheets.pdf": (
            world.admin, ["Judge:", "score by competitor number only"], ["评委签名"]),
        f"/titles/growth/{world.worker_b.id}.pdf": (world.worker_b, ["growth record", "Status and details"],
                                                    ["状态与说明", "打印日期"]),
        f"/mentorship/pairs/{pair.id}/agreement.pdf": (world.admin, ["Mentoring agreement", "Confirmation"],
                                                       ["师傅确认", "带徒目标"]),
        f"/competitions/{s['final'].id}/result-notice.pdf": (world.worker_b, ["Result notice", "Practical score",
                                                                              "Final result"], ["理论成绩", "名次"]),
    }
    typed = {f"/titles/growth/{world.worker_b.id}.pdf": world.worker_b.name,
             f"/mentorship/pairs/{pair.id}/agreement.pdf": "掌握数控车床编程",
             f"/competitions/{s['final'].id}/result-notice.pdf": world.enterprise_b.name}
    for url, (user, labels, chinese) in english.items():
        login(client, user)
        client.set_cookie("lang", "en")
        response = client.get(url)
        assert response.status_code == 200, url
        assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
        text = re.sub(r"\s+", " ", pdf_text(response))
        for label in labels:
            assert label.lower() in text.lower(), (url, label)
        for label in chinese:
            assert label not in text, (url, label)
        if url in typed:
            assert typed[url] in text.replace(" ", ""), url
        client.set_cookie("lang", "zh")
        text = pdf_text(client.get(url)).replace("\n", "")
        assert all(label in text for label in chinese), url
