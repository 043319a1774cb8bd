"""Craftsman titles (工匠荣誉): title types as data, yearly rounds, nominations with eligibility
computed from the platform's records, review, awards within a quota, public notice (公示),
revocation, certificates and the public honour roll (docs/domain.md, "Titles").

Entry points (import the module you need; nothing is re-exported here):
- types: TitleTypeData, ensure_default_titles, title_types, find_title_type, get_title_type,
  save_title_type
- evidence: Evidence, collect, evidence_for (what the platform knows about workers)
- eligibility: RuleResult, evaluate, unmet, evidence_record (the rules of a title against evidence)
- rounds: open_round, rounds_query, round_lines, rounds, get_round, found_round, accepts_nominations
- nominations: worker_for_nomination (nominees are picked through services.accounts.search),
  nominate, submit_nomination,
  nominations_query, nomination_lines, get_nomination, withdraw_nomination, review_nomination
- round_page: round_facts, round_cards (a round's page as plain rows from kept statements)
- awards: award (quota), publish_awards, round_notice, finalise_round, revoke_award, get_award,
  round_awards, round_award_rows, holds_any_title, awards_of, ensure_not_awarded_twice
- certificates: certificate_pdf, new_verification_code, verify (VERIFY_* statuses; by code or printed
  number, registered with services.common.verification)
- honours: honour_roll_page, award_years (the public honour roll)
- listing: the lists behind the yearly report's titles figures (TitleFilters, awards_query,
  nominations_list_query) and their Excel exports (list_file, start_export: a job above INLINE_ROWS)
- policy: can_nominate, can_see_award_certificate (who may do what)

Where a refusal comes from: permissions in policy (and services.policy.require_admin in each
admin-only use case), rule checks in the use case's own module.
"""
