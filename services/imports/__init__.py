"""Bulk imports from spreadsheets (issue 13): the union's enterprises (admins) and an enterprise's roster
(花名册, its HR), in two steps: upload -> preview (every row new / update / unchanged / error, with the
reason per cell) -> apply (one transaction; the same file again changes nothing).

- batches.py: the two steps and their background jobs, shared by every kind of import; scoping.
- roster.py / enterprises.py: what one kind reads, how a row is matched, checked and applied.
- templates.py: the downloadable .xlsx template of each kind (instructions, drop-down lists).
The file is read by services.common.tables (the one reader of uploaded tables).
"""
