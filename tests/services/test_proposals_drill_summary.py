"""The summary line of the proposal list drilled from the report (services.proposals.listing.report_summary,
issue 16): taken from the report's own figure when the reader sees the figure's whole scope and nothing
else narrows the list, otherwise counted over the list; both give the same numbers, for every reader,
stage, year and span; a town officer whose town gained an enterprise between a proposal's creation and its
submission gets the list's own count (the figure counts a proposal the officer's list does not show)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_login import login_user

from core import clock
from models import db
from models.proposals import Proposal
from services import report as reports
from services.accounts import enterprises
from services.accounts.enterprises import EnterpriseData
from services.common import figures_cache
from services.proposals import listing, reported
from services.report import periods
from tests.factories import EnterpriseFactory, TownFactory, WorkerFactory
from tests.factories_proposals import CampaignFactory, ProposalFactory
from tests.querycount import count_queries
from tests.views.test_report_drill_five_small import build

# (stage, level, prize): every stage with a summary; the prize rows with and without proposals
STAGES = [(stage, None, None) for stage in listing.STAGES if stage != "prize"] + [
    ("prize", "town", "first"), ("prize", "city", "first"), ("prize", "town", "third"), ("prize", "nation", "x")]
SPANS = ({"year": 2025}, {"year": 2026}, {"first": 2025, "last": 2026})


def _computed(actor, filters) -> dict:
    """The summary counted over the listed proposals (what the list showed before the figures)."""
    return reported.summary(filters.stage, listing.filtered(actor, filters).with_only_columns(Proposal.id))


def _readers(world):
    """(reader, filters of the scope as the report's link sets them) for every kind of reader."""
    town_b, b = world.enterprise_b.town_id, world.enterprise_b.id
    return [(world.admin, {}), (world.admin, {"town_id": town_b}), (world.admin, {"enterprise_id": [b]}),
            (world.town_b, {}), (world.town_b, {"town_id": town_b}), (world.hr_b, {}),
            (world.hr_b, {"town_id": town_b})]  # HR: the list ignores a town


def _summaries(app, actor, filters):
    """(counted over the list, from the scope's memo, from the memoised report, statements of the last)."""
    with app.test_request_context():
        login_user(actor)
        computed = _computed(actor, filters)
        scope, span = listing.whole_scope(actor, filters)
        figures_cache.clear()
        memo = listing.report_summary(actor, filters)
    with app.test_request_context():
        login_user(actor)
        reports.sections(scope, span)  # the reader has just opened the report
        with count_queries() as counted:
            from_report = listing.report_summary(actor, filters)
    return computed, memo, from_report, counted.statements


def test_the_summary_from_the_figure_equals_the_list_s_own_count(app, world):
    build(world)
    for actor, scope_args in _readers(world):
        for stage, level, prize in STAGES:
            for when in SPANS:
                filters = listing.ProposalFilters(stage=stage, prize_level=level, prize=prize, **scope_args, **when)
                computed, memo, from_report, statements = _summaries(app, actor, filters)
                where = (actor.username, scope_args, stage, level, prize, when)
                assert computed == memo == from_report, where
                if stage != "verified_savings":  # its count has no figure: the scope's memo holds it
                    assert not any("proposal" in s for s in statements), where
    # the numbers are the figures', not empty ones: town B collected 5 proposals in 2026 (p1-p4 and C's)
    with app.test_request_context():
        login_user(world.admin)
        summary = listing.report_summary(world.admin, listing.ProposalFilters(
            stage="people", year=2026, town_id=world.enterprise_b.town_id))
        assert summary == {"proposals": 5, "person_times": 6, "people": 4}


@pytest.mark.parametrize("narrowed", [{"status": "valid"}, {"kind": "improvement"}, {"search": "提案"},
                                      {"campaign_id": -1}, {"mine": True}])
def test_a_narrowed_list_counts_its_own_summary(app, world, narrowed):
    build(world)
    town_b = world.enterprise_b.town_id
    filters = listing.ProposalFilters(stage="collected", year=2026, town_id=town_b, **narrowed)
    with app.test_request_context():
        login_user(world.admin)
        assert listing.whole_scope(world.admin, filters) is None
        reports.sections(reports.scope.resolve(world.admin, town_id=town_b), periods.Span(2026, 2026))
        assert listing.report_summary(world.admin, filters) == _computed(world.admin, filters)


def test_other_scopes_and_pickers_count_over_the_list(app, world):
    build(world)
    a_town, b_town = world.enterprise_a.town_id, world.enterprise_b.town_id
    other = EnterpriseFactory(town=world.enterprise_b.town)
    cases = [
        (world.town_b, {"town_id": a_town}),  # another town: lists nothing, no figure of it for the officer
        (world.town_b, {"enterprise_id": [world.enterprise_b.id]}),  # an officer's enterprise picker
        (world.admin, {"enterprise_id": [world.enterprise_b.id, other.id]}),  # a picker's several matches
        (world.admin, {"enterprise_id": [world.enterprise_b.id], "town_id": b_town}),
        (world.worker_b, {}),  # no office: their own proposals
    ]
    with app.test_request_context():
        for actor, args in cases:
            login_user(actor)
            filters = listing.ProposalFilters(stage="collected", year=2026, **args)
            assert listing.whole_scope(actor, filters) is None, (actor.username, args)
            assert listing.report_summary(actor, filters) == _computed(actor, filters), (actor.username, args)
        login_user(world.town_b)
        assert listing.report_summary(world.town_b, listing.ProposalFilters(
            stage="collected", year=2026, town_id=a_town)) == {"proposals": 0}
    # a span longer than the report's or backwards: no figure either, the list still counts
    for when in ({"first": 2020, "last": 2026}, {"first": 2026, "last": 2025}):
        filters = listing.ProposalFilters(stage="collected", **when)
        with app.test_request_context():
            login_user(world.admin)
            assert listing.whole_scope(world.admin, filters) is None
            assert listing.report_summary(world.admin, filters) == _computed(world.admin, filters)


def test_a_town_officer_s_list_counts_itself_when_a_proposal_changed_town_before_submission(app, world):
    """D's proposal is created (a draft) while D is in town A, D moves to town B, then it is submitted:
    town B's figure counts it (the town at submission), B's officer does not see it (the town at
    creation), so B's officer gets the list's own count; the admin's list of town B holds it and takes
    the figure."""
    build(world)
    town_a, town_b = world.enterprise_a.town, world.enterprise_b.town
    d = EnterpriseFactory(town=town_a)
    author = WorkerFactory(enterprise=d)
    with clock.frozen(datetime(2026, 1, 5, 2, tzinfo=UTC)):
        moved = ProposalFactory(campaign=CampaignFactory(), proposer=author, status="draft", submitted_at=None)
    with clock.frozen(datetime(2026, 2, 1, 2, tzinfo=UTC)):
        enterprises.update_enterprise(world.admin, d, EnterpriseData(d.name, d.credit_code, town_b.id, d.industry,
                                                                     d.is_member))
        db.session.commit()
    moved.status, moved.submitted_at = "submitted", datetime(2026, 3, 1, 2, tzinfo=UTC)
    db.session.commit()
    scope = reports.scope.resolve(world.admin, town_id=town_b.id)
    with app.test_request_context():
        figure = reports.sections(scope, periods.Span(2026, 2026))[0].figure("collected").value(2026)
        for args in ({}, {"town_id": town_b.id}):
            login_user(world.town_b)
            filters = listing.ProposalFilters(stage="collected", year=2026, **args)
            assert listing.whole_scope(world.town_b, filters) is None
            summary = listing.report_summary(world.town_b, filters)
            assert summary == _computed(world.town_b, filters) == {"proposals": figure - 1}
        login_user(world.admin)
        filters = listing.ProposalFilters(stage="collected", year=2026, town_id=town_b.id)
        assert listing.whole_scope(world.admin, filters) is not None
        assert listing.report_summary(world.admin, filters) == _computed(world.admin, filters) == {"proposals": figure}
        # another year, or a town no enterprise moved into: the officer takes the figure again
        login_user(world.town_b)
        assert listing.whole_scope(world.town_b, listing.ProposalFilters(stage="collected", year=2025)) is not None
        other_town = TownFactory(name="深沪镇")
        assert listing._town_times_agree(other_town.id, periods.Span(2026, 2026))
