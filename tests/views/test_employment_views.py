"""HTTP side of people who change employer: HR adds a registered person (a transfer, or the phone
conflict beside the field), answers a transfer out, records a leave, changes a phone; the person
confirms and changes their own phone; who sees what on the pages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import clock
from models import Transfer, User, db
from models.employment import TRANSFER_COMPLETED, TRANSFER_PENDING
from services.accounts import people, transfers
from tests.factories import PASSWORD, WorkerFactory
from tests.querycount import count_queries


def _new_worker_form(world, person, **overrides):
    values = {"name": person.name, "phone": person.phone, "employee_no": "B-200",
              "trade_id": str(world.worker_b.trade_id), "skill_level": "1", "hire_date": clock.today().isoformat()}
    values.update(overrides)
    return values


def test_hr_adding_a_registered_person_gets_a_transfer_and_a_code(client, login, world):
    login(client, world.hr_b)
    response = client.post("/workers/new", data=_new_worker_form(world, world.worker_a))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "已发起调入申请" in html and 'data-testid="transfer-code"' in html
    transfer = db.session.scalar(select(Transfer))
    assert transfer.status == TRANSFER_PENDING and transfer.to_enterprise_id == world.enterprise_b.id


def test_a_registered_phone_under_another_name_is_refused_beside_the_field(client, login, world):
    login(client, world.hr_b)
    html = client.post("/workers/new", data=_new_worker_form(world, world.worker_a, name="别人")).get_data(
        as_text=True)
    assert "该手机号已登记在另一人名下，请联系总工会处理" in html and 'value="别人"' in html
    assert db.session.scalar(select(Transfer)) is None


def _transfer(world):
    person = world.worker_a
    transfer = transfers.start_transfer(world.hr_b, person, people.Profile(
        name=person.name, phone=person.phone, employee_no="B-300", trade_id=person.trade_id))
    db.session.commit()
    return transfer


def test_the_person_confirms_and_the_old_hr_confirms_the_leave_through_the_pages(client, login, world):
    transfer = _transfer(world)
    login(client, world.worker_a)
    page = client.get("/account/transfers").get_data(as_text=True)
    assert world.enterprise_b.name in page and "确认调入" in page
    assert client.post(f"/account/transfers/{transfer.id}/confirm").status_code == 302
    login(client, world.hr_a)
    assert "答复调出" in client.get(f"/workers/transfers/{transfer.id}").get_data(as_text=True)
    bad = client.post(f"/workers/transfers/{transfer.id}/answer", data={"answer": "left"}).get_data(as_text=True)
    assert "请填写离职日期" in bad
    response = client.post(f"/workers/transfers/{transfer.id}/answer",
                           data={"answer": "left", "leave_date": clock.today().isoformat()})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Transfer, transfer.id).status == TRANSFER_COMPLETED
    assert client.get(f"/workers/{world.worker_a.id}").status_code == 404  # A lost the profile
    login(client, world.hr_b)
    html = client.get(f"/workers/{world.worker_a.id}").get_data(as_text=True)
    assert world.enterprise_a.name in html and world.enterprise_b.name in html  # both employments


def test_the_person_sees_two_distinct_confirmations_and_can_decline(client, login, world):
    login(client, world.worker_a)
    assert 'data-testid="transfer-code-form"' not in client.get("/account/transfers").get_data(as_text=True)
    transfer = _transfer(world)
    page = client.get("/account/transfers").get_data(as_text=True)
    assert f"确认调入 {world.enterprise_b.name}" in page and "用确认码确认调入" in page and "拒绝调入" in page
    assert client.post(f"/account/transfers/{transfer.id}/decline").status_code == 302
    db.session.expire_all()
    assert db.session.get(Transfer, transfer.id).status == "declined"
    page = client.get("/account/transfers").get_data(as_text=True)
    assert "没有待确认的调入申请" in page and 'data-testid="transfer-code-form"' not in page


def test_the_person_confirms_with_the_code(client, login, world):
    transfer = _transfer(world)
    login(client, world.worker_a)
    wrong = client.post("/account/transfers/code", data={"code": "WRONG123"}).get_data(as_text=True)
    assert "确认码不正确" in wrong
    assert client.post("/account/transfers/code", data={"code": transfer.code}).status_code == 302
    assert db.session.get(Transfer, transfer.id).person_confirmed_at is not None


def test_hr_records_a_leave_and_the_person_still_prints_their_growth_record(client, login, world):
    login(client, world.hr_a)
    url = f"/workers/{world.worker_a.id}/leave"
    assert "请填写离职日期" in client.post(url, data={"leave_date": ""}).get_data(as_text=True)
    assert client.post(url, data={"leave_date": clock.today().isoformat()}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.worker_a.id).enterprise_id is None
    assert client.get(f"/workers/{world.worker_a.id}").status_code == 404
    login(client, world.worker_a)
    assert client.get("/titles/growth").status_code == 302
    assert client.get(f"/titles/growth/{world.worker_a.id}").status_code == 200
    pdf = client.get(f"/titles/growth/{world.worker_a.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/account/transfers").status_code == 200


def test_a_future_leave_is_shown_as_pending(client, login, world):
    login(client, world.hr_a)
    day = clock.today() + timedelta(days=5)
    client.post(f"/workers/{world.worker_a.id}/leave", data={"leave_date": day.isoformat()})
    html = client.get(f"/workers/{world.worker_a.id}").get_data(as_text=True)
    assert "已登记离职日期" in html and "待生效" in html


def test_id_card_whole_for_the_current_hr_masked_for_the_admin(client, login, world):
    world.worker_a.id_card_no = "350582199005200013"
    db.session.commit()
    login(client, world.hr_a)
    assert "350582199005200013" in client.get(f"/workers/{world.worker_a.id}").get_data(as_text=True)
    login(client, world.admin)
    html = client.get(f"/workers/{world.worker_a.id}").get_data(as_text=True)
    assert "350582199005200013" not in html and "350582********0013" in html


def test_the_person_changes_their_own_phone_with_the_password(client, login, world):
    login(client, world.worker_a)
    bad = client.post("/account/phone", data={"phone": "13955550000", "password": "wrong"}).get_data(as_text=True)
    assert "密码不正确" in bad and 'value="13955550000"' in bad
    assert client.post("/account/phone", data={"phone": "13955550000", "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.worker_a.id).phone == "13955550000"


def test_hr_changes_a_phone_of_its_own_person(client, login, world):
    login(client, world.hr_a)
    taken = client.post(f"/workers/{world.worker_a.id}/phone", data={"phone": world.worker_b.phone})
    assert "已登记在其他账号名下" in taken.get_data(as_text=True)
    assert client.post(f"/workers/{world.worker_a.id}/phone", data={"phone": "13955550001"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.worker_a.id).phone == "13955550001"


def test_transfer_list_query_count_is_flat(client, login, world):
    login(client, world.hr_b)
    _transfer(world)
    with count_queries() as few:
        client.get("/workers/transfers")
    for worker in WorkerFactory.create_batch(15, enterprise=world.enterprise_a):
        transfers.start_transfer(world.hr_b, worker, people.Profile(
            name=worker.name, phone=worker.phone, employee_no=f"T-{worker.id}", trade_id=worker.trade_id))
    db.session.commit()
    with count_queries() as many:
        html = client.get("/workers/transfers").get_data(as_text=True)
    assert few.count == many.count and html.count('data-label="') >= 16 * 5


def test_the_add_form_sent_twice_leads_to_the_transfer_not_a_second_one(client, login, world):
    login(client, world.hr_b)
    html = client.get("/workers/new").get_data(as_text=True)
    token = html.split('name="form_token"')[1].split('value="')[1].split('"')[0]
    data = _new_worker_form(world, world.worker_a, form_token=token)
    assert client.post("/workers/new", data=data).status_code == 200
    again = client.post("/workers/new", data=data)
    transfer = db.session.scalar(select(Transfer))
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/workers/transfers/{transfer.id}")
    assert db.session.scalar(select(db.func.count(Transfer.id))) == 1
