"""The indicator registry: what each app can count from its own records, for the plan's objectives.

An app declares its indicators in its manifest (`apps.py`: `indicators = "commontable.x.indicators"`,
a module with an `INDICATORS` list). `strategy` binds them to objectives and reads them only through
this registry, so the plan never imports a domain app and no figure is ever typed in where a record
can tell it.

An indicator computes a *series*: one `Reading` per date asked for, in one call, so a trend of
sixteen quarters costs one query rather than sixteen. Indicators whose records keep no history
(`history=False`) answer only for today; their past comes from stored snapshots.

Results are cached, keyed by a version token per model the indicator depends on. Saving or deleting
such a record (signals), or a bulk write that announces itself with `data_changed()`, replaces the
token, so a changed record shows on the next load. Tokens live in the shared cache, so every worker
sees the same ones; a token that was evicted simply means "recompute".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from commontable.core.suppression import suppress


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    PERCENT = "percent", _("percent")
    DOLLARS = "dollars", _("dollars")
    OTHER = "other", _("other")


@dataclass(frozen=True)
class Reading:
    """One figure: a value, or none (nothing to count yet), or suppressed (too few people behind
    it to show without pointing at someone). `n` is how many records the figure stands on."""

    value: float | None
    n: int | None = None
    suppressed: bool = False

    @property
    def has_value(self) -> bool:
        return self.value is not None and not self.suppressed


NO_READING = Reading(value=None)


def people_count(count: int, *, k: int = 5) -> Reading:
    """A count of people, hidden when it is small enough to identify someone (the shared
    suppression rule, so that every page and export hides the same figures)."""
    cell = suppress({"n": count}, k=k)["n"]
    return Reading(value=None if cell.suppressed else float(count), n=count, suppressed=cell.suppressed)


def share(part: int, whole: int, *, people: bool = False, k: int = 5) -> Reading:
    """A percentage. When it is a share *of people*, a small part or a small remainder is
    suppressed: either would let a reader count the few people behind it."""
    if whole <= 0:
        return Reading(value=None, n=0)
    if people:
        cells = suppress({"part": part, "rest": whole - part}, k=k)
        if cells["part"].suppressed or cells["rest"].suppressed:
            return Reading(value=None, n=whole, suppressed=True)
    return Reading(value=round(100.0 * part / whole, 1), n=whole)


@dataclass(frozen=True)
class Indicator:
    """A registered indicator.

    `compute(dates, param)` returns one Reading per date (the state of the records at the end of
    that day). `records_url(param)` is the list a figure counts, so every number is a link.
    `params()` lists the choices of a parameter, e.g. one figure per table, as (value, label).
    """

    key: str
    label: str
    counts: str  # what counts, in a sentence
    compute: Callable[[Sequence[dt.date], str], list[Reading]]
    unit: str = Unit.COUNT
    direction: str = Direction.UP
    depends_on: tuple[str, ...] = ()  # model labels, e.g. "directory.Organization"
    history: bool = True
    records_url: Callable[[str], str | None] | None = None
    params: Callable[[], list[tuple[str, str]]] | None = None
    param_label: str = ""
    # The parameter is the objective the indicator is bound to (its public id): e.g. the action
    # items done toward that objective.
    per_objective: bool = False
    app_label: str = field(default="", compare=False)

    def url_for(self, param: str = "") -> str | None:
        return self.records_url(param) if self.records_url else None

    def param_choices(self) -> list[tuple[str, str]]:
        return self.params() if self.params else []


class UnknownIndicator(KeyError):
    pass


_registry: dict[str, Indicator] | None = None
_watched: frozenset[str] = frozenset()


def _load() -> dict[str, Indicator]:
    global _registry, _watched
    if _registry is None:
        found: dict[str, Indicator] = {}
        for config in apps.get_app_configs():
            module_path = getattr(config, "indicators", None)
            if not module_path:
                continue
            module = importlib.import_module(module_path)
            for indicator in module.INDICATORS:
                if indicator.key in found:
                    raise ImproperlyDeclared(f"indicator {indicator.key} is declared twice")
                if not indicator.key.startswith(config.label + "."):
                    raise ImproperlyDeclared(f"indicator {indicator.key} must start with '{config.label}.'")
                found[indicator.key] = _with_app(indicator, config.label)
        _watched = frozenset(label for indicator in found.values() for label in indicator.depends_on)
        _registry = found
    return _registry


class ImproperlyDeclared(Exception):
    pass


def _with_app(indicator: Indicator, app_label: str) -> Indicator:
    from dataclasses import replace

    return replace(indicator, app_label=app_label)


def registry() -> dict[str, Indicator]:
    """Every registered indicator by key, in the order the apps declare them."""
    return _load()


def get(key: str) -> Indicator:
    try:
        return _load()[key]
    except KeyError:
        raise UnknownIndicator(key) from None


def reset_registry() -> None:
    """Forget the loaded registry (tests that register indicators of their own)."""
    global _registry
    _registry = None


# --- caching -----------------------------------------------------------------------------------

_TOKEN_PREFIX = "ct:ind:v:"  # noqa: S105  (a cache key, not a secret)
_VALUE_PREFIX = "ct:ind:s:"
_ALL = "*"
CACHE_SECONDS = 24 * 3600


def data_changed(*labels: str) -> None:
    """Announce that records changed outside signals (bulk writes, raw SQL, imports). With no
    labels every cached figure is dropped."""
    keys = [_TOKEN_PREFIX + label for label in labels] if labels else [_TOKEN_PREFIX + _ALL]
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def _on_change(sender, **kwargs) -> None:
    if sender.__module__ == "__fake__":
        return  # a data migration's historical model: nothing is cached yet (nor, maybe, the cache table)
    if _registry is None:
        # Nothing was computed in this process yet; another process may have cached figures,
        # so load the registry to know whether this model matters.
        _load()
    label = sender._meta.label
    if label in _watched:
        data_changed(label)
    elif sender._meta.auto_created:
        # The through table of a many-to-many field: changes count for both ends.
        for model in (f.related_model for f in sender._meta.get_fields() if f.is_relation and f.related_model):
            if model._meta.label in _watched:
                data_changed(model._meta.label)


def _on_m2m(sender, instance, **kwargs) -> None:
    if kwargs.get("action", "").startswith("post_"):
        _on_change(type(instance))
        model = kwargs.get("model")
        if model is not None:
            _on_change(model)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="ct-indicators-save")
    post_delete.connect(_on_change, dispatch_uid="ct-indicators-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="ct-indicators-m2m")


def _series_key(indicator: Indicator, param: str, dates: Sequence[dt.date], tokens: dict[str, str]) -> str:
    parts = [indicator.key, param, ",".join(d.isoformat() for d in dates)]
    parts += [tokens.get(_TOKEN_PREFIX + label, "") for label in (_ALL, *indicator.depends_on)]
    return _VALUE_PREFIX + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _tokens(indicators: Iterable[Indicator]) -> dict[str, str]:
    labels = {_ALL} | {label for indicator in indicators for label in indicator.depends_on}
    keys = [_TOKEN_PREFIX + label for label in sorted(labels)]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        # add() rather than set(): two processes starting together agree on one token.
        for key, token in missing.items():
            if not cache.add(key, token, None):
                token = cache.get(key) or token
            found[key] = token
    return found


def data_version(*labels: str) -> str:
    """One string that changes whenever `data_changed()` is called for any of these labels or for
    everything (as bulk writes and imports do): for other caches that must follow the same writes,
    e.g. cached pages. A label need not be a model's: any name a writer announces will do. A
    missing token is replaced by a fresh one (as for figures), never read as empty, so an evicted
    token only means "compute again"."""
    return data_version_and_get(labels, None)[0]


def data_version_and_get(labels: Sequence[str], key: str | None):
    """`data_version(*labels)` and the cache's value under `key` (None if absent), in one read:
    for a value kept with the version it was made at, valid while the version stands."""
    keys = [_TOKEN_PREFIX + label for label in (_ALL, *labels)]
    found = cache.get_many([*keys, key] if key else keys)
    for token_key in keys:
        if token_key not in found:
            token = uuid.uuid4().hex
            found[token_key] = token if cache.add(token_key, token, None) else (cache.get(token_key) or token)
    return ".".join(found[token_key] for token_key in keys), found.get(key) if key else None


def _clean(reading: Reading) -> Reading:
    value = reading.value
    if value is not None:
        value = float(value) if isinstance(value, (int, Decimal)) else value
        if not math.isfinite(value):
            value = None
    return Reading(value=value, n=reading.n, suppressed=reading.suppressed)


def compute_many(requests: Sequence[tuple[str, str]], dates: Sequence[dt.date]) -> dict[tuple[str, str], list[Reading]]:
    """Series for several (indicator key, param) pairs over the same dates, from the cache where
    the records they depend on are unchanged. Two cache reads whatever the number of series;
    each series missing from the cache costs that indicator's own queries once."""
    dates = list(dates)
    wanted = {(key, param): get(key) for key, param in requests}
    tokens = _tokens(wanted.values())
    keys = {pair: _series_key(indicator, pair[1], dates, tokens) for pair, indicator in wanted.items()}
    cached = cache.get_many(list(keys.values()))
    result: dict[tuple[str, str], list[Reading]] = {}
    to_store = {}
    for pair, indicator in wanted.items():
        hit = cached.get(keys[pair])
        if hit is not None:
            result[pair] = [Reading(*item) for item in hit]
            continue
        if indicator.history:
            readings = [_clean(r) for r in indicator.compute(dates, pair[1])]
        else:
            # Only today can be computed; earlier dates come from stored snapshots.
            today = dates[-1] if dates else dt.date.today()
            current = _clean(indicator.compute([today], pair[1])[0]) if dates else NO_READING
            readings = [NO_READING] * (len(dates) - 1) + [current] if dates else []
        if len(readings) != len(dates):
            raise ImproperlyDeclared(f"indicator {indicator.key} returned {len(readings)} readings for {len(dates)} dates")
        result[pair] = readings
        to_store[keys[pair]] = [(r.value, r.n, r.suppressed) for r in readings]
    if to_store:
        cache.set_many(to_store, CACHE_SECONDS)
    return result


def compute(key: str, dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    return compute_many([(key, param)], dates)[(key, param)]
