"""Every Five Small figure of the report links to the list behind it (blueprints/report DRILL_DOWN; the lists'
definitions in services/proposals/reported.py and services/honours/results.RecordFilters): per year and for
the span's total, in a town scope and an enterprise scope, the listed records are exactly the ones the figure
counts and add up to it; the exports hold the same rows; the lists cost the same for 10 and 1,000 rows."""

from __future__ import annotations

import html
import io
import itertools
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import insert, select

from models import StoredFile, db
from models.honours import HigherResult
from models.jobs import Job
from models.proposal_tallies import rebuild
from models.proposals import Proposal, ProposalAuthor, RealisedSaving
from services import report as reports
from tests.factories import EnterpriseFactory, WorkerFactory
from tests.factories_proposals import CampaignFactory, ProposalFactory
from tests.querycount import page_counts

Y2026 = datetime(2026, 5, 10, 2, tzinfo=UTC)
Y2025 = datetime(2025, 5, 10, 2, tzinfo=UTC)
NEW_YEAR_EVE = datetime(2025, 12, 31, 17, tzinfo=UTC)  # 1 January 2026, 01:00 in Shanghai
YEARS = (2025, 2026)


_KEYS = itertools.count(1)


def _file(world):
    stored = StoredFile(storage_key=f"{next(_KEYS):064d}", original_name="证明.pdf", kind="pdf",
                        content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by_id=world.admin.id)
    db.session.add(stored)
    db.session.flush()
    return stored


def _saving(world, proposal, amount, verified=True):
    db.session.add(RealisedSaving(proposal_id=proposal.id, amount=Decimal(amount), note="核实",
                                  finance_file_id=_file(world).id, entered_by_id=world.hr_b.id,
                                  verified_by_id=world.admin.id if verified else None,
                                  verified_at=Y2026 if verified else None))


def _higher(world, enterprise_id, level, prize, on, proposal=None, person=None):
    record = HigherResult(level=level, contest=f"{level}{prize}{on}", proposal_id=proposal and proposal.id,
                          person_id=person and person.id, enterprise_id=enterprise_id, recommended_on=on,
                          prize=prize, result_on=on, evidence_file_id=_file(world).id,
                          recorded_at=datetime(on.year, on.month, 1, 2, tzinfo=UTC))
    db.session.add(record)
    db.session.flush()
    return record


