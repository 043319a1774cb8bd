"""Routes of the yearly report (统计报告), for every persona: officers read their own node (HR their
enterprise, town officers their town, admins the city); a town or enterprise outside their reach is 404;
people without an office get 403."""

from __future__ import annotations

from tests.route_rules import only

OFFICERS = {"hr_a": 200, "hr_b": 200, "admin": 200, "town_a": 200, "town_b": 200}

RULES = [
    only("report.show", OFFICERS),
    only("report.show", {"hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200},
         url_args=lambda world: {"enterprise": world.enterprise_b.id}, note="enterprise B"),
    only("report.show", {"hr_a": 404, "hr_b": 404, "admin": 200, "town_a": 404, "town_b": 200},
         url_args=lambda world: {"town": world.enterprise_b.town_id}, note="town of B"),
    only("report.show", OFFICERS, url_args=lambda world: {"first": 2022, "last": 2026}, note="five years"),
]
RULES += [
    only("report.export_xlsx", {"hr_a": 302, "hr_b": 302, "admin": 302, "town_a": 302, "town_b": 302},
         method="POST"),
    only("report.export_xlsx", {"hr_a": 404, "hr_b": 302, "admin": 302, "town_a": 404, "town_b": 302},
         method="POST", data=lambda world: {"enterprise": world.enterprise_b.id}, note="enterprise B"),
]
RULES += [
    only("report.export_pdf", {"hr_a": 302, "hr_b": 302, "admin": 302, "town_a": 302, "town_b": 302},
         method="POST"),
    only("report.export_pdf", {"hr_a": 404, "hr_b": 302, "admin": 302, "town_a": 404, "town_b": 302},
         method="POST", data=lambda world: {"enterprise": world.enterprise_b.id}, note="enterprise B"),
]

CHART = {"section_key": "five_small", "chart_key": "series-collected_by_month"}
RULES += [
    only("report.chart", OFFICERS, url_args=lambda world: dict(CHART)),
    only("report.chart", {"hr_a": 404, "hr_b": 200, "admin": 200, "town_a": 404, "town_b": 200},
         url_args=lambda world: {**CHART, "enterprise": world.enterprise_b.id}, note="enterprise B"),
]
