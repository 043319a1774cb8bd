"""`flask seed-scale` (bench/seed) at a tiny scale: the data keeps every invariant the app keeps, the
manifest names rows that exist, every page of the benchmark answers, and the X-Query-Count header
exists only when BENCH_QUERY_COUNT is on. Nothing here times anything."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from sqlalchemy import func

from app import create_app
from bench.pages import ROLES, pages
from bench.seed import AlreadySeeded, seed_scale
from core import clock
from models import Employment, Enterprise, EnterpriseTownSpan, ImportBatch, User, UserRole, db
from models.competitions import (
    CONFIRMED,
    Competition,
    CompetitionItem,
    CompetitionPracticalMark,
    CompetitionRegistration,
    CompetitionResult,
)
from models.mentorship import OPEN_STATUSES, MentorLoad, MentorPair, MentorshipFigures
from models.proposal_similarity import SimilarTitle
from models.proposal_tallies import JudgeLoad, ProposalSavingsTally, ProposalStatusTally, rebuild
from models.proposals import (
    RANKED_STATUSES,
    SCORED,
    UNDER_REVIEW,
    Campaign,
    JudgeAssignment,
    Mark,
    Proposal,
    ProposalAuthor,
    RubricCriterion,
)
from models.skills import SkillLevelChange
from models.titles import TitleAward
from models.training import (
    ATTENDED,
    TrainingAttendance,
    TrainingClass,
    TrainingEnrolment,
    TrainingProgramme,
)
from models.training import CONFIRMED as ENROLLED
from services.common import scoring
from services.common.validators import is_valid_credit_code, is_valid_mobile
from services.proposals import similar_titles

SCALE = 0.002


@pytest.fixture
def seeded(tmp_path):
    manifest = seed_scale(SCALE, manifest_file=tmp_path / "manifest.json")
    written = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert written["campaign_id"] == manifest["campaign_id"]
    return manifest


def count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def test_seed_scale_keeps_every_invariant(app, seeded, tmp_path):
    m = seeded
    _counts_follow_the_scale(m)
    _people_look_real()
    _proposal_scores_are_the_apps(m)
    _proposal_tallies_are_recounts()
    _similar_titles_are_found()
    _competition_counters_and_results(m)
    _mentoring_counters_and_history()
    _training_is_consistent(m)
    _higher_results_and_revoked_titles(m)
    _manifest_names_existing_rows(m)
    with pytest.raises(AlreadySeeded):
        seed_scale(SCALE, manifest_file=tmp_path / "again.json")
    refused = app.test_cli_runner().invoke(args=["seed-scale", "--scale", str(SCALE)])
    assert refused.exit_code != 0 and "already holds" in refused.output
    _every_bench_page_answers(app, m)


def _counts_follow_the_scale(m):
    # every seeded worker and HR officer has a history: one open employment at their enterprise
    at_work = db.select(func.count(User.id)).where(User.enterprise_id.is_not(None))
    open_jobs = db.select(func.count(Employment.id)).join(User, (User.id == Employment.user_id) & (
        User.enterprise_id == Employment.enterprise_id)).where(Employment.closed_at.is_(None))
    assert count(open_jobs) == count(at_work) > m["counts"]["workers"]
    assert count(db.select(func.count(Enterprise.id))) == m["counts"]["enterprises"] == max(3, round(2500 * SCALE))
    # every enterprise is in its town's history once, open, in its present town (the bulk rows too)
    span = EnterpriseTownSpan
    open_spans = db.select(func.count(span.id)).join(
        Enterprise, (Enterprise.id == span.enterprise_id) & (Enterprise.town_id == span.town_id)
    ).where(span.valid_to.is_(None))
    assert count(open_spans) == m["counts"]["enterprises"]
    in_big_campaign = db.select(func.count(Proposal.id)).where(Proposal.campaign_id == m["campaign_id"])
    assert count(in_big_campaign) == max(60, round(46000 * SCALE))
    workers = count(db.select(func.count(UserRole.id)).where(UserRole.role == "worker"))
    assert workers >= 0.9 * round(250_000 * SCALE)  # HR officers are not workers
    assert count(db.select(func.count()).select_from(db.metadata.tables["audit_log"])) >= 1000


def _people_look_real():
    phones = list(db.session.scalars(db.select(User.phone).where(User.phone.is_not(None))))
    assert len(phones) == len(set(phones)) and all(is_valid_mobile(p) for p in phones)
    assert all(is_valid_credit_code(code) for code in db.session.scalars(db.select(Enterprise.credit_code)))
    numbers = db.session.execute(db.select(User.enterprise_id, User.employee_no).where(User.employee_no.is_not(None)))
    pairs = [tuple(row) for row in numbers]
    assert len(pairs) == len(set(pairs))
    levels = set(db.session.scalars(db.select(User.skill_level).where(User.skill_level.is_not(None))))
    assert levels == set(range(8))


def _proposal_scores_are_the_apps(m):
    weights = dict(db.session.execute(db.select(RubricCriterion.id, RubricCriterion.weight)).all())
    marks = defaultdict(dict)
    for assignment_id, criterion_id, mark in db.session.execute(
            db.select(Mark.assignment_id, Mark.criterion_id, Mark.mark)):
        marks[assignment_id][criterion_id] = mark
    panels = defaultdict(list)
    for a in db.session.scalars(db.select(JudgeAssignment)):
        panels[a.proposal_id].append(a)
        if a.submitted_at is not None:
            assert a.total == scoring.weighted_total(((v, weights[c]) for c, v in marks[a.id].items()), 10)
            assert len(marks[a.id]) == 4
    authors, shares = defaultdict(set), defaultdict(int)
    for proposal_id, user_id, share in db.session.execute(
            db.select(ProposalAuthor.proposal_id, ProposalAuthor.user_id, ProposalAuthor.share)):
        authors[proposal_id].add(user_id)
        shares[proposal_id] += share
    judges = {u.id: u.enterprise_id for u in db.session.scalars(db.select(User))}
    checked = 0
    for proposal in db.session.scalars(db.select(Proposal).where(Proposal.campaign_id.in_(
            [m["campaign_id"], m["previous_campaign_id"]]))):
        assert shares[proposal.id] == 100
        panel = panels[proposal.id]
        submitted = [a.total for a in panel if a.submitted_at is not None]
        assert proposal.score == scoring.trimmed_mean(submitted)
        assert proposal.judge_count == len(submitted)
        for a in panel:  # no conflict of interest
            assert a.judge_id not in authors[proposal.id] and judges[a.judge_id] != proposal.enterprise_id
        if proposal.status in RANKED_STATUSES:
            assert 3 <= len(panel) <= 5 and len(submitted) == len(panel)
            checked += 1
        if proposal.status == UNDER_REVIEW:
            assert len(submitted) < len(panel)
    assert checked > 20
    place = func.rank().over(order_by=Proposal.score.desc()).label("place")
    ranked = db.session.execute(db.select(Proposal.rank, place).where(
        Proposal.campaign_id == m["previous_campaign_id"], Proposal.status.in_(RANKED_STATUSES))).all()
    assert ranked and all(stored == computed for stored, computed in ranked)
    assert count(db.select(func.count(Proposal.id)).where(Proposal.campaign_id == m["campaign_id"],
                                                         Proposal.rank.is_not(None))) == 0  # not published yet
    assert count(db.select(func.count(Proposal.id)).where(Proposal.campaign_id == m["campaign_id"],
                                                         Proposal.status == SCORED)) == m["ranked_proposals"]


def _proposal_tallies_are_recounts():
    """The seed recounted the stored tallies of the proposals (models.proposal_tallies) after its bulk load."""
    tables = {ProposalStatusTally: ("proposals",), ProposalSavingsTally: ("valid", "entered"), JudgeLoad: ("assigned",)}

    def snapshot():  # rows counting nothing (left at zero by the flushes of the demo seed) aside
        return [sorted(tuple(str(getattr(row, c.key)) for c in model.__table__.columns)
                       for row in db.session.scalars(db.select(model)) if any(getattr(row, k) for k in counts))
                for model, counts in tables.items()]

    stored = snapshot()
    assert all(stored)
    rebuild(db.session)
    assert snapshot() == stored
    db.session.rollback()


def _similar_titles_are_found():
    """The seed found the possible duplicates of its bulk-loaded proposals (services.proposals.similar_titles)."""
    pairs = SimilarTitle.__table__

    def snapshot():
        return sorted(db.session.execute(db.select(pairs.c.proposal_id, pairs.c.similar_id)).all())

    stored = snapshot()
    assert stored
    similar_titles.rebuild(db.session.connection())
    assert snapshot() == stored
    db.session.rollback()


def _competition_counters_and_results(m):
    for competition in db.session.scalars(db.select(Competition)):
        confirmed = list(db.session.scalars(db.select(CompetitionRegistration.competitor_no).where(
            CompetitionRegistration.competition_id == competition.id, CompetitionRegistration.status == CONFIRMED)))
        assert competition.seats_taken == len(confirmed) <= competition.capacity
        assert len(set(confirmed)) == len(confirmed) and all(n and n <= competition.numbers_issued for n in confirmed)
    competition = db.session.get(Competition, m["competition_id"])
    items = {i.id: i.weight for i in db.session.scalars(
        db.select(CompetitionItem).where(CompetitionItem.competition_id == competition.id))}
    judge_marks = defaultdict(lambda: defaultdict(dict))
    for reg_id, judge_id, item_id, mark in db.session.execute(
            db.select(CompetitionPracticalMark.registration_id, CompetitionPracticalMark.judge_id,
                      CompetitionPracticalMark.item_id, CompetitionPracticalMark.mark)):
        judge_marks[reg_id][judge_id][item_id] = mark
    results = list(db.session.scalars(db.select(CompetitionResult).where(
        CompetitionResult.competition_id == competition.id)))
    assert len(results) == competition.seats_taken == m["competition_entrants"]
    for result in results:
        scores = [scoring.weighted_total(((marks[i], w) for i, w in items.items()), 100)
                  for marks in judge_marks[result.registration_id].values()]
        assert result.practical == scoring.trimmed_mean(scores) and result.judges == len(scores) >= 3
        assert result.total == scoring.weighted_total([(result.theory, 30), (result.practical, 70)], 100)
    place = func.rank().over(order_by=(CompetitionResult.total.desc(), CompetitionResult.practical.desc()))
    ranked = db.session.execute(db.select(CompetitionResult.rank, place).where(
        CompetitionResult.competition_id == competition.id)).all()
    assert all(stored == computed for stored, computed in ranked)


def _mentoring_counters_and_history():
    open_pairs = dict(db.session.execute(db.select(MentorPair.mentor_id, func.count(MentorPair.id))
                                         .where(MentorPair.status.in_(OPEN_STATUSES))
                                         .group_by(MentorPair.mentor_id)).all())
    for load in db.session.scalars(db.select(MentorLoad)):
        assert load.open_pairs == open_pairs.get(load.mentor_id, 0) <= 3
    by_status = defaultdict(lambda: defaultdict(int))
    for enterprise_id, status in db.session.execute(db.select(MentorPair.enterprise_id, MentorPair.status)):
        by_status[enterprise_id][status] += 1
    stored = {f.enterprise_id: (f.pairs, f.active, f.completed)
              for f in db.session.scalars(db.select(MentorshipFigures))}
    assert stored == {e: (sum(c.values()), c["active"], c["completed"]) for e, c in by_status.items()}
    latest = {}
    for user_id, level in db.session.execute(db.select(SkillLevelChange.user_id, SkillLevelChange.level)
                                             .order_by(SkillLevelChange.effective_date, SkillLevelChange.id)):
        latest[user_id] = level
    generated = db.select(User).where(User.skill_level.is_not(None), User.username.is_(None))
    for user in db.session.scalars(generated):
        assert latest.get(user.id) == user.skill_level, user.id


def _training_is_consistent(m):
    """Seats equal the confirmed enrolments; attendance only of confirmed enrolments of the class's own
    programme, within the class's hours; completions by the app's own rule; the demo's share."""
    from services.training.completion import progress_of

    first = min(m["training_programme_id"], m["town_programme_id"])  # the seed's, after the demo's own
    programmes = list(db.session.scalars(db.select(TrainingProgramme).where(TrainingProgramme.id >= first)))
    assert len(programmes) == m["counts"]["training_programmes"] >= 12
    confirmed = dict(db.session.execute(db.select(TrainingEnrolment.programme_id, func.count()).where(
        TrainingEnrolment.status == ENROLLED).group_by(TrainingEnrolment.programme_id)).all())
    for programme in programmes:
        assert programme.seats_taken == confirmed.get(programme.id, 0) <= programme.capacity
        for lesson in programme.classes:
            assert programme.starts_on <= lesson.starts_at.astimezone(clock.SHANGHAI).date() <= programme.ends_on
    enrolments = {e.id: e for e in db.session.scalars(db.select(TrainingEnrolment))}
    lessons = {c.id: c for c in db.session.scalars(db.select(TrainingClass).where(TrainingClass.programme_id >= first))}
    rows = list(db.session.scalars(db.select(TrainingAttendance).where(TrainingAttendance.programme_id >= first)))
    assert len(rows) == m["counts"]["training_attendances"] > 100
    for row in rows:
        enrolment, lesson = enrolments[row.enrolment_id], lessons[row.class_id]
        assert enrolment.status == ENROLLED and enrolment.worker_id == row.worker_id
        assert enrolment.programme_id == lesson.programme_id == row.programme_id
        assert 0 <= row.hours <= lesson.hours and (row.hours == 0 or row.status in ATTENDED)
        assert row.signed_in_at is None or row.signed_in_at <= lesson.ends_at
    held = defaultdict(int)
    for row in rows:
        held[row.class_id] += 1
    for lesson in lessons.values():  # a closed class has a row for every confirmed enrolment
        if lesson.closed_at is not None:
            assert held[lesson.id] == confirmed.get(lesson.programme_id, 0), lesson.id
    finished = [p for p in programmes if p.status == "finished"]
    assert finished
    for programme in finished:
        mine = [e for e in enrolments.values() if e.programme_id == programme.id and e.status == ENROLLED]
        progress = progress_of(programme, mine)
        for enrolment in mine:
            assert progress[enrolment.id].complete == (enrolment.completed_at is not None)
            assert (enrolment.certificate_code is not None) == (enrolment.completed_at is not None)
    worker_rows = [r for r in rows if r.worker_id == m["worker_id"]]
    assert m["worker_programmes"] >= 3 and worker_rows
    own = db.session.get(TrainingProgramme, m["training_programme_id"])
    assert own.owner_enterprise_id == m["enterprise_id"] and own.seats_taken > 0


