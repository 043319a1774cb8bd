"""The top ten innovation achievements in the Five Small part of the yearly report
(services/report/five_small.py: top_ten and top_ten_list): known totals by designation year, each counted
for the enterprise (and its town at the time) the original was submitted from, rolled up enterprise ->
town -> city, a copy in a higher campaign counted as its original; the last year's list under the figures,
in the Excel export and the PDF; the span's total is the rows of the span's list."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core import clock
from models import db
from services.errors import NotFound
from services.proposals import achievements
from services.report import export, five_small, pdf
from services.report.periods import Span
from services.report.scope import CITY, ENTERPRISE, TOWN, ReportScope
from tests.factories_proposals import CampaignFactory, ProposalFactory

Y2025 = datetime(2025, 5, 10, 2, 0, tzinfo=UTC)
Y2026 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def today():
    with clock.frozen(datetime(2026, 11, 20, 2, tzinfo=UTC)):
        yield


def scopes(world):
    return {
        "city": ReportScope(CITY, None, "全市"),
        "town_a": ReportScope(TOWN, world.enterprise_a.town_id, "甲镇"),
        "town_b": ReportScope(TOWN, world.enterprise_b.town_id, "乙镇"),
        "a": ReportScope(ENTERPRISE, world.enterprise_a.id, "甲"),
        "b": ReportScope(ENTERPRISE, world.enterprise_b.id, "乙"),
    }


def build(world):
    """2026: two of A (one designated through its copy in the city campaign) and one of B; 2025: one of B,
    and B's 2025 proposal designated for 2026 counts in 2026 (the designation year)."""
    a1 = ProposalFactory(proposer=world.worker_a, status="valid", submitted_at=Y2026, title="甲一")
    copy = ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_a, status="scored", origin_id=a1.id,
                           recommended_from_id=a1.id, submitted_at=Y2026)
    a2 = ProposalFactory(proposer=world.worker_a, status="adopted", submitted_at=Y2026, title="甲二")
    b1 = ProposalFactory(proposer=world.worker_b, status="valid", submitted_at=Y2026, title="乙一",
                         estimated_savings=Decimal("3500.50"))
    b2 = ProposalFactory(proposer=world.worker_b, status="valid", submitted_at=Y2025, title="乙二")
    b3 = ProposalFactory(proposer=world.worker_b, status="valid", submitted_at=Y2025, title="乙三")
    ProposalFactory(proposer=world.worker_b, status="valid", submitted_at=Y2026, title="未入选")
    achievements.designate(world.admin, copy, position=2)
    achievements.designate(world.admin, a2, position=3)
    achievements.designate(world.admin, b1, position=1, citation="填补行业空白")
    achievements.designate(world.admin, b2)  # 2025
    achievements.designate(world.admin, b3, year=2026)  # a 2025 proposal, designated for 2026
    db.session.commit()


def test_known_totals_and_roll_up(world):
    build(world)
    report = {name: five_small.section(scope, Span(2026, 2026)) for name, scope in scopes(world).items()}

    def value(name, year=2026):
        return report[name].figure("top_ten").value(year)

    assert value("city") == 4 and value("city", 2025) == 1
    assert value("a") == value("town_a") == 2 and value("a", 2025) == 0
    assert value("b") == value("town_b") == 2 and value("b", 2025) == value("town_b", 2025) == 1
    assert value("a") + value("b") == value("city")
    assert report["city"].figure("top_ten").change(2026) == Decimal("300.0")


def test_the_last_years_list_of_the_scope_under_the_figures(world):
    build(world)
    city = five_small.section(scopes(world)["city"], Span(2025, 2026)).items[0]
    assert str(city.title) == "2026年全市十大创新成果"
    assert [row[:2] for row in city.rows] == [(1, "乙一"), (2, "甲一"), (3, "甲二"), (4, "乙三")]
    first = city.rows[0]
    assert first[2] == world.enterprise_b.name and first[3] == world.worker_b.name and first[4] == "池店镇"
    assert first[5:] == (Decimal("3500.50"), "填补行业空白")
    town_a = five_small.section(scopes(world)["town_a"], Span(2026, 2026)).items[0]
    assert [row[1] for row in town_a.rows] == ["甲一", "甲二"]
    last_year = five_small.section(scopes(world)["city"], Span(2025, 2025)).items[0]
    assert [row[1] for row in last_year.rows] == ["乙二"]


