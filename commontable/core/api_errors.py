"""The API's input errors in the caller's language.

django-ninja answers a body or query that does not fit with pydantic's own messages, in English
("Input should be less than or equal to 52"), whatever the caller's language. Each error keeps its
`type`, `loc` and `ctx`; its `msg` is put into the caller's language here, by type, with the
figures from `ctx`. Our own messages (raised by our validators) are already translated and keep
theirs. Django's form messages are reused where they say the same, so the API and the pages
speak alike."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# type → (msgid, the ctx keys its placeholders take, as {placeholder: ctx key}).
MESSAGES: dict[str, tuple[str, dict[str, str]]] = {
    "missing": (gettext_noop("This field is required."), {}),
    "extra_forbidden": (gettext_noop("This is not a field this request takes."), {}),
    "less_than_equal": (gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
                        {"limit_value": "le"}),
    "greater_than_equal": (gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
                           {"limit_value": "ge"}),
    "less_than": (gettext_noop("Give a number less than %(limit)s."), {"limit": "lt"}),
    "greater_than": (gettext_noop("Give a number greater than %(limit)s."), {"limit": "gt"}),
    "string_too_long": (gettext_noop("Write at most %(count)s characters."), {"count": "max_length"}),
    "string_too_short": (gettext_noop("Write at least %(count)s characters."), {"count": "min_length"}),
    "too_long": (gettext_noop("Give at most %(count)s items."), {"count": "max_length"}),
    "too_short": (gettext_noop("Give at least %(count)s items."), {"count": "min_length"}),
    "string_type": (gettext_noop("Write this as text."), {}),
    "string_pattern_mismatch": (gettext_noop("Enter a valid value."), {}),
    "bool_type": (gettext_noop("Write true or false."), {}),
    "bool_parsing": (gettext_noop("Write true or false."), {}),
    "list_type": (gettext_noop("Give a list here."), {}),
    "dict_type": (gettext_noop("Give an object here."), {}),
    "model_type": (gettext_noop("Give an object here."), {}),
    "model_attributes_type": (gettext_noop("Give an object here."), {}),
    "enum": (gettext_noop("Choose one of: %(choices)s."), {"choices": "expected"}),
    "literal_error": (gettext_noop("Choose one of: %(choices)s."), {"choices": "expected"}),
    "url_parsing": (gettext_noop("Enter a valid URL."), {}),
    "url_type": (gettext_noop("Enter a valid URL."), {}),
    "url_scheme": (gettext_noop("Enter a valid URL."), {}),
}
for kind in ("int_type", "int_parsing", "int_parsing_size", "int_from_float"):
    MESSAGES[kind] = (gettext_noop("Enter a whole number."), {})
for kind in ("float_type", "float_parsing", "decimal_type", "decimal_parsing"):
    MESSAGES[kind] = (gettext_noop("Enter a number."), {})
for kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact",
             "date_future", "date_past"):
    MESSAGES[kind] = (gettext_noop("Enter a valid date."), {})
for kind in ("time_type", "time_parsing"):
    MESSAGES[kind] = (gettext_noop("Enter a valid time."), {})
for kind in ("uuid_type", "uuid_parsing", "uuid_version"):
    MESSAGES[kind] = (gettext_noop("Enter a valid UUID."), {})


def translated(error: dict[str, Any]) -> dict[str, Any]:
    """One error with its message in the active language (unknown types keep theirs)."""
    known = MESSAGES.get(error.get("type", ""))
    if known is None:
        return error
    msgid, placeholders = known
    ctx = error.get("ctx") or {}
    if any(key not in ctx for key in placeholders.values()):
        return error
    values = {name: ctx[key] for name, key in placeholders.items()}
    return {**error, "msg": _(msgid) % values if values else _(msgid)}


# ninja's own refusals (HttpError), by the start of their English message.
HTTP_MESSAGES = {
    "CSRF check Failed": gettext_noop("A write from a browser session needs the X-CSRFToken header."),
    "Cannot parse request body": gettext_noop("The request body could not be read: send JSON in UTF-8."),
}


def http_message(message: str) -> str:
    for start, msgid in HTTP_MESSAGES.items():
        if message.startswith(start):
            return _(msgid)
    return message