def _higher_results_and_revoked_titles(m):
    """The report's higher results (a prize with its day and evidence, subjects the service accepts) and
    revoked titles (one of the holder's titles, with who and why)."""
    from models.honours import HigherResult
    from models.proposals import VALID_STATUSES

    results = list(db.session.scalars(db.select(HigherResult)))
    assert len(results) >= m["counts"]["higher_results"] >= 4  # the demo's few and the seed's
    assert any(r.proposal_id and r.prize for r in results) and any(r.person_id for r in results)
    for result in results:
        assert (result.prize is None) == (result.result_on is None) == (result.evidence_file_id is None)
        assert result.result_on is None or result.recommended_on <= result.result_on <= clock.today()
        if result.proposal_id:
            assert db.session.get(Proposal, result.proposal_id).status in VALID_STATUSES
    assert len({(r.contest, r.proposal_id, r.person_id) for r in results}) == len(results)
    revoked = list(db.session.scalars(db.select(TitleAward).where(TitleAward.status == "revoked")))
    assert len(revoked) > m["counts"]["titles_revoked"] >= 1  # the demo's one and the seed's
    assert all(a.revoked_at and a.revoked_reason and a.revoked_by_id for a in revoked)


def _manifest_names_existing_rows(m):
    for key, model in (("campaign_id", Campaign), ("proposal_id", Proposal), ("worker_proposal_id", Proposal),
                       ("judge_proposal_id", Proposal), ("competition_id", Competition),
                       ("scoring_competition_id", Competition), ("registration_id", CompetitionRegistration),
                       ("judge_registration_id", CompetitionRegistration), ("pair_id", MentorPair),
                       ("enterprise_id", Enterprise), ("worker_id", User)):
        assert db.session.get(model, m[key]) is not None, key
    assert db.session.scalar(db.select(TitleAward.id).where(TitleAward.verification_code == m["verification_code"]))
    assert m["judge_pending"] >= 1 and m["ranking_deep_page"] >= 1
    # the lower owners' pages (issue 14): enterprise A's own campaign and contest, the officer's town contest,
    # HR_a's roster import; none of their pages is left out of the list
    a_id = m["enterprise_id"]
    assert db.session.get(Campaign, m["enterprise_campaign_id"]).owner_enterprise_id == a_id
    assert db.session.get(ImportBatch, m["import_batch_id"]).enterprise_id == a_id
    own = db.session.get(Competition, m["enterprise_competition_id"])
    assert (own.owner_level, own.owner_enterprise_id) == ("enterprise", a_id) and own.seats_taken > 0
    entrants = db.session.scalars(db.select(CompetitionRegistration.enterprise_id).where(
        CompetitionRegistration.competition_id == own.id))
    assert set(entrants) == {a_id}
    town = db.session.get(Competition, m["town_competition_id"])
    assert town.owner_level == "town" and town.owner_town_id == db.session.get(Enterprise, a_id).town_id
    labels = {page.label for page in pages(m)}
    assert {"a roster import (HR)", "enterprise's own campaign (HR)", "enterprise's own competition (HR)",
            "town's competition registrations (town officer)", "home (town officer)"} <= labels
    # new hires who have not activated their accounts yet, for HR's activation page
    assert count(db.select(func.count(User.id)).where(User.activated_at.is_(None), User.username.is_(None))) > 0


