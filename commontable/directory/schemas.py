"""Input and output shapes of the directory API.

In schemas forbid unknown fields, cap every string at the length of the column it ends up in, and
refuse control characters (NUL and friends) and non-ASCII digits where an integer is expected, each
with a field-level error. Messages that are ours are translated at request time. Names are kept
exactly as written: nothing here trims, folds or normalises them.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any, Literal

from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool
from pydantic_core import PydanticCustomError

from commontable.core.numbers import ASCII_INT, FIRST_YEAR, LAST_YEAR
from commontable.core.text import has_control_characters
from commontable.core.visibility import Visibility
from commontable.directory.choices import BipocLed, BudgetBand, MembershipStatus, OrganizationKind

# ---------------------------------------------------------------------------------------------
# Field types shared by the In schemas

LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]")
SLUG = r"^[-a-zA-Z0-9_]+$"


def _no_control_characters(value: str) -> str:
    if has_control_characters(value):
        raise PydanticCustomError(
            "control_characters",
            gettext("This field contains control characters (such as NUL), which are not allowed."),
        )
    return value


def _single_line(value: str) -> str:
    _no_control_characters(value)
    if LINE_BREAKS.search(value):
        raise PydanticCustomError("line_break", gettext("This text must fit on one line."))
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", gettext("This field cannot be blank."))
    return value


def _ascii_int(value: Any) -> Any:
    """Integers come as JSON numbers or as ASCII digits. Arabic-Indic or full-width digits are
    refused, not guessed at (see core.numbers), and so are '1_000', ' 12' and booleans, which
    Python and pydantic would otherwise accept."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", gettext("Enter a whole number."))
    if isinstance(value, str):
        if not ASCII_INT.match(value):
            if any(ch.isdigit() and not "0" <= ch <= "9" for ch in value):
                message = gettext("Write the number with the digits 0–9.")  # noqa: RUF001 - as in core.forms
                raise PydanticCustomError("non_ascii_digits", message)
            raise PydanticCustomError("int_parsing", gettext("Enter a whole number."))
        if len(value.lstrip("+-")) > 19:  # an int64 has at most 19 digits; Python refuses thousands
            raise PydanticCustomError("int_parsing_size", gettext("Enter a whole number."))
        return int(value)
    return value


_LINE = AfterValidator(_single_line)
_TEXT = AfterValidator(_no_control_characters)
_NOT_BLANK = AfterValidator(_not_blank)

# One line of text of at most N characters (the column's length); `Name` may not be blank.
Name = Annotated[str, Field(min_length=1, max_length=200, strict=True), _LINE, _NOT_BLANK]
Line20 = Annotated[str, Field(max_length=20, strict=True), _LINE]
Line40 = Annotated[str, Field(max_length=40, strict=True), _LINE]
Line100 = Annotated[str, Field(max_length=100, strict=True), _LINE]
Line200 = Annotated[str, Field(max_length=200, strict=True), _LINE]
Line254 = Annotated[str, Field(max_length=254, strict=True), _LINE]
Line300 = Annotated[str, Field(max_length=300, strict=True), _LINE]
Line500 = Annotated[str, Field(max_length=500, strict=True), _LINE]
Language = Annotated[str, Field(min_length=1, max_length=40, strict=True), _LINE, _NOT_BLANK]
# Several lines (line breaks and tabs allowed).
Text5000 = Annotated[str, Field(max_length=5000, strict=True), _TEXT]
Slug = Annotated[str, Field(max_length=80, pattern=SLUG, strict=True)]
SearchText = Annotated[str, Field(max_length=200), AfterValidator(_single_line)]
AsciiInt = Annotated[int, BeforeValidator(_ascii_int)]


