"""Every PDF prints every character and keeps its text inside the page (services.common.pdf), and a revoked
document never looks clean. Each kind of PDF is made with a name from outside the common range (许𠮷䶮:
𠮷 U+20BB7 is CJK Extension B, 䶮 U+4DAE Extension A), a 40+ character enterprise name and a long
competition name; the text is extracted back with pypdf and its positions are checked against the page."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from core import clock
from models import db
from models.audit import AuditLog
from models.mentorship import ExcellentNomination, ExcellentRound
from services.common import verification
from services.common.pdf import fonts
from services.common.pdf.layout import Document, LayoutError, wrap
from services.competitions import certificates as competition_certificates
from services.competitions import documents as competition_documents
from services.errors import RuleViolation
from services.growth import record_pdf
from services.mentorship import documents as mentorship_documents
from services.mentorship import excellent_certificates
from services.titles import awards
from services.titles import certificates as title_certificates
from tests.factories_competitions import scenario
from tests.factories_mentorship import MentorPairFactory
from tests.factories_titles import award_through_round, default_titles, make_eligible
from tests.querycount import count_queries

RARE_NAME = "许𠮷䶮"
LONG_ENTERPRISE = "晋江市某某某某鞋业服装纺织机械制造与进出口贸易集团股份有限公司第一分公司（国际业务部）"
LONG_COMPETITION = "2026年晋江市第十五届职工职业技能大赛暨“晋江工匠”选拔赛鞋服制造行业鞋面缝纫工与帮底结合工项目决赛"
NO_FONT_HAS = "\U00030000"  # CJK Extension G: in none of the shipped fonts
URL = "http://jiangxin.test/verify?code=K7Q4-M9XP-3RTW"


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def text_boxes(data: bytes):
    """(page width, page height, [(text, x, y, right edge)]) of each page: the right edge is an upper
    bound (a CJK character is one em wide, others at most 0.7 em)."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found = []

        def visit(text, cm, tm, _font, size, found=found):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            em = size * scale
            width = sum(em if ord(char) >= 0x2E80 else 0.7 * em for char in text.strip())
            found.append((text, x, y, x + width, abs(cm[1]) > 1e-6 or abs(tm[1]) > 1e-6))

        page.extract_text(visitor_text=visit)
        pages.append((float(page.mediabox.width), float(page.mediabox.height), found))
    return pages


def assert_inside_the_page(data: bytes) -> None:
    for width, height, boxes in text_boxes(data):
        assert boxes
        for text, x, y, right, rotated in boxes:
            if rotated:  # the 已撤销 stamp, drawn turned across the middle
                continue
            assert x >= 0 and right <= width and 0 <= y <= height, (text, x, right, y, width)


def assert_every_character(data: bytes, *texts: str) -> None:
    extracted = pdf_text(data)
    for text in texts:
        for char in text:
            assert char in extracted, f"{char!r} (U+{ord(char):04X}) missing"


@pytest.fixture
def rare_world(world):
    world.worker_b.name = RARE_NAME
    world.worker_a.name = RARE_NAME
    world.enterprise_b.name = LONG_ENTERPRISE
    db.session.commit()
    return world


# --- fonts ----------------------------------------------------------------------------------------------------


def test_each_character_takes_the_first_font_that_has_it(app):
    names = [name for name, _chars in fonts.runs("许𠮷䶮同志")]
    assert len(names) == 3 and names[0] == names[2]  # common text, then the Extension font, then back
    assert fonts.unprintable("许𠮷䶮 ABC，１２３") == []
    assert fonts.unprintable(f"张{NO_FONT_HAS}") == [NO_FONT_HAS]


def test_a_character_no_font_has_is_refused_naming_it(app):
    with pytest.raises(RuleViolation, match="U\\+30000"):
        fonts.check_printable(f"张{NO_FONT_HAS}")


def test_without_the_extension_fonts_a_rare_name_is_refused_not_printed_wrong(app, rare_world):
    certificate = scenario(rare_world)["certificate"]
    previous = app.config["PDF_FONT_PATHS"]
    app.config["PDF_FONT_PATHS"] = previous[:1]  # wqy-microhei only: it lacks 𠮷 and 䶮
    try:
        with pytest.raises(RuleViolation, match="𠮷"):
            competition_certificates.certificate_pdf(certificate, URL)
    finally:
        app.config["PDF_FONT_PATHS"] = previous


