"""Five Small innovation proposals (五小提案): yearly campaigns in which workers propose small
improvements, inventions, creations, designs and suggestions; their enterprise screens them, judges
mark them blind, the union ranks them, publishes the results for public notice (公示) and awards
prizes, and enterprises adopt, implement and report the savings (docs/domain.md, "Five Small
proposals").

Import the module you need (`from services.proposals import submission`); nothing is re-exported here.

Entry points, module -> main public functions:
- lifecycle   -> TRANSITIONS, check_transition, transition; the windows submission_open,
                 drafts_allowed, judging_open, judging_frozen, is_published
- policy      -> who may see or do what: get_proposal (the one loader), get_own_proposal,
                 get_screened_proposal, visible_clause, not_conflicted_clause, has_conflict, can_edit,
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
                 savings); savings_totals, pending_verifications
- screening   -> screen_proposal (valid / returned / rejected), duplicate_flags, titles_similar
- assignment  -> assign_judge, auto_assign, remove_assignment, judges_with_load, assignable_query,
                 assignments_of
- judging     -> queue_query, get_assignment, save_marks, judge_total, refresh_aggregate,
                 lock_campaign, marks_frozen
- results     -> ranking_query, prize_for, publish_results, file_objection, resolve_objection,
                 finalise_results, objections, campaign_notice, results_summary
- listing     -> ProposalFilters, proposals_query, timeline
- export      -> write_workbook, stream_export (Excel, admins)
- pagination  -> RowPagination, paginate_rows (pages of multi-column rows, e.g. the ranking)
"""
