"""Demo data of training programmes, classes and enrolment (`flask seed-demo`): idempotent, relative to
clock.now(), through the services. A programme of each owner level and in every state:

- enterprise A's safety training (HR A): published, open for enrolment; the demo worker may enrol;
- 陈埭镇's team-leader programme (the town officer): published and under way (from three days ago to a
  week ahead, enrolment closed before it began), two classes in the coming days here, about twenty
  workers of the town's enterprise enrolled (the issue's "done means" scenario; the attendance and
  completion demos use it: `town_team_leader_programme()`; the attendance demo adds a past class, the
  class under way and one next week, all within its days);
- the city's skills upgrade to 高级工 (admins; for 运动鞋制作工 up to 中级工): full, with a waitlist; one
  worker withdrew and the first waiting one moved up (and was told);
- enterprise B's new-employee training (HR B): held last month, finished;
- the city's education upgrade: cancelled with a reason (the enrolled were told);
- enterprise B's next programme: a draft.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from core import clock
from models import Role, Trade, User, UserRole, db
from models.training import (
    EDUCATION,
    NEW_EMPLOYEE,
    SAFETY,
    SKILLS_UPGRADE,
    TEAM_LEADER,
    WAITLISTED,
    TrainingEnrolment,
    TrainingProgramme,
)
from services.training import classes, completion, enrolment, programmes
from services.training.classes import ClassData
from services.training.programmes import ProgrammeData

TOWN_TEAM_LEADER_NAME = "陈埭镇班组长能力提升培训班"
UPGRADE_NAME = "{year}年晋江市制鞋工技能提升培训（晋升高级工）"
# Team leaders (班组长) of enterprise A added for the town's programme: (name, employee no, phone).
TEAM_LEADERS = tuple((name, f"A{n + 20:04d}", f"139010001{n + 50:02d}") for n, name in enumerate(
    ("庄志明", "洪丽华", "苏建国", "许文辉", "蔡雅琴", "施国庆", "林春生", "黄美华")))


def town_team_leader_programme() -> TrainingProgramme | None:
    """The town's team-leader programme of the demo (by its name), for the other training demos."""
    return db.session.scalar(select(TrainingProgramme).where(TrainingProgramme.name == TOWN_TEAM_LEADER_NAME))


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _workers(enterprise_id: int, limit: int = 100) -> list[User]:
    """Active workers of an enterprise (the named demo worker last, so that he may enrol by hand)."""
    rows = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.WORKER.value, User.enterprise_id == enterprise_id,
                                          User.is_active, User.activated_at.is_not(None))
        .order_by(User.username.is_not(None), User.id).limit(limit)).unique()
    return [w for w in rows if w.username != "worker"]


def _team_leaders(enterprise_id: int) -> None:
    """The eight team leaders of enterprise A (once)."""
    from demo.accounts import initial_skill_history, password_hash

    trade = db.session.scalar(select(Trade).where(Trade.name == "运动鞋制作工"))
    hashed = None
    for n, (name, number, phone) in enumerate(TEAM_LEADERS):
        if db.session.scalar(select(User.id).where(User.phone == phone)):
            continue
        hashed = hashed or password_hash()
        leader = User(name=name, phone=phone, employee_no=number, password_hash=hashed, activated_at=clock.now(),
                      enterprise_id=enterprise_id, trade_id=trade.id if trade else None, skill_level=3 + n % 3,
                      hire_date=clock.today().replace(year=clock.today().year - 8, day=1),
                      birth_date=clock.today().replace(year=1982 + n, month=1 + n, day=8))
        leader.role_rows = [UserRole(role=str(Role.WORKER))]
        db.session.add(leader)
    db.session.flush()
    initial_skill_history()  # their levels start a skill history, as every account's does


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.SHANGHAI)


def _programme(owner, name: str, kind: str, *, start_in: int, days: int = 10, capacity: int = 30, opened: int = 7,
               closes_in: float | None = None, **extra) -> TrainingProgramme:
    """Create (as of `opened` days ago) and publish a programme starting in `start_in` days."""
    today = clock.today()
    now = clock.now()
    with clock.frozen(now - timedelta(days=opened)):
        data = ProgrammeData(
            name=name, kind=kind, capacity=capacity, starts_on=today + timedelta(days=start_in),
            ends_on=today + timedelta(days=start_in + days), enrol_opens_at=now - timedelta(days=opened),
            enrol_closes_at=now + timedelta(days=closes_in) if closes_in is not None else None,
            budget=Decimal(extra.pop("budget", "20000.00")), funding_source=extra.pop("funding", "union"),
            description=extra.pop("description", ""), **extra)
        return programmes.create_programme(owner, data)


