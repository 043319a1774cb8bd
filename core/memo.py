"""Per-process memos that stay bounded: `keep(store, key, value, limit)`.

Several hot paths remember an answer that depends only on its key (a URL, a label's text, a rendered
fragment, whether a statement only reads). Their keys can take many values over a process's life (a
record's id, a statement's text), so each store is started afresh when it holds `limit` entries rather than
growing without end; a miss after that only costs the work once more. The lookups stay inline at each
place (a dict.get, no call on the hit path); this is the write on a miss.

Inputs: `store` a dict, `key` hashable, `value` anything, `limit` the number of entries at which the store
is emptied first. Returns `value`. Raises TypeError for an unhashable key.
"""

from __future__ import annotations


def keep(store: dict, key, value, limit: int):
    """Put `value` under `key` in `store`, emptying `store` first when it holds `limit` entries."""
    if len(store) >= limit:
        store.clear()
    store[key] = value
    return value
