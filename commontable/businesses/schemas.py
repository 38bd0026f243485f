"""Input and output shapes of the business directory's API.

The In schemas follow the directory's rules (see `directory.schemas`): unknown fields are an error,
strings are capped at their column's length and refuse control characters, each problem is a
field-level error in the caller's language. NAICS codes and amounts are checked by the services
(2 to 6 digits; dollars not negative, at most two decimals) and come back as 422s on their field.
Money goes out in dollars, as a JSON number with at most two decimals.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field

from commontable.businesses.choices import (
    CertificationProgram,
    EmployeesBand,
    OpportunityStatus,
    SelfIdentified,
)
from commontable.core.visibility import Visibility
from commontable.directory.schemas import (
    Error,
    InSchema,
    Language,
    Line40,
    Line100,
    Line500,
    Name,
    OrganizationRef,
    Page,
    PlaceOut,
    SearchText,
    Slug,
    TableRef,
    Text5000,
    ValidationErrorOut,
    _single_line,
)
from commontable.investments.schemas import Money, PastDate, Text10000, WebAddress

__all__ = ["Error", "Page", "Slug", "ValidationErrorOut"]

Code = Annotated[str, Field(max_length=10, strict=True, description="A NAICS code: 2 to 6 digits.")]
Line60 = Annotated[str, Field(max_length=60, strict=True), AfterValidator(_single_line)]
Codes = Annotated[list[Code], Field(max_length=30)]
VISIBILITY_TABLE = "Slug of the table that may see it, for `table` visibility."


# ---------------------------------------------------------------------------------------------
# Query parameters


class BusinessFilters(Page):
    q: SearchText | None = Field(None, description="Part of the name or description.")
    program: CertificationProgram | None = Field(None, description="Holds a current certification of this program.")
    naics: Annotated[str, Field(max_length=6)] | None = Field(
        None, description="A NAICS code or its beginning (2 to 6 digits): businesses with a trade under it."
    )
    place: Slug | None = Field(None, description="Slug of a place served (a business serving the county serves its cities).")
    bipoc_owned: SelfIdentified | None = Field(None, description="`yes` or `no`, as the business identifies itself.")


class OpportunityFilters(Page):
    q: SearchText | None = Field(None, description="Part of the title.")
    status: OpportunityStatus | None = None
    investment: Slug | None = Field(None, description="Slug of an investment you may see.")


# ---------------------------------------------------------------------------------------------
# In


class BusinessIn(InSchema):
    """A business to add to the directory."""

    name: Name
    organization: Slug | None = Field(None, description="Slug of its organization in the directory.")
    description: Text5000 = ""
    bipoc_owned: SelfIdentified = SelfIdentified.UNSTATED
    woman_owned: SelfIdentified = SelfIdentified.UNSTATED
    veteran_owned: SelfIdentified = SelfIdentified.UNSTATED
    naics_codes: Codes = Field(default_factory=list, description="NAICS codes of 2 to 6 digits.")
    places_served: list[Slug] = Field(default_factory=list, max_length=100, description="Slugs of places.")
    bonding_limit: Money | None = None
    employees: EmployeesBand = EmployeesBand.UNSTATED
    languages: list[Language] = Field(default_factory=list, max_length=30)
    preferred_language: Annotated[str, Field(pattern=r"^(en|es|so|hmn)$")] = Field("en", description="Language for messages.")
    email: Annotated[str, Field(max_length=254, strict=True)] = ""
    phone: Line40 = ""
    website: WebAddress = ""
    shares_contacts: bool = Field(False, strict=True)
    visibility: Visibility = Visibility.MEMBERS
    visibility_table: Slug | None = Field(None, description=VISIBILITY_TABLE)


class BusinessPatch(InSchema):
    """Only the fields sent are changed; `null` clears the organization, bonding limit or table."""

    name: Name | None = None
    organization: Slug | None = None
    description: Text5000 | None = None
    bipoc_owned: SelfIdentified | None = None
    woman_owned: SelfIdentified | None = None
    veteran_owned: SelfIdentified | None = None
    naics_codes: Codes | None = None
    places_served: list[Slug] | None = Field(None, max_length=100)
    bonding_limit: Money | None = None
    employees: EmployeesBand | None = None
    languages: list[Language] | None = Field(None, max_length=30)
    preferred_language: Annotated[str, Field(pattern=r"^(en|es|so|hmn)$")] | None = None
    email: Annotated[str, Field(max_length=254, strict=True)] | None = None
    phone: Line40 | None = None
    website: WebAddress | None = None
    shares_contacts: Annotated[bool, Field(strict=True)] | None = None
    visibility: Visibility | None = None
    visibility_table: Slug | None = None


class ConsentIn(InSchema):
    consent: bool = Field(strict=True, description="True: the business agrees to opportunity notices; false: it stops them.")


class CertificationIn(InSchema):
    program: CertificationProgram
    program_other: Line100 = Field("", description="The program's name when `program` is `other`.")
    number: Line60 = ""
    valid_from: dt.date
    valid_until: dt.date | None = Field(None, description="Empty if it does not expire; not before `valid_from`.")


class OpportunityIn(InSchema):
    """A contracting opportunity on an investment."""

    investment: Slug = Field(description="Slug of an investment you may see.")
    title: Name
    description: Text10000 = ""
    naics_codes: Codes = Field(description="NAICS codes of 2 to 6 digits the work needs (at least one).")
    certifications_wanted: list[CertificationProgram] = Field(default_factory=list, description="Any of these; none: any business.")
    places: list[Slug] = Field(default_factory=list, max_length=100, description="Slugs of places; none: anywhere.")
    estimated_value: Money | None = None
    bid_due_on: dt.date | None = Field(None, description="The date bids are due, in America/Chicago.")
    links: list[WebAddress] = Field(default_factory=list, max_length=10)
    visibility: Visibility = Visibility.MEMBERS
    visibility_table: Slug | None = Field(None, description=VISIBILITY_TABLE)


class OpportunityPatch(InSchema):
    title: Name | None = None
    description: Text10000 | None = None
    naics_codes: Codes | None = None
    certifications_wanted: list[CertificationProgram] | None = None
    places: list[Slug] | None = Field(None, max_length=100)
    estimated_value: Money | None = None
    bid_due_on: dt.date | None = None
    links: list[WebAddress] | None = Field(None, max_length=10)
    visibility: Visibility | None = None
    visibility_table: Slug | None = None


class CloseIn(InSchema):
    note: Line500 = ""


class AwardIn(InSchema):
    business: Slug = Field(description="Slug of a business in the directory that you may see.")
    amount: Money | None = None
    awarded_on: PastDate | None = Field(None, description="Today if left out.")


# ---------------------------------------------------------------------------------------------
# Out


class TradeOut(Schema):
    code: str
    name: str


class CertificationOut(Schema):
    id: uuid.UUID
    program: CertificationProgram
    name: str
    number: str
    valid_from: dt.date
    valid_until: dt.date | None
    current: bool
    expired: bool


class BusinessOut(Schema):
    slug: str
    name: str
    url: str | None
    organization: OrganizationRef | None
    bipoc_owned: str
    woman_owned: str
    veteran_owned: str
    naics_codes: list[str]
    places_served: list[PlaceOut]
    current_certifications: list[str] = Field(description="Programs of the certifications valid today.")
    bonding_limit: float | None
    employees: str
    languages: list[str]
    website: str
    email: str | None = Field(description="Null unless you may see the business's contact details.")
    phone: str | None
    visibility: Visibility


class BusinessPermissions(Schema):
    can_edit: bool


class BusinessDetailOut(BusinessOut):
    description: str
    trades: list[TradeOut]
    certifications: list[CertificationOut]
    consents_to_notices: bool | None = Field(description="Null unless you may edit the business.")
    visibility_table: TableRef | None
    permissions: BusinessPermissions


class BusinessPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[BusinessOut]


class InvestmentRef(Schema):
    slug: str
    name: str


class BusinessRef(Schema):
    slug: str
    name: str


class OpportunityOut(Schema):
    id: uuid.UUID
    url: str | None
    investment: InvestmentRef
    title: str
    status: OpportunityStatus
    naics_codes: list[str]
    certifications_wanted: list[str]
    estimated_value: float | None
    bid_due_on: dt.date | None
    awarded_to: BusinessRef | None = Field(description="Null unless awarded to a business you may see.")
    awarded_amount: float | None
    awarded_on: dt.date | None
    visibility: Visibility


class MatchOut(Schema):
    business: BusinessRef
    trades: list[str] = Field(description="The business's trades that answer the codes asked for.")
    certifications: list[str] = Field(description="Its current certifications among those wanted.")
    places: list[str] = Field(description="Slugs of the places it serves that cover the work.")


class OpportunityDetailOut(OpportunityOut):
    description: str
    places: list[PlaceOut]
    links: list[str]
    matches: list[MatchOut] = Field(description="The first 200 matching businesses you may see, by name.")
    matches_count: int = Field(description="How many businesses you may see match in all.")
    can_manage: bool


class OpportunityPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OpportunityOut]


class NotifyOut(Schema):
    sent: int
    already_sent: int
    skipped: int = Field(description="Matched businesses without consent, without an email, or unsubscribed.")
