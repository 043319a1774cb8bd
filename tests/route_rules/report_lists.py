"""Routes of the lists behind the yearly report's competitions and titles figures (blueprints/competitions
drill, blueprints/titles lists; services.competitions.listing, services.titles.listing), for every persona:
officers list their own node (HR their enterprise, town officers their town, admins the city); a town or an
enterprise outside their reach is 404 (rules noted "scope of B", crawled by tests/views/test_tenant_crawl);
people without an office get 403. Exports answer the file (small lists) or go back to the list without a
report filter."""

from __future__ import annotations

from tests.route_rules import only

OFFICERS = {"hr_a": 200, "hr_b": 200, "admin": 200, "town_a": 200, "town_b": 200}
HR_AND_ADMIN = {"hr_a": 200, "hr_b": 200, "admin": 200}
ENTERPRISE_B = {"hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200}
TOWN_OF_B = {"hr_a": 404, "hr_b": 404, "admin": 200, "town_a": 404, "town_b": 200}
REDIRECTED = dict.fromkeys(OFFICERS, 302)


def _year(world):
    return {"year": 2026}


def _enterprise_b(world, **more):
    return {"year": 2026, "enterprise": world.enterprise_b.id, **more}


def _town_of_b(world, **more):
    return {"year": 2026, "town": world.enterprise_b.town_id, **more}


RULES = []
for _endpoint, _extra in (("competitions.entry_list", {"figure": "entrants"}),
                          ("competitions.entry_list", {"figure": "prizes", "level": "city", "prize": "first"}),
                          ("competitions.index", {"report": 1}),
                          ("titles.award_list", {"basis": "awarded"}),
                          ("titles.award_list", {"basis": "revoked"}),
                          ("titles.nomination_list", {})):
    _note = " ".join(f"{k}={v}" for k, v in _extra.items())
    RULES += [
        only(_endpoint, OFFICERS, url_args=lambda world, e=_extra: {"year": 2026, **e}, note=f"report {_note}"),
        only(_endpoint, ENTERPRISE_B, url_args=lambda world, e=_extra: _enterprise_b(world, **e),
             note=f"report {_note} scope of B"),
        only(_endpoint, TOWN_OF_B, url_args=lambda world, e=_extra: _town_of_b(world, **e),
             note=f"report {_note} town of B"),
    ]
RULES += [
    only("competitions.entry_list", OFFICERS, note="this year"),
    only("titles.award_list", OFFICERS, note="this year"),
    only("titles.nomination_list", OFFICERS, note="this year"),
    # promotions: HR and admins as before; drilled from the report, town officers too (their town's)
    only("competitions.promotions", OFFICERS, url_args=lambda world: {"year": 2026, "basis": "certified"},
         note="report"),
    only("competitions.promotions", ENTERPRISE_B, url_args=lambda world: _enterprise_b(world, basis="recommended"),
         note="report scope of B"),
]
# exports: POST (CSRF off in tests): the file of a small list; without a report filter, back to the list
for _endpoint, _args in (("competitions.export_entry_list", {"figure": "prizes"}),
                         ("competitions.export_held", {"report": 1}),
                         ("competitions.export_promotions", {"basis": "recommended"}),
                         ("titles.export_award_list", {"basis": "awarded"}),
                         ("titles.export_nomination_list", {})):
    RULES += [
        only(_endpoint, OFFICERS, method="POST", url_args=lambda world, a=_args: {"year": 2026, **a}),
        only(_endpoint, ENTERPRISE_B, method="POST", url_args=lambda world, a=_args: _enterprise_b(world, **a),
             note="scope of B"),
    ]
RULES += [
    only("competitions.export_held", REDIRECTED, method="POST", note="no report filter"),
    only("competitions.export_promotions", REDIRECTED, method="POST", note="no report filter"),
]