def _class(owner, programme, title: str, day, start: int, end: int, hours: str, assistant=None, **kw) -> None:
    with clock.frozen(programme.created_at + timedelta(hours=1)):
        classes.add_class(owner, programme, ClassData(
            title=title, day=day, starts=time(start), ends=time(end), hours=Decimal(hours),
            place=kw.get("place", "陈埭镇职工服务中心三楼培训室"),
            trainer=kw.get("trainer", "晋江市职业技术学校 陈老师"),
            capacity=kw.get("capacity"), assistant_id=assistant.id if assistant else None))


def _enrol(actor, programme, workers, *, days_ago: float = 5, by_self: bool = True) -> None:
    with clock.frozen(clock.now() - timedelta(days=days_ago)):
        for worker in workers:
            if not enrolment.enrolment_problems(programme, worker) and enrolment.entry_of(worker, programme) is None:
                enrolment.enrol(worker if by_self else actor, programme, worker)


def seed() -> None:
    """Create the programmes that are missing (by name)."""
    admin, hr_a, hr_b, town = (_user(name) for name in ("admin", "hr_a", "hr_b", "town"))
    if None in (admin, hr_a, hr_b, town):
        return
    year = clock.today().year
    existing = set(db.session.scalars(select(TrainingProgramme.name)))
    if TOWN_TEAM_LEADER_NAME not in existing:
        _town_team_leaders(town, hr_a)
    if f"{year}年恒信鞋业安全生产培训" not in existing:
        _enterprise_safety(hr_a, f"{year}年恒信鞋业安全生产培训")
    if UPGRADE_NAME.format(year=year) not in existing:
        _city_upgrade(admin, UPGRADE_NAME.format(year=year))
    if f"{year}年华彩纺织新员工入职培训" not in existing:
        _finished(hr_b, f"{year}年华彩纺织新员工入职培训")
    if f"{year}年职工学历提升（大专）报名" not in existing:
        _cancelled(admin, f"{year}年职工学历提升（大专）报名")
    if f"{year + 1}年华彩纺织设备操作培训" not in existing:
        programme = _programme(hr_b, f"{year + 1}年华彩纺织设备操作培训", NEW_EMPLOYEE, start_in=40, opened=1,
                               funding="enterprise", description="新购纺纱设备的操作与保养。")
        _class(hr_b, programme, "设备操作实训", programme.starts_on, 8, 17, "8", place="华彩纺织二号车间")
    db.session.flush()


def _town_team_leaders(town, hr_a) -> None:
    """The town's programme, under way: from three days ago to a week ahead (the attendance demo's past,
    current and next-week classes fall within it), enrolment closed before it began; two classes in the
    coming days, about twenty of the town's workers enrolled (eight team leaders of enterprise A added
    for it), one of them the class assistant."""
    _team_leaders(hr_a.enterprise_id)
    programme = _programme(town, TOWN_TEAM_LEADER_NAME, TEAM_LEADER, start_in=-3, days=10, opened=8, capacity=25,
                           closes_in=-3.5, funding="union", budget="36000.00", completion_percent=80,
                           description="面向镇内企业一线班组长：班组角色与职责、现场安全与 5S、班组管理与团队建设、"
                                       "质量控制与沟通激励。分讲集中授课，每讲现场扫码签到，"
                                       "出勤学时达到 80% 且考核合格者结业。")
    workers = _workers(hr_a.enterprise_id, limit=20)
    assistant = workers[0] if workers else None
    today = clock.today()
    _class(town, programme, "班组管理与团队建设", today + timedelta(days=2), 9, 12, "3", assistant)
    _class(town, programme, "安全生产与质量控制", today + timedelta(days=3), 14, 17, "3", assistant)
    programmes.publish_programme(town, programme)
    _enrol(hr_a, programme, workers[:12], days_ago=5)
    _enrol(hr_a, programme, workers[12:], days_ago=4, by_self=False)


