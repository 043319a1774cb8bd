"""Union admin pages: enterprises and accounts through HTTP; lists keep a flat query count."""

from models import AuditLog, Enterprise, Role, User, db
from tests.factories import EnterpriseFactory, TownFactory, WorkerFactory, valid_credit_code
from tests.querycount import count_queries


def enterprise_form(**overrides):
    values = {"name": "晋江市安踏测试有限公司", "credit_code": valid_credit_code(4321),
              "town_id": str(TownFactory().id), "industry": "footwear", "is_member": "y"}
    values.update(overrides)
    return values


def test_admin_creates_an_enterprise(client, login, world):
    login(client, world.admin)
    response = client.post("/admin/enterprises/new", data=enterprise_form())
    assert response.status_code == 302
    created = db.session.scalar(db.select(Enterprise).where(Enterprise.credit_code == valid_credit_code(4321)))
    assert created.name == "晋江市安踏测试有限公司" and created.is_member


def test_bad_credit_code_is_explained_beside_the_field_and_input_kept(client, login, world):
    login(client, world.admin)
    bad = valid_credit_code(4321)[:-1] + ("0" if valid_credit_code(4321)[-1] != "0" else "1")
    response = client.post("/admin/enterprises/new", data=enterprise_form(credit_code=bad))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "校验位不符" in html and "invalid-feedback" in html
    assert f'value="{bad}"' in html and 'value="晋江市安踏测试有限公司"' in html
    assert db.session.scalar(db.select(db.func.count(Enterprise.id))) == 2  # nothing written


def test_names_are_escaped(client, login, world):
    login(client, world.admin)
    client.post(f"/admin/enterprises/{world.enterprise_b.id}/edit",
                data=enterprise_form(name="<script>alert(1)</script>", credit_code=world.enterprise_b.credit_code))
    html = client.get("/admin/enterprises").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_deactivating_an_enterprise_locks_its_people_out(app, client, login, world):
    hr_client = app.test_client()
    login(hr_client, world.hr_b)
    assert hr_client.get("/").status_code == 200
    login(client, world.admin)
    assert client.post(f"/admin/enterprises/{world.enterprise_b.id}/active", data={"active": "0"}).status_code == 302
    assert hr_client.get("/").status_code == 302
    client.post(f"/admin/enterprises/{world.enterprise_b.id}/active", data={"active": "1"})
    assert hr_client.get("/").status_code == 200


def test_admin_creates_an_account_with_roles(client, login, world):
    login(client, world.admin)
    response = client.post("/admin/users/new", data={
        "name": "新评委", "phone": "13655550001", "enterprise_id": str(world.enterprise_a.id),
        "employee_no": "J01", "trade_id": str(world.worker_a.trade_id), "skill_level": "5",
        "roles": ["judge", "worker"]})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.phone == "13655550001"))
    assert user.roles == {Role.JUDGE, Role.WORKER} and not user.is_activated and user.password_hash.startswith("!")


def test_account_form_errors_keep_input(client, login, world):
    login(client, world.admin)
    response = client.post("/admin/users/new", data={"name": "新人", "phone": "12345", "roles": ["judge"]})
    html = response.get_data(as_text=True)
    assert "有效的 11 位大陆手机号码" in html and 'value="新人"' in html and 'value="12345"' in html


def test_grant_revoke_reset_and_deactivate(client, login, world):
    login(client, world.admin)
    target = world.worker_b
    client.post(f"/admin/users/{target.id}/roles", data={"roles": ["worker", "judge"]})
    slip = client.post(f"/admin/users/{target.id}/password")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    client.post(f"/admin/users/{target.id}/active", data={"active": "0"})
    db.session.expire_all()
    user = db.session.get(User, target.id)
    assert user.roles == {Role.WORKER, Role.JUDGE} and not user.is_activated and not user.is_active
    actions = [a.action for a in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["account.role_granted", "account.password_reset", "account.activation_code_issued",
                       "account.deactivated"]


def test_audit_page_lists_entries(client, login, world):
    login(client, world.admin)
    client.post(f"/admin/users/{world.worker_b.id}/active", data={"active": "0"})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "account.deactivated" in html


def _queries_for(client, url):
    client.get(url)  # warm caches (translations, templates)
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_admin_lists_do_not_query_per_row(client, login, world):
    login(client, world.admin)
    urls = ["/admin/users", "/admin/enterprises", "/workers/", "/admin/audit"]
    few = {url: _queries_for(client, url) for url in urls}
    for _ in range(30):
        enterprise = EnterpriseFactory()
        WorkerFactory(enterprise=enterprise)
    many = {url: _queries_for(client, url) for url in urls}
    assert few == many
