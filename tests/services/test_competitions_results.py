"""Results: public notice with objections, final results, certificates (PDF with Chinese text,
random verification codes, revocation), promotion recommendations and the skill-level change."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core import clock
from models import db
from models.competitions import FINAL, NOTICED, CompetitionCertificate, CompetitionPromotion
from models.skills import REASON_COMPETITION, SkillLevelChange
from services.common import notices, verification
from services.competitions import certificates, judging, promotions, results
from services.errors import NotFound, RuleViolation
from tests.factories_competitions import competition_in_scoring, reload

CERT_NO = "Y350582202600000000123"


def _signed_off(world, competitors=4, **overrides):
    competition, entries, judges = competition_in_scoring(competitors=competitors, judges=3, **overrides)
    for n, entry in enumerate(entries):
        judging.enter_theory_mark(world.admin, entry, str(90 - n * 5))
        for judge in judges:
            judging.enter_practical_marks(judge, entry, {i.id: str(90 - n * 4) for i in competition.items})
    results.sign_off(world.admin, competition)
    db.session.commit()
    return competition, entries


def _final(world, **overrides):
    competition, entries = _signed_off(world, **overrides)
    results.publish_results(world.admin, competition)
    db.session.commit()
    with clock.frozen(clock.now() + timedelta(days=12)):
        results.finalise_results(world.admin, competition)
    db.session.commit()
    return competition, entries


def test_publish_objection_and_finalise(world):
    competition, _entries = _signed_off(world)
    notice = results.publish_results(world.admin, competition)
    db.session.commit()
    assert competition.status == NOTICED and notice.subject_type == "competition"
    objection = notices.file_objection(world.worker_b, notice, "第二名的实操成绩可能录错了，请核实。")
    db.session.commit()
    later = clock.now() + timedelta(days=12)
    with clock.frozen(later), pytest.raises(RuleViolation, match="未处理的异议"):
        results.finalise_results(world.admin, competition)
    db.session.rollback()
    with pytest.raises(RuleViolation, match="尚未结束"):
        results.finalise_results(world.admin, reload(competition))
    db.session.rollback()
    notices.resolve_objection(world.admin, reload(objection), upheld=False, note="经复核，成绩录入无误。")
    db.session.commit()
    with clock.frozen(later):
        results.finalise_results(world.admin, reload(competition))
    db.session.commit()
    assert reload(competition).status == FINAL
    assert len(db.session.scalars(select(CompetitionCertificate)).all()) == 4


def test_certificates_have_random_codes_and_verify(world):
    competition, entries = _final(world)
    issued = db.session.scalars(select(CompetitionCertificate).order_by(CompetitionCertificate.id)).all()
    codes = [c.code for c in issued]
    assert len(set(codes)) == 4 and all(len(code) == 12 for code in codes)
    # not sequential or derived from ids: no common prefix beyond chance, no digits-only counters
    assert len({code[:4] for code in codes}) == 4
    assert {c.kind for c in issued} == {"prize"}  # 4 competitors, prizes down to rank 5
    found = certificates.verify_certificate(codes[0])
    assert found.registration.worker.name == entries[0].worker.name
    assert certificates.verify_certificate(codes[0][:-1] + ("A" if codes[0][-1] != "A" else "B")) is None
    assert certificates.verify_certificate("") is None
    certificates.revoke_certificate(world.admin, found, "成绩更正")
    db.session.commit()
    assert certificates.verify_certificate(codes[0]).revoked_at is not None
    with pytest.raises(RuleViolation):
        certificates.revoke_certificate(world.admin, found, "再次撤销")


def test_participation_certificate_for_those_without_a_prize(world):
    _competition, entries = _final(world, prize_tiers=[])
    kinds = {c.registration_id: c.kind for c in db.session.scalars(select(CompetitionCertificate))}
    assert set(kinds.values()) == {"participation"} and len(kinds) == len(entries)


@pytest.mark.parametrize("font_path", ["configured", "/nonexistent/font.ttc"])
def test_certificate_pdf_has_chinese_text(app, world, font_path):
    _competition, entries = _final(world)
    certificate = certificates.certificate_for(entries[0], entries[0].worker)
    previous = app.config["PDF_FONT_PATHS"]
    if font_path != "configured":
        app.config["PDF_FONT_PATHS"] = [font_path]  # no file: reportlab's built-in CID font
    try:
        pdf = certificates.certificate_pdf(certificate, "http://example.test/verify?code=x")
    finally:
        app.config["PDF_FONT_PATHS"] = previous
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "荣誉证书" in text
    assert entries[0].worker.name in text
    assert "一等奖" in text
    assert verification.grouped(certificate.code) in text


def test_top_n_recommended_one_step_never_above_technician(world):
    competition, entries = _signed_off(world, promote_top_n=3)
    entries[0].worker.skill_level = 3  # 高级工 -> 技师
    entries[1].worker.skill_level = 4  # already 技师: no recommendation
    entries[2].worker.skill_level = 1
    db.session.commit()
    results.publish_results(world.admin, competition)
    with clock.frozen(clock.now() + timedelta(days=12)):
        results.finalise_results(world.admin, competition)
    db.session.commit()
    recommendations = {p.worker_id: (p.from_level, p.to_level)
                       for p in db.session.scalars(select(CompetitionPromotion))}
    assert recommendations == {entries[0].worker_id: (3, 4), entries[2].worker_id: (1, 2)}


def test_hr_records_certificate_and_level_changes_with_competition_as_source(world):
    from tests.factories import HRFactory

    competition, entries = _signed_off(world, promote_top_n=1)
    results.publish_results(world.admin, competition)
    with clock.frozen(clock.now() + timedelta(days=12)):
        results.finalise_results(world.admin, competition)
    db.session.commit()
    promotion = db.session.scalar(select(CompetitionPromotion))
    worker = entries[0].worker
    hr = HRFactory(enterprise=worker.enterprise)
    with pytest.raises(NotFound):
        promotions.record_promotion_certificate(world.hr_a, promotion, CERT_NO, "晋江市职业技能鉴定中心")
    with pytest.raises(NotFound):
        promotions.get_promotion(world.hr_a, promotion.id)
    with pytest.raises(RuleViolation):
        promotions.record_promotion_certificate(hr, promotion, "bad", "晋江市职业技能鉴定中心")
    db.session.rollback()
    promotions.record_promotion_certificate(hr, reload(promotion), CERT_NO, "晋江市职业技能鉴定中心")
    db.session.commit()
    assert reload(worker).skill_level == 3
    change = db.session.scalar(select(SkillLevelChange).where(SkillLevelChange.user_id == worker.id))
    assert (change.reason, change.source_type, change.source_id, change.certificate_no) == (
        REASON_COMPETITION, "competition", competition.id, CERT_NO)
    with pytest.raises(RuleViolation, match="已经登记"):
        promotions.record_promotion_certificate(hr, reload(promotion), CERT_NO, "晋江市职业技能鉴定中心")


def test_public_results_only_when_published(world):
    competition, _entries = _signed_off(world)
    with pytest.raises(NotFound):
        results.public_results(competition.id)
    results.publish_results(world.admin, competition)
    db.session.commit()
    _competition, ranked = results.public_results(competition.id)
    assert [rank for _r, rank in ranked] == [1, 2, 3, 4]


def test_verification_codes_are_random_not_sequential():
    codes = [certificates.new_certificate_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 12 for code in codes)
    assert codes != sorted(codes)
    # every position takes every letter of the alphabet without look-alikes (no counter or fixed prefix)
    assert all({code[i] for code in codes} == set("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for i in range(12))


def test_upheld_objection_reopens_scoring_and_results_are_noticed_again(world):
    competition, entries = _signed_off(world)
    notice = results.publish_results(world.admin, competition)
    db.session.commit()
    with pytest.raises(RuleViolation, match="异议成立"):
        results.reopen_scoring(world.admin, competition, "想改")
    objection = notices.file_objection(world.worker_b, notice, "004 号的理论成绩登记错了，应为 95 分。")
    notices.resolve_objection(world.admin, objection, upheld=True, note="核对答题卡，确属登记错误。")
    db.session.commit()
    later = clock.now() + timedelta(days=3)
    with clock.frozen(later):
        results.reopen_scoring(world.admin, competition, "更正 004 号理论成绩")
        assert competition.status == "scoring"
        assert results.ranking(competition) == []
        judging.enter_theory_mark(world.admin, entries[3], "95")
        results.sign_off(world.admin, competition)
        again = results.publish_results(world.admin, competition)
    db.session.commit()
    assert again.id == notice.id and again.published_at == later and len(again.objections) == 1
    assert again.ends_at > later + timedelta(days=5)
    assert competition.status == NOTICED
