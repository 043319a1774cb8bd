"""The Five Small part of the yearly report (services/report/five_small.py): known totals in a small
world, one proposal recommended enterprise -> town -> city counted once with its best outcome, withdrawn
and draft proposals not counted, distinct people over a span, and the roll-up enterprise -> town -> city."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models import db
from models.proposals import ProposalAuthor, RealisedSaving
from services.report import five_small
from services.report.periods import Span
from services.report.scope import CITY, ENTERPRISE, TOWN, ReportScope
from tests.factories_proposals import CampaignFactory, ProposalFactory

Y2026 = datetime(2026, 5, 10, 2, 0, tzinfo=UTC)
Y2025 = datetime(2025, 5, 10, 2, 0, tzinfo=UTC)


def scopes(world):
    return {
        "city": ReportScope(CITY, None, "全市"),
        "town_a": ReportScope(TOWN, world.enterprise_a.town_id, "甲镇"),
        "town_b": ReportScope(TOWN, world.enterprise_b.town_id, "乙镇"),
        "a": ReportScope(ENTERPRISE, world.enterprise_a.id, "甲"),
        "b": ReportScope(ENTERPRISE, world.enterprise_b.id, "乙"),
    }


def build(world):
    own = CampaignFactory(owner_level="enterprise", owner_enterprise_id=world.enterprise_a.id, status="final",
                          reward_first=Decimal("500"))
    town = CampaignFactory(owner_level="town", owner_town_id=world.enterprise_a.town_id, status="final")
    city = CampaignFactory(status="final")
    # the chain: A's worker, valid at enterprise level (first prize), recommended to the town and the city
    original = ProposalFactory(campaign=own, proposer=world.worker_a, status="awarded", prize="first",
                               estimated_savings=Decimal("100000.00"), submitted_at=Y2026)
    at_town = ProposalFactory(campaign=town, proposer=world.worker_a, status="awarded", prize="second",
                              origin_id=original.id, recommended_from_id=original.id, submitted_at=Y2026)
    at_city = ProposalFactory(campaign=city, proposer=world.worker_a, status="implemented", prize="third",
                              origin_id=original.id, recommended_from_id=at_town.id, submitted_at=Y2026)
    db.session.add(RealisedSaving(proposal_id=at_city.id, amount=Decimal("80000.00"), note="核实",
                                  finance_file_id=_file(world).id, entered_by_id=world.hr_a.id,
                                  verified_by_id=world.admin.id, verified_at=Y2026))
    # co-authored by B's worker: one more person-time and person
    db.session.add(ProposalAuthor(proposal_id=original.id, user_id=world.worker_b.id, share=10, position=1))
    # B: one submitted (not valid), one valid; one withdrawn and one draft (not counted)
    ProposalFactory(campaign=city, proposer=world.worker_b, status="submitted", submitted_at=Y2026)
    ProposalFactory(campaign=city, proposer=world.worker_b, status="valid", estimated_savings=Decimal("2000.00"),
                    submitted_at=Y2026)
    ProposalFactory(campaign=city, proposer=world.worker_b, status="withdrawn", submitted_at=Y2026)
    ProposalFactory(campaign=city, proposer=world.worker_b, status="draft", submitted_at=None)
    # 2025: one valid proposal of B's worker (same person again: distinct over the span)
    ProposalFactory(campaign=city, proposer=world.worker_b, status="valid", estimated_savings=Decimal("500.00"),
                    submitted_at=Y2025)
    db.session.commit()


def _file(world):
    from models import StoredFile

    stored = StoredFile(storage_key="k" * 64, original_name="核实.pdf", kind="pdf", content_type="application/pdf",
                        size=1, sha256="0" * 64, uploaded_by_id=world.admin.id)
    db.session.add(stored)
    db.session.flush()
    return stored


def test_known_totals_and_roll_up(world):
    build(world)
    report = {name: five_small.section(scope, Span(2026, 2026)) for name, scope in scopes(world).items()}

    def value(name, key, year=2026):
        return report[name].figure(key).value(year)

    assert value("city", "collected") == 3  # the chain once, B's submitted and valid
    assert value("a", "collected") == 1 and value("b", "collected") == 2
    assert value("town_a", "collected") == 1 and value("town_b", "collected") == 2
    assert value("city", "valid") == 2
    assert value("city", "person_times") == 4  # the chain's two authors + B's two
    assert value("city", "people") == 2
    assert value("a", "people") == 2  # B's worker co-authored A's proposal
    assert value("city", "estimated_savings") == Decimal("102000.00")
    assert value("city", "adopted") == 1 and value("city", "implemented") == 1
    assert value("city", "verified_savings") == Decimal("80000.00")
    assert value("city", "collected", 2025) == 1
    prizes = {labels: fig.value(2026) for labels, fig in report["city"].breakdowns[0].rows}
    assert sum(prizes.values()) == 1  # one proposal, its best outcome: the city's third prize
    assert [str(level) for level, _ in prizes] == ["市级"]


def test_distinct_people_over_a_span_are_not_added_up(world):
    build(world)
    section = five_small.section(ReportScope(CITY, None, "全市"), Span(2025, 2026))
    people = section.figure("people")
    assert people.value(2025) == 1 and people.value(2026) == 2
    assert people.total == 2  # B's worker in both years is one person
    assert section.figure("collected").total == 4
    assert section.figure("collected").change(2026) == Decimal("200.0")
