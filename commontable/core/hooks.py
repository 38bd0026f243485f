"""Named providers, so a lower app can show what a higher one knows without importing it.

`strategy` provides the plan's values (`plan.values`); the directory shows them where
organisations affirm them. A missing provider gives the default: the page still works without
the plan app.

Several apps may also *contribute* to one named list: the investment's page shows a link from each
app that holds something about the investment (`investments.related`: contracting opportunities,
workforce hours), collected in the order the apps are installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[..., Any]] = {}
_contributors: dict[str, list[Callable[..., Any]]] = {}


def provide(name: str, provider: Callable[..., Any]) -> None:
    _providers[name] = provider


def call(name: str, *args, default: Any = None, **kwargs) -> Any:
    provider = _providers.get(name)
    return provider(*args, **kwargs) if provider is not None else default


def contribute(name: str, contributor: Callable[..., Any]) -> None:
    """Add `contributor` to the list `name` (once, however often the app is made ready)."""
    contributors = _contributors.setdefault(name, [])
    if contributor not in contributors:
        contributors.append(contributor)


def collect(name: str, *args, **kwargs) -> list[Any]:
    """What every contributor to `name` gives for these arguments; None from one is left out."""
    results = (contributor(*args, **kwargs) for contributor in _contributors.get(name, ()))
    return [result for result in results if result is not None]