def test_the_list_is_in_the_excel_export_and_the_pdf(world):
    build(world)
    _, data = export.workbook(world.admin, {"town_id": world.enterprise_b.town_id, "first": 2026, "last": 2026})
    book = load_workbook(io.BytesIO(data))
    sheet = book["2026年全市十大创新成果"]
    rows = list(sheet.iter_rows(values_only=True))[1:]  # below the report's title row
    assert rows[0][:3] == ("名次", "成果", "企业")
    assert [r[1] for r in rows[1:3]] == ["乙一", "乙三"]
    assert rows[1][0] == 1 and rows[1][5] == 3500.5  # the position and money as numbers
    figures = [r for r in book["五小创新"].iter_rows(values_only=True) if r[0] == "全市十大创新成果"]
    assert figures and figures[0][2] == 2
    _, document = pdf.document(world.admin, {"first": 2026, "last": 2026})
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)
    assert "2026年全市十大创新成果" in text and "填补行业空白" in text


def test_an_enterprise_that_moved_town_leaves_its_earlier_achievements_with_the_old_town(world):
    """A's 2026 proposal is designated; A then moves to another town: the achievement stays the old town's
    (figure and list), as the report attributes every record to the town at its submission."""
    from services.accounts import enterprises
    from services.accounts.enterprises import EnterpriseData
    from tests.factories import TownFactory

    proposal = ProposalFactory(proposer=world.worker_a, status="valid", submitted_at=Y2026, title="甲成果")
    achievements.designate(world.admin, proposal)
    db.session.commit()
    old_town, new_town = world.enterprise_a.town_id, TownFactory(name="磁灶镇")
    a = world.enterprise_a
    enterprises.update_enterprise(world.admin, a, EnterpriseData(a.name, a.credit_code, new_town.id, a.industry,
                                                                 a.is_member))
    db.session.commit()
    for town_id, expected in ((old_town, 1), (new_town.id, 0)):
        section = five_small.section(ReportScope(TOWN, town_id, "镇"), Span(2026, 2026))
        assert section.figure("top_ten").value(2026) == expected
        assert len(section.items[0].rows) == expected
    assert [r.title for r in achievements.year_list(2026, achievements.submitted_from(town_id=old_town)[0])] == [
        "甲成果"]
    assert achievements.year_list(2026, achievements.submitted_from(town_id=new_town.id)[0]) == []


def test_the_span_total_is_the_rows_of_the_spans_list(world):
    """Over 2025-2026 the figure's total is the designations of both years, and the list behind it
    (services.proposals.achievements.span_list, narrowed as the report attributes) holds exactly them,
    newest year first, each year in position order."""
    build(world)
    span = Span(2025, 2026)
    for name, scope in scopes(world).items():
        total = five_small.section(scope, span).figure("top_ten").total
        where = achievements.submitted_from(town_id=scope.id if scope.kind == TOWN else None,
                                            enterprise_id=scope.id if scope.kind == ENTERPRISE else None)[0]
        rows = achievements.span_list(span, where)
        assert len(rows) == total, name
    rows = achievements.span_list(span)
    assert [(r.achievement.year, r.title) for r in rows] == [
        (2026, "乙一"), (2026, "甲一"), (2026, "甲二"), (2026, "乙三"), (2025, "乙二")]
    assert achievements.span_list(Span(2023, 2024)) == []
    assert five_small.section(scopes(world)["b"], span).figure("top_ten").total == 3


def test_a_list_takes_one_year_or_a_span_of_at_most_five(world):
    assert achievements.listed_years() == Span(2026, 2026)
    assert achievements.listed_years(2024) == Span(2024, 2024)
    assert achievements.listed_years(first=2022, last=2026) == Span(2022, 2026)
    assert achievements.listed_years(first=2025) == Span(2025, 2025)
    for first, last in ((2021, 2026), (2026, 2025)):
        with pytest.raises(NotFound):
            achievements.listed_years(first=first, last=last)