def _every_bench_page_answers(app, m):
    people = {role: db.session.scalar(db.select(User).where(User.username == name)) for role, name in ROLES.items()}
    for page in pages(m):
        client = app.test_client()
        if page.role != "public":
            with client.session_transaction() as session:
                session["_user_id"] = people[page.role].get_id()
                session["_fresh"] = True
        assert client.get(page.url).status_code in page.expect, (page.role, page.url)


def test_query_count_header_only_when_asked(app):
    off = app.test_client().get("/healthz")
    assert "X-Query-Count" not in off.headers
    counting = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS",
                                                         "SECRET_KEY", "TESTING", "RATELIMIT_STORAGE_URI",
                                                         "REDIS_URL", "JOBS_BACKEND", "UPLOAD_FOLDER")},
                           "BENCH_QUERY_COUNT": True})
    on = counting.test_client().get("/healthz")
    assert int(on.headers["X-Query-Count"]) >= 1
    with counting.app_context():
        db.engine.dispose()


@pytest.mark.postgres_only
def test_deferred_foreign_keys_are_checked_at_the_end(app):
    """On PostgreSQL the load skips per-row foreign key checks; the check at the end refuses a dangling row."""
    from bench.seed.bulk import Writer
    from models import Trade

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the per-row checks are skipped on PostgreSQL only")
    writer = Writer(db.session)
    assert writer.checks_deferred
    writer.insert(User.__table__, [{"id": 999_999, "name": "某某", "phone": "13912345678", "password_hash": "x",
                                    "trade_id": 999_999, "session_token": "t"}])
    assert db.session.get(Trade, 999_999) is None
    with pytest.raises(ValueError, match="user.trade_id point at no trade"):
        writer.finish()
    db.session.rollback()


def test_wrk_output_is_read():
    """The harness reads req/s, the 50% and 99% latencies and every kind of failed request from wrk."""
    from bench.wrk import parse

    output = """Running 5s test @ http://127.0.0.1:8101/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.31ms    3.02ms  40.11ms   80.00%
  Latency Distribution
     50%  950.00us
     75%   13.00ms
     90%   16.00ms
     99%    1.20s
  3210 requests in 5.00s, 12.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    641.92
Transfer/sec:      2.40MB
"""
    result = parse(output)
    assert result.rps == 641.92 and result.requests == 3210
    assert result.p50_ms == pytest.approx(0.95) and result.p99_ms == pytest.approx(1200)
    assert result.bad == 7