def build(world):
    """Proposals of B (town B), of C (another enterprise of town B) and of A (town A)."""
    b = world.enterprise_b
    town = CampaignFactory(owner_level="town", owner_town_id=b.town_id, status="final")
    city = CampaignFactory(status="final")
    running = CampaignFactory(owner_level="town", owner_town_id=b.town_id)  # prizes not final yet
    co_author, colleague = WorkerFactory(enterprise=b), WorkerFactory(enterprise=b)
    c = EnterpriseFactory(town=b.town)
    made = {
        "p1": ProposalFactory(campaign=town, proposer=world.worker_b, status="valid", prize="second",
                              estimated_savings=Decimal("1000"), submitted_at=Y2026),
        "p2": ProposalFactory(campaign=town, proposer=world.worker_b, status="implemented", prize="first",
                              estimated_savings=Decimal("500"), submitted_at=Y2026),
        "p3": ProposalFactory(campaign=town, proposer=colleague, status="submitted", estimated_savings=Decimal("700"),
                              submitted_at=Y2026),
        "p4": ProposalFactory(campaign=running, proposer=world.worker_b, status="valid", prize="first",
                              estimated_savings=Decimal("300"), submitted_at=NEW_YEAR_EVE),
        "p5": ProposalFactory(campaign=town, proposer=world.worker_b, status="valid", prize="first",
                              estimated_savings=Decimal("400"), submitted_at=Y2025),
        "withdrawn": ProposalFactory(campaign=town, proposer=world.worker_b, status="withdrawn", submitted_at=Y2026),
        "pc": ProposalFactory(campaign=town, proposer=WorkerFactory(enterprise=c), status="valid", prize="third",
                              estimated_savings=Decimal("50"), submitted_at=Y2026),
        "pa": ProposalFactory(campaign=city, proposer=world.worker_a, status="valid", prize="first",
                              estimated_savings=Decimal("90"), submitted_at=Y2026),
    }
    db.session.add(ProposalAuthor(proposal_id=made["p1"].id, user_id=co_author.id, share=10, position=1))
    # p1 recommended to the city: adopted there with the first prize and a verified saving (one proposal)
    copy = ProposalFactory(campaign=city, proposer=world.worker_b, status="adopted", prize="first",
                           origin_id=made["p1"].id, recommended_from_id=made["p1"].id, submitted_at=Y2026)
    _saving(world, copy, "3000")
    _saving(world, made["p2"], "2000")
    _saving(world, made["p5"], "9999", verified=False)
    _saving(world, made["pa"], "100")
    made["h1"] = _higher(world, b.id, "province", "first", date(2026, 6, 1), proposal=copy)
    made["h2"] = _higher(world, b.id, "national", "second", date(2025, 10, 1), proposal=made["p5"])
    made["h_person"] = _higher(world, b.id, "province", "first", date(2026, 6, 2), person=world.worker_b)
    made["h_none"] = _higher(world, b.id, "province", "none", date(2026, 6, 3), proposal=made["p2"])
    made["h_c"] = _higher(world, c.id, "province", "first", date(2026, 7, 1), proposal=made["pc"])
    made["h_a"] = _higher(world, world.enterprise_a.id, "province", "first", date(2026, 6, 1), proposal=made["pa"])
    db.session.commit()
    return made


# figure key -> {year: the records it counts (names in `build`)}, for enterprise B; town B adds C's
EXPECTED_B = {
    "collected": {2025: {"p5"}, 2026: {"p1", "p2", "p3", "p4"}},
    "valid": {2025: {"p5"}, 2026: {"p1", "p2", "p4"}},
    "adopted": {2025: set(), 2026: {"p1", "p2"}},
    "implemented": {2025: set(), 2026: {"p2"}},
    "person_times": {2025: {"p5"}, 2026: {"p1", "p2", "p3", "p4"}},
    "people": {2025: {"p5"}, 2026: {"p1", "p2", "p3", "p4"}},
    "estimated_savings": {2025: {"p5"}, 2026: {"p1", "p2", "p4"}},
    "verified_savings": {2025: set(), 2026: {"p1", "p2"}},
    "prize.city.first": {2025: set(), 2026: {"p1"}},
    "prize.town.first": {2025: {"p5"}, 2026: {"p2"}},
    "higher.province.first": {2025: set(), 2026: {"h1"}},
    "higher.national.second": {2025: {"h2"}, 2026: set()},
}
IN_C = {"collected": {"pc"}, "valid": {"pc"}, "person_times": {"pc"}, "people": {"pc"},
        "estimated_savings": {"pc"}, "prize.town.third": {"pc"}, "higher.province.first": {"h_c"}}
BREAKDOWNS = ("prize.", "higher.")


def _link(page: str, testid: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" data-testid="{re.escape(testid)}"', page)
    return html.unescape(found.group(1)) if found else None


def proposals_listed(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'class="cell-primary"><a href="/proposals/(\d+)"', page)}


def higher_listed(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'href="/titles/higher/(\d+)/evidence"', page)}


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _summary(page: str) -> dict:
    text = re.search(r'data-testid="report-summary">(.*?)</span>', page, re.S).group(1)
    result = {"proposals": _number(re.search(r"共 ([\d,]+) 件提案", text).group(1))}
    if found := re.search(r"作者 ([\d,]+) 人次、([\d,]+) 人", text):
        result.update(person_times=_number(found.group(1)), people=_number(found.group(2)))
    if found := re.search(r"合计 ([\d,.]+) 元", text):
        result["amount"] = _number(found.group(1))
    return result


