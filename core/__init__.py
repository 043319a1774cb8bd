"""Layer-free helpers that models and services both use (nothing here imports models or services).

- clock: the one controllable clock (UTC now, Shanghai today) every time rule reads.
- read_only_commit: on PostgreSQL a transaction that only read ends with COMMIT (prepared statements stay).
"""