def _enterprise_safety(hr_a, name: str) -> None:
    programme = _programme(hr_a, name, SAFETY, start_in=12, days=5, capacity=40, closes_in=10,
                           funding="enterprise", budget="8000.00",
                           description="消防器材使用、车间用电安全、化学品（胶水）管理，全体一线职工参加。")
    _class(hr_a, programme, "消防器材使用", programme.starts_on, 9, 11, "2", place="恒信鞋业一楼会议室",
           trainer="晋江市消防救援大队 李教官")
    _class(hr_a, programme, "车间用电与化学品安全", programme.ends_on, 14, 17, "3", place="恒信鞋业一楼会议室")
    programmes.publish_programme(hr_a, programme)
    _enrol(hr_a, programme, _workers(hr_a.enterprise_id, limit=6), days_ago=3)


def _city_upgrade(admin, name: str) -> None:
    """To 高级工 (target level 3) for 运动鞋制作工 up to 中级工; full with a waitlist: two seats, four
    enrolled; one withdrew and the first waiting moved up."""
    shoe = db.session.scalar(select(Trade).where(Trade.name == "运动鞋制作工"))
    programme = _programme(admin, name, SKILLS_UPGRADE, start_in=20, days=30, capacity=2, closes_in=15,
                           trade_ids=[shoe.id] if shoe else [], max_skill_level=2, target_level=3,
                           budget="60000.00", funding="government",
                           description="按国家职业技能标准组织理论与实操培训，结业后参加高级工技能等级认定。")
    _class(admin, programme, "理论：制鞋工艺与材料", programme.starts_on, 9, 17, "7",
           place="晋江市职工技能实训基地 201 室", trainer="晋江市职业技术学校 王老师")
    _class(admin, programme, "实操：成型与整理", programme.starts_on + timedelta(days=7), 9, 17, "7",
           place="晋江市职工技能实训基地 实训车间")
    programmes.publish_programme(admin, programme)
    candidates = [w for w in db.session.scalars(select(User).join(UserRole).where(
        UserRole.role == Role.WORKER.value, User.trade_id == (shoe.id if shoe else None), User.is_active,
        User.activated_at.is_not(None), User.username.is_(None)).order_by(User.id)).unique()
        if not enrolment.enrolment_problems(programme, w)]
    _enrol(admin, programme, candidates[:4], days_ago=4)
    first = db.session.scalar(select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == programme.id, TrainingEnrolment.status != WAITLISTED)
        .order_by(TrainingEnrolment.id))
    if first is not None:
        with clock.frozen(clock.now() - timedelta(days=1)):
            enrolment.withdraw(first.worker, first)


def _finished(hr_b, name: str) -> None:
    """Held last month and finished: created, published and enrolled in the past, closed now."""
    now = clock.now()
    with clock.frozen(now - timedelta(days=50)):
        programme = _programme(hr_b, name, NEW_EMPLOYEE, start_in=14, days=2, capacity=20, opened=0, closes_in=10,
                               funding="enterprise", budget="5000.00", assessment_required=False,
                               description="公司制度、岗位安全与纺纱基础操作。")
        _class(hr_b, programme, "公司制度与岗位安全", programme.starts_on, 9, 12, "3", place="华彩纺织培训室",
               trainer="华彩纺织 人力资源部")
        _class(hr_b, programme, "纺纱基础操作", programme.ends_on, 9, 16, "6", place="华彩纺织一号车间",
               trainer="华彩纺织 车间主任")
        programmes.publish_programme(hr_b, programme)
        _enrol(hr_b, programme, _workers(hr_b.enterprise_id, limit=8), days_ago=-1, by_self=False)
    completion.finish_programme(hr_b, programme)


def _cancelled(admin, name: str) -> None:
    programme = _programme(admin, name, EDUCATION, start_in=30, days=180, capacity=50, opened=10, closes_in=20,
                           funding="union", budget="100000.00", assessment_required=False,
                           description="与泉州开放大学合作的大专学历提升班。")
    programmes.publish_programme(admin, programme)
    workers = list(db.session.scalars(select(User).join(UserRole).where(
        UserRole.role == Role.WORKER.value, User.username.is_(None), User.is_active,
        User.activated_at.is_not(None)).order_by(User.id.desc()).limit(3)).unique())
    _enrol(admin, programme, workers, days_ago=2)
    with clock.frozen(clock.now() - timedelta(hours=6)):
        programmes.cancel_programme(admin, programme, "合作院校招生计划调整，本期暂停，下期另行通知。")
