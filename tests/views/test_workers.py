"""HR manages the workers of their own enterprise only."""

from models import Role, User, db
from tests.factories import WorkerFactory
from tests.querycount import count_queries


def worker_form(world, **overrides):
    values = {"name": "李小红", "phone": "13655559999", "employee_no": "A-100",
              "trade_id": str(world.worker_a.trade_id), "skill_level": "1", "hire_date": "2021-03-01",
              "birth_date": "1998-07-15"}
    values.update(overrides)
    return values


def test_hr_creates_a_worker_of_own_enterprise(client, login, world):
    login(client, world.hr_a)
    response = client.post("/workers/new", data=worker_form(world, enterprise_id=str(world.enterprise_b.id)))
    assert response.status_code == 302
    worker = db.session.scalar(db.select(User).where(User.phone == "13655559999"))
    assert worker.enterprise_id == world.enterprise_a.id  # a tampered enterprise field is ignored
    assert worker.roles == {Role.WORKER} and not worker.is_activated  # no initial password: an activation slip


def test_invalid_phone_is_explained_and_input_kept(client, login, world):
    login(client, world.hr_a)
    html = client.post("/workers/new", data=worker_form(world, phone="1385555")).get_data(as_text=True)
    assert "有效的 11 位大陆手机号码" in html
    assert 'value="李小红"' in html and 'value="A-100"' in html and 'value="1385555"' in html


def test_hr_edits_own_worker_and_gets_404_for_others(client, login, world):
    login(client, world.hr_a)
    assert client.get(f"/workers/{world.worker_b.id}").status_code == 404
    assert client.get(f"/workers/{world.worker_b.id}/edit").status_code == 404
    assert client.post(f"/workers/{world.worker_b.id}/edit", data={"name": "篡改"}).status_code == 404
    response = client.post(f"/workers/{world.worker_a.id}/edit", data={
        "name": "甲企职工（改）", "phone": world.worker_a.phone, "employee_no": world.worker_a.employee_no,
        "trade_id": str(world.worker_a.trade_id), "skill_level": "3"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.worker_a.id).name == "甲企职工（改）"
    assert db.session.get(User, world.worker_b.id).name == "乙企职工"


def test_hr_sets_a_workers_education_from_the_list(client, login, world):
    login(client, world.hr_a)
    page = client.get(f"/workers/{world.worker_a.id}/edit").get_data(as_text=True)
    assert 'name="education"' in page and "大专" in page
    data = {"name": world.worker_a.name, "phone": world.worker_a.phone, "employee_no": world.worker_a.employee_no,
            "trade_id": str(world.worker_a.trade_id), "skill_level": str(world.worker_a.skill_level)}
    assert client.post(f"/workers/{world.worker_a.id}/edit", data={**data, "education": "college"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.worker_a.id).education == "college"
    html = client.post(f"/workers/{world.worker_a.id}/edit", data={**data, "education": "小学"}).get_data(as_text=True)
    assert "请从列表中选择学历。" in html


def test_hr_list_shows_only_own_enterprise(client, login, world):
    login(client, world.hr_a)
    html = client.get("/workers/").get_data(as_text=True)
    assert "甲企职工" in html and "乙企职工" not in html


def test_worker_list_query_count_is_flat(client, login, world):
    login(client, world.hr_a)
    client.get("/workers/")
    with count_queries() as few:
        client.get("/workers/")
    WorkerFactory.create_batch(40, enterprise=world.enterprise_a)
    with count_queries() as many:
        client.get("/workers/")
    assert few.count == many.count


def test_hr_records_a_certificate_and_the_history_shows_it(client, login, world):
    login(client, world.hr_a)
    url = f"/workers/{world.worker_a.id}/skill-level"
    data = {"skill_level": "3", "certificate_no": "Y350582202611240000009", "issuing_body": "晋江市职业技能鉴定中心",
            "effective_date": "2026-06-01"}
    bad = client.post(url, data={**data, "certificate_no": "X12"}).get_data(as_text=True)
    assert "22 位" in bad and 'value="晋江市职业技能鉴定中心"' in bad
    lower = client.post(url, data={**data, "skill_level": "1"}).get_data(as_text=True)
    assert "应高于当前等级" in lower
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.worker_a.id).skill_level == 3
    html = client.get(f"/workers/{world.worker_a.id}").get_data(as_text=True)
    assert "Y350582202611240000009" in html and "取得等级证书" in html
    again = client.post(url, data={**data, "skill_level": "4"}).get_data(as_text=True)
    assert "已经登记过" in again
    assert client.post(f"/workers/{world.worker_b.id}/skill-level", data=data).status_code == 404