def test_wrap_keeps_every_character_and_each_line_inside_the_width(app):
    lines = wrap(LONG_ENTERPRISE * 2, 14, 200)
    assert "".join(lines) == LONG_ENTERPRISE * 2
    assert all(fonts.text_width(line, 14) <= 200 for line in lines)


def test_a_paragraph_shrinks_then_takes_more_lines_never_cut(app):
    doc = Document("t")
    doc.paragraph(LONG_COMPETITION * 6, top=doc.top, size=20, min_size=10, max_lines=2)
    data = doc.finish()
    assert LONG_COMPETITION in pdf_text(data).replace("\n", "")
    assert_inside_the_page(data)


def test_a_table_started_at_the_foot_of_a_page_starts_on_the_next_page_whole(app):
    """Seen in the report's PDF: a breakdown's table begun just above the bottom drew its header cells one
    per page (each cell's text went on below the frame), eight nearly empty pages. Header and first row
    must fit, else the table starts on the next page, its header on one line."""
    doc = Document("t")
    headers = ["类别", "2022", "2023", "2024", "2025", "2026"]
    doc.table(headers, [["企业级", "0", "0", "0", "0", "1"]], [0.5, *[0.1] * 5], top=doc.bottom + 4, size=8)
    data = doc.finish()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == 2 and "类别" not in pages[0], pages
    assert "类别 2022 2023 2024 2025 2026" in pages[1] and "企业级 0 0 0 0 1" in pages[1], pages[1]


def test_text_over_a_qr_code_is_a_layout_error(app):
    doc = Document("t")
    doc.qr(URL, doc.left, doc.bottom, 80)
    doc.line("验证码", doc.left + 10, doc.bottom + 40, 12)
    with pytest.raises(LayoutError, match="QR"):
        doc.finish()


# --- every kind of PDF -----------------------------------------------------------------------------------------


def test_competition_certificate_prints_the_rare_name_inside_the_frame(rare_world):
    s = scenario(rare_world)
    s["final"].name = LONG_COMPETITION
    db.session.commit()
    data = competition_certificates.certificate_pdf(s["certificate"], URL)
    assert_every_character(data, RARE_NAME, LONG_ENTERPRISE, LONG_COMPETITION, "一等奖", "五一劳动奖章")
    assert_inside_the_page(data)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_result_notice_sign_in_and_score_sheets(rare_world):
    s = scenario(rare_world)
    s["final"].name = LONG_COMPETITION
    db.session.commit()
    notice = competition_documents.result_notice_pdf(rare_world.worker_b, s["final"])
    assert_every_character(notice, RARE_NAME, LONG_ENTERPRISE, LONG_COMPETITION, "88.60", "成绩通知单",
                           "route-walk-code-1")
    assert_inside_the_page(notice)
    sign_in = competition_documents.sign_in_sheet_pdf(rare_world.admin, s["scoring"])
    assert_every_character(sign_in, RARE_NAME, LONG_ENTERPRISE, "选手签到表", "001", "002")
    assert_inside_the_page(sign_in)
    sheets = competition_documents.score_sheets_pdf(rare_world.admin, s["scoring"])
    text = pdf_text(sheets)
    assert "实操评分表" in text and rare_world.judge.name in text
    # the judge belongs to enterprise B: worker_b's number (002) is left off the judge's sheet
    assert "001" in text and "002" not in text
    assert_inside_the_page(sheets)


def test_sheets_are_for_the_admin_only(rare_world):
    from services.errors import NotAllowed

    with pytest.raises(NotAllowed):
        competition_documents.sign_in_sheet_pdf(rare_world.hr_b, scenario(rare_world)["scoring"])


