"""NAICS trade codes: the shape of a code, a small vocabulary with names, and the prefix rule that
matches a business's trades to what an opportunity asks for. No ORM here.

A NAICS code is 2 to 6 digits, each digit narrowing the one before: 23 construction, 238
specialty trade contractors, 2382 building equipment contractors, 238220 plumbing and HVAC. An
opportunity asks for the level it means; a business states its most precise codes. A business
matches when one of its codes starts with one of the codes asked: 238220 answers an ask for 2382,
238 or 23, but a business that only says 238 does not answer an ask for 238220 (it has not said
it does plumbing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CODE_SHAPE = re.compile(r"^[0-9]{2,6}$")
MAX_CODES = 30

# The 2-digit sectors (2022 edition; 31–33, 44–45 and 48–49 are ranges of one sector) and the
# construction and professional-services codes public works contracts ask for most.
VOCABULARY: dict[str, str] = {
    "11": gettext_lazy("Agriculture, forestry, fishing and hunting"),
    "21": gettext_lazy("Mining, quarrying, and oil and gas extraction"),
    "22": gettext_lazy("Utilities"),
    "23": gettext_lazy("Construction"),
    "31": gettext_lazy("Manufacturing"),
    "32": gettext_lazy("Manufacturing"),
    "33": gettext_lazy("Manufacturing"),
    "42": gettext_lazy("Wholesale trade"),
    "44": gettext_lazy("Retail trade"),
    "45": gettext_lazy("Retail trade"),
    "48": gettext_lazy("Transportation and warehousing"),
    "49": gettext_lazy("Transportation and warehousing"),
    "51": gettext_lazy("Information"),
    "52": gettext_lazy("Finance and insurance"),
    "53": gettext_lazy("Real estate and rental and leasing"),
    "54": gettext_lazy("Professional, scientific, and technical services"),
    "55": gettext_lazy("Management of companies and enterprises"),
    "56": gettext_lazy("Administrative and support and waste management and remediation services"),
    "61": gettext_lazy("Educational services"),
    "62": gettext_lazy("Health care and social assistance"),
    "71": gettext_lazy("Arts, entertainment, and recreation"),
    "72": gettext_lazy("Accommodation and food services"),
    "81": gettext_lazy("Other services (except public administration)"),
    "92": gettext_lazy("Public administration"),
    "236": gettext_lazy("Construction of buildings"),
    "2361": gettext_lazy("Residential building construction"),
    "2362": gettext_lazy("Nonresidential building construction"),
    "237": gettext_lazy("Heavy and civil engineering construction"),
    "2371": gettext_lazy("Utility system construction"),
    "2373": gettext_lazy("Highway, street, and bridge construction"),
    "2379": gettext_lazy("Other heavy and civil engineering construction"),
    "238": gettext_lazy("Specialty trade contractors"),
    "2381": gettext_lazy("Foundation, structure, and building exterior contractors"),
    "2382": gettext_lazy("Building equipment contractors"),
    "238210": gettext_lazy("Electrical contractors"),
    "238220": gettext_lazy("Plumbing, heating, and air-conditioning contractors"),
    "2383": gettext_lazy("Building finishing contractors"),
    "2389": gettext_lazy("Other specialty trade contractors"),
    "238910": gettext_lazy("Site preparation contractors"),
    "541": gettext_lazy("Professional, scientific, and technical services"),
    "5411": gettext_lazy("Legal services"),
    "5412": gettext_lazy("Accounting, tax preparation, bookkeeping, and payroll services"),
    "5413": gettext_lazy("Architectural, engineering, and related services"),
    "541310": gettext_lazy("Architectural services"),
    "541320": gettext_lazy("Landscape architectural services"),
    "541330": gettext_lazy("Engineering services"),
    "5414": gettext_lazy("Specialized design services"),
    "5415": gettext_lazy("Computer systems design and related services"),
    "5416": gettext_lazy("Management, scientific, and technical consulting services"),
    "5418": gettext_lazy("Advertising, public relations, and related services"),
    "5419": gettext_lazy("Other professional, scientific, and technical services"),
    "5617": gettext_lazy("Services to buildings and dwellings"),
    "562": gettext_lazy("Waste management and remediation services"),
}


def validate_code(code: str) -> str:
    """A NAICS code: 2 to 6 ASCII digits, kept as typed (no padding, no trimming of zeros)."""
    if not isinstance(code, str) or not CODE_SHAPE.match(code):
        raise ValidationError(
            _("“%(code)s” is not a NAICS code: write 2 to 6 digits, such as 23, 238 or 238220.") % {"code": code},
            code="naics_shape",
        )
    return code


def parse_codes(value: str | Iterable[str], field: str = "naics_codes") -> list[str]:
    """Codes from a list or a line ("238220, 2382 541330"): each checked, duplicates dropped, in
    the order given. Every bad code is named in one error on `field`."""
    items = re.split(r"[\s,;]+", value) if isinstance(value, str) else list(value)
    items = [item.strip() if isinstance(item, str) else item for item in items]
    items = [item for item in items if item != ""]
    errors = []
    for item in items:
        try:
            validate_code(item)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({field: errors})
    codes = list(dict.fromkeys(items))
    if len(codes) > MAX_CODES:
        raise ValidationError({field: _("At most %(n)s codes.") % {"n": MAX_CODES}})
    return codes


def code_matches(business_code: str, asked_code: str) -> bool:
    """The prefix rule, for explanations and tests; the selectors apply the same rule in SQL."""
    return business_code.startswith(asked_code)


def label(code: str) -> str:
    """The code's name from the vocabulary, or from its nearest named parent, or ""."""
    for length in range(len(code), 1, -1):
        name = VOCABULARY.get(code[:length])
        if name is not None:
            return str(name)
    return ""


def vocabulary_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {name}") for code, name in sorted(VOCABULARY.items())]
