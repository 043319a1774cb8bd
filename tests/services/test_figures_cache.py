"""Figures memoised per data version (services/common/figures_cache.py, models/data_version.py): the version
moves by one in the transaction of a counted change and never otherwise, the next read shows the change (in
this process and in another app server), and a read with nothing changed costs one query."""

from __future__ import annotations

import importlib
import re
import secrets
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import update

from app import create_app
from core import clock
from core.l10n import lazy_gettext as _l
from models import Message, Town, User, db
from models.data_version import COUNTED, bump, read
from models.proposals import Proposal
from services.accounts import authentication
from services.common import figures_cache
from services.proposals import submission
from services.proposals.submission import ProposalData
from services.report import keys, sections
from services.report.charts import data_uri, years_chart
from services.report.figures import Figure
from services.report.periods import Span
from services.report.scope import CITY, ReportScope
from tests import conftest
from tests.factories import PASSWORD
from tests.factories_proposals import SUBMIT_TIME, CampaignFactory, ProposalFactory
from tests.querycount import count_queries

CITY_SCOPE = ReportScope(CITY, None, "全市")
YEAR = Span(2026, 2026)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(SUBMIT_TIME):
        yield


def collected() -> int:
    five_small = next(s for s in sections(CITY_SCOPE, YEAR) if s.key == "five_small")
    return five_small.figure("collected").value(2026)


def draft(world):
    data = ProposalData(kind="improvement", title="缝纫线头自动剪切装置", problem="人工剪线头慢。",
                        solution="加装自动剪线器。", expected_benefit="每人每天省半小时。",
                        estimated_savings=Decimal("50000"))
    return submission.create_proposal(world.worker_a, CampaignFactory(), data)


def test_a_submitted_proposal_moves_the_version_once_and_the_next_read_counts_it(world):
    proposal = draft(world)
    db.session.commit()
    assert collected() == 0
    home = dict(keys.key_figures(world.admin).figures[0:1])["five_small"]
    assert home.value(2026) == 0
    before = read(db.session)
    submission.submit_proposal(world.worker_a, proposal, pledge=True)
    db.session.commit()
    assert read(db.session) == before + 1
    assert collected() == 1  # same process, same key: a new version, counted again
    assert dict(keys.key_figures(world.admin).figures[0:1])["five_small"].value(2026) == 1


def test_a_rolled_back_change_leaves_the_version_and_is_never_cached(world):
    ProposalFactory(proposer=world.worker_a, status="submitted", submitted_at=SUBMIT_TIME)
    assert collected() == 1
    proposal = draft(world)
    db.session.commit()
    before = read(db.session)
    submission.submit_proposal(world.worker_a, proposal, pledge=True)
    assert collected() == 2  # the transaction sees its own row, and this answer is not kept
    db.session.rollback()
    assert read(db.session) == before
    assert collected() == 1


def test_a_login_and_changes_nothing_counts_leave_the_version(world):
    before = read(db.session)
    authentication.authenticate(world.worker_a.username, PASSWORD)
    db.session.commit()
    assert world.worker_a.last_login_at is not None
    world.worker_a.name = "改名字"
    db.session.add(Message(recipient_id=world.worker_a.id, kind="test", subject={"text": "通知"}))
    db.session.execute(update(User).where(User.id == world.worker_b.id).values(last_login_at=clock.now()))
    db.session.commit()
    assert read(db.session) == before


def test_counted_account_changes_and_bulk_updates_move_it(world):
    before = read(db.session)
    world.worker_a.is_active = False
    db.session.commit()
    assert read(db.session) == before + 1
    db.session.execute(update(User).where(User.id == world.worker_b.id).values(enterprise_id=world.enterprise_a.id))
    db.session.commit()
    assert read(db.session) == before + 2
    ProposalFactory(proposer=world.worker_a, status="submitted", submitted_at=SUBMIT_TIME)
    assert collected() == 1
    moved = read(db.session)
    db.session.execute(update(Proposal).values(status="draft", submitted_at=None))
    db.session.commit()
    assert read(db.session) == moved + 1
    assert collected() == 0


def test_a_read_with_nothing_changed_is_one_query(world):
    ProposalFactory(proposer=world.worker_a, status="valid", submitted_at=SUBMIT_TIME)
    keys.key_figures(world.admin)  # the admin's row and roles loaded
    figures_cache.clear()
    with count_queries() as computed:
        sections(CITY_SCOPE, YEAR)
        keys.key_figures(world.admin)
    assert computed.count > 40  # every figure of the report, then the seven key figures
    with count_queries() as unchanged:
        report = sections(CITY_SCOPE, YEAR)
        figures = keys.key_figures(world.admin)
    assert unchanged.count == 2, unchanged.statements  # the version, read at each call outside a request
    assert report[0].figure("valid").value(2026) == figures.figures[1][1].value(2026) == 1