def _expected(key: str, with_c: bool) -> dict:
    years = {year: set(names) for year, names in EXPECTED_B.get(key, {2025: set(), 2026: set()}).items()}
    if with_c and key in IN_C:
        years[2026] |= IN_C[key]
    return years


def _figure(report, key):
    section = report.section("five_small")
    if key.startswith(BREAKDOWNS):
        return next(fig for breakdown in section.breakdowns for _, fig in breakdown.rows if fig.key == key)
    return section.figure(key)


def check_every_link(client, made, report, page: str, with_c: bool):
    keys = [*EXPECTED_B, *(k for k in IN_C if k not in EXPECTED_B)]
    for key in keys:
        expected = _expected(key, with_c)
        if not any(expected.values()):
            continue
        figure = _figure(report, key)
        # breakdown rows have no total column: their span link is the drill_down of the whole span
        total_link = _link(page, f"drill-{key}-total") if not key.startswith(BREAKDOWNS) else html.unescape(
            _span_link(report, key))
        for year, link in ((2025, _link(page, f"drill-{key}-2025")), (2026, _link(page, f"drill-{key}-2026")),
                           (None, total_link)):
            names = expected[year] if year else expected[2025] | expected[2026]
            value = figure.value(year) if year else figure.total
            assert link, (key, year)
            answer = client.get(link)
            assert answer.status_code == 200, (key, year, link)
            listed_page = answer.get_data(as_text=True)
            if key.startswith("higher."):
                assert higher_listed(listed_page) == {made[n].id for n in names}, (key, year)
                assert len(names) == value, (key, year)
                continue
            assert proposals_listed(listed_page) == {made[n].id for n in names}, (key, year)
            summary = _summary(listed_page)
            assert summary["proposals"] == len(names)
            if key in ("person_times", "people"):
                assert summary[key] == value, (key, year)
            elif key.endswith("_savings"):
                assert summary["amount"] == value, (key, year)
            else:
                assert len(names) == value, (key, year)


def _span_link(report, key):
    from flask import current_app

    from blueprints.report import drill_down

    with current_app.test_request_context():
        return drill_down(report, "five_small", key)


def test_every_figure_of_a_town_links_to_exactly_what_it_counts(world, client, login):
    made = build(world)
    town_b = world.enterprise_b.town_id
    login(client, world.admin)
    page = client.get(f"/report/?town={town_b}&first=2025&last=2026").get_data(as_text=True)
    report = reports.build(world.admin, town_id=town_b, first=2025, last=2026)
    with client.application.test_request_context():
        from flask_login import login_user

        login_user(world.admin)
        check_every_link(client, made, report, page, with_c=True)
    spot = report.section("five_small").figure("verified_savings")
    assert spot.value(2026) == Decimal("5000") and spot.value(2025) == 0  # p1's city copy, p2; p5 not verified


def test_every_figure_of_an_enterprise_links_to_exactly_what_it_counts(world, client, login):
    made = build(world)
    login(client, world.hr_b)
    page = client.get("/report/?first=2025&last=2026").get_data(as_text=True)
    report = reports.build(world.hr_b, first=2025, last=2026)
    with client.application.test_request_context():
        from flask_login import login_user

        login_user(world.hr_b)
        check_every_link(client, made, report, page, with_c=False)
    assert report.section("five_small").figure("people").total == 3  # B's worker in both years once


