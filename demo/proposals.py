"""Demo data of the Five Small proposals for `make run` (idempotent, built relative to clock.now()).

Three campaigns, made through the services so that timelines, marks and notices are real:
- an active one (submission and judging open) with proposals in every early status: draft, submitted
  (two with similar titles, flagged as possible duplicates), returned, rejected, withdrawn, valid, under
  review (the demo judge has marked part of one, which carries a photo and a PDF for the judge's previews)
  and scored;
- a published one (公示 running) with ranks and prizes, one adopted and one implemented with a verified
  realised saving and one awaiting verification;
- a final one whose prize winners are awarded.
Enterprise A (恒信鞋业) also runs its own campaigns (issue 14), through its HR:
- one in progress, judged by its own panel (the demo worker is on it and has a proposal to mark);
- one finished, with rewards (奖金), whose three best proposals are recommended into this year's city
  campaign (which takes 10 per enterprise): the city has started reviewing the best (a judge assigned),
  the other two may still be withdrawn, and a fourth was recommended and withdrawn (撤回推荐);
and the city records a provincial prize (上级成绩) for last year's best city proposal.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from core import clock
from models import Role, User, UserRole, db
from models.proposals import DEFAULT_RUBRIC, Campaign
from services.common import passwords
from services.honours import results as higher
from services.proposals import (
    assignment,
    campaigns,
    judging,
    recommendation,
    results,
    savings,
    screening,
    submission,
)


def _names() -> tuple[str, str, str]:
    """This year's open campaign, last year's (results on notice) and the year before's (final)."""
    year = clock.today().year
    return f"{year}年五小·智慧杯", f"{year - 1}年五小·创新杯", f"{year - 2}年五小·匠心杯"

EXTRA_JUDGES = (("judge2", "郑国栋", "13800000032"), ("judge3", "许丽华", "13800000033"),
                ("judge4", "庄建成", "13800000034"))

IDEAS = (
    ("improvement", "鞋底成型模具快速换模装置", "换模一次要 40 分钟，停线等待。", "改用快换定位销和预热工位。",
     "换模时间降到 10 分钟，每年多产 3 万双。", Decimal("186000")),
    ("invention", "针车断线自动报警器", "断线后要走出几十针才发现，返工多。", "加装光电检测，断线即停机报警。",
     "返工率下降 60%。", Decimal("52000")),
    ("design", "裁断工位余料收集架", "余料堆在地上，既不安全又浪费。", "设计分格收集架，按颜色材质回收。",
     "余料利用率提高，地面整洁。", Decimal("23500")),
    ("suggestion", "空压机余热用于员工浴室热水", "空压机热量直接排掉，浴室另用电热水器。", "加装板式换热器回收余热。",
     "每年节电约 8 万度。", Decimal("64000")),
    ("creation", "染色机自动加料小车", "人工搬运染料，配比误差大。", "自制称重加料小车，扫码配料。",
     "配比误差降到 1% 以内。", Decimal("41000")),
    ("improvement", "缝纫线头自动剪切装置", "人工剪线头耗时。", "加装自动剪线器。", "每人每天省半小时。",
     Decimal("38000")),
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _judges() -> list[User]:
    """Three outside judges (no enterprise), created when missing; the same accounts as other areas use."""
    for username, name, phone in EXTRA_JUDGES:
        if db.session.scalar(db.select(User.id).where(User.username == username)) is None:
            from demo import DEMO_PASSWORD

            judge = User(username=username, name=name, phone=phone, skill_level=5,
                         password_hash=passwords.hash_password(DEMO_PASSWORD), activated_at=clock.now())
            judge.role_rows = [UserRole(role=Role.JUDGE.value)]
            db.session.add(judge)
    db.session.flush()
    return list(db.session.scalars(db.select(User).where(User.username.in_([j[0] for j in EXTRA_JUDGES]))
                                   .order_by(User.username)))


def _user(username: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.username == username))


def _workers(enterprise_id: int) -> list[User]:
    return list(db.session.scalars(
        db.select(User).where(User.enterprise_id == enterprise_id, User.username.is_(None),
                              db.exists().where(UserRole.user_id == User.id, UserRole.role == Role.WORKER.value))
        .order_by(User.id)))


