"""Lists of people and the audit log at the city's scale: keyset pages (next/previous, no COUNT of
every row), the same number of queries at 10 and 1,000 rows, searchable pickers for enterprises and
people that work without JavaScript, and their JSON type-ahead."""

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest

from core import clock
from models import AuditLog, Role, User, UserRole, db
from tests.factories import EnterpriseFactory, WorkerFactory, password_hash
from tests.querycount import count_queries

SIZES = (10, 1000)


SERIALS = itertools.count()


def add_workers(n: int, enterprise, trade, prefix: str = "批量") -> list[User]:
    """`n` workers in one transaction (factories would commit each)."""
    users = []
    for _ in range(n):
        i = next(SERIALS)
        users.append(User(name=f"{prefix}{i:04d}", phone=f"136{i:08d}", password_hash=password_hash(),
                          enterprise=enterprise, employee_no=f"P{i:05d}", trade=trade, skill_level=2,
                          role_rows=[UserRole(role=Role.WORKER.value)]))
    db.session.add_all(users)
    db.session.commit()
    return users


def add_audit_rows(n: int, actor, start=datetime(2026, 1, 1, tzinfo=UTC)) -> None:
    db.session.execute(db.insert(AuditLog), [
        {"at": start + timedelta(hours=i), "actor_id": actor.id, "action": "auth.login" if i % 2 else "account.updated",
         "object_type": "user", "object_id": actor.id, "detail": {}} for i in range(n)])
    db.session.commit()


def queries(client, url: str) -> int:
    client.get(url)  # warm caches (translations, templates)
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("url", ["/admin/users", "/admin/users?q=批量", "/admin/users?enterprise_q=甲鞋业",
                                 "/workers/", "/admin/audit", "/admin/audit?actor_q=总工会&action=auth.login", "/"])
def test_admin_lists_query_count_does_not_grow_with_rows(client, login, world, url):
    login(client, world.admin)
    add_workers(SIZES[0], world.enterprise_a, world.worker_a.trade, prefix="批量甲")
    add_audit_rows(SIZES[0], world.admin)
    few = queries(client, url)
    add_workers(SIZES[1] - SIZES[0], world.enterprise_a, world.worker_a.trade, prefix="批量乙")
    add_audit_rows(SIZES[1] - SIZES[0], world.admin)
    assert queries(client, url) == few


@pytest.mark.parametrize("url", ["/workers/", "/workers/?q=P0", "/", "/workers/activation", "/workers/activation?q=P0"])
def test_hr_lists_query_count_does_not_grow_with_rows(client, login, world, url):
    login(client, world.hr_a)
    add_workers(SIZES[0], world.enterprise_a, world.worker_a.trade, prefix="甲")
    few = queries(client, url)
    add_workers(SIZES[1] - SIZES[0], world.enterprise_a, world.worker_a.trade, prefix="乙")
    assert queries(client, url) == few


def test_account_list_pages_follow_each_other_without_a_total(client, login, world, app):
    login(client, world.admin)
    add_workers(45, world.enterprise_a, world.worker_a.trade)
    everyone = [u.id for u in db.session.scalars(db.select(User).order_by(User.id.desc()))]
    per_page = app.config["PAGE_SIZE"]
    first = client.get("/admin/users").get_data(as_text=True)
    assert "共 " not in first and 'rel="next"' in first
    seen, url = [], "/admin/users"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += [int(part.split('"')[0]) for part in html.split('href="/admin/users/')[1:] if part[0].isdigit()]
        url = _link(html, "next")
    assert seen == everyone and len(everyone) > 2 * per_page
    last_page = client.get(f"/admin/users?after={everyone[2 * per_page - 1]}").get_data(as_text=True)
    back = client.get(_link(last_page, "prev")).get_data(as_text=True)
    assert f'href="/admin/users/{everyone[per_page]}"' in back
    assert f'href="/admin/users/{everyone[per_page - 1]}"' not in back


def _link(html: str, rel: str) -> str | None:
    marker = f'rel="{rel}" href="'
    if marker not in html:
        return None
    href = html.split(marker)[1].split('"')[0]
    return None if href == "#" else href.replace("&amp;", "&")


def test_enterprise_filter_without_javascript(client, login, world):
    login(client, world.admin)
    EnterpriseFactory(name="乙纺织二厂")
    one = client.get("/admin/users?enterprise_q=甲鞋业").get_data(as_text=True)
    assert world.worker_a.name in one and world.worker_b.name not in one
    several = client.get("/admin/users?enterprise_q=乙纺织").get_data(as_text=True)
    assert "有多个结果符合" in several and world.worker_b.name in several and world.worker_a.name not in several
    assert f"enterprise={world.enterprise_b.id}" in several  # a link chooses one
    none = client.get("/admin/users?enterprise_q=没有这家").get_data(as_text=True)
    assert "没有找到" in none and world.worker_a.name not in none
    by_id = client.get(f"/admin/users?enterprise={world.enterprise_b.id}").get_data(as_text=True)
    assert world.worker_b.name in by_id and world.worker_a.name not in by_id and 'value="乙纺织有限公司"' in by_id


