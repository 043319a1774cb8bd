"""Platform data seeded in Chinese and notes the platform writes show in the reader's language; typed text as typed."""

from __future__ import annotations

from flask_babel import force_locale

from models.competitions import CompetitionResult
from models.mentorship import REASON_EXTENDED, REASON_PAIR_CREATED, PairStatusChange
from models.proposals import DEFAULT_RUBRIC, NOTE_REVIEW_STARTED, PRIZE_NOTES, ProposalStatusChange, RubricCriterion
from models.vocabulary import CRITERION_LABELS, HONOUR_LABELS, TITLE_LABELS
from services.common.i18n import as_deferred, deferred, stored_text
from services.common.reference import DEFAULT_TOWNS, DEFAULT_TRADES
from services.competitions.setup import DEFAULT_PRIZE_TIERS
from services.titles.types import DEFAULT_TITLES
from tests.factories import TownFactory, TradeFactory


def test_every_seeded_default_has_a_label():
    from models.vocabulary import TOWN_LABELS, TRADE_LABELS

    assert set(TOWN_LABELS) == set(DEFAULT_TOWNS)
    assert set(TRADE_LABELS) == set(DEFAULT_TRADES)
    assert set(CRITERION_LABELS) == {as_deferred(name).text for name, _weight in DEFAULT_RUBRIC}
    assert {honour for *_rest, honour in DEFAULT_PRIZE_TIERS if honour} <= set(HONOUR_LABELS)
    assert {data.name for data in DEFAULT_TITLES} == set(TITLE_LABELS)


def test_reference_data_shows_its_label_and_typed_names_stay(app):
    with app.test_request_context(), force_locale("en"):
        assert str(TownFactory(name="陈埭镇").label) == "Chendai Town"
        assert str(TradeFactory(name="电工").label) == "Electrician"
        assert TradeFactory(name="自定义工种").label == "自定义工种"
        assert str(RubricCriterion(name="创新性").label) != "创新性"
        assert str(CompetitionResult(honour="技术能手").honour_label) == "Technical Expert"
        assert CompetitionResult(honour="晋江市技术能手").honour_label == "晋江市技术能手"
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        assert str(TownFactory(name="陈埭镇").label) == "陈埭镇"


def test_notes_of_the_platform_are_translated_and_typed_notes_are_not(app):
    with app.test_request_context(), force_locale("en"):
        assert str(ProposalStatusChange(note=NOTE_REVIEW_STARTED).note_text) == "Start judging"
        assert str(ProposalStatusChange(note=PRIZE_NOTES["first"]).note_text) == "First prize"
        assert ProposalStatusChange(note="材料已补齐").note_text == "材料已补齐"
        assert ProposalStatusChange(note=None).note_text == ""
        assert str(PairStatusChange(reason=REASON_PAIR_CREATED).reason_text) != REASON_PAIR_CREATED
        typed = {"old": "2026-01-01", "new": "2026-06-30", "why": "生产任务重"}
        extended = PairStatusChange(reason=REASON_EXTENDED % typed)
        assert str(extended.reason_text) == "Extended: 2026-01-01 → 2026-06-30; 生产任务重"
        assert PairStatusChange(reason="师徒性格不合").reason_text == "师徒性格不合"


def test_a_deferred_inside_a_deferred_is_stored_and_translated_with_it(app):
    text = deferred("近 %(years)d 年%(level)s及以上竞赛前 %(n)d 名（%(found)s）", years=3, n=3,
                    level=deferred("市级"), found=deferred("无"))
    stored = text.as_json()
    assert stored["args"]["level"] == {"deferred": {"text": "市级", "args": {}}}
    with app.test_request_context(), force_locale("en"):
        shown = stored_text(stored)
        assert "City level" in shown and "市" not in shown
        assert stored_text("旧记录的文字") == "旧记录的文字" and stored_text(None) == ""
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        assert stored_text(stored) == "近 3 年市级及以上竞赛前 3 名（无）"


def test_the_prize_table_shows_default_honours_translated_and_stores_their_key(app):
    from blueprints.competitions.forms import parse_tiers, tiers_text

    with app.test_request_context(), force_locale("en"):
        text = tiers_text(DEFAULT_PRIZE_TIERS)
        assert "五一" not in text and "May Day Labour Medal" in text
        assert parse_tiers(text)[:2] == [(1, 1, "first", "五一劳动奖章"), (2, 3, "second", "技术能手")]
        assert parse_tiers("1-2 First prize City medal") == [(1, 2, "first", "City medal")]
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        assert parse_tiers(tiers_text(DEFAULT_PRIZE_TIERS)) == list(DEFAULT_PRIZE_TIERS)
