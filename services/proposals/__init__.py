"""Five Small innovation proposals (五小提案): yearly campaigns in which workers propose small
improvements, inventions, creations, designs and suggestions; their enterprise screens them, judges
mark them blind, the union ranks them, publishes the results for public notice (公示) and awards
prizes, and enterprises adopt, implement and report the savings (docs/domain.md, "Five Small
proposals").

Stored aggregates (status counts, savings per enterprise, judges' loads, the ranking's version) are
kept by models.proposal_tallies in the same transaction as every change they count.

Import the module you need (`from services.proposals import submission`); nothing is re-exported here.

Entry points, module -> main public functions:
- lifecycle   -> TRANSITIONS, check_transition, transition; the windows submission_open,
                 drafts_allowed, judging_open, judging_frozen (SQL: marking_open_clause), is_published
- loaders     -> get_proposal (the one loader; detail_options), get_own_proposal, get_screened_proposal
- policy      -> who may see or do what: visible_clause, not_conflicted_clause, has_conflict, can_edit,
                 can_submit, can_withdraw, can_see_identity, can_see_finance_file, can_view_results,
                 require_writer, require_proposer, require_screener, proposal_not_found
- campaigns   -> CampaignData, create_campaign, update_campaign (rubric and windows), get_campaign,
                 campaigns_query, open_campaigns, published_campaigns
- submission  -> ProposalData, create_proposal, update_proposal (co-authors and shares),
                 add_attachments, remove_attachment, get_attachment, submit_proposal (pledge),
                 withdraw_proposal (co-authors are picked through services.accounts.search,
                 purpose "colleagues")
- savings     -> calculate_savings, estimate_from_calculator, resolve_estimate (the estimate);
                 adopt_proposal, record_implementation, verify_saving, finance_file (realised
                 savings); savings_totals, savings_sums (stored tallies), pending_verifications
- screening   -> screen_proposal (valid / returned / rejected), duplicate_flags
- similar_titles -> titles_similar, the stored pairs of similar titles (possible duplicates)
- assignment  -> assign_judge, auto_assign, remove_assignment, judges_with_load, assignable_query,
                 assignments_of, assignments_with_summary, panel_of
- judge_pool  -> judges_page (the pool with their stored loads, counted in the same query; an enterprise's or a
                 town's pool, its panel, from panel_of's rows)
- judging     -> queue_query, get_assignment, next_pending, save_marks, judge_total, refresh_aggregate,
                 lock_campaign, marks_frozen
- ranking     -> refresh_ranking (stored places and positions, recomputed when stale), ranking_page
                 (a page, with the stored count and whether it is fresh in the same query)
- results     -> prize_for, prize_case, publish_results, file_objection, resolve_objection,
                 finalise_results, objections, campaign_notice, results_summary
- listing     -> ProposalFilters, proposals_query, timeline
- export      -> start_export (the background job "proposals.export"), write_workbook, proposal_count
"""
