import datetime as dt

import pytest

from commontable.core import indicators
from commontable.core.indicators import (
    Indicator,
    Reading,
    compute,
    compute_many,
    data_changed,
    people_count,
    share,
)
from commontable.core.models import IssueTopic, Place

DAYS = [dt.date(2024, 3, 31), dt.date(2024, 6, 30)]


@pytest.fixture
def fake_registry(monkeypatch):
    """Two indicators over core's own vocabularies, counting how often they are computed."""
    calls = {"places": 0, "topics": 0}

    def places(dates, param=""):
        calls["places"] += 1
        count = Place.objects.count()
        return [Reading(value=float(count), n=count) for _ in dates]

    def topics(dates, param=""):
        calls["topics"] += 1
        return [Reading(value=float(IssueTopic.objects.count())) for _ in dates]

    registry = {
        "core.places": Indicator(key="core.places", label="Places", counts="places", compute=places, depends_on=("core.Place",)),
        "core.topics": Indicator(key="core.topics", label="Topics", counts="topics", compute=topics, depends_on=("core.IssueTopic",), history=False),
    }
    monkeypatch.setattr(indicators, "_registry", registry)
    monkeypatch.setattr(indicators, "_watched", frozenset({"core.Place", "core.IssueTopic"}))
    return calls


def _place(slug):
    return Place.objects.create(name=slug, slug=slug, kind=Place.Kind.CITY)


def test_people_counts_under_five_are_suppressed_but_zero_and_five_are_shown():
    assert people_count(0) == Reading(value=0.0, n=0)
    assert people_count(3).suppressed and people_count(3).value is None
    assert people_count(5).value == 5.0


def test_a_share_of_people_hides_a_small_part_and_a_small_remainder():
    assert share(2, 40, people=True).suppressed
    assert share(38, 40, people=True).suppressed
    assert share(20, 40, people=True).value == 50.0
    # A share of organisations is not about people: nothing to hide.
    assert share(2, 40).value == 5.0
    assert share(0, 0).value is None


def test_a_series_is_computed_once_and_then_read_from_the_cache(db, fake_registry):
    _place("a")
    first = compute("core.places", DAYS)
    second = compute("core.places", DAYS)
    assert [r.value for r in first] == [1.0, 1.0] == [r.value for r in second]
    assert fake_registry["places"] == 1


def test_saving_a_record_the_indicator_depends_on_shows_on_the_next_load(db, fake_registry):
    _place("a")
    compute("core.places", DAYS)
    _place("b")
    assert compute("core.places", DAYS)[-1].value == 2.0
    assert fake_registry["places"] == 2


def test_deleting_a_record_shows_too(db, fake_registry):
    place = _place("a")
    compute("core.places", DAYS)
    place.delete()
    assert compute("core.places", DAYS)[-1].value == 0.0


def test_a_change_elsewhere_does_not_recompute(db, fake_registry):
    compute("core.places", DAYS)
    IssueTopic.objects.create(name="Housing", slug="housing")
    compute("core.places", DAYS)
    assert fake_registry["places"] == 1


def test_bulk_writes_announce_themselves(db, fake_registry):
    compute("core.places", DAYS)
    Place.objects.bulk_create([Place(name="x", slug="x", kind=Place.Kind.CITY)])  # no signals
    data_changed("core.Place")
    assert compute("core.places", DAYS)[-1].value == 1.0
    Place.objects.bulk_create([Place(name="y", slug="y", kind=Place.Kind.CITY)])
    data_changed()  # everything
    assert compute("core.places", DAYS)[-1].value == 2.0


def test_an_indicator_without_history_answers_only_for_the_last_date(db, fake_registry):
    IssueTopic.objects.create(name="Housing", slug="housing")
    readings = compute("core.topics", DAYS)
    assert readings[0].value is None and readings[-1].value == 1.0


def test_several_series_cost_one_computation_each(db, fake_registry):
    result = compute_many([("core.places", ""), ("core.topics", "")], DAYS)
    assert set(result) == {("core.places", ""), ("core.topics", "")}
    compute_many([("core.places", ""), ("core.topics", "")], DAYS)
    assert fake_registry == {"places": 1, "topics": 1}


def test_not_a_number_and_infinity_become_no_figure(db, monkeypatch):
    bad = Indicator(key="core.bad", label="Bad", counts="", compute=lambda dates, param="": [Reading(float("nan")), Reading(float("inf"))])
    monkeypatch.setattr(indicators, "_registry", {"core.bad": bad})
    assert [r.value for r in compute("core.bad", DAYS)] == [None, None]


def test_an_indicator_answering_the_wrong_number_of_dates_is_refused(db, monkeypatch):
    bad = Indicator(key="core.short", label="Short", counts="", compute=lambda dates, param="": [Reading(1.0)])
    monkeypatch.setattr(indicators, "_registry", {"core.short": bad})
    with pytest.raises(indicators.ImproperlyDeclared):
        compute("core.short", DAYS)


def test_unknown_keys_raise():
    with pytest.raises(indicators.UnknownIndicator):
        indicators.get("nobody.nothing")


def test_apps_declare_their_indicators_in_their_manifest():
    indicators.reset_registry()
    keys = set(indicators.registry())
    assert "directory.member_organizations" in keys
    assert "strategy.action_items_done" in keys
    assert all(indicator.app_label == key.split(".")[0] for key, indicator in indicators.registry().items())


def test_rows_written_by_a_data_migration_touch_no_cache(monkeypatch):
    """A data migration writes through historical models (module "__fake__") before the cache
    table may exist: neither the indicators' nor the pages' signal handlers may write to the cache."""
    from django.apps import apps as global_apps
    from django.db.migrations.state import ProjectState

    from commontable.core import indicators, page_cache

    calls = []
    monkeypatch.setattr(indicators, "data_changed", lambda *labels: calls.append(labels))
    monkeypatch.setattr(page_cache, "data_changed", lambda *labels: calls.append(labels))
    historical = ProjectState.from_apps(global_apps).apps.get_model("core", "Place")
    assert historical.__module__ == "__fake__"
    indicators._on_change(historical)
    page_cache.PageCache("test.pages", watched_apps={"core"})._on_write(historical)
    assert calls == []
    page_cache.PageCache("test.pages", watched_apps={"core"})._on_write(global_apps.get_model("core", "Place"))
    assert calls == [("test.pages",)]
