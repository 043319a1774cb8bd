"""Routes of people who change employer: leaving, transfers (调入) and phone changes.

The transfer of the rules is worker_a's (enterprise A) into enterprise B, started by hr_b: hr_a is the
old employer's HR (it answers), hr_b the new one's (it reissues the code), worker_a the person.
"""

from models import db
from services.accounts import people, transfers
from tests.route_rules import Rule, logged_in, only


def _worker_b(world):
    return {"user_id": world.worker_b.id}


def _transfer(world):
    person = world.worker_a
    transfer = transfers.start_transfer(world.hr_b, person, people.Profile(
        name=person.name, phone=person.phone, employee_no="B-7001", trade_id=person.trade_id))
    db.session.commit()
    return {"transfer_id": transfer.id}


HR_OF_B = {"hr_a": 404, "hr_b": 200, "admin": 200}
BOTH_HR = {"hr_a": 200, "hr_b": 200, "admin": 200}

RULES = [
    only("workers.leave", HR_OF_B, url_args=_worker_b),
    only("workers.leave", HR_OF_B, method="POST", url_args=_worker_b, data=lambda w: {"leave_date": ""},
         note="(no date)"),
    only("workers.phone", HR_OF_B, url_args=_worker_b),
    only("workers.phone", HR_OF_B, method="POST", url_args=_worker_b, data=lambda w: {"phone": "123"},
         note="(bad phone)"),
    only("workers.transfers_list", BOTH_HR),
    only("workers.transfer_show", BOTH_HR, url_args=_transfer),
    only("workers.transfer_answer", {"hr_a": 302, "hr_b": 404, "admin": 302}, method="POST", url_args=_transfer,
         data=lambda w: {"answer": "employed"}),
    only("workers.transfer_code", {"hr_a": 404, "hr_b": 200, "admin": 200}, method="POST", url_args=_transfer),
    logged_in("auth.transfers_mine"),
    Rule("auth.transfer_confirm", {"anonymous": 302, "worker_a": 302, "judge": 404, "hr_a": 404, "hr_b": 404,
                                   "admin": 404, "town_a": 404, "town_b": 404}, method="POST", url_args=_transfer),
    Rule("auth.transfer_decline", {"anonymous": 302, "worker_a": 302, "judge": 404, "hr_a": 404, "hr_b": 404,
                                   "admin": 404, "town_a": 404, "town_b": 404}, method="POST", url_args=_transfer),
    logged_in("auth.transfer_code", method="POST", data=lambda w: {"code": "WRONG123"}, note="(wrong code)"),
    logged_in("auth.phone"),
    logged_in("auth.phone", method="POST", data=lambda w: {"phone": "13955550000", "password": "wrong"},
              note="(wrong password)"),
]