def test_the_pages_read_the_version_once_and_count_nothing(world, client, login):
    ProposalFactory(proposer=world.worker_a, status="valid", submitted_at=SUBMIT_TIME)
    for persona, url in (("admin", "/report/?first=2026"), ("hr_a", "/report/?first=2026"),
                         ("admin", "/proposals/figures"), ("town_a", "/proposals/figures"),
                         ("town_a", "/training/figures"), ("hr_a", "/training/figures")):
        login(client, world.persona(persona))
        figures_cache.clear()
        with count_queries() as computed:
            assert client.get(url).status_code == 200
        with count_queries() as unchanged:
            assert client.get(url).status_code == 200
        versions = [s for s in unchanged.statements if "data_version" in s]
        assert len(versions) == 1, (persona, url)
        assert not any("proposal" in s or "competition" in s or "training" in s for s in unchanged.statements), url
        assert unchanged.count < computed.count, (persona, url)


def test_the_home_pages_cost_seven_queries_less_when_nothing_changed(world, client, login):
    # the seven key figures; the admin's also the city's active enterprises
    for persona, memoised in (("admin", 8), ("hr_a", 7)):
        login(client, world.persona(persona))
        client.get("/")
        figures_cache.clear()
        with count_queries() as computed:
            client.get("/")
        with count_queries() as unchanged:
            client.get("/")
        assert computed.count - unchanged.count == memoised, persona


def test_another_app_server_sees_the_change(app, world, tmp_path):
    """Two processes on one database: each its own memory (one per engine), one version in the database."""
    other = create_app(conftest.test_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path))
    ProposalFactory(proposer=world.worker_a, status="submitted", submitted_at=SUBMIT_TIME)

    def on_the_other_server() -> int:
        with other.app_context():
            try:
                return collected()
            finally:
                db.session.remove()

    assert on_the_other_server() == 1
    ProposalFactory(proposer=world.worker_b, status="submitted", submitted_at=SUBMIT_TIME)  # on this server
    assert on_the_other_server() == 2
    # a loader that writes past the session bumps by hand, on its own connection
    with db.engine.begin() as connection:
        connection.execute(update(Proposal.__table__).values(status="draft", submitted_at=None))
        bump(connection)
    assert on_the_other_server() == 0
    assert collected() == 0
    with other.app_context():
        db.engine.dispose()


def test_the_counted_models_cover_every_model_the_figures_read():
    counted = {*COUNTED, User}
    for name in ("services.report", "services.report.scope", "services.report.five_small",
                 "services.report.competitions", "services.report.mentoring", "services.report.training",
                 "services.report.titles", "services.report.participation", "services.report.keys",
                 "services.proposals.figures", "services.competitions.figures", "services.training.figures"):
        module = importlib.import_module(name)
        models = {value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, db.Model) and value is not db.Model}
        assert models <= counted, (name, models - counted)


def test_a_chart_is_drawn_once_per_input():
    figure = Figure("x", "征集提案", "", "count", {2025: 1, 2026: 2}, 3)
    svg = years_chart(figure, [2025, 2026])
    assert years_chart(figure, [2025, 2026]) is svg
    assert data_uri(svg) is data_uri(svg)
    assert years_chart(Figure("x", "征集提案", "", "count", {2025: 1, 2026: 3}, 4), [2025, 2026]) != svg
    assert years_chart(Figure("x", "征集提案", "", "count", {2025: 1.0, 2026: 2.0}, 3), [2025, 2026]) != svg


def test_savepoints_move_it_once_at_the_outermost_commit(world):
    before = read(db.session)
    with db.session.begin_nested():
        world.worker_a.is_active = False
    assert read(db.session) == before  # a released savepoint: not yet
    db.session.commit()
    assert read(db.session) == before + 1
    db.session.begin_nested()  # still open when the whole transaction commits
    world.worker_b.is_active = False
    db.session.commit()
    assert read(db.session) == before + 2
    with db.session.begin_nested() as savepoint:
        world.worker_a.is_active = True
        savepoint.rollback()
    db.session.commit()  # what the savepoint changed went with it: a harmless extra move at most
    assert read(db.session) in (before + 2, before + 3)


# --- Figures shared between app servers through Redis ---------------------------------------------------------