def _campaign(admin, name: str, opens, **kw) -> Campaign:
    data = campaigns.CampaignData(
        name=name, submission_opens_at=opens, submission_closes_at=opens + timedelta(days=40),
        judging_opens_at=opens + timedelta(days=30), judging_closes_at=opens + timedelta(days=60),
        quota_first=1, quota_second=1, quota_third=2, pass_mark=Decimal("60"),
        criteria=[(str(n), w) for n, w in DEFAULT_RUBRIC], **kw)
    return campaigns.create_campaign(admin, data)


def _write(author, campaign, idea, *, title_suffix="", submit=True, coauthor=None):
    kind, title, problem, solution, benefit, estimate = idea
    data = submission.ProposalData(kind=kind, title=title + title_suffix, problem=problem, solution=solution,
                                   expected_benefit=benefit, estimated_savings=estimate)
    if coauthor is not None:
        data.proposer_share, data.coauthors = 60, [(coauthor.id, 40)]
    proposal = submission.create_proposal(author, campaign, data)
    if submit:
        submission.submit_proposal(author, proposal, pledge=True)
    return proposal


def _sample_png(width: int = 160, height: int = 120) -> bytes:
    """A small chequered picture (a stand-in for a photo of the workshop), made without an image library."""
    import struct
    import zlib

    dark, light = bytes((139, 26, 26)), bytes((233, 200, 200))
    rows = b"".join(b"\x00" + b"".join(dark if (x // 20 + y // 20) % 2 else light for x in range(width))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _sample_files() -> list[FileStorage]:
    return [FileStorage(io.BytesIO(_sample_png()), filename="现场照片.png"),
            FileStorage(io.BytesIO(PDF), filename="节约测算表.pdf")]


def _mark_all(judges, proposal, campaign, base: int) -> None:
    step = 3 if base == 8 else 1  # one proposal whose judges disagree (spread flagged on the results page)
    for offset, judge in enumerate(judges):
        marks = {c.id: max(0, min(10, base - offset * step + i % 2)) for i, c in enumerate(campaign.criteria)}
        judging.save_marks(judge, proposal.id, marks, final=True)


def _assign(admin, campaign, proposal, judges) -> None:
    for judge in judges:
        assignment.assign_judge(admin, campaign, proposal.id, judge.id)


def _seed_active(admin, hr_a, hr_b, judge, outside, workers_a, workers_b, name) -> None:
    now = clock.now()
    campaign = _campaign(admin, name, now - timedelta(days=20), recommend_quota=10)
    campaign.judging_opens_at = now - timedelta(days=10)
    campaign.submission_closes_at = now + timedelta(days=20)
    campaign.judging_closes_at = now + timedelta(days=40)
    db.session.flush()
    demo_worker = _user("worker")
    _write(demo_worker, campaign, IDEAS[5], submit=False)  # draft
    _write(demo_worker, campaign, IDEAS[1], coauthor=workers_a[0])  # submitted
    _write(workers_a[1], campaign, IDEAS[1], title_suffix="（改进型）")  # submitted, similar title
    returned = _write(workers_a[2], campaign, IDEAS[2])
    screening.screen_proposal(hr_a, returned, "return", None, "请补充余料回收量的测算依据。")
    rejected = _write(workers_a[3], campaign, IDEAS[4])
    screening.screen_proposal(hr_a, rejected, "reject", "own_duty", "配料属于岗位本职工作。")
    withdrawn = _write(workers_a[4], campaign, IDEAS[3])
    submission.withdraw_proposal(workers_a[4], withdrawn, "准备与设备科合并申报。")
    valid = _write(workers_b[0], campaign, IDEAS[3], title_suffix="（纺纱车间）")
    screening.screen_proposal(hr_b, valid, "valid", None, None)
    reviewing = _write(workers_a[5], campaign, IDEAS[0], title_suffix="（二期）", submit=False)
    submission.add_attachments(workers_a[5], reviewing, _sample_files())
    submission.submit_proposal(workers_a[5], reviewing, pledge=True)
    screening.screen_proposal(hr_a, reviewing, "valid", None, None)
    _assign(admin, campaign, reviewing, [judge, *outside[:2]])
    first = campaign.criteria[0]
    judging.save_marks(judge, reviewing.id, {first.id: 8})  # saved, not submitted
    scored = _write(workers_a[6], campaign, IDEAS[4], title_suffix="（二号机）")
    screening.screen_proposal(hr_a, scored, "valid", None, None)
    _assign(admin, campaign, scored, outside)
    _mark_all(outside, scored, campaign, 8)


def _seed_closed(admin, hr_a, hr_b, judge, outside, workers_a, workers_b, name, days_ago, final) -> None:
    now = clock.now()
    opens = now - timedelta(days=days_ago)
    with clock.frozen(opens + timedelta(days=1)):
        campaign = _campaign(admin, name, opens)
        entries = []
        for i, idea in enumerate(IDEAS):
            author = (workers_a if i % 2 == 0 else workers_b)[7 + i // 2]
            proposal = _write(author, campaign, idea, title_suffix=f"（{name[:4]}）")
            screening.screen_proposal(hr_a if i % 2 == 0 else hr_b, proposal, "valid", None, None)
            entries.append(proposal)
    with clock.frozen(opens + timedelta(days=31)):
        for i, proposal in enumerate(entries):
            panel = outside if proposal.enterprise_id == judge.enterprise_id else [judge, *outside[:2]]
            _assign(admin, campaign, proposal, panel)
            _mark_all(panel, proposal, campaign, 9 - i)
    published_at = now - timedelta(days=30) if final else now - timedelta(days=1)
    with clock.frozen(published_at):
        results.publish_results(admin, campaign)
    db.session.flush()
    if final:
        results.finalise_results(admin, campaign)
        return
    ranked = [db.session.get(type(entries[0]), p.id) for p in entries]
    by_hr = {hr_a.enterprise_id: hr_a, hr_b.enterprise_id: hr_b}
    adopted, implemented, verified = ranked[0], ranked[1], ranked[2]
    savings.adopt_proposal(by_hr[adopted.enterprise_id], adopted, "车间已安排试用。")
    for proposal, amount in ((implemented, Decimal("48000")), (verified, Decimal("21000"))):
        hr = by_hr[proposal.enterprise_id]
        savings.adopt_proposal(hr, proposal)
        finance = FileStorage(io.BytesIO(PDF), filename="财务部确认函.pdf")
        savings.record_implementation(hr, proposal, amount, "实施满 6 个月，按财务台账折算全年。", finance)
    savings.verify_saving(admin, verified)


def _enterprise_names() -> tuple[str, str]:
    year = clock.today().year
    return f"{year}年恒信鞋业五小·金点子", f"{year}年恒信鞋业五小·上半年"


def _seed_enterprise_active(hr_a, workers_a, name) -> None:
    """Enterprise A's own campaign in progress: its panel (the demo worker among them) judges it."""
    now = clock.now()
    campaign = _campaign(hr_a, name, now - timedelta(days=20), blind_review=False, min_judges=2,
                         reward_first=Decimal("2000"), reward_second=Decimal("800"), reward_third=Decimal("300"))
    campaign.judging_opens_at = now - timedelta(days=10)
    campaign.submission_closes_at = now + timedelta(days=20)
    campaign.judging_closes_at = now + timedelta(days=40)
    db.session.flush()
    demo_worker = _user("worker")
    for person in (demo_worker, workers_a[3]):
        assignment.appoint_judge(hr_a, campaign, person.id)
    _write(workers_a[10], campaign, IDEAS[2], title_suffix="（成型车间）")  # submitted, awaiting screening
    reviewing = _write(workers_a[11], campaign, IDEAS[0], title_suffix="（成型车间）")
    screening.screen_proposal(hr_a, reviewing, "valid", None, None)
    assignment.auto_assign(hr_a, campaign)  # the demo worker and a colleague: same enterprise, no conflict
    _mark_all([workers_a[3]], reviewing, campaign, 8)  # one judge submitted; the demo worker's marks pending


def _seed_enterprise_finished(hr_a, workers_a, name, city_campaign) -> None:
    """Enterprise A's finished campaign with rewards; its three best recommended into the city's campaign."""
    now = clock.now()
    opens = now - timedelta(days=100)
    panel = [workers_a[3], workers_a[4], _user("worker")]
    with clock.frozen(opens + timedelta(days=1)):
        campaign = _campaign(hr_a, name, opens, min_judges=3, reward_first=Decimal("2000"),
                             reward_second=Decimal("800"), reward_third=Decimal("300"))
        for person in panel:
            assignment.appoint_judge(hr_a, campaign, person.id)
        entries = []
        for i, author in enumerate((workers_a[0], workers_a[1], workers_a[2], workers_a[6])):
            proposal = _write(author, campaign, IDEAS[i + 1], title_suffix="（企业级）")
            screening.screen_proposal(hr_a, proposal, "valid", None, None)
            entries.append(proposal)
    with clock.frozen(opens + timedelta(days=31)):
        for i, proposal in enumerate(entries):
            _assign(hr_a, campaign, proposal, panel)
            _mark_all(panel, proposal, campaign, 9 - i)
    with clock.frozen(now - timedelta(days=30)):
        results.publish_results(hr_a, campaign)
    db.session.flush()
    results.finalise_results(hr_a, campaign)
    db.session.flush()
    from models.proposals import Proposal

    ranked = list(db.session.scalars(db.select(Proposal).where(Proposal.campaign_id == campaign.id)
                                     .order_by(Proposal.rank, Proposal.id)))
    recommended = [recommendation.recommend(hr_a, proposal, city_campaign) for proposal in ranked[:3]]
    # The fourth was recommended too, then withdrawn (撤回推荐) before the city started reviewing it.
    if len(ranked) > 3:
        recommendation.withdraw(hr_a, recommendation.recommend(hr_a, ranked[3], city_campaign))
    # The city started reviewing the best one (a judge of its pool): that one can no longer be withdrawn;
    # the other two still can.
    judge, admin = _user("judge"), _user("admin")
    if judge is not None and admin is not None and recommended:
        assignment.assign_judge(admin, city_campaign, recommended[0].id, judge.id)


def _seed_provincial_prize(admin, published_name) -> None:
    """Last year's best city proposal, recommended to the provincial contest, came back with a prize."""
    from models.honours import HigherResult
    from models.proposals import Proposal

    if db.session.scalar(db.select(HigherResult.id).limit(1)):
        return
    best = db.session.scalar(db.select(Proposal).join(Campaign, Campaign.id == Proposal.campaign_id)
                             .where(Campaign.name == published_name, Campaign.owner_level == "city",
                                    Proposal.rank.is_not(None)).order_by(Proposal.rank, Proposal.id).limit(1))
    if best is None:
        return
    today = clock.today()
    record = higher.recommend_proposal(admin, best, "province", f"{today.year - 1}年福建省职工五小创新成果评选",
                                       today - timedelta(days=60))
    certificate = FileStorage(io.BytesIO(_sample_png()), filename="福建省五小成果二等奖证书.png")
    higher.record_result(admin, record, "second", today - timedelta(days=10), certificate)
    higher.recommend_competitor(admin, _user("worker").id, "prefecture", f"{today.year}年泉州市职业技能竞赛（制鞋工）",
                                today - timedelta(days=5))  # recommended, result not yet announced


def seed() -> None:
    """Create what is missing (each campaign once, by name and owner)."""
    _seed_city()
    admin, hr_a = _user("admin"), _user("hr_a")
    if admin is None or hr_a is None:
        return
    active_city, published_city, _final = _names()
    city_campaign = db.session.scalar(db.select(Campaign).where(Campaign.name == active_city,
                                                                Campaign.owner_level == "city"))
    workers_a = _workers(hr_a.enterprise_id)
    own = set(db.session.scalars(db.select(Campaign.name).where(Campaign.owner_enterprise_id == hr_a.enterprise_id)))
    in_progress, finished = _enterprise_names()
    if len(workers_a) >= 12 and city_campaign is not None:
        if city_campaign.recommend_quota is None:  # a demo database made before issue 14
            city_campaign.recommend_quota = 10
        if finished not in own:
            _seed_enterprise_finished(hr_a, workers_a, finished, city_campaign)
        if in_progress not in own:
            _seed_enterprise_active(hr_a, workers_a, in_progress)
    _seed_provincial_prize(admin, published_city)
    db.session.flush()


def _seed_city() -> None:
    """The city's three campaigns (each once, by name)."""
    admin, hr_a, hr_b, judge = (_user(u) for u in ("admin", "hr_a", "hr_b", "judge"))
    if None in (admin, hr_a, hr_b, judge):
        return
    existing = set(db.session.scalars(db.select(Campaign.name).where(Campaign.owner_level == "city")))
    active, published, final = _names()
    if {active, published, final} <= existing:
        return
    outside = _judges()
    workers_a, workers_b = _workers(hr_a.enterprise_id), _workers(hr_b.enterprise_id)
    if len(workers_a) < 10 or len(workers_b) < 10:
        return
    if final not in existing:
        _seed_closed(admin, hr_a, hr_b, judge, outside, workers_a, workers_b, final, 400, final=True)
    if published not in existing:
        _seed_closed(admin, hr_a, hr_b, judge, outside, workers_a, workers_b, published, 120, final=False)
    if active not in existing:
        _seed_active(admin, hr_a, hr_b, judge, outside, workers_a, workers_b, active)
    db.session.flush()