def _plausible_day(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_out_of_range",
            gettext("Give a date between the years %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


# A date as forms and files take them (core.numbers): a year like 9999 is refused in words.
Day = Annotated[dt.date, AfterValidator(_plausible_day)]


class InSchema(BaseModel):
    """Base of every In schema: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------------------------
# Query parameters of the lists

MAX_LIMIT = 200


class Page(InSchema):
    limit: AsciiInt = Field(50, ge=1, le=MAX_LIMIT, description="How many records to return, 1 to 200.")
    offset: AsciiInt = Field(0, ge=0, le=1_000_000, description="How many records to skip.")


class OrganizationFilters(Page):
    q: SearchText | None = Field(None, description="Part of the name; case and accents ignored.")
    kind: OrganizationKind | None = None
    membership_status: MembershipStatus | None = None
    bipoc_led: Literal["yes", "no"] | None = Field(None, description="Self-identified.")
    issue: Slug | None = Field(None, description="Slug of an issue topic.")
    place: Slug | None = Field(None, description="Slug of a place served.")
    table: Slug | None = Field(None, description="Slug of a table the organization currently takes part in.")


class PersonFilters(Page):
    q: SearchText | None = Field(None, description="Part of the name or another spelling of it.")
    organization: Slug | None = Field(None, description="Slug of an organization the person belongs to now.")
    language: Line20 | None = Field(None, description="Preferred language for contact, such as so or hmn.")


# ---------------------------------------------------------------------------------------------
# Bodies of the writes. PATCH: a field left out is unchanged; null is refused except where the
# field may be empty (visibility_table).


class OrganizationPatch(InSchema):
    """Staff may change every field; an organization's representatives all but
    `membership_status`, `visibility` and `visibility_table`."""

    name: Name = None
    kind: OrganizationKind = None
    description: Text5000 = None
    bipoc_led: BipocLed = None
    budget_band: BudgetBand = None
    languages_served: list[Language] = Field(None, max_length=30)
    website: Line300 = None
    email: Line254 = None
    phone: Line40 = None
    shares_contacts: StrictBool = None
    issues: list[Slug] = Field(None, max_length=50, description="Slugs of issue topics; replaces the list.")
    places_served: list[Slug] = Field(None, max_length=200, description="Slugs of places; replaces the list.")
    membership_status: MembershipStatus = Field(None, description="Staff only; allowed transitions only.")
    membership_note: Line500 = Field(None, description="Staff only. Kept with the status change.")
    visibility: Visibility = Field(None, description="Staff only.")
    visibility_table: Slug | None = Field(None, description="Staff only; the table of `table` visibility.")


class PersonPatch(InSchema):
    """Staff, the person, and representatives of one of the person's organizations may edit."""

    full_name: Name = Field(None, description="As the person writes it, in any script.")
    name_for_greeting: Line100 = None
    sort_name: Line200 = None
    aliases: Line500 = None
    pronouns: Line40 = None
    preferred_language: Line20 = None
    email: Line254 = None
    phone: Line40 = None
    mobile: Line40 = None
    visibility: Visibility = None
    visibility_table: Slug | None = Field(None, description="Slug of the table, for `table` visibility.")


# ---------------------------------------------------------------------------------------------
# Output


class Error(Schema):
    detail: str


class ValidationErrorItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem]


class IssueOut(Schema):
    slug: str
    name: str


class PlaceOut(Schema):
    slug: str
    name: str
    kind: str


class OrganizationRef(Schema):
    slug: str
    name: str


class TableRef(Schema):
    slug: str
    name: str


class OrganizationOut(Schema):
    public_id: uuid.UUID
    slug: str
    name: str
    kind: OrganizationKind
    description: str
    bipoc_led: Literal["yes", "no", ""] = Field(description="Self-identified; empty when not stated.")
    budget_band: str
    languages_served: list[str]
    website: str
    email: str
    phone: str
    membership_status: MembershipStatus
    member_since: dt.date | None
    issues: list[IssueOut]
    visibility: Visibility
    people_count: int = Field(description="People currently affiliated (whether or not you may see them).")


class OrganizationPermissions(Schema):
    can_edit: bool
    can_change_membership_status: bool
    can_change_visibility: bool


class AffiliatedPersonOut(Schema):
    public_id: uuid.UUID
    full_name: str
    role: str
    is_representative: bool


class MembershipStatusChangeOut(Schema):
    status: MembershipStatus
    effective_on: dt.date
    note: str


EDITORS_ONLY = "Null unless `permissions.can_edit` (staff and the organization's representatives)."


class OrganizationDetailOut(OrganizationOut):
    places_served: list[PlaceOut]
    tables: list[TableRef] = Field(description="Its current tables that you may see.")
    people: list[AffiliatedPersonOut] = Field(description="Its current people that you may see.")
    shares_contacts: bool
    values_affirmed_on: dt.date | None = Field(description=EDITORS_ONLY)
    values_version: str | None = Field(description=EDITORS_ONLY)
    renewal_due_on: dt.date | None = Field(description=EDITORS_ONLY)
    status_history: list[MembershipStatusChangeOut] | None = Field(description=EDITORS_ONLY)
    visibility_table: str | None = Field(description="Slug of the table, for `table` visibility.")
    permissions: OrganizationPermissions


class OrganizationPage(Schema):
    count: int = Field(description="Matching records, all pages together.")
    limit: int
    offset: int
    items: list[OrganizationOut]


class AffiliationOut(Schema):
    organization: OrganizationRef
    role: str
    is_representative: bool


class PersonPermissions(Schema):
    can_see_contacts: bool


class PersonDetailPermissions(PersonPermissions):
    can_edit: bool


class PersonOut(Schema):
    public_id: uuid.UUID
    full_name: str
    name_for_greeting: str
    pronouns: str
    preferred_language: str
    email: str | None = Field(description="Null unless `permissions.can_see_contacts`.")
    phone: str | None = Field(description="Null unless `permissions.can_see_contacts`.")
    mobile: str | None = Field(description="Null unless `permissions.can_see_contacts`.")
    affiliations: list[AffiliationOut] = Field(description="Current, with organizations you may see.")
    visibility: Visibility
    permissions: PersonPermissions


class PersonDetailOut(PersonOut):
    sort_name: str
    aliases: str
    visibility_table: str | None
    permissions: PersonDetailPermissions


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class TableOut(Schema):
    public_id: uuid.UUID
    slug: str
    name: str
    description: str
    is_active: bool
    convenor: OrganizationRef | None = Field(description="Null when none, or when you may not see it.")
    organizations_count: int
    visibility: Visibility


class ParticipationOut(Schema):
    organization: OrganizationRef
    role: str
    joined_on: dt.date | None


class TableDetailOut(TableOut):
    issues: list[IssueOut]
    places: list[PlaceOut]
    participants: list[ParticipationOut] = Field(description="Current participants that you may see.")


class TablePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TableOut]
