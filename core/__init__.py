"""Layer-free helpers that models and services both use (nothing here imports models or services).

- memo: keep(store, key, value, limit), the write of a per-process memo that stays bounded.
- clock: the one controllable clock (UTC now, Shanghai today) every time rule reads.
- connections: on PostgreSQL a transaction begins at the first write or lock (reads run outside one), an idle
  pooled connection is pinged before use, prepared statements stay.
"""
