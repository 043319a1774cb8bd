"""Town union officers in the browser's view: the town's home figures (same query count with 10 and
1,000 records), the admin's page that assigns them through the people search, and management pages
that show a town officer no button to change anything."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from core import clock
from models import Role, db
from models.proposals import Proposal
from tests.factories import EnterpriseFactory, WorkerFactory
from tests.factories_proposals import ProposalFactory
from tests.querycount import count_queries

NOW = datetime(2026, 5, 20, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


def _figure(html: str, name: str) -> str:
    found = re.search(rf'data-testid="town-{name}">([^<]*)<', html)
    assert found, name
    return found.group(1)


def test_the_town_home_shows_the_towns_figures(client, login, world):
    ProposalFactory(proposer=world.worker_a)
    ProposalFactory(proposer=world.worker_b)  # another town
    html = login(client, world.town_a).get("/").get_data(as_text=True)
    assert 'data-testid="home-town"' in html
    assert _figure(html, "enterprises") == "1"
    assert _figure(html, "workers") == "1"
    assert _figure(html, "proposals") == "1"
    assert 'data-testid="town-records-note"' in html  # why these counts differ from the key figures above
    assert 'data-testid="home-admin"' not in html and 'data-testid="home-hr"' not in html
    assert 'data-testid="home-town"' not in login(client, world.hr_a).get("/").get_data(as_text=True)


def _grow(world, proposal_row: dict, n: int) -> None:
    """`n` proposals and `n` workers in town A's enterprises (rows written directly)."""
    have = db.session.scalar(select(db.func.count(Proposal.id)))
    if have < n:
        db.session.execute(insert(Proposal), [dict(proposal_row, title=f"提案{i}") for i in range(have, n)])
    for _ in range(3):
        WorkerFactory(enterprise=EnterpriseFactory(town=world.enterprise_a.town))


def test_the_town_home_costs_the_same_queries_with_10_and_1000_records(app, login, world):
    first = ProposalFactory(proposer=world.worker_a)
    row = {c.key: getattr(first, c.key) for c in Proposal.__table__.columns if c.key != "id"}
    client = login(app.test_client(), world.town_a)
    counts = []
    for n in (10, 1_000):
        _grow(world, row, n)
        db.session.commit()
        client.get("/")
        with count_queries() as counter:
            html = client.get("/").get_data(as_text=True)
        counts.append(counter.count)
        assert _figure(html, "proposals") == f"{n:,}"
    assert counts[0] == counts[1], counts


