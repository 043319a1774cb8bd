"""Demo data for titles: holders of each level (with one revoked award) and an open nomination round.

Past rounds are run through the titles service with the clock set to their dates, so every record
is what the real journey would have written. Idempotent: does nothing once any round exists.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import clock
from models import Enterprise, Role, User, UserRole, db
from models.titles import TitleAward, TitleRound
from services.common import notices
from services.titles import awards, nominations, rounds, types

CITATIONS = (
    "扎根制鞋一线二十年，主导帮面缝制工艺改进，带出技术骨干十余名，多次在市级技能竞赛中获奖。",
    "长期从事纺纱设备维护，攻克多项设备故障难题，年节约维修成本数十万元，是企业公认的技术能手。",
    "精通运动鞋成型工艺，牵头编写企业操作规范，积极参与名师带徒，徒弟多人晋升高级工。",
)


def _workers_at_least(rank: int) -> list[User]:
    return list(db.session.scalars(
        db.select(User).join(UserRole, UserRole.user_id == User.id)
        .join(Enterprise, Enterprise.id == User.enterprise_id)
        .where(UserRole.role == Role.WORKER, User.skill_level >= rank, User.username.is_(None))
        .order_by(User.hire_date, User.id)))


def _hr_of(worker: User) -> User:
    return db.session.scalar(db.select(User).join(UserRole, UserRole.user_id == User.id)
                             .where(UserRole.role == Role.HR, User.enterprise_id == worker.enterprise_id))


def _run_round(admin, title_type, year, winners, month=3, revoke=None, objector=None):
    """Nominate, approve, award, notice and finalise a past round with the clock at its dates; with `revoke`,
    `objector` (a worker: the admin owns the notice and resolves, never files) objects to that award."""
    start = datetime(year, month, 2, 2, tzinfo=UTC)
    with clock.frozen(start):
        title_round = rounds.open_round(admin, title_type, year, start + timedelta(days=20))
        for index, worker in enumerate(winners):
            nomination = nominations.nominate(_hr_of(worker), title_round, worker, CITATIONS[index % len(CITATIONS)])
            nominations.review_nomination(admin, nomination, True, "事迹属实，条件符合。")
            awards.award(admin, nomination)
    with clock.frozen(start + timedelta(days=21)):
        awards.publish_awards(admin, title_round)
        if revoke is not None:
            notice = awards.round_notice(title_round)
            objection = notices.file_objection(objector, notice, "群众反映该职工的技能证书存在代考问题，请核查。")
    with clock.frozen(start + timedelta(days=40)):
        if revoke is not None:
            granted = db.session.scalar(db.select(TitleAward).where(TitleAward.worker_id == revoke.id,
                                                                  TitleAward.round_id == title_round.id))
            notices.resolve_objection(admin, objection, True, "经人社部门核查属实，撤销授予。")
            awards.revoke_award(admin, granted, "公示期间异议经核查属实：技能证书存在代考问题。")
        awards.finalise_round(admin, title_round)
    return title_round


def seed() -> None:
    types.ensure_default_titles()
    if db.session.scalar(db.select(TitleRound.id)) is not None:
        return
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    kinds = {t.name: t for t in types.title_types()}
    seniors = _workers_at_least(5)  # 高级技师 and above, both enterprises
    technicians = _workers_at_least(4)
    this_year = clock.today().year
    first, second = seniors[0], seniors[1]
    revoked = next(w for w in technicians if w not in (first, second))
    objector = next(w for w in seniors + technicians if w not in (first, second, revoked))
    _run_round(admin, kinds["晋江工匠"], this_year - 2, [first, second, revoked], revoke=revoked, objector=objector)
    _run_round(admin, kinds["泉州工匠"], this_year - 1, [first])
    _run_round(admin, kinds["福建省金牌工人"], this_year - 1, [first], month=6)
    # This year's open round: one nomination approved, one waiting for review.
    open_round = rounds.open_round(admin, kinds["晋江工匠"], this_year, clock.now() + timedelta(days=30))
    candidates = [w for w in technicians if w not in (first, second, revoked)]
    for index, worker in enumerate(candidates[:2]):
        nomination = nominations.nominate(_hr_of(worker), open_round, worker, CITATIONS[(index + 1) % len(CITATIONS)])
        if index == 0:
            nominations.review_nomination(admin, nomination, True, "条件符合。")
    db.session.flush()