@pytest.fixture
def shared_redis(app, monkeypatch):
    """REDIS_URL set for this app, under a prefix of its own (parallel runs share one Redis); the keys go."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/13"
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-figures-{secrets.token_hex(6)}"
    monkeypatch.setattr(figures_cache, "SHARED_SECONDS", 120)
    before = {name: app.config[name] for name in ("REDIS_URL", "REDIS_PREFIX")}
    app.config.update(REDIS_URL=url, REDIS_PREFIX=prefix)
    yield url, prefix, connection
    app.config.update(before)
    for name in connection.scan_iter(f"{prefix}:*"):
        connection.delete(name)


def other_server(app, tmp_path, url: str, prefix: str):
    """A second app server on the same database and Redis (its own engine, so its own memory)."""
    config = conftest.test_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    return create_app({**config, "REDIS_URL": url, "REDIS_PREFIX": prefix})


def test_a_figure_is_computed_once_for_every_app_server_and_again_after_a_change(app, world, tmp_path,
                                                                                  shared_redis):
    url, prefix, connection = shared_redis
    other = other_server(app, tmp_path, url, prefix)
    computed = []

    def compute() -> Figure:  # a figure with a lazy label and a Decimal travels as it is
        computed.append(collected())
        return Figure("collected", _l("征集提案"), "", "count", {2026: computed[-1]}, Decimal(computed[-1]))

    def on_the_other_server() -> Figure:
        with other.app_context():
            try:
                return figures_cache.memoised(("test-figure",), compute)
            finally:
                db.session.remove()

    assert figures_cache.memoised(("test-figure",), compute).value(2026) == 0
    there = on_the_other_server()
    assert (there.value(2026), there.total, str(there.label)) == (0, Decimal(0), "征集提案")
    assert len(computed) == 1  # the other server read this one's result
    assert list(connection.scan_iter(f"{prefix}:figures:*"))  # kept in Redis under the installation's prefix
    ProposalFactory(proposer=world.worker_a, status="submitted", submitted_at=SUBMIT_TIME)  # a counted change
    assert on_the_other_server().value(2026) == 1  # computed there, once, under the new version
    assert figures_cache.memoised(("test-figure",), compute).total == 1
    assert computed == [0, 1]
    with other.app_context():
        db.engine.dispose()


def test_a_server_waits_for_the_one_computing_a_figure_instead_of_computing_it_too(app, world, shared_redis):
    started, results = threading.Event(), []

    def slow() -> str:
        started.set()
        time.sleep(0.6)
        return "<p>computed once</p>"

    def first():
        with app.app_context():
            try:
                results.append(figures_cache.memoised(("test-wait",), slow))
            finally:
                db.session.remove()

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(5)
    figures_cache.clear()  # as another process would: nothing in this memory

    def never() -> str:
        raise AssertionError("computed twice")

    assert figures_cache.memoised(("test-wait",), never) == "<p>computed once</p>"
    thread.join(5)
    assert results == ["<p>computed once</p>"]


def test_a_figure_is_computed_here_when_redis_fails(app, world):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    try:
        assert figures_cache.memoised(("test-down",), lambda: "<p>here</p>") == "<p>here</p>"
    finally:
        app.config.update(REDIS_URL=None)


def test_the_report_page_and_its_charts_are_computed_once_for_two_app_servers(app, world, tmp_path, shared_redis,
                                                                               client, login):
    url, prefix, _connection = shared_redis
    ProposalFactory(proposer=world.worker_a, status="valid", submitted_at=SUBMIT_TIME)
    other = other_server(app, tmp_path, url, prefix)
    address = "/report/?first=2025&last=2026"
    login(client, world.admin)
    page = client.get(address)
    assert page.status_code == 200
    chart = re.search(r'src="(/report/chart/five_small/years\.svg[^"]*)"', page.get_data(as_text=True))
    assert chart is not None
    chart_address = chart.group(1).replace("&amp;", "&")
    drawn = client.get(chart_address)
    assert drawn.status_code == 200
    other_client = login(other.test_client(), world.admin)
    with other.app_context(), count_queries() as served:  # the other server's engine
        again = other_client.get(address)
        svg = other_client.get(chart_address)
    assert again.status_code == svg.status_code == 200
    assert _parts(again.get_data(as_text=True)) == _parts(page.get_data(as_text=True))
    assert svg.data == drawn.data
    assert not any("proposal" in s or "competition" in s or "training" in s for s in served.statements)
    with other.app_context():
        db.engine.dispose()


def _parts(html: str) -> str:
    """The report's parts (what is shared) out of a page: from the first part to the end of the main block."""
    return html[html.index('data-testid="section-'):html.rindex("</main>")]


def test_the_towns_of_a_filter_are_read_once_per_version_and_a_new_town_shows_at_once(world, client, login):
    login(client, world.admin)
    client.get("/report/")
    with count_queries() as unchanged:
        assert client.get("/report/").status_code == 200
    assert not any(re.search(r"FROM town\b", s) for s in unchanged.statements)
    db.session.add(Town(name="测试新镇", sort_order=99))
    db.session.commit()
    assert "测试新镇" in client.get("/report/").get_data(as_text=True)
