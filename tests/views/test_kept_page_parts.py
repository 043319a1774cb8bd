"""The kept parts of the pair, training and growth pages (issue 10, speed): statements built once per process
answer for each id they are given, a form's blank fields rendered once stay what render_field shows, and
a submitted form is still shown with its values and errors."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import get_template_attribute
from flask_babel import force_locale

from blueprints.forms import blank_fields
from blueprints.mentorship.forms import EndEarlyForm, ExtendForm
from core import clock
from models import db
from models.mentorship import PairStatusChange
from models.owners import OWNER_CITY, OWNER_ENTERPRISE
from models.training import WAITLISTED
from services.errors import NotFound
from services.mentorship import excellent, lifecycle, pairing, reports
from services.titles import awards
from services.training import programme_page
from tests.factories import TradeFactory
from tests.factories_mentorship import MentorPairFactory
from tests.factories_training import ClassFactory, EnrolmentFactory, ProgrammeFactory


def _render_field_html(form, *names):
    render_field = get_template_attribute("bootstrap5/form.html", "render_field")
    return [str(render_field(form[name])) for name in names]


def test_blank_fields_are_render_fields_html_in_each_language_and_a_sent_form_is_rendered_afresh(app):
    shown = {}
    with app.test_request_context("/"):
        for locale in ("zh", "en", "zh"):
            with force_locale(locale):
                form = EndEarlyForm(formdata=None, prefix="end")
                expected = "\n".join(_render_field_html(form, "reason", "note"))
                assert str(blank_fields(form, "reason", "note")) == expected
                assert str(blank_fields(EndEarlyForm(formdata=None, prefix="end"), "reason", "note")) == expected
                shown[locale] = expected
    assert "提前结束原因" in shown["zh"] and "提前结束原因" not in shown["en"]
    with app.test_request_context("/", method="POST", data={"extend-new_end": "not a day", "extend-reason": "x" * 401}):
        sent = ExtendForm(prefix="extend")
        assert not sent.validate()
        html = str(blank_fields(sent, "new_end", "reason"))
        assert "x" * 401 in html and "is-invalid" in html
    with app.test_request_context("/"):  # the blank form afterwards: no value, no error of the sent one
        html = str(blank_fields(ExtendForm(formdata=None, prefix="extend"), "new_end", "reason"))
        assert "x" * 401 not in html and "is-invalid" not in html


def test_a_list_filter_alone_is_the_same_condition_as_among_all_of_them(app):
    everything = reports.predicates(today=clock.today())
    for name, condition in everything.items():
        (alone,) = reports.predicates(today=clock.today(), only=name).values()
        assert str(alone.compile(compile_kwargs={"literal_binds": True})) == \
            str(condition.compile(compile_kwargs={"literal_binds": True}))
    assert reports.predicates(today=clock.today(), only="no such filter") == {}


def test_the_pairs_kept_statements_answer_for_each_pair_and_person(world):
    first, second = MentorPairFactory(), MentorPairFactory()
    for pair, reason in ((first, "一"), (second, "二")):
        db.session.add(PairStatusChange(pair_id=pair.id, from_status=None, to_status=pair.status, reason=reason,
                                        changed_at=clock.now()))
    db.session.commit()
    assert [change.reason for change in lifecycle.history(first)] == ["一"]
    assert [change.reason for change in lifecycle.history(second)] == ["二"]
    assert excellent.nomination_for_pair(first.id) is None and excellent.nomination_for_pair(second.id) is None
    assert [pair.id for pair in pairing.pairs_of(first.mentor)] == [first.id]
    assert [pair.id for pair in pairing.pairs_of(second.apprentice)] == [second.id]
    assert pairing.pairs_of(world.worker_a) == []


def test_a_programmes_kept_statements_answer_for_each_programme(world):
    one, other = ProgrammeFactory(), ProgrammeFactory()
    later = ClassFactory(programme=one, title="第二讲", starts_at=clock.now() + timedelta(days=12))
    ClassFactory(programme=one, title="第一讲", assistant_id=world.worker_a.id)
    ClassFactory(programme=other, title="另一班", hours=Decimal("2.0"))
    EnrolmentFactory(programme=one, worker=world.worker_a)
    EnrolmentFactory(programme=one, worker=world.worker_b, status=WAITLISTED)
    EnrolmentFactory(programme=other, worker=world.worker_b)
    db.session.commit()
    parts = programme_page.page_parts(one, with_counts=True)
    rows = parts.classes
    assert [row.title for row in rows] == ["第一讲", "第二讲"] and rows[1].id == later.id
    assert rows[0].assistant_name == world.worker_a.name and rows[1].assistant_name is None
    assert rows[1].starts_at == later.starts_at and rows[1].ends_at == later.ends_at
    others = programme_page.page_parts(other, with_counts=True)
    assert [(row.title, row.hours) for row in others.classes] == [("另一班", Decimal("2.0"))]
    assert parts.counts == {"confirmed": 1, "waitlisted": 1} and others.counts == {"confirmed": 1}
    assert programme_page.page_parts(one, with_counts=False).counts is None


def test_a_programmes_page_parts_name_its_owner_and_trades_in_order(world):
    first, second = TradeFactory(name="钳工"), TradeFactory(name="焊工")
    enterprise_owned = ProgrammeFactory(owner_level=OWNER_ENTERPRISE, owner_enterprise_id=world.enterprise_a.id)
    enterprise_owned.trades = [first, second]
    city_owned = ProgrammeFactory(owner_level=OWNER_CITY, owner_enterprise_id=None)
    db.session.commit()
    parts = programme_page.page_parts(enterprise_owned, with_counts=False)
    assert parts.owner_name == world.enterprise_a.name
    assert parts.trade_labels == [str(t.label) for t in sorted((first, second), key=lambda t: t.name)]
    assert programme_page.page_parts(city_owned, with_counts=False).trade_labels == []


def test_a_workers_awards_through_the_kept_statement_are_their_own(world):
    assert awards.awards_of(world.worker_a.id) == [] and awards.awards_of(world.worker_b.id) == []


def test_a_kept_evidence_summary_is_the_macros_for_its_own_snapshot_and_language(app):
    from blueprints.titles.round_page import evidence_html

    macro = get_template_attribute("titles/_evidence.html", "evidence_summary")
    snapshots = [{"skill_level": 4, "years_in_trade": 12, "adopted_proposals": 2, "verified_savings": "1200.00",
                  "completed_pairs": 1, "placings": [{"name": "晋江市职业技能竞赛", "rank": 2, "prize": "second"}]},
                 {"skill_level": 3, "years_in_trade": 5}]
    with app.test_request_context("/"):
        for locale in ("zh", "en"):
            with force_locale(locale):
                for evidence in snapshots + snapshots:
                    assert str(evidence_html(json.dumps(evidence), {})) == str(macro(evidence))


def test_a_pair_through_the_kept_statements_is_found_by_those_who_may_see_it_only(world):
    """get_pair keeps one statement per kind of reader (the ids bind parameters): the city, HR of the pair's
    enterprise, the town officer of its town and its two parties find it; HR, town officer and workers
    elsewhere do not, whatever the order they ask in."""
    pair = MentorPairFactory(mentor__enterprise=world.enterprise_b)
    mine = MentorPairFactory(mentor__enterprise=world.enterprise_a)
    readers = {"admin": world.admin, "hr_b": world.hr_b, "hr_a": world.hr_a, "town_b": world.town_b,
               "town_a": world.town_a, "mentor": pair.mentor, "apprentice": pair.apprentice, "worker_b": world.worker_b}
    sees = {"admin", "hr_b", "town_b", "mentor", "apprentice"}
    for name, reader in list(readers.items()) * 2:
        if name in sees:
            assert pairing.get_pair(reader, pair.id).id == pair.id, name
        else:
            with pytest.raises(NotFound):
                pairing.get_pair(reader, pair.id)
    assert pairing.get_pair(world.hr_a, mine.id).id == mine.id
    assert pairing.get_pair(world.town_a, mine.id).id == mine.id
    with pytest.raises(NotFound):
        pairing.get_pair(world.town_b, mine.id)