def test_title_certificate_prints_the_rare_name_and_the_whole_long_citation(rare_world):
    kinds = default_titles()
    make_eligible(rare_world.hr_b, rare_world.worker_b)
    granted = award_through_round(rare_world.admin, rare_world.hr_b, rare_world.worker_b, kinds["晋江工匠"])
    granted.citation = "该同志长期扎根生产一线，刻苦钻研鞋面缝合工艺，" * 40  # 960 characters
    db.session.commit()
    data = title_certificates.certificate_pdf(granted, URL)
    assert_every_character(data, RARE_NAME, LONG_ENTERPRISE, "晋江工匠", granted.certificate_no)
    assert pdf_text(data).replace("\n", "").count("刻苦钻研鞋面缝合工艺") == 40  # nothing cut
    assert_inside_the_page(data)


def test_the_longest_title_citation_continues_on_a_second_page(rare_world):
    kinds = default_titles()
    make_eligible(rare_world.hr_b, rare_world.worker_b)
    granted = award_through_round(rare_world.admin, rare_world.hr_b, rare_world.worker_b, kinds["晋江工匠"])
    granted.citation = "技术精湛，" * 600  # 3,000 characters: the most a nomination may have
    db.session.commit()
    data = title_certificates.certificate_pdf(granted, URL)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert pdf_text(data).replace("\n", "").count("技术精湛") == 600
    assert_inside_the_page(data)


def test_agreement_and_growth_record(rare_world):
    pair = MentorPairFactory(mentor__enterprise=rare_world.enterprise_b, mentor__name=RARE_NAME,
                             apprentice__name="䶮𠮷许")
    data = mentorship_documents.agreement_pdf(pair)
    assert_every_character(data, RARE_NAME, "䶮𠮷许", LONG_ENTERPRISE, "带徒协议", pair.goals)
    assert_inside_the_page(data)
    scenario(rare_world)
    growth = record_pdf.growth_record_pdf(rare_world.worker_b, awards.awards_of(rare_world.worker_b.id))
    assert_every_character(growth, RARE_NAME, "成长档案", "已结束的竞赛")
    assert_inside_the_page(growth)


def _final_nomination(world, citation="师徒同心，技艺精进，带出的徒弟在市级技能大赛中获得一等奖。"):
    pair = MentorPairFactory(mentor__enterprise=world.enterprise_b, mentor__name=RARE_NAME, status="completed")
    selection = ExcellentRound(year=2026, quota=10, selected_count=1, published=True,
                               published_at=datetime(2026, 6, 1, tzinfo=UTC))
    db.session.add(selection)
    db.session.flush()
    nomination = ExcellentNomination(round_id=selection.id, pair_id=pair.id, enterprise_id=world.enterprise_b.id,
                                     citation=citation, selected=True, certificate_code=verification.new_code())
    db.session.add(nomination)
    db.session.commit()
    return nomination


def test_excellent_pair_certificate(rare_world):
    nomination = _final_nomination(rare_world, citation="师徒同心，" * 100)  # 500 characters, the most allowed
    data = excellent_certificates.certificate_pdf(nomination, URL)
    assert_every_character(data, RARE_NAME, LONG_ENTERPRISE, "优秀师徒",
                           verification.grouped(nomination.certificate_code))
    assert pdf_text(data).replace("\n", "").count("师徒同心") == 100
    assert_inside_the_page(data)


# --- revoked means revoked --------------------------------------------------------------------------------------


def test_a_revoked_competition_certificate_and_its_result_notice_carry_the_stamp_and_date(world):
    s = scenario(world)
    with clock.frozen(datetime(2026, 11, 20, 18, 0, tzinfo=UTC)):  # 21 November in Shanghai
        competition_certificates.revoke_certificate(world.admin, s["certificate"], "成绩更正")
    db.session.commit()
    clean = "已撤销" not in pdf_text(competition_certificates.certificate_pdf(s["certificate"], URL))
    assert not clean
    text = pdf_text(competition_certificates.certificate_pdf(s["certificate"], URL))
    assert "2026-11-21" in text
    notice = pdf_text(competition_documents.result_notice_pdf(world.worker_b, s["final"]))
    assert "已撤销" in notice and "2026-11-21" in notice
    logged = db.session.scalars(db.select(AuditLog).where(AuditLog.action == "competition.certificate_revoked"))
    assert len(logged.all()) == 1


def test_a_valid_certificate_has_no_stamp(world):
    s = scenario(world)
    assert "已撤销" not in pdf_text(competition_certificates.certificate_pdf(s["certificate"], URL))


