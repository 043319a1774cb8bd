"""The tenant crawl (issue 13, "The union's tree"): every detail route of every area, asked for an
object of enterprise B (in town Y) by the HR of another enterprise (hr_a) and by the union officer of
another town (town_a), answers 404, never the object nor a hint that it exists; and the officer of
town Y itself (town_b), who may look, changes nothing.

The routes come from the app's URL map, the objects from tests/route_rules (each rule's `url_args`
names an object of B). A detail route names an object that belongs to an enterprise or a person
(TENANT_ARGS: a person, proposal, entry, pair, nomination, certificate...; not the union's shared
competitions, campaigns and rounds, whose pages list each viewer's own part) and is open to the
persona's role (B's own manager of that role is not refused with 403), nor public (worker_a, with
no office, does not see it).
"""

from __future__ import annotations

import pytest

from tests.route_rules import all_rules

RULES = all_rules()


TENANT_ARGS = {"user_id", "proposal_id", "attachment_id", "registration_id", "certificate_id", "promotion_id",
               "pair_id", "checkin_id", "nomination_id", "file_id", "award_id", "job_id", "message_id",
               "upgrade_id", "cost_id", "programme_id", "class_id", "enrolment_id"}


# Lists scoped by a query argument (the yearly report and the lists behind its figures): a rule whose note
# names B's enterprise or town asks for B's part of the tree.
SCOPED_BY_QUERY = {"report.show", "report.chart", "mentorship.pairs", "mentorship.export",
                   "training.report_records_list"}


def _has_object(app, rule) -> bool:
    if rule.endpoint in SCOPED_BY_QUERY and ("enterprise B" in rule.note or "town of B" in rule.note):
        return True
    return any(r.endpoint == rule.endpoint and r.arguments & TENANT_ARGS for r in app.url_map.iter_rules())


def _seen_by_b_only(rule, manager: str) -> bool:
    """A page B's manager is answered (below 400) and A's worker is not (a refused request, e.g. a stale
    sign-in code answered 400 to everyone, is nobody's object)."""
    return rule.method == "GET" and rule.expect[manager] < 400 and rule.expect["worker_a"] != 200


DETAIL_HR = [r for r in RULES if _seen_by_b_only(r, "hr_b")]
DETAIL_TOWN = [r for r in RULES if _seen_by_b_only(r, "town_b")]
# Posts that change nothing of the town's records: starting an export job (the officer's own file).
READS_BY_POST = {"workers.export", "competitions.export_registrations", "report.export_xlsx", "report.export_pdf",
                 "proposals.export_list", "competitions.export_entry_list", "competitions.export_held",
                 "competitions.export_promotions", "titles.export_award_list", "titles.export_nomination_list",
                 "training.report_records_export"}
# Posts by which a town officer creates an event its town owns (issue 15: a town runs its own training
# programmes; issue 14: its own competitions and Five Small campaigns); what another owner made stays out of
# reach (tests/route_rules/training_programmes.py; competition and campaign rules on a town-owned object say
# "B's town's": its officers run it). They still change nothing of the town's enterprises' records.
OWN_TOWN_EVENTS = {"training.create", "competitions.create"}
WRITES = [r for r in RULES if r.method == "POST" and r.expect["worker_a"] not in (200, 302)
          and r.endpoint not in READS_BY_POST | OWN_TOWN_EVENTS and "B's town's" not in r.note]


def _status(app, client, login, world, rule, persona) -> int:
    login(client, world.persona(persona))
    with app.test_request_context():
        from flask import url_for

        url = url_for(rule.endpoint, **rule.url_args(world))
    return client.open(url, method=rule.method, data=rule.data(world)).status_code


def test_the_crawl_covers_the_detail_routes_of_every_area(app):
    areas = {r.endpoint.split(".")[0] for r in DETAIL_TOWN if _has_object(app, r)}
    assert {"workers", "proposals", "competitions", "mentorship", "titles"} <= areas, areas
    assert len([r for r in DETAIL_TOWN if _has_object(app, r)]) >= 15
    assert len([r for r in DETAIL_HR if _has_object(app, r)]) >= 25


@pytest.mark.parametrize("rule", DETAIL_HR, ids=lambda r: r.id)
def test_hr_of_another_enterprise_gets_404(app, client, login, world, rule):
    if not _has_object(app, rule):
        pytest.skip("not an enterprise's or a person's object")
    assert _status(app, client, login, world, rule, "hr_a") == 404


@pytest.mark.parametrize("rule", DETAIL_TOWN, ids=lambda r: r.id)
def test_the_officer_of_another_town_gets_404(app, client, login, world, rule):
    if not _has_object(app, rule):
        pytest.skip("not an enterprise's or a person's object")
    assert _status(app, client, login, world, rule, "town_a") == 404


@pytest.mark.parametrize("rule", WRITES, ids=lambda r: r.id)
def test_the_towns_own_officer_changes_nothing(app, client, login, world, rule):
    """Every write that an ordinary worker may not do is refused to the town officer too (403 by role,
    or 404 where the object is not theirs to act on), in their own town as in another: except for the
    town's own events (OWN_TOWN_EVENTS), which its officers run."""
    assert _status(app, client, login, world, rule, "town_b") in (403, 404)


# The lists behind the report's figures name their scope in the address, not the path (enterprise=B, the
# report's drill-down; tests/route_rules/report_lists.py notes them "scope of B"): another enterprise's HR
# and another town's officer get 404 there too, for the list and for its export.
SCOPED_LISTS = [r for r in RULES if "scope of B" in r.note and r.expect["hr_b"] < 400 and r.expect["town_b"] < 400]


def test_the_crawl_covers_the_report_lists():
    assert {r.endpoint for r in SCOPED_LISTS} >= {
        "competitions.entry_list", "competitions.index", "competitions.promotions", "titles.award_list",
        "titles.nomination_list", "competitions.export_entry_list", "titles.export_award_list"}


@pytest.mark.parametrize("rule", SCOPED_LISTS, ids=lambda r: r.id)
@pytest.mark.parametrize("persona", ["hr_a", "town_a"])
def test_a_list_of_another_scope_is_404(app, client, login, world, rule, persona):
    assert _status(app, client, login, world, rule, persona) == 404
