"""Accounts and enterprises: who may log in, the people of each enterprise with their roles and
profiles, the enterprises themselves, and the figures of the home pages.

Entry points (import the module you need; nothing is re-exported here):
- authentication: find_by_login, can_log_in, authenticate, load_session_user, end_all_sessions,
  logout, change_password (logging in and out, sessions, passwords)
- activation: issue_codes, reset_password, check_code, person_of, activate, not_activated_count
  (activation codes, slips' data, the activation page's steps); slips: the activation slips' PDF
- people: Profile, get_person, get_worker, people_query, create_account, update_account, set_roles,
  set_active, create_admin (accounts, profiles, roles, activation)
- search: the one people search (classify, add_people_search, search_people, resolve_person,
  pick_person) and the enterprise search (add_enterprise_search, search_enterprises,
  resolve_enterprise, pick_enterprise): every list filter and picker
- enterprises: EnterpriseData, get_enterprise, enterprises_query, towns, create_enterprise,
  update_enterprise, set_enterprise_active
- dashboard: home (the home page's counts and to-dos in one statement), admin_summary, town_summary,
  enterprise_summary (home page counts)
- towns: assign_town_officer, remove_town_officer, town_officers_query (town union officers)
- policy: can_view_worker, can_manage_worker, require_manageable, can_manage_enterprises,
  require_enterprise_manager (who may see or manage whom)

The union's tree and the scoping of queries are services.policy (scope_to, scope_people, in_scope).
"""
