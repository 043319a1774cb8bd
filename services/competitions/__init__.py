"""Skills competitions (技能竞赛): the union sets a competition up, workers enter it (or HR enters them,
one by one, from a list, or as teams) within a window, capacity and eligibility; judges mark the
practical part blind, the admin enters theory marks; results are signed off, ranked, noticed (公示)
and made final with certificates and skill-promotion recommendations. Rules: docs/domain.md,
Skills competitions. Import the module you need; nothing is re-exported here.

Entry points (module -> main public functions):
- setup: CompetitionData, create_competition, update_competition, open_competition, start_scoring,
  get_competition, competitions_query, competition_years, is_registration_open
- eligibility: eligibility_problems, age_on, enterprise_counts, open_for_worker
- registration: register, withdraw, waitlist_position(s), get_registration, approve, reject,
  registrations_query, my_registrations, entry_of (the guarded seat counter)
- bulk: HR's find_own_worker, hr_register, hr_register_many (a list, an outcome per row), register_team
- judging: assign_judge, remove_judge, panel, judge_competitions, judge_queue,
  registration_for_judge, enter_practical_marks, enter_theory_mark(s), import_theory_marks, mark_history
- results: score_lines, sign_off, ranking, publish_results, reopen_scoring, finalise_results,
  notice_of, public_results, public_competitions, final_placings_stmt (evidence for other parts)
- certificates: issue, verify_certificate, get_certificate, certificate_for, revoke_certificate,
  certificate_pdf
- promotions: recommend, promotions_query, get_promotion, record_promotion_certificate
- spreadsheets: read_rows, employee_rows, theory_rows, registrations_workbook, results_workbook
- policy: every per-object rule (can_see_competition, can_register_for, can_see_registration,
  can_withdraw, can_see_certificate, can_record_promotion, markable_by: a judge's conflict of interest)

Where is the rule that refuses ...
- a registration (window, eligibility, seats, duplicate): registration.register, eligibility
- a team entry: bulk.register_team; a withdrawal: registration.withdraw
- a judge or a mark: judging; sign-off, notice, reopening, final results: results
- seeing another enterprise's entry, certificate or promotion: policy
"""
