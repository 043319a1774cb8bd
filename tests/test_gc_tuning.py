"""The serving process's collector (core/gc_tuning.py): the loaded app is frozen, young collections are
rarer, and `app:app` (gunicorn's and flask's entry) tunes its process; tests and other apps do not."""

import gc

import app as app_module
from core import gc_tuning


def test_tune_for_serving_freezes_the_loaded_objects_and_raises_the_young_threshold():
    before = gc.get_threshold()
    try:
        gc_tuning.tune_for_serving()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (gc_tuning.YOUNG_THRESHOLD, before[1], before[2])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
    assert gc.get_freeze_count() == 0


def test_the_default_app_tunes_its_process_once(monkeypatch):
    built, tuned = [], []
    monkeypatch.setattr(app_module, "_default_app", None)
    monkeypatch.setattr(app_module, "create_app", lambda: built.append(1) or "the app")
    monkeypatch.setattr(gc_tuning, "tune_for_serving", lambda: tuned.append(1))
    assert app_module.app == "the app"
    assert app_module.app == "the app"
    assert (built, tuned) == ([1], [1])


def test_an_app_built_by_create_app_leaves_the_collector_alone(app):
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold()[0] != gc_tuning.YOUNG_THRESHOLD
