"""Mentoring (名师带徒): enterprise HR pairs a skilled mentor with an apprentice of the same enterprise;
the two confirm an agreement of 12-36 months, the mentor records check-ins the apprentice confirms,
HR records the final assessment (出师考核), and the union selects excellent pairs each year through
public notice (公示). The rules come from docs/domain.md, "Mentoring".

Import the module you need (`from services.mentorship import pairing`); nothing is re-exported here.

Entry points, module -> main public functions:
- settings   get_settings, update_settings (the union's limits: apprentices per mentor, grace days,
             months to dissolve, excellent quota)
- terms      add_months, credit_window_end, dissolution_deadline, overdue_before, week_end
- policy     scope_pairs, scope_nominations, can_manage, can_confirm, can_dissolve, can_record_checkin,
             can_respond, can_assess, can_nominate, can_view_record (every per-object rule)
- pairing    get_pair, create_pair (PairPlan), confirm_agreement, dissolve, end_early, extend,
             pairs_of, holds_craftsman_title (mentor and apprentice are picked through
             services.accounts.search, purpose "workers")
- lifecycle  TRANSITIONS, transition, history (the status machine and its record)
- places     take_place, release_place (the mentor's guarded counter of open pairs)
- figures    count_status_change, enterprises_query, city_totals_columns (each enterprise's pairs counted by
             status, kept in the same transaction as every status change)
- checkins   get_checkin, record_checkin, respond_checkin, checkin_state
- pair_page  pair_and_nomination, checkin_page, history_rows (what the pair's page reads, plain rows)
- own_pairs  own_pairs (everyone's own pairs on the start page, plain rows; the settings read along)
- assessment assess (AssessmentData)
- excellent  nominate, select, deselect, publish, finalise, nominations_query, round_notice,
             excellent_honours
- excellent_certificates  certificate_nomination, certificate_pdf (the excellent-pair certificate,
             registered with services.common.verification)
- documents  agreement_pdf (the agreement as a PDF)
- reports    enterprise_dashboard, union_dashboard (paged), pairs_query, FILTERS
- export     start_export, export_job, write_workbook (the pair list's Excel export, a background job)
- credits    mentor_credits (skill_level_milestones, competition_prize_milestones)
- records    person_record
- checks     refusals shared by several use cases (a date in the future, a note too long)
"""
