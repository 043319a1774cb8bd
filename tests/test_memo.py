"""core/memo.py: a kept value is stored, and a full store starts afresh instead of growing."""

from core.memo import keep


def test_keep_stores_and_starts_afresh_when_full():
    store: dict = {}
    assert keep(store, "a", 1, limit=2) == 1 and keep(store, "b", 2, limit=2) == 2
    assert store == {"a": 1, "b": 2}
    keep(store, "c", 3, limit=2)
    assert store == {"c": 3}
