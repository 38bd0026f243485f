"""Text hygiene shared by forms, the API and imports."""

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """NUL bytes and other C0 control characters (tab and newlines are allowed)."""
    return bool(CONTROL.search(text))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def normalize_phone(phone: str) -> str:
    """Digits only, with the US country code dropped, so '(612) 555-0100' == '+1 612 555 0100'."""
    from commontable.core.numbers import to_ascii_digits

    digits = re.sub(r"\D", "", to_ascii_digits(phone)[0])
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def fold_name(name: str) -> str:
    """A name folded for comparison only: case, accents, punctuation and spacing removed.
    The stored name is never changed."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", stripped.casefold()).split())


def language_label(code: str) -> str:
    """A language code as a name people recognise (Soomaali, Hmoob, español), or the code itself."""
    from django.utils.translation import get_language_info

    try:
        info = get_language_info(code)
    except KeyError:
        return code
    return f"{info['name_local']} ({code})"