def test_account_form_takes_the_enterprise_by_name(client, login, world):
    login(client, world.admin)
    data = {"name": "新评委", "phone": "13655550099", "roles": ["judge"], "password": "Sturdy-Pass-2026",
            "enterprise_id_q": "乙纺织", "enterprise_id": ""}
    EnterpriseFactory(name="乙纺织二厂")
    html = client.post("/admin/users/new", data=data).get_data(as_text=True)
    assert "有多个结果符合" in html and 'value="乙纺织"' in html  # beside the field, what was typed kept
    response = client.post("/admin/users/new", data={**data, "enterprise_id_q": "乙纺织有限公司"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(User).where(User.phone == "13655550099")).enterprise_id == world.enterprise_b.id
    edit = client.get(f"/admin/users/{world.worker_b.id}/edit").get_data(as_text=True)
    assert 'value="乙纺织有限公司"' in edit and f'name="enterprise_id" value="{world.enterprise_b.id}"' in edit


def test_audit_log_pages_and_filters(client, login, world, app):
    login(client, world.admin)
    with clock.frozen(datetime(2026, 3, 1, tzinfo=UTC)):
        add_audit_rows(130, world.admin)
        add_audit_rows(5, world.hr_a, start=datetime(2026, 2, 1, tzinfo=UTC))
    per_page = app.config["LONG_PAGE_SIZE"]
    ids = [row.id for row in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id.desc()))]
    page1 = client.get("/admin/audit").get_data(as_text=True)
    page2 = client.get(_link(page1, "next")).get_data(as_text=True)
    assert "共 " not in page1
    assert _ids_on(page2) == ids[per_page:2 * per_page] and _ids_on(page1) == ids[:per_page]
    assert _ids_on(client.get(_link(page2, "prev")).get_data(as_text=True)) == ids[:per_page]

    by_actor = client.get("/admin/audit?actor_q=甲企人事").get_data(as_text=True)
    assert len(_ids_on(by_actor)) == 5
    combined = client.get(f"/admin/audit?actor={world.admin.id}&action=auth.login&from=2026-01-02&to=2026-01-03"
                          "&object_type=user").get_data(as_text=True)
    expected = [row.id for row in db.session.scalars(db.select(AuditLog).where(
        AuditLog.actor_id == world.admin.id, AuditLog.action == "auth.login",
        AuditLog.at >= datetime(2026, 1, 1, 16, tzinfo=UTC), AuditLog.at < datetime(2026, 1, 3, 16, tzinfo=UTC))
        .order_by(AuditLog.id.desc()))]
    assert _ids_on(combined) == expected and 0 < len(expected) < 48
    assert _ids_on(client.get(f"/admin/audit?object_type=user&object_id={world.hr_a.id}").get_data(as_text=True)) \
        == ids[:5]
    assert _ids_on(client.get("/admin/audit?from=2030-01-01").get_data(as_text=True)) == []


def _ids_on(html: str) -> list[int]:
    return [int(part.split('"')[0]) for part in html.split('data-entry="')[1:]]


def test_type_ahead_is_scoped_and_short(client, login, world):
    for n in range(25):
        WorkerFactory(enterprise=world.enterprise_b, name=f"乙企批量{n:02d}")
    login(client, world.hr_a)
    assert client.get("/search/people?for=workers&q=乙企").get_json() == {"results": []}
    found = client.get("/search/people?for=workers&q=甲企").get_json()["results"]
    assert [r["id"] for r in found] == [world.worker_a.id] and found[0]["label"].startswith("甲企职工（")
    login(client, world.admin)
    assert len(client.get("/search/people?for=workers&q=乙企").get_json()["results"]) == 20
    assert client.get("/search/enterprises?q=乙纺").get_json()["results"][0]["id"] == world.enterprise_b.id
    assert client.get("/search/people?for=judges&q=" + world.judge.phone[-4:]).get_json()["results"][0]["id"] \
        == world.judge.id


def without_unread_badge(sql: str) -> str:
    """The session user's statement counts the reader's unread messages as a subquery: not a count of users."""
    return re.sub(r"\(SELECT count\(message\.id\).*?\) AS anon_\d+", "", sql, flags=re.DOTALL)


def test_admin_home_counts_come_from_the_stored_figures(client, login, world):
    login(client, world.admin)
    with count_queries() as counter:
        html = client.get("/").get_data(as_text=True)
    # no count over the accounts table (the admin's own to-dos may count their own rows by user_id)
    assert not [sql for sql in counter.statements
                if re.search(r'count\(.*\bfrom\s+"?user"?(\s|$)', without_unread_badge(sql), re.IGNORECASE | re.DOTALL)]
    assert ">8<" in html.replace(" ", "")  # eight active accounts (two of them town officers)
