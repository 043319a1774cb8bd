"""The demo seed shows people who change employer in every state, and runs twice."""

from sqlalchemy import func, select

from demo import seed_demo
from models import Employment, Transfer, User, db
from models.employment import TRANSFER_COMPLETED, TRANSFER_PENDING
from services.accounts import employment


def test_demo_shows_a_transfer_in_progress_a_leave_and_a_completed_transfer():
    seed_demo()
    db.session.commit()
    seed_demo()
    db.session.commit()
    people = {u.name: u for u in db.session.scalars(select(User).where(User.phone.like("139030000%")))}
    moving, left, moved = people["许明亮"], people["蔡春燕"], people["施文杰"]
    assert db.session.scalar(select(Transfer.status).where(Transfer.user_id == moving.id)) == TRANSFER_PENDING
    assert left.enterprise_id is None and employment.history(left)[0].ended_on is not None
    assert db.session.scalar(select(Transfer.status).where(Transfer.user_id == moved.id)) == TRANSFER_COMPLETED
    assert len({e.enterprise_id for e in employment.history(moved)}) == 2
    staff_without_history = db.session.scalar(select(func.count(User.id)).where(
        User.enterprise_id.is_not(None), User.id.not_in(select(Employment.user_id))))
    assert staff_without_history == 0
    declined = people["王丽华"]
    assert db.session.scalar(select(Transfer.status).where(Transfer.user_id == declined.id)) == "declined"
    assert declined.enterprise_id is not None and declined.enterprise_id != moved.enterprise_id  # stayed at A
    assert db.session.scalar(select(func.count(Transfer.id))) == 4  # and one started by the demo roster import


def test_demo_roster_imports_show_leaves_and_transfers_in_every_state():
    from models.imports import ERROR, NEW, TRANSFER, UNCHANGED, UPDATE, ImportBatch, ImportRow

    seed_demo()
    db.session.commit()
    applied, previewed, discarded = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id)).all()
    assert discarded.status == "discarded"
    assert applied.count_transfer == 1 and applied.count_error == 1
    rows = {r.values.get("name"): r for r in db.session.scalars(select(ImportRow).where(
        ImportRow.batch_id == previewed.id))}
    assert rows["许文龙"].outcome == UNCHANGED  # left, re-imported: matched by the employment history
    assert rows["李秀英"].outcome == UNCHANGED and rows["李秀英"].note  # 调入办理中
    assert rows["苏国平"].outcome == TRANSFER and rows["苏国平"].note
    assert rows["黄志敏"].outcome == ERROR  # a phone of enterprise B under another name: a conflict
    assert {r.outcome for r in rows.values()} >= {NEW, UPDATE}
    assert rows["林晓东"].outcome == ERROR and "洪丽娟" in str(rows["林晓东"].problems["phone"])  # not an update
    assert rows["施俊杰"].outcome == ERROR and "skill_level" in rows["施俊杰"].problems  # a lowered level
    assert any(r.values.get("_was") for r in rows.values() if r.outcome == UPDATE)  # old -> new
    xu = db.session.scalar(select(User).where(User.phone == "13903000103"))
    assert xu.enterprise_id is None and employment.leave_date(xu) is not None