def test_an_admin_drills_into_an_enterprise_and_another_enterprise_lists_nothing(world, client, login):
    made = build(world)
    login(client, world.admin)
    b = world.enterprise_b.id
    page = client.get(f"/report/?enterprise={b}&first=2026").get_data(as_text=True)
    link = _link(page, "drill-prize.town.first-2026")
    assert f"enterprise={b}" in link and "stage=prize" in link
    assert proposals_listed(client.get(link).get_data(as_text=True)) == {made["p2"].id}
    assert proposals_listed(client.get(link.replace("prize=first", "prize=none")).get_data(as_text=True)) == set()
    higher = _link(page, "drill-higher.province.first-2026")
    assert higher_listed(client.get(higher).get_data(as_text=True)) == {made["h1"].id}
    # HR of A asking for B's records through the address sees none of them
    login(client, world.hr_a)
    assert higher_listed(client.get(higher).get_data(as_text=True)) == set()
    assert client.get(link).status_code == 404  # as every drilled list outside the reader's reach


def test_a_town_officer_gets_no_link_to_the_higher_results_they_may_not_open(world, client, login):
    build(world)
    login(client, world.town_b)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    assert _link(page, "drill-higher.province.first-2026") is None
    assert "上级成绩" in page  # the breakdown is shown, only unlinked
    assert _link(page, "drill-prize.town.first-2026") is not None


def test_a_drilled_proposal_list_outside_the_readers_reach_is_not_found(world, client, login):
    """As the other drilled lists: a town officer asking for an enterprise (or a town) of another town, and
    HR asking for another enterprise, get 404, not their own proposals in its place; their own scope lists."""
    made = build(world)
    b, town_b = world.enterprise_b.id, world.enterprise_b.town_id
    for reader, outside, inside in ((world.town_a, f"enterprise={b}", f"town={world.enterprise_a.town_id}"),
                                    (world.town_a, f"town={town_b}", ""),
                                    (world.hr_a, f"enterprise={b}", f"enterprise={world.enterprise_a.id}")):
        login(client, reader)
        assert client.get(f"/proposals/list?stage=collected&year=2026&{outside}").status_code == 404, (reader, outside)
        assert client.get(f"/proposals/list?stage=collected&first=2025&last=2026&{outside}").status_code == 404
        assert client.get(f"/proposals/list?stage=collected&year=2026&{inside}").status_code == 200
    login(client, world.town_b)
    listed = proposals_listed(client.get(f"/proposals/list?stage=collected&year=2026&enterprise={b}")
                              .get_data(as_text=True))
    assert listed and made["p2"].id in listed


def test_the_by_town_bars_link_to_each_towns_proposals(world, client, login):
    made = build(world)
    login(client, world.admin)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    report = reports.build(world.admin, first=2026)
    series = next(s for s in report.section("five_small").series if s.key == "collected_by_town")
    expected = {world.enterprise_b.town_id: {"p1", "p2", "p3", "p4", "pc"}, world.enterprise_a.town_id: {"pa"}}
    assert len(series.points) == 2
    for index, (_label, value) in enumerate(series.points):
        link = _link(page, f"drill-collected_by_town-{index}")
        town = int(re.search(r"town=(\d+)", link).group(1))
        assert "year=2026" in link and "stage=collected" in link
        ids = proposals_listed(client.get(link).get_data(as_text=True))
        assert ids == {made[n].id for n in expected[town]} and len(ids) == value


def _export(client, url, form_testid="list-export"):
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    action = re.search(rf'<form method="post" action="([^"]+)" class="mb-3" data-testid="{form_testid}"', page)
    return client.post(html.unescape(action.group(1)), data={"csrf_token": token})


def _rows(data: bytes) -> set:
    return {row[0] for row in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)}


def test_the_drilled_lists_export_the_same_rows(world, client, login):
    made = build(world)
    login(client, world.admin)
    town_b = world.enterprise_b.town_id
    for query, names in ((f"stage=verified_savings&first=2025&last=2026&town={town_b}", {"p1", "p2"}),
                         (f"stage=prize&level=town&prize=first&first=2025&last=2026&town={town_b}", {"p2", "p5"}),
                         (f"stage=people&year=2026&town={town_b}", {"p1", "p2", "p3", "p4", "pc"})):
        answer = _export(client, f"/proposals/list?{query}")
        assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
        job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
        assert job.status == "done", job.message
        assert _rows(client.get(f"/jobs/{job.id}/download").data) == {made[n].id for n in names}, query
    # the higher results' list: a small one is the file itself
    answer = _export(client, f"/titles/higher?level=province&prize=first&subject=proposal&year=2026&town={town_b}")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    assert _rows(answer.data) == {made["h1"].id, made["h_c"].id}


