"""Skills competitions (技能竞赛): the union sets a competition up, workers enter it (or HR enters them,
one by one, from a list, or as teams) within a window, capacity and eligibility; judges mark the
practical part blind, the admin enters theory marks; results are signed off, ranked, noticed (公示)
and made final with certificates and skill-promotion recommendations. Rules: docs/domain.md,
Skills competitions. Import the module you need; nothing is re-exported here.

Entry points (module -> main public functions):
- setup: CompetitionData, create_competition, update_competition, open_competition, start_scoring,
  get_competition, is_registration_open
- catalogue: the competition list as each reader sees it: competitions_query, competitions_page (kept
  statements: CompetitionsPage of ListedCompetition), competition_years
- eligibility: eligibility_problems, age_on, enterprise_counts, open_for_worker
- registration: register, withdraw, waitlist_position(s), page_waitlist_positions, get_registration,
  approve, reject, registrations_query, status_counts, my_registrations, entry_of (the guarded seat counter)
- entry_rows: registration_rows_query (the registrations page's rows: EntryRow), team_members
- entry_filters: the lists of entries' scope, enterprises and status filter (entries_where), shared by both
- bulk: HR's find_own_worker, hr_register, hr_register_many (a list, an outcome per row), register_team
- judging: assign_judge, remove_judge, panel, judge_competitions, judge_queue_stmt (a keyset page
  of a judge's queue: QueueRow with its marks counted), registration_for_judge, enter_practical_marks,
  enter_theory_mark(s), import_theory_marks, entry_of_competition, mark_history (one entry's)
- standings: score lines (score_line, score_entries_stmt + sheet a page of SheetRows, score_lines
  for sign-off), the stored results' ranks, positions and prizes (store_results, store_ranks,
  refresh_entry after a corrected mark), ranking_page (a range of stored positions: RankedRow),
  result_count
- results: sign_off, ranking (the whole, for finalising and exports), publish_results, reopen_scoring,
  finalise_results, notice_of, public_results, public_competitions, final_placings_stmt (evidence)
- export: the registrations and results exports as jobs (over INLINE_ROWS rows) and inline
- certificates: issue, verify_certificate, get_certificate, certificates_query, certificate_for,
  revoke_certificate, certificate_pdf (registered with services.common.verification)
- documents: sign_in_sheet_pdf, score_sheets_pdf, result_notice_pdf, own_entry_with_result
- promotions: recommend, promotions_query, get_promotion, record_promotion_certificate
- spreadsheets: read_rows, employee_rows, theory_rows, registrations_workbook, results_workbook
- listing: the lists behind the yearly report's competitions figures: held_query (the competition list
  with report=1), EntryFilters + entries_query (entries across competitions), promotions_query
- list_export: those lists' Excel exports (a file up to INLINE_ROWS, a job above)
- policy: every per-object rule (can_see_competition, can_register_for, can_see_registration,
  can_withdraw, can_see_certificate, can_record_promotion, markable_by: a judge's conflict of interest)

Where is the rule that refuses ...
- a registration (window, eligibility, seats, duplicate): registration.register, eligibility
- a team entry: bulk.register_team; a withdrawal: registration.withdraw
- a judge or a mark: judging; sign-off, notice, reopening, final results: results
- seeing another enterprise's entry, certificate or promotion: policy
"""