def test_admins_assign_and_remove_town_officers_through_the_people_search(client, login, world):
    admin = login(client, world.admin)
    town = world.enterprise_a.town
    page = admin.post("/admin/town-officers", data={"person_q": "没有这个人", "town_id": str(town.id)})
    assert page.status_code == 200 and "没有这个人" in page.get_data(as_text=True)  # kept, with the reason
    response = admin.post("/admin/town-officers", data={"person_q": world.worker_b.phone[-4:],
                                                        "town_id": str(town.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert world.worker_b.has_role(Role.TOWN) and world.worker_b.town_id == town.id
    listing = admin.get(f"/admin/town-officers?town={town.id}").get_data(as_text=True)
    assert world.worker_b.name in listing and world.town_a.name in listing and world.town_b.name not in listing
    assert admin.post(f"/admin/town-officers/{world.worker_b.id}/remove").status_code == 302
    db.session.expire_all()
    assert not world.worker_b.has_role(Role.TOWN)
    # the roles form does not offer the town officer's role (it comes with a town)
    detail = admin.get(f"/admin/users/{world.worker_b.id}").get_data(as_text=True)
    assert 'value="town_officer"' not in detail


def test_a_town_officer_sees_the_towns_people_and_records_without_edit_buttons(client, login, world):
    proposal = ProposalFactory(proposer=world.worker_b)
    officer = login(client, world.town_b)
    worker_page = officer.get(f"/workers/{world.worker_b.id}").get_data(as_text=True)
    assert world.worker_b.name in worker_page
    assert f"/workers/{world.worker_b.id}/edit" not in worker_page
    assert f"/workers/{world.worker_b.id}/skill-level" not in worker_page
    listing = officer.get("/workers/").get_data(as_text=True)
    assert world.worker_b.name in listing and world.worker_a.name not in listing
    assert "/workers/new" not in listing
    proposal_page = officer.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert proposal.title in proposal_page
    assert "screen-form" not in proposal_page and f"/proposals/{proposal.id}/adopt" not in proposal_page
    assert proposal.title in officer.get("/proposals/list").get_data(as_text=True)
    # the edit pages themselves answer 403 (role) or 404 (not theirs to manage)
    assert officer.get(f"/workers/{world.worker_b.id}/edit").status_code == 403
    assert officer.post(f"/proposals/{proposal.id}/screen", data={"decision": "valid"}).status_code == 403


def test_a_town_officer_lists_the_towns_enterprises_read_only(client, login, world):
    html = login(client, world.town_a).get("/admin/enterprises").get_data(as_text=True)
    assert world.enterprise_a.name in html and world.enterprise_b.name not in html
    assert "/admin/enterprises/new" not in html and f"/admin/enterprises/{world.enterprise_a.id}/edit" not in html
    assert login(client, world.town_a).get(f"/admin/enterprises/{world.enterprise_a.id}/edit").status_code == 403
    admin_html = login(client, world.admin).get("/admin/enterprises").get_data(as_text=True)
    assert world.enterprise_b.name in admin_html and "/admin/enterprises/new" in admin_html


def test_an_admin_moves_an_enterprise_and_its_edit_page_shows_the_town_history(client, login, world):
    from tests.factories import TownFactory

    new_town = TownFactory(name="磁灶镇")
    enterprise = world.enterprise_a
    admin = login(client, world.admin)
    response = admin.post(f"/admin/enterprises/{enterprise.id}/edit", data={
        "name": enterprise.name, "credit_code": enterprise.credit_code, "town_id": str(new_town.id),
        "industry": enterprise.industry, "is_member": "y"})
    assert response.status_code == 302
    html = admin.get(f"/admin/enterprises/{enterprise.id}/edit").get_data(as_text=True)
    rows = re.findall(r'<td data-label="镇（街道）" class="cell-primary">([^<]+)</td>', html)
    assert rows == ["陈埭镇", "磁灶镇"]
    # the officer of the old town no longer sees the enterprise nor its people; the records made before stay
    officer = login(client, world.town_a)
    assert enterprise.name not in officer.get("/admin/enterprises").get_data(as_text=True)
    assert officer.get(f"/workers/{world.worker_a.id}").status_code == 404


def test_a_town_officer_sees_pairs_and_entries_of_the_town_without_buttons(client, login, world):
    from tests.factories_competitions import scenario
    from tests.factories_mentorship import MentorPairFactory

    pair = MentorPairFactory(mentor__enterprise=world.enterprise_b)
    made = scenario(world)
    officer = login(client, world.town_b)
    pairs = officer.get("/mentorship/pairs").get_data(as_text=True)
    assert pair.mentor.name in pairs
    assert "/mentorship/pairs/export.xlsx" not in pairs and "/mentorship/pairs/new" not in pairs
    pair_page = officer.get(f"/mentorship/pairs/{pair.id}").get_data(as_text=True)
    assert 'data-testid="end-form"' not in pair_page and 'data-testid="extend-form"' not in pair_page
    entries = officer.get(f"/competitions/{made['open'].id}/registrations").get_data(as_text=True)
    assert world.worker_b.name in entries
    assert "/withdraw" not in entries  # nothing to act on; exporting the list is a read it may do (route rules)
    other = login(client, world.town_a).get(f"/competitions/{made['open'].id}/registrations").get_data(as_text=True)
    assert world.worker_b.name not in other


def test_the_town_officers_lists_cost_the_same_queries_with_more_rows(app, login, world):
    client = login(app.test_client(), world.town_a)
    urls = ("/workers/", "/proposals/list", "/admin/enterprises", "/mentorship/pairs")
    counts = []
    for extra in (2, 30):
        while db.session.scalar(select(db.func.count(Proposal.id))) < extra:
            enterprise = EnterpriseFactory(town=world.enterprise_a.town)
            ProposalFactory(proposer=WorkerFactory(enterprise=enterprise))
        row = []
        for url in urls:
            client.get(url)
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            row.append(counter.count)
        counts.append(row)
    assert counts[0] == counts[1], counts


def test_an_admin_appoints_a_town_officer_from_the_persons_page(client, login, world):
    admin = login(client, world.admin)
    page = admin.get(f"/admin/users/{world.worker_b.id}").get_data(as_text=True)
    assert 'data-testid="town-officer"' in page
    person_q = re.search(r'name="person_q" value="([^"]*)"', page).group(1)
    town = world.enterprise_b.town
    response = admin.post("/admin/town-officers", data={"person": str(world.worker_b.id), "person_q": person_q,
                                                        "town_id": str(town.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert world.worker_b.town_id == town.id
    page = admin.get(f"/admin/users/{world.worker_b.id}").get_data(as_text=True)
    assert f"/admin/town-officers/{world.worker_b.id}/remove" in page and town.name in page


def test_the_menu_offers_the_workers_list_to_everyone_it_admits(client, login, world):
    """Tryout: the town officer could open /workers/ but had no 职工管理 in the menu."""
    for person, shown in ((world.town_a, True), (world.hr_a, True), (world.admin, True), (world.worker_a, False),
                          (world.judge, False)):
        html = login(client, person).get("/").get_data(as_text=True)
        assert ('data-testid="nav-workers"' in html) is shown, person.username
        if shown:
            assert login(client, person).get("/workers/").status_code == 200