def test_a_revoked_title_carries_the_stamp_and_date(world):
    kinds = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
    assert "已撤销" not in pdf_text(title_certificates.certificate_pdf(granted, URL))
    with clock.frozen(datetime(2026, 12, 3, 2, 0, tzinfo=UTC)):
        awards.revoke_award(world.admin, granted, "弄虚作假")
    db.session.commit()
    text = pdf_text(title_certificates.certificate_pdf(granted, URL))
    assert "已撤销" in text and "2026-12-03" in text
    growth = pdf_text(record_pdf.growth_record_pdf(world.worker_a, awards.awards_of(world.worker_a.id)))
    assert "已撤销 2026-12-03" in growth


# --- the one verification ---------------------------------------------------------------------------------------


def test_new_codes_have_no_look_alikes_and_print_in_groups():
    codes = [verification.new_code() for _ in range(500)]
    assert not set("".join(codes)) & set("01OIL")
    assert all(len(code) == 12 for code in codes)
    assert verification.grouped("K7Q4M9XP3RTW") == "K7Q4-M9XP-3RTW"
    assert verification.grouped("route-walk-code-1") == "route-walk-code-1"  # old codes as issued


@pytest.mark.parametrize("typed", ["K7Q4-M9XP-3RTW", "k7q4m9xp3rtw", " K7Q4 M9XP 3RTW ", "Ｋ７Ｑ４－Ｍ９ＸＰ－３ＲＴＷ",
                                   "k7q4—m9xp—3rtw"])
def test_codes_are_normalised(typed):
    assert verification.normalise(typed) == "K7Q4M9XP3RTW"


def test_every_kind_verifies_by_code_and_number(world):
    s = scenario(world)
    s["certificate"].code = "K7Q4M9XP3RTW"
    db.session.commit()
    verdict = verification.verify("ｋ７ｑ４-m9xp 3rtw")
    assert (verdict.status, verdict.holder, verdict.enterprise) == ("valid", world.worker_b.name,
                                                                    world.enterprise_b.name)
    assert "一等奖" in verdict.awarded
    kinds = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
    number = granted.certificate_no  # e.g. JX-2026-01-0001
    for typed in (number, number.lower(), number.replace("-", ""), f" {number} ", number.replace("-", " ")):
        found = verification.verify(typed)
        assert found is not None and found.status == "valid" and found.number == number, typed
    assert title_certificates.verify(number.lower())[0] == title_certificates.VERIFY_VALID
    with clock.frozen(datetime(2026, 12, 3, 2, 0, tzinfo=UTC)):
        awards.revoke_award(world.admin, granted, "弄虚作假")
    db.session.commit()
    revoked = verification.verify(number)
    assert revoked.status == "revoked" and revoked.revoked_on.isoformat() == "2026-12-03"
    nomination = _final_nomination(world)
    excellent = verification.verify(verification.grouped(nomination.certificate_code).lower())
    assert excellent.status == "valid" and RARE_NAME in excellent.holder and "2026" in excellent.awarded
    assert verification.verify("K7Q4-M9XP-3RTX") is None
    assert verification.verify("") is None and verification.verify("X" * 65) is None


def test_verification_asks_once_which_kind_then_loads_that_one_certificate(world):
    """However many kinds are registered: one statement for an unknown text, two for a known certificate
    of any kind (which kind holds it, then it with what the verdict shows: no lazy loads, no roles)."""
    s = scenario(world)
    s["certificate"].code = "K7Q4M9XP3RTW"
    kinds = default_titles()
    make_eligible(world.hr_a, world.worker_a)
    granted = award_through_round(world.admin, world.hr_a, world.worker_a, kinds["晋江工匠"])
    nomination = _final_nomination(world)
    db.session.commit()
    for typed, holder in (("K7Q4-M9XP-3RTW", world.worker_b.name), (granted.certificate_no, world.worker_a.name),
                          (nomination.certificate_code, RARE_NAME), ("K7Q4-M9XP-3RTX", None)):
        db.session.expunge_all()  # nothing already in the session
        with count_queries() as counted:
            verdict = verification.verify(typed)
            if verdict is not None:
                assert holder in verdict.holder and verdict.enterprise and verdict.awarded, typed
        assert (verdict is None) is (holder is None), typed
        assert len(counted.statements) == (1 if holder is None else 2), (typed, counted.statements)