def test_a_big_higher_list_exports_in_the_background(world, client, login, monkeypatch):
    from services.honours import export as honours_export

    made = build(world)
    monkeypatch.setattr(honours_export, "INLINE", 1)
    login(client, world.hr_b)
    answer = _export(client, "/titles/higher?prize=first")
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.status == "done", job.message
    assert _rows(client.get(f"/jobs/{job.id}/download").data) == {made["h1"].id, made["h_person"].id}


def _bulk(n, campaign, proposer, file_id, admin_id):
    """`n` valid proposals of `proposer` with the town's first prize and a verified saving, in bulk."""
    first = (db.session.scalar(select(db.func.max(Proposal.id))) or 0) + 1
    ids = range(first, first + n)
    db.session.execute(insert(Proposal), [
        {"id": pid, "campaign_id": campaign.id, "enterprise_id": proposer.enterprise_id, "proposer_id": proposer.id,
         "kind": "design", "title": f"批量提案{pid}", "problem": "", "solution": "", "expected_benefit": "",
         "status": "valid", "prize": "first", "estimated_savings": Decimal(1000), "judge_count": 0,
         "submitted_at": Y2026, "created_at": Y2026, "updated_at": Y2026} for pid in ids])
    db.session.execute(insert(ProposalAuthor), [{"proposal_id": pid, "user_id": proposer.id, "share": 100,
                                                 "position": 0} for pid in ids])
    db.session.execute(insert(RealisedSaving), [
        {"proposal_id": pid, "amount": Decimal(10), "note": "", "finance_file_id": file_id, "entered_by_id": admin_id,
         "verified_by_id": admin_id, "verified_at": Y2026, "entered_at": Y2026} for pid in ids])
    rebuild(db.session, [campaign.id])
    db.session.commit()


def test_the_drilled_lists_cost_the_same_for_10_and_1000_proposals(world, client, login):
    town_b = world.enterprise_b.town_id
    campaign = CampaignFactory(owner_level="town", owner_town_id=town_b, status="final")
    file_id = _file(world).id
    _bulk(10, campaign, world.worker_b, file_id, world.admin.id)
    for i, pid in enumerate(db.session.scalars(select(Proposal.id).where(Proposal.campaign_id == campaign.id))):
        _higher(world, world.enterprise_b.id, "province", "first", date(2026, 6, 1 + i),
                proposal=db.session.get(Proposal, pid))  # higher results of the first ten
    db.session.commit()
    login(client, world.admin)
    urls = [f"/proposals/list?stage={stage}&first=2025&last=2026&town={town_b}"
            for stage in ("people", "verified_savings", "estimated_savings")]
    urls.append(f"/proposals/list?stage=prize&level=town&prize=first&year=2026&town={town_b}")
    urls.append(f"/titles/higher?level=province&prize=first&subject=proposal&year=2026&town={town_b}")
    few = {url: page_counts(client, url) for url in urls}
    _bulk(990, campaign, world.worker_b, file_id, world.admin.id)
    ids = db.session.scalars(select(Proposal.id).where(Proposal.campaign_id == campaign.id).order_by(Proposal.id)
                             .offset(10).limit(100)).all()
    for i, pid in enumerate(ids):
        _higher(world, world.enterprise_b.id, "province", "first", date(2026, 7, 1 + i % 28),
                proposal=db.session.get(Proposal, pid))
    db.session.commit()
    for url in urls:
        assert page_counts(client, url) == few[url], url
        page = client.get(url).get_data(as_text=True)
        if "/proposals/" in url:
            assert "共 1,000 件提案" in page, url

