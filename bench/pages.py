"""The fixed list of pages `make bench` measures: (role, label, URL) built from the seed's manifest.

Roles are the demo accounts (admin, hr = hr_a of the ~400-person enterprise A, judge, worker, town = the
town union officer of enterprise A's town) and "public" (no login). Pages whose ids a manifest from an
older seed lacks are left out (reseed to measure them). A page answers 200; exports are listed with
`expect=(200, 302)` since a later version may answer them with a redirect to a background job, which is
then what gets measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

YEAR = datetime.now(ZoneInfo("Asia/Shanghai")).year  # the report's drill-down lists: this year

ROLES = {"admin": "admin", "hr": "hr_a", "judge": "judge", "worker": "worker", "town": "town"}


@dataclass(frozen=True)
class Page:
    role: str  # a key of ROLES, or "public"
    label: str
    url: str
    expect: tuple[int, ...] = (200,)


def pages(m: dict) -> list[Page]:
    """Every page of the benchmark, in the order measured, for manifest `m`."""
    campaign, competition, scoring = m["campaign_id"], m["competition_id"], m["scoring_competition_id"]
    export = (200, 302)
    listed = [
        # each role's home
        Page("admin", "home (admin)", "/"),
        Page("hr", "home (HR)", "/"),
        Page("judge", "home (judge)", "/"),
        Page("worker", "home (worker)", "/"),
        # proposals
        Page("worker", "proposals list (worker)", "/proposals/list"),
        Page("hr", "proposals list (HR)", "/proposals/list"),
        Page("admin", "proposals list (admin)", "/proposals/list"),
        Page("admin", "campaign admin page", f"/proposals/campaigns/{campaign}"),
        Page("admin", "campaign's judges and their loads", f"/proposals/campaigns/{campaign}/judges"),
        Page("admin", "ranking page 1", f"/proposals/campaigns/{campaign}/results"),
        Page("admin", f"ranking page {m['ranking_deep_page']}",
             f"/proposals/campaigns/{campaign}/results?page={m['ranking_deep_page']}"),
        Page("admin", "proposal detail (admin)", f"/proposals/{m['proposal_id']}"),
        Page("worker", "proposal detail (own)", f"/proposals/{m['worker_proposal_id']}"),
        Page("judge", "judge's proposal queue", "/proposals/review"),
        Page("judge", "judge's scoring page", f"/proposals/review/{m['judge_proposal_id']}"),
        Page("hr", "savings by enterprise (HR)", f"/proposals/campaigns/{campaign}/savings"),
        # competitions
        Page("worker", "competitions list (worker)", "/competitions/"),
        Page("admin", "competitions list (admin)", "/competitions/"),
        Page("admin", "10,000-entrant competition (admin)", f"/competitions/{competition}"),
        Page("admin", f"its ranking page {m['results_deep_page']} (admin)",
             f"/competitions/{competition}?page={m['results_deep_page']}"),
        Page("worker", "10,000-entrant competition (worker)", f"/competitions/{competition}"),
        Page("admin", "its scores page", f"/competitions/{competition}/scores"),
        Page("admin", "its scores page 60% down", f"/competitions/{competition}/scores?after={m['scores_after']}"),
        Page("admin", "an entry's marks and history",
             f"/competitions/{competition}/scores/{m['scored_registration_id']}"),
        Page("public", "its results page 1", f"/competitions/results/{competition}"),
        Page("public", f"its results page {m['winners_deep_page']}",
             f"/competitions/results/{competition}?page={m['winners_deep_page']}"),
        Page("admin", "registrations page 1 (admin)", f"/competitions/{competition}/registrations"),
        Page("admin", "registrations 60% down (admin)",
             f"/competitions/{competition}/registrations?after={m['registrations_after']}"),
        Page("hr", "registrations (HR)", f"/competitions/{competition}/registrations"),
        Page("judge", "judge's competitions", "/competitions/judging"),
        Page("judge", "judge's competition queue", f"/competitions/{scoring}/judge"),
        Page("judge", "judge's competition queue 60% down", f"/competitions/{scoring}/judge?after={m['queue_after']}"),
        Page("judge", "judge's marks page", f"/competitions/{scoring}/judge/{m['judge_registration_id']}"),
        Page("worker", "my registrations (worker)", "/competitions/mine"),
        Page("public", "public results list", "/competitions/results"),
        # mentoring
        Page("hr", "mentoring dashboard (HR)", "/mentorship/"),
        Page("admin", "mentoring dashboard (admin)", "/mentorship/"),
        Page("hr", "mentor pairs (HR)", "/mentorship/pairs"),
        Page("admin", "mentor pairs (admin)", "/mentorship/pairs"),
        Page("hr", "a pair page", f"/mentorship/pairs/{m['pair_id']}"),
        Page("admin", "excellent pairs", "/mentorship/excellent"),
        # titles and public pages
        Page("admin", "titles (admin)", "/titles/"),
        Page("hr", "titles (HR)", "/titles/"),
        Page("public", "honour roll", "/titles/honours"),
        Page("public", "verification page", "/verify"),
        Page("worker", "growth record (worker)", f"/titles/growth/{m['worker_id']}"),
        # accounts, workers, enterprises, audit
        Page("admin", "account list", "/admin/users"),
        Page("admin", "account search", f"/admin/users?q={quote(m['account_search'])}"),
        Page("hr", "worker list (HR)", "/workers/"),
        Page("hr", "worker search (HR)", f"/workers/?q={quote(m['hr_search'])}"),
        Page("admin", "enterprise list", "/admin/enterprises"),
        Page("admin", "enterprise search", f"/admin/enterprises?q={quote(m['enterprise_search'])}"),
        Page("admin", "audit log page 1", "/admin/audit"),
        Page("admin", "audit log filtered", f"/admin/audit?action={m['audit_action']}"),
        # exports (GET pages only; the POST that starts a job is not measured)
        Page("admin", "export: campaign proposals", f"/proposals/campaigns/{campaign}/export.xlsx", export),
        Page("admin", "export: registrations", f"/competitions/{competition}/export/registrations.xlsx", export),
        Page("admin", "export: scores", f"/competitions/{competition}/export/scores.xlsx", export),
        Page("admin", "export: results", f"/competitions/{competition}/export/results.xlsx", export),
        Page("hr", "export: mentor pairs (HR)", "/mentorship/pairs/export.xlsx", export),
        # the town union officer
        Page("town", "home (town officer)", "/"),
        Page("town", "people of the town (town officer)", "/workers/"),
        Page("town", "mentor pairs (town officer)", "/mentorship/pairs"),
        # HR's people work: imports, activation slips, transfers
        Page("hr", "roster imports (HR)", "/imports/roster"),
        Page("hr", "activation slips (HR)", "/workers/activation"),
        Page("hr", "transfers (HR)", "/workers/transfers"),
        # figures per owner and results at higher levels
        Page("hr", "campaign figures (enterprise)", "/proposals/figures"),
        Page("admin", "campaign figures (city)", "/proposals/figures"),
        Page("admin", "higher-level results (上级成绩)", "/titles/higher"),
        Page("hr", "higher-level results (HR)", "/titles/higher"),
        # the yearly report (every figure an aggregate over the year)
        Page("admin", "report: city", "/report/"),
        Page("admin", "report: enterprise A", f"/report/?enterprise={m['enterprise_id']}"),
        Page("hr", "report: own enterprise (HR)", "/report/"),
        # the lists behind the report's figures (drill-down) and the city's top ten
        Page("admin", "report drill: collected proposals (city)", f"/proposals/list?stage=collected&year={YEAR}"),
        Page("admin", "report drill: entries across competitions",
             f"/competitions/entries?figure=entrants&year={YEAR}"),
        Page("admin", "report drill: training attendances",
             f"/training/report-records?figure=attendances&year={YEAR}"),
        Page("admin", "report drill: pairs formed", f"/mentorship/pairs?figure=formed&year={YEAR}"),
        Page("admin", "report drill: titles awarded", f"/titles/awards?basis=awarded&year={YEAR}"),
        Page("hr", "top ten achievements (HR)", "/proposals/top-ten"),
        # skills training
        Page("worker", "training programmes (worker)", "/training/"),
        Page("worker", "my training (worker)", "/training/mine"),
        Page("hr", "own training programmes (HR)", "/training/manage"),
        Page("hr", "education upgrades (HR)", "/training/upgrades"),
        Page("admin", "training figures (city)", "/training/figures"),
    ]
    owned = [
        ("import_batch_id", Page("hr", "a roster import (HR)", f"/imports/batches/{m.get('import_batch_id')}")),
        ("enterprise_campaign_id", Page("hr", "enterprise's own campaign (HR)",
                                        f"/proposals/campaigns/{m.get('enterprise_campaign_id')}")),
        ("enterprise_competition_id", Page("hr", "enterprise's own competition (HR)",
                                           f"/competitions/{m.get('enterprise_competition_id')}")),
        ("enterprise_competition_id", Page("hr", "its registrations (HR)",
                                           f"/competitions/{m.get('enterprise_competition_id')}/registrations")),
        ("town_competition_id", Page("town", "town's competition registrations (town officer)",
                                     f"/competitions/{m.get('town_competition_id')}/registrations")),
    ]
    programme, lesson, town_programme = (m.get(k) for k in ("training_programme_id", "training_class_id",
                                                             "town_programme_id"))
    owned += [
        ("training_programme_id", Page("hr", "a training programme with its enrolments (HR, owner)",
                                       f"/training/{programme}")),
        ("training_programme_id", Page("worker", "a training programme (worker, enrolled)", f"/training/{programme}")),
        ("training_programme_id", Page("hr", "a training programme's completion list (HR)",
                                       f"/training/programmes/{programme}/completion")),
        ("training_programme_id", Page("hr", "a training programme's spending (HR)",
                                       f"/training/programmes/{programme}/spending")),
        ("training_class_id", Page("hr", "a training class's attendance list (HR)",
                                   f"/training/classes/{lesson}/attendance")),
        ("training_class_id", Page("hr", "a training class's sign-in board (HR)",
                                   f"/training/classes/{lesson}/signin")),
        ("town_programme_id", Page("town", "the town's training programme (town officer)",
                                   f"/training/{town_programme}")),
        ("town_programme_id", Page("town", "training figures (town officer)", "/training/figures")),
        ("town_programme_id", Page("hr", "training figures (enterprise, HR)", "/training/figures")),
        ("town_programme_id", Page("admin", "training figures (a town)", f"/training/figures?town={m.get('town_id')}")),
        ("town_programme_id", Page("admin", "training figures (an enterprise)",
                                   f"/training/figures?enterprise={m.get('enterprise_id')}")),
    ]
    listed.extend(page for key, page in owned if m.get(key))
    if m.get("town_id"):  # manifests from before the report lack it
        listed.append(Page("admin", "report: a town", f"/report/?town={m['town_id']}"))
    if m.get("verification_code"):
        listed.insert(listed.index(next(p for p in listed if p.label == "verification page")) + 1,
                      Page("public", "verification of a title", f"/verify?code={m['verification_code']}"))
    if m.get("title_round_id"):
        listed.insert(listed.index(next(p for p in listed if p.label == "titles (HR)")) + 1,
                      Page("admin", "a title round", f"/titles/rounds/{m['title_round_id']}"))
    return listed