def test_old_codes_keep_verifying(world):
    scenario(world)  # issued as "route-walk-code-1", the old kind (case-sensitive, with dashes)
    assert verification.verify("route-walk-code-1").status == "valid"
    assert competition_certificates.verify_certificate(" route-walk-code-1 ") is not None


def test_finalising_the_excellent_selection_issues_the_certificate_codes(world):
    from services.mentorship import excellent
    from tests.route_rules.mentorship import nomination_args

    nomination = db.session.get(ExcellentNomination, nomination_args(world)["nomination_id"])
    excellent.select(world.admin, nomination)
    excellent.publish(world.admin, 2026)
    db.session.commit()
    assert nomination.certificate_code is None  # nothing before the selection is final
    with clock.frozen(clock.now() + timedelta(days=30)):
        excellent.finalise(world.admin, 2026)
    db.session.commit()
    assert len(nomination.certificate_code) == 12
    assert verification.verify(nomination.certificate_code).status == "valid"


def test_an_excellent_pair_honour_is_revoked_like_a_title(world):
    """Issue 12's leftover: admin only, with a reason, audited; the verification answers revoked with
    the date, the certificate is stamped 已撤销, the growth record keeps it marked revoked, both people
    are told."""
    from models.audit import AuditLog
    from models.messages import Message
    from services.errors import NotAllowed, RuleViolation
    from services.growth import timeline
    from services.mentorship import excellent, excellent_certificates
    from tests.route_rules.mentorship import nomination_args

    nomination = db.session.get(ExcellentNomination, nomination_args(world)["nomination_id"])
    excellent.select(world.admin, nomination)
    with pytest.raises(RuleViolation):  # not final yet: the selection is withdrawn instead
        excellent.revoke(world.admin, nomination, "材料不实，予以撤销")
    excellent.publish(world.admin, 2026)
    db.session.commit()
    later = clock.now() + timedelta(days=30)
    with clock.frozen(later):
        excellent.finalise(world.admin, 2026)
        db.session.commit()
        with pytest.raises(NotAllowed):
            excellent.revoke(world.hr_b, nomination, "材料不实，予以撤销")
        with pytest.raises(RuleViolation) as error:
            excellent.revoke(world.admin, nomination, "不")
        assert error.value.field == "reason"
        excellent.revoke(world.admin, nomination, "材料不实，予以撤销")
        db.session.commit()
        with pytest.raises(RuleViolation):
            excellent.revoke(world.admin, nomination, "再次撤销一下")
        verdict = verification.verify(nomination.certificate_code)
        assert verdict.status == "revoked" and verdict.revoked_on == clock.today()
        text = pdf_text(excellent_certificates.certificate_pdf(nomination, URL))
        assert "已撤销" in text and clock.today().isoformat() in text
        pair = nomination.pair
        for person in (pair.mentor, pair.apprentice):
            [event] = [e for e in timeline.timeline(person) if "优秀师徒" in e.title]
            assert event.status == "已撤销"
        assert excellent.excellent_honours([pair.id]) == {}
    recipients = set(db.session.scalars(db.select(Message.recipient_id)
                                        .where(Message.kind == "mentorship.excellent_revoked")))
    assert recipients == {nomination.pair.mentor_id, nomination.pair.apprentice_id}
    assert db.session.scalar(db.select(AuditLog).where(AuditLog.action == "mentorship.excellent_revoked"))


def test_a_certificate_prints_the_year_once_when_the_name_starts_with_it(world):
    s = scenario(world)
    competition = s["certificate"].registration.competition
    competition.name = f"{competition.held_on.year}年晋江市制鞋工职业技能竞赛"
    text = pdf_text(competition_certificates.certificate_pdf(s["certificate"], URL)).replace("\n", "")
    assert f"“{competition.name}”" in text and f"{competition.held_on.year}年“" not in text
    competition.name = "晋江市制鞋工职业技能竞赛"
    text = pdf_text(competition_certificates.certificate_pdf(s["certificate"], URL)).replace("\n", "")
    assert f"{competition.held_on.year}年“晋江市制鞋工职业技能竞赛”" in text
