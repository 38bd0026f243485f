"""Named providers, so a lower app can show what a higher one knows without importing it.

`strategy` provides the plan's values (`plan.values`); the directory shows them where
organisations affirm them. A missing provider gives the default: the page still works without
the plan app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[..., Any]] = {}


def provide(name: str, provider: Callable[..., Any]) -> None:
    _providers[name] = provider


def call(name: str, *args, default: Any = None, **kwargs) -> Any:
    provider = _providers.get(name)
    return provider(*args, **kwargs) if provider is not None else default
