"""Excel exports of a competition's entries, score lines and results: small ones straight in the request, big ones
(a 10,000-entrant competition) as background jobs with progress (services.jobs).

Rules (docs/domain.md, "Skills competitions" and "Scale the platform is built for": exports over a
few thousand rows run in the background):
- The entries: union admins (every entry) and HR (their enterprise's, services.policy scoping); the
  results (the ranking with prizes): union admins, once signed off; the score lines (marks by part,
  judges, spread, what is missing): union admins. The job re-checks both when it
  runs, through the same services (registration.registrations_query, policy.require_admin).
- Up to INLINE_ROWS rows the file is written in the request; above, the request records the job kind
  "competitions.export_registrations", "competitions.export_scores" or "competitions.export_results"
  and the job writes the
  workbook with services.common.spreadsheets (user text never a formula, times in Asia/Shanghai,
  marks typed), reading its rows in batches of BATCH (yield_per) and reporting progress after each.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.l10n import lazy_gettext as _l
from models import db
from models.competitions import CONFIRMED, FINAL, NOTICED, SIGNED_OFF, Competition, CompetitionRegistration
from models.jobs import Job
from services import policy
from services.common import spreadsheets
from services.common.i18n import deferred
from services.competitions import policy as competitions_policy
from services.competitions import ranking_pages, registration, results, setup, standings
from services.competitions import spreadsheets as sheets
from services.errors import NotFound
from services.jobs import queue

# A file of up to 100 rows is written in the request (a few tens of ms); a bigger one is a job. At 2,000
# rows the request spent about 0.3 s per 1,000 rows in openpyxl, far above a page's budget (issue 10).
INLINE_ROWS = 100
BATCH = 1000
REGISTRATIONS_KIND = "competitions.export_registrations"
RESULTS_KIND = "competitions.export_results"
SCORES_KIND = "competitions.export_scores"


def registration_count(actor, competition: Competition) -> int:
    """How many entries `actor` exports (HR: their enterprise's), by an indexed count."""
    stmt = select(func.count(CompetitionRegistration.id)).where(
        CompetitionRegistration.competition_id == competition.id)
    return db.session.scalar(policy.scope_to(stmt, actor, CompetitionRegistration.enterprise_id,
                                                   at=CompetitionRegistration.created_at)) or 0


def require_results(actor, competition: Competition) -> None:
    """Only union admins export results, and only signed-off ones (NotAllowed, NotFound)."""
    competitions_policy.require_runner(actor, competition)
    if competition.status not in (SIGNED_OFF, NOTICED, FINAL):
        raise NotFound(_l("成绩尚未确认，不能导出。"))


def registrations_file(actor, competition: Competition, report=None) -> bytes:
    """The entries `actor` may see as .xlsx bytes (services.competitions.spreadsheets' columns),
    `report(done, total)` after each batch. NotAllowed for anyone but HR and admins."""
    stmt = registration.registrations_query(actor, competition)
    total = registration_count(actor, competition)
    positions = registration.waitlist_positions(competition.id)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("报名名单"), sheets.REGISTRATION_COLUMNS)
    done = 0
    for batch in db.session.scalars(stmt.execution_options(yield_per=BATCH)).partitions():
        for entry in batch:
            sheet.append(sheets.registration_cells(entry, positions))
        done += len(batch)
        if report is not None:
            report(done, max(total, done))
    return writer.to_bytes()


def results_file(actor, competition: Competition, report=None) -> bytes:
    """The signed-off ranking as .xlsx bytes (rank, number, entrant, enterprise, marks, prize),
    `report(done, total)` every BATCH rows. NotAllowed / NotFound as require_results."""
    require_results(actor, competition)
    total = ranking_pages.result_count(competition.id)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("成绩"), sheets.RESULT_COLUMNS)
    for done, (result, rank) in enumerate(results.ranking(competition), start=1):
        sheet.append(sheets.result_cells(result, rank))
        if report is not None and done % BATCH == 0:
            report(done, max(total, done))
    if report is not None:
        report(total, total)
    return writer.to_bytes()


def score_count(competition: Competition) -> int:
    """How many confirmed competitors have a score line (an indexed count)."""
    return registration.status_counts(competition.id).get(CONFIRMED, 0)


def scores_file(actor, competition: Competition, report=None) -> bytes:
    """Every confirmed competitor's score line as .xlsx bytes (number, entrant, enterprise, theory,
    practical, total, judges, spread, what is missing), `report(done, total)` every BATCH rows.
    NotAllowed for anyone but a union admin."""
    competitions_policy.require_runner(actor, competition)
    lines = standings.score_lines(competition)
    writer = spreadsheets.WorkbookWriter()
    sheet = writer.sheet(_("成绩明细"), sheets.SCORE_COLUMNS)
    for done, line in enumerate(lines, start=1):
        sheet.append(sheets.score_cells(line))
        if report is not None and done % BATCH == 0:
            report(done, len(lines))
    if report is not None:
        report(len(lines), len(lines))
    return writer.to_bytes()


@queue.job_kind(REGISTRATIONS_KIND, _l("导出竞赛报名名单"))
def registrations_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"competition_id", "locale"}; the file registrations-<id>.xlsx."""
    return _file_job(actor, params, report, registrations_file, "registrations",
                     lambda n: deferred("已导出 %(n)d 条报名。", n=n))


@queue.job_kind(RESULTS_KIND, _l("导出竞赛成绩"))
def results_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"competition_id", "locale"}; the file results-<id>.xlsx."""
    return _file_job(actor, params, report, results_file, "results", lambda n: deferred("已导出 %(n)d 条成绩。", n=n))


@queue.job_kind(SCORES_KIND, _l("导出竞赛成绩明细"))
def scores_job(actor, params: dict, report) -> queue.JobResult:
    """The job: params {"competition_id", "locale"}; the file scores-<id>.xlsx."""
    return _file_job(actor, params, report, scores_file, "scores",
                     lambda n: deferred("已导出 %(n)d 名选手的成绩明细。", n=n))


def _file_job(actor, params: dict, report, build, stem: str, outcome) -> queue.JobResult:
    """One competition's file built by `build(actor, competition, report)` in the requester's locale,
    named <stem>-<id>.xlsx, with `outcome(rows done)` as the job's result text."""
    competition = setup.get_competition(actor, int(params["competition_id"]))
    with force_locale(params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]):
        data = build(actor, competition, report)
    return queue.JobResult(outcome(report.done), file_name=f"{stem}-{competition.id}.xlsx",
                           content_type=spreadsheets.XLSX_TYPE, data=data)


def start_scores_export(actor, competition: Competition, locale: str) -> Job:
    """Record the score lines export job for a union admin (NotAllowed otherwise)."""
    competitions_policy.require_runner(actor, competition)
    return queue.enqueue(actor, SCORES_KIND, competition_id=competition.id, locale=locale)


def start_registrations_export(actor, competition: Competition, locale: str) -> Job:
    """Record the entries export job for `actor` (HR or admin; NotAllowed otherwise)."""
    registration.registrations_query(actor, competition)  # the same refusal as the list
    return queue.enqueue(actor, REGISTRATIONS_KIND, competition_id=competition.id, locale=locale)


def start_results_export(actor, competition: Competition, locale: str) -> Job:
    """Record the results export job for an admin (require_results' refusals)."""
    require_results(actor, competition)
    return queue.enqueue(actor, RESULTS_KIND, competition_id=competition.id, locale=locale)
