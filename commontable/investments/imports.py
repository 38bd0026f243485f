"""Imports of investments: a city's capital-plan spreadsheet (CSV or XLSX) and award records in the
column layout of USAspending.gov's award download (`investments/usaspending.py`), declared to the
shared pipeline in `core.imports` (upload → preview → apply, all or nothing; ADR 3 and ADR 12).

Every value goes through the same rules as the investment forms: amounts through
`services.parse_money` (negative, more than two decimals, not a number, absurd → refused), fiscal
years through the model's range, locations through `geo.parse_location` (valid GeoJSON inside the
region), kinds, stages and programs through their choices, stage moves through `stage_may_follow`.

The capital plan (one row per project, with a column per fiscal year — "2026", "FY2026", "FY 2026" —
or one row per project per fiscal year with `fiscal_year` and `amount`, or both):

- a project is identified by its `key` (the investment's short name in web addresses) when the
  file has one, otherwise by the sponsoring agency together with `project_id`: the investment's
  short name is made from the two ("minneapolis-public-works-pw-2026-014"), so importing the same
  plan again finds the same investments;
- a funding line is the project's money for one fiscal year from one program (default: city
  capital plan) without an award identifier; importing again updates its amount in place;
- an agency named as sponsor that is not in the directory is created as a counterpart (a public
  agency, not a member), visible to members;
- a blank cell keeps what is stored; nothing is ever deleted.

Writes are bulk, keep each investment's history (simple-history, the import named as the reason),
record stage moves in the stage history, and leave one audit entry per investment created or
changed plus the import's own entry on its batch.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commontable.core.imports import (
    ACTION_CREATE,
    ACTION_UNCHANGED,
    ACTION_UPDATE,
    WRITE_BATCH,
    CellError,
    Column,
    ImportSpec,
    Preview,
    Row,
    display_value,
    insert_history,
    insert_rows,
    lookup_in,
)
from commontable.core.models import ActivityLog, Place
from commontable.core.text import fold_name
from commontable.core.visibility import Visibility
from commontable.directory.choices import MembershipStatus, OrganizationKind
from commontable.directory.models import Organization
from commontable.investments.choices import FundingProgram, InvestmentKind, Stage, stage_may_follow
from commontable.investments.geo import parse_location
from commontable.investments.models import (
    FIRST_FISCAL_YEAR,
    LAST_FISCAL_YEAR,
    FundingSource,
    Investment,
    StageChange,
)
from commontable.investments.services import RESERVED_SLUGS, parse_money

PERMISSION = "investments.edit_investment"
ACTION_SKIP = "skip"  # a row the file holds but this import leaves out (e.g. an award outside the region)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ACCOUNTING_NEGATIVE = re.compile(r"^\(\s*(.*?)\s*\)$")
# Fiscal-year columns are recognised from 1900 to 2199 so that a year outside the allowed range is
# named as an error rather than silently ignored as an unknown column.
YEAR_COLUMNS = range(1900, 2200)
YEAR_BY_COLUMN = {f"fy{year}": year for year in YEAR_COLUMNS}

# Words people write in capital plans for each kind, besides the kinds' own names and labels.
KIND_WORDS = {
    "transit": InvestmentKind.TRANSIT_LINE,
    "rail": InvestmentKind.TRANSIT_LINE,
    "light rail": InvestmentKind.TRANSIT_LINE,
    "brt": InvestmentKind.TRANSIT_LINE,
    "bus rapid transit": InvestmentKind.TRANSIT_LINE,
    "station": InvestmentKind.TRANSIT_STATION,
    "street": InvestmentKind.ROAD,
    "streets": InvestmentKind.ROAD,
    "bridge": InvestmentKind.ROAD,
    "bridges": InvestmentKind.ROAD,
    "transportation": InvestmentKind.ROAD,
    "paving": InvestmentKind.ROAD,
    "parks": InvestmentKind.PARK,
    "parks and recreation": InvestmentKind.PARK,
    "trail": InvestmentKind.PARK,
    "affordable housing": InvestmentKind.HOUSING,
    "mixed use": InvestmentKind.MIXED_USE,
    "arena": InvestmentKind.STADIUM,
    "energy": InvestmentKind.CLIMATE,
    "resilience": InvestmentKind.CLIMATE,
    "sewer": InvestmentKind.WATER,
    "sanitary sewer": InvestmentKind.WATER,
    "stormwater": InvestmentKind.WATER,
    "water main": InvestmentKind.WATER,
    "library": InvestmentKind.PUBLIC_BUILDING,
    "libraries": InvestmentKind.PUBLIC_BUILDING,
    "school": InvestmentKind.PUBLIC_BUILDING,
    "facilities": InvestmentKind.PUBLIC_BUILDING,
    "public buildings": InvestmentKind.PUBLIC_BUILDING,
}
PROGRAM_WORDS = {
    "iija": FundingProgram.IIJA,
    "bipartisan infrastructure law": FundingProgram.IIJA,
    "ira": FundingProgram.IRA,
    "inflation reduction act": FundingProgram.IRA,
    "fta": FundingProgram.FEDERAL_TRANSIT,
    "federal": FundingProgram.FEDERAL_OTHER,
    "federal grant": FundingProgram.FEDERAL_OTHER,
    "state bonds": FundingProgram.STATE_BONDING,
    "state bond": FundingProgram.STATE_BONDING,
    "state": FundingProgram.STATE_OTHER,
    "state aid": FundingProgram.STATE_OTHER,
    "met council": FundingProgram.REGIONAL_COUNCIL,
    "metropolitan council": FundingProgram.REGIONAL_COUNCIL,
    "county": FundingProgram.COUNTY,
    "city": FundingProgram.CITY_CAPITAL,
    "general obligation bonds": FundingProgram.CITY_CAPITAL,
    "go bonds": FundingProgram.CITY_CAPITAL,
    "net debt bonds": FundingProgram.CITY_CAPITAL,
    "capital improvement program": FundingProgram.CITY_CAPITAL,
    "tax increment": FundingProgram.TIF,
    "tax increment financing": FundingProgram.TIF,
    "private": FundingProgram.PRIVATE,
}


# -- cells, parsed by the investment rules -------------------------------------------------------


def money_cents(value) -> int:
    """An amount as a spreadsheet holds it ("$1,234,567.89", 1234567, "(1,000)") → cents, by the
    forms' own rule (`services.parse_money`). Accounting parentheses mean a negative amount, which
    is refused as such. Raises CellError."""
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip()
    match = ACCOUNTING_NEGATIVE.match(text)
    if match:
        text = "-" + match.group(1)
    try:
        return parse_money(text, "amount")
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def fiscal_year(value) -> int:
    """A fiscal year in the model's range. Raises CellError."""
    text = str(value).strip()
    if text.upper().startswith("FY"):
        text = text[2:].strip()
    if not re.fullmatch(r"\d{4}", text):
        raise CellError(_("“%(value)s” is not a fiscal year such as 2026.") % {"value": value})
    year = int(text)
    if not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
        raise CellError(
            _("The fiscal year %(year)d is outside the years %(first)d to %(last)d.")
            % {"year": year, "first": FIRST_FISCAL_YEAR, "last": LAST_FISCAL_YEAR}
        )
    return year


_WORD_MAPS: dict[tuple, dict[str, str]] = {}


def _word_map(choices, extra: dict[str, str]) -> dict[str, str]:
    """Values by folded value, label (the reader's language and English) and usual word; built once
    per language, since every row of a file asks."""
    cache_key = (id(extra), translation.get_language())  # each word list goes with one set of choices
    words = _WORD_MAPS.get(cache_key)
    if words is not None:
        return words
    words = {}
    for value, label in choices:
        words[fold_name(value.replace("_", " "))] = value
        words[fold_name(str(label))] = value
    with translation.override("en"):
        for value, label in choices:
            words.setdefault(fold_name(str(label)), value)
    for word, value in extra.items():
        words.setdefault(fold_name(word), value)
    _WORD_MAPS[cache_key] = words
    return words


UNKNOWN_KIND = gettext_lazy("“%(value)s” is not a kind of investment this import knows. Use one of: %(allowed)s.")
UNKNOWN_PROGRAM = gettext_lazy("“%(value)s” is not a funding program this import knows. Use one of: %(allowed)s.")


def choice_from_words(value: str, choices, extra: dict[str, str], unknown) -> str:
    """One of `choices` from its value, its label (in English or the reader's language) or one of
    the usual words in `extra`; otherwise a CellError listing the values allowed."""
    found = _word_map(choices, extra).get(fold_name(str(value)))
    if found is None:
        allowed = ", ".join(v for v, _label in choices)
        raise CellError(str(unknown) % {"value": value, "allowed": allowed})
    return found


def location_from(row: Row, *, geojson: str = "location", lon: str = "longitude", lat: str = "latitude"):
    """The row's checked location (`geo.Location`) or None; errors go on the row's cells."""
    has_geojson, has_lon, has_lat = row.has(geojson), row.has(lon), row.has(lat)
    if has_geojson and (has_lon or has_lat):
        row.error(_("Give the location either as GeoJSON or as longitude and latitude, not both."), geojson)
        return None
    if has_lon != has_lat:
        row.error(_("Give both the longitude and the latitude."), lon if not has_lon else lat)
        return None
    try:
        if has_geojson:
            return parse_location(str(row.values[geojson]))
        if has_lon:
            try:
                point = [float(str(row.values[lon]).strip()), float(str(row.values[lat]).strip())]
            except ValueError:
                row.error(_("Longitude and latitude are numbers in degrees, such as -93.26 and 44.97."), lon)
                return None
            return parse_location({"type": "Point", "coordinates": point})
    except ValidationError as exc:
        row.error(exc.messages[0], geojson if has_geojson else lon)
    return None


# -- look-ups shared by both imports --------------------------------------------------------------


class Directory:
    """Organisations and places for a whole file, found with a fixed number of queries."""

    def __init__(self, org_texts, place_texts):
        org_texts = {str(t).strip() for t in org_texts if t}
        slugs = org_texts | {slugify(t)[:80] for t in org_texts}
        self.orgs_by_slug = {o.slug: o for o in lookup_in(Organization.objects.all(), "slug", slugs)}
        self.orgs_by_name: dict[str, list[Organization]] = defaultdict(list)
        for org in lookup_in(Organization.objects.all(), "name_folded", {fold_name(t) for t in org_texts}):
            self.orgs_by_name[org.name_folded].append(org)
        self.places_by_slug: dict[str, Place] = {}
        self.places_by_name: dict[str, list[Place]] = defaultdict(list)
        self.places_by_code: dict[str, Place] = {}
        if place_texts is not None:
            for place in Place.objects.exclude(kind=Place.Kind.TRACT):
                self.places_by_slug[place.slug] = place
                self.places_by_name[fold_name(place.name)].append(place)
                if place.code:
                    self.places_by_code[place.code] = place

    def organization(self, text: str) -> tuple[Organization | None, str | None]:
        """(the organisation, None) or (None, an error) or (None, None) when there is none."""
        text = str(text).strip()
        if text in self.orgs_by_slug:
            return self.orgs_by_slug[text], None
        found = self.orgs_by_name.get(fold_name(text), [])
        if len(found) > 1:
            return None, _("%(count)d organizations are named like this (%(slugs)s); write the short name of one.") % {
                "count": len(found), "slugs": ", ".join(sorted(o.slug for o in found))}
        if found:
            return found[0], None
        # The short name a new agency of this name would get: the same agency on the next import,
        # so that a project's key (made from it) never changes.
        return self.orgs_by_slug.get(slugify(text)[:80]), None

    def place(self, text: str, kinds=None) -> tuple[Place | None, str | None]:
        text = str(text).strip()
        if text in self.places_by_slug and (kinds is None or self.places_by_slug[text].kind in kinds):
            return self.places_by_slug[text], None
        found = [p for p in self.places_by_name.get(fold_name(text), []) if kinds is None or p.kind in kinds]
        if len(found) > 1:
            return None, _("%(count)d places are named like this (%(slugs)s); write the short name of one.") % {
                "count": len(found), "slugs": ", ".join(sorted(p.slug for p in found))}
        return (found[0] if found else None), None


def agency_key(name: str) -> str:
    return fold_name(name)


# -- writing: shared by both imports ---------------------------------------------------------------


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _reason(batch) -> str:
    return f"import {batch.public_id} ({batch.filename})"[:100]


def write_plans(rows: list[Row], *, actor, batch) -> dict[str, int]:
    """Write what `resolve` planned on each row: agencies to create, investments to create or
    change (with their history and stage history), engaged organisations, funding lines; then one
    audit entry per investment touched. Rows carry `extra["investment"]` (at most one row per
    investment) and `extra["funding"]`."""
    from simple_history.utils import bulk_update_with_history

    from commontable.directory.services import organization_create

    user, reason, today = _user(actor), _reason(batch), timezone.localdate()
    note = (_("Imported from %(file)s") % {"file": batch.filename})[:500]
    plans = [row.extra["investment"] for row in rows if row.extra.get("investment")]
    # Agencies first: investments point at them.
    agencies: dict[str, Organization] = {}
    for plan in plans:
        name = plan.get("new_sponsor")
        if name and agency_key(name) not in agencies:
            agencies[agency_key(name)] = organization_create(
                actor=actor, name=name[:200], slug=slugify(name)[:80] or None, kind=OrganizationKind.AGENCY,
                membership_status=MembershipStatus.NOT_MEMBER, visibility=Visibility.MEMBERS,
            )
    by_slug: dict[str, Investment] = {}
    creates, updates, stage_changes, touched = [], [], [], {}
    for plan in plans:
        fields = dict(plan["fields"])
        if plan.get("new_sponsor"):
            fields["sponsor"] = agencies[agency_key(plan["new_sponsor"])]
        if plan["target"] is None:
            investment = Investment(slug=plan["slug"], stage_since=today, **fields)
            creates.append(investment)
            stage_changes.append((investment, investment.stage))
            touched[plan["slug"]] = (investment, True, plan["changes"])
        else:
            investment = plan["target"]
            by_slug[plan["slug"]] = investment
            if not (fields or plan.get("stage")):
                continue
            for name, value in fields.items():
                setattr(investment, name, value)
            if plan.get("stage"):
                investment.stage, investment.stage_since = plan["stage"], today
                stage_changes.append((investment, plan["stage"]))
            investment.updated_at = timezone.now()
            updates.append((investment, set(fields) | ({"stage", "stage_since"} if plan.get("stage") else set())))
            touched[plan["slug"]] = (investment, False, plan["changes"])
        by_slug[plan["slug"]] = investment
    # New investments go in from their values, with their history copied by the database (the
    # fast path of ADR 3): building and saving thousands of instances is what an import waits on.
    given = ("name", "slug", "kind", "description", "sponsor_id", "jurisdiction_id", "total_cost_cents", "stage",
             "stage_since", "geometry", "min_lon", "min_lat", "max_lon", "max_lat", "visibility")
    done = insert_rows(Investment, [{name: getattr(i, name) for name in given} for i in creates], batch_size=WRITE_BATCH)
    for investment, written in zip(creates, done, strict=True):
        investment.pk = investment.id = written["id"]
    insert_history(Investment, [i.pk for i in creates], history_type="+", user=user, reason=reason)
    if updates:
        names = sorted({"updated_at"} | {name for _inv, changed in updates for name in changed})
        bulk_update_with_history([inv for inv, _changed in updates], Investment, names,
                                 batch_size=WRITE_BATCH, default_user=user, default_change_reason=reason)
    insert_rows(StageChange, [
        {"investment_id": inv.pk, "stage": stage, "effective_on": today, "note": note, "recorded_by_id": getattr(user, "pk", None)}
        for inv, stage in stage_changes
    ], batch_size=WRITE_BATCH)
    links = [
        Investment.organizations.through(investment_id=by_slug[plan["slug"]].pk, organization_id=org_id)
        for plan in plans for org_id in plan.get("organizations", ())
    ]
    Investment.organizations.through.objects.bulk_create(links, ignore_conflicts=True, batch_size=WRITE_BATCH)
    new_lines, changed_lines = [], []
    for row in rows:
        for line in row.extra.get("funding", ()):
            existing = line.get("existing")
            if existing is None:
                investment = by_slug.get(line["slug"]) or line["investment"]
                new_lines.append({
                    "investment_id": investment.pk, "program": line["program"], "fiscal_year": line["fiscal_year"],
                    "amount_cents": line["amount_cents"], "award_id": line.get("award_id", ""),
                    "note": line.get("note", "")[:500],
                })
                touched.setdefault(line["slug"], (investment, False, []))
            elif line.get("changed"):
                for name, value in line["changed"].items():
                    setattr(existing, name, value)
                changed_lines.append(existing)
                touched.setdefault(line["slug"], (existing.investment, False, []))
    insert_rows(FundingSource, new_lines, batch_size=WRITE_BATCH)
    FundingSource.objects.bulk_update(changed_lines, ["program", "fiscal_year", "amount_cents", "note"],
                                      batch_size=WRITE_BATCH)
    _audit(touched, actor=actor, batch=batch)
    return {
        "investments_created": len(creates),
        "investments_updated": len(updates),
        "agencies_created": len(agencies),
        "funding_added": len(new_lines),
        "funding_updated": len(changed_lines),
    }


def _audit(touched: dict, *, actor, batch) -> None:
    """One entry per investment the import created or changed, in bulk (same fields as log_action)."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Investment)
    user = _user(actor)
    entries = [
        {
            "content_type_id": content_type.pk, "object_id": str(investment.pk), "object_repr": str(investment)[:300],
            "action": "investments.investment.created" if created else "investments.investment.imported",
            "actor_id": getattr(user, "pk", None), "actor_repr": str(user)[:300] if user else "",
            "data": {"import": str(batch.public_id), "filename": batch.filename, "changes": [str(c) for c in changes]},
        }
        for investment, created, changes in touched.values()
    ]
    insert_rows(ActivityLog, entries, batch_size=WRITE_BATCH)


def funding_matches(investment_ids) -> dict[tuple, list[FundingSource]]:
    """Existing funding lines without an award identifier, by (investment, year, program)."""
    found: dict[tuple, list[FundingSource]] = defaultdict(list)
    for source in lookup_in(FundingSource.objects.filter(award_id=""), "investment_id", investment_ids):
        found[(source.investment_id, source.fiscal_year, source.program)].append(source)
    return found


def describe_preview_counts(counts: dict[str, int]) -> str:
    """The shared “3 new, 1 to update, …” with the rows this import skips, in the reader's language."""
    from django.utils.translation import ngettext

    from commontable.core.imports import describe_counts

    text = describe_counts(counts)
    skipped = counts.get(ACTION_SKIP, 0)
    if skipped:
        text += ", " + ngettext("%(n)d skipped", "%(n)d skipped", skipped) % {"n": skipped}
    return text


def money_text(cents: int | None) -> str:
    return "—" if cents is None else f"{cents / 100:,.2f}"


# -- the capital plan ---------------------------------------------------------------------------------


def _year_columns() -> tuple[Column, ...]:
    return tuple(
        Column(f"fy{year}", f"FY {year}", aliases=(str(year), f"fy_{year}", f"fiscal_year_{year}"))
        for year in YEAR_COLUMNS
    )


PROJECT_FIELDS = ("name", "kind", "stage", "sponsor", "jurisdiction", "description", "total_cost", "location",
                  "longitude", "latitude", "visibility")


class CapitalPlanImport(ImportSpec):
    kind = "capital-plan"
    label = gettext_lazy("Capital plan (investments)")
    description = gettext_lazy(
        "A city's or county's capital improvement plan: one row per project with a column per fiscal "
        "year, or one row per project and fiscal year."
    )
    permission = PERMISSION
    key_help = gettext_lazy(
        "A project is matched to an investment by the key column (the investment's short name in web "
        "addresses) or, without it, by the sponsoring agency together with the project ID."
    )
    columns = (
        Column("key", gettext_lazy("Investment short name"), max_length=80, aliases=("investment", "slug"),
               help_text=gettext_lazy("Matches an investment already on file; made from agency and project ID when blank.")),
        Column("project_id", gettext_lazy("Project ID"), max_length=60,
               aliases=("project_number", "project_no", "cip_id", "cip_number", "project_code"), example="PW-2026-014"),
        Column("sponsor", gettext_lazy("Sponsoring agency"), max_length=200,
               aliases=("sponsoring_agency", "agency", "department", "dept", "owner"), example="Minneapolis Public Works"),
        Column("name", gettext_lazy("Name"), max_length=200,
               aliases=("project_name", "project", "title", "project_title"), example="Lake Street Reconstruction"),
        Column("kind", gettext_lazy("Kind"), aliases=("type", "category", "project_type"), example="road",
               help_text=gettext_lazy("A kind of investment or a usual word for it (street, bridge, sewer, library, transit…).")),
        Column("stage", gettext_lazy("Stage"), kind="choice", choices=Stage.choices, aliases=("status", "phase"),
               example="planning"),
        Column("jurisdiction", gettext_lazy("Jurisdiction"), max_length=200, aliases=("city", "place", "ward_or_city"),
               example="Minneapolis"),
        Column("description", gettext_lazy("Description"), max_length=10000, aliases=("project_description", "scope")),
        Column("total_cost", gettext_lazy("Total cost"), max_length=40,
               aliases=("total", "total_project_cost", "estimated_cost", "cost"), example="$12,500,000"),
        Column("fiscal_year", gettext_lazy("Fiscal year"), max_length=10, aliases=("fy", "year", "budget_year"),
               example="2026"),
        Column("amount", gettext_lazy("Amount"), max_length=40,
               aliases=("funding", "funding_amount", "appropriation", "budget"), example="1,250,000"),
        Column("program", gettext_lazy("Funding program"), max_length=100,
               aliases=("funding_source", "funding_program", "source", "fund"), example="city_capital",
               help_text=gettext_lazy("Defaults to the city capital plan.")),
        Column("location", gettext_lazy("Location (GeoJSON)"), max_length=10000, aliases=("geojson", "geometry")),
        Column("longitude", gettext_lazy("Longitude"), max_length=30, aliases=("lon", "lng", "x")),
        Column("latitude", gettext_lazy("Latitude"), max_length=30, aliases=("lat", "y")),
        Column("visibility", gettext_lazy("Who sees it"), kind="choice",
               choices=[(v, label) for v, label in Visibility.choices if v != Visibility.TABLE]),
        *_year_columns(),
    )

    # -- checks of one row ------------------------------------------------------------------------
    def clean_row(self, row: Row) -> None:
        values = row.values
        key = row.get("key")
        if key is not None:
            lowered = key.strip().lower()
            values["key"] = lowered
            if not SLUG.match(lowered) or lowered in RESERVED_SLUGS:
                row.error(_("Use only lowercase letters, digits and hyphens, and not a reserved word."), "key")
        if row.has("kind"):
            try:
                values["kind"] = choice_from_words(row.get("kind"), InvestmentKind.choices, KIND_WORDS, UNKNOWN_KIND)
            except CellError as exc:
                row.error(str(exc), "kind")
        for name in ("total_cost", "amount"):
            if row.has(name):
                try:
                    values[name] = money_cents(row.get(name))
                except CellError as exc:
                    values[name] = None
                    row.error(str(exc), name)
        program = FundingProgram.CITY_CAPITAL
        if row.has("program"):
            try:
                program = choice_from_words(row.get("program"), FundingProgram.choices, PROGRAM_WORDS, UNKNOWN_PROGRAM)
            except CellError as exc:
                row.error(str(exc), "program")
        row.extra["program"] = program
        years: dict[int, int] = {}
        if row.has("fiscal_year") or row.has("amount"):
            if not (row.has("fiscal_year") and row.has("amount")):
                missing = "amount" if row.has("fiscal_year") else "fiscal_year"
                if not any(p.column in ("amount",) for p in row.errors):
                    row.error(_("A fiscal year needs its amount, and an amount its fiscal year."), missing)
            else:
                try:
                    years[fiscal_year(row.get("fiscal_year"))] = row.get("amount")
                except CellError as exc:
                    row.error(str(exc), "fiscal_year")
        for name, raw in list(values.items()):
            year = YEAR_BY_COLUMN.get(name)
            if year is None or raw is None:
                continue
            if not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
                row.error(_("The fiscal year %(year)d is outside the years %(first)d to %(last)d.")
                          % {"year": year, "first": FIRST_FISCAL_YEAR, "last": LAST_FISCAL_YEAR}, name)
                continue
            try:
                cents = money_cents(row.get(name))
            except CellError as exc:
                row.error(str(exc), name)
                continue
            if year in years:
                row.error(_("The fiscal year %(year)d is given twice in this row.") % {"year": year}, name)
            years[year] = cents
        row.extra["years"] = years
        row.extra["location"] = location_from(row)
        if key is None and not (row.has("project_id") and row.has("sponsor")):
            row.error(_("Give the sponsoring agency and the project ID (together they identify the project), "
                        "or the investment's short name in a key column."))

    # -- look-ups for the whole file -------------------------------------------------------------------
    def prepare(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        directory = Directory([r.get("sponsor") for r in rows], [r.get("jurisdiction") for r in rows])
        for row in rows:
            if row.has("sponsor"):
                org, error = directory.organization(row.get("sponsor"))
                if error:
                    row.error(error, "sponsor")
                row.extra["sponsor"] = org
            if row.has("jurisdiction"):
                place, error = directory.place(row.get("jurisdiction"))
                if error or place is None:
                    row.error(error or _("No place is called “%(name)s”; write the name or short name of a city, "
                                         "county or neighbourhood on file.") % {"name": row.get("jurisdiction")},
                              "jurisdiction")
                row.extra["jurisdiction"] = place
            if row.get("key") is None and not row.errors:
                org = row.extra.get("sponsor")
                slug = slugify(f"{org.slug if org else row.get('sponsor')} {row.get('project_id')}")[:80].strip("-")
                if not slug or slug in RESERVED_SLUGS:
                    row.error(_("No short name can be made from this agency and project ID; add a key column."), "project_id")
                row.extra["slug"] = slug
            else:
                row.extra["slug"] = row.get("key")

    def natural_key(self, row: Row) -> Hashable | None:
        slug = row.extra.get("slug")
        if not slug:
            return None
        if row.has("fiscal_year"):
            return (slug, "year", row.extra["years"] and next(iter(row.extra["years"])), row.extra["program"])
        return (slug, "project")

    def describe_key(self, key) -> str:
        if key[1] == "year":
            return _("project “%(slug)s”, fiscal year %(year)s") % {"slug": key[0], "year": key[2]}
        return _("project “%(slug)s”") % {"slug": key[0]}

    # -- what each row will do ----------------------------------------------------------------------------
    def resolve(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            groups[row.extra["slug"]].append(row)
        targets = {i.slug: i for i in lookup_in(Investment.objects.select_related("sponsor", "jurisdiction"), "slug", groups)}
        existing = funding_matches([t.pk for t in targets.values()])
        for slug, group in groups.items():
            self._resolve_project(slug, group, targets.get(slug), existing)

    def _resolve_project(self, slug: str, group: list[Row], target: Investment | None, existing) -> None:
        first = group[0]
        project: dict[str, tuple[object, Row]] = {}
        for row in group:
            for name in PROJECT_FIELDS:
                value = row.extra.get(name) if name in ("sponsor", "jurisdiction", "location") else row.get(name)
                if value is None:
                    continue
                shown = display_value(getattr(value, "geometry", value))
                if name in project and display_value(getattr(project[name][0], "geometry", project[name][0])) != shown:
                    row.error(_("Row %(row)d gives this project a different value here; every row of a project must agree.")
                              % {"row": project[name][1].number}, name)
                    continue
                project.setdefault(name, (value, row))
        if any(row.errors for row in group):
            for row in group:
                row.action = row.action or ACTION_UNCHANGED
            return
        value = {name: v for name, (v, _row) in project.items()}
        plan = {"slug": slug, "target": target, "fields": {}, "changes": [], "organizations": []}
        sponsor_text = next((row.get("sponsor") for row in group if row.has("sponsor")), None)
        if target is None:
            if "name" not in value:
                for row in group:
                    row.error(_("A new investment needs a name."), "name")
                return
            fields = {
                "name": value["name"], "kind": value.get("kind", InvestmentKind.OTHER),
                "stage": value.get("stage", Stage.PROPOSED), "description": value.get("description", ""),
                "jurisdiction": value.get("jurisdiction"), "total_cost_cents": value.get("total_cost"),
                "visibility": value.get("visibility", Visibility.MEMBERS),
            }
            if value.get("sponsor") is not None:
                fields["sponsor"] = value["sponsor"]
            elif sponsor_text:
                plan["new_sponsor"] = sponsor_text
                plan["changes"].append(_("New agency in the directory: %(name)s") % {"name": sponsor_text})
            location = value.get("location")
            if location is not None:
                fields["geometry"] = location.geometry
                fields["min_lon"], fields["min_lat"], fields["max_lon"], fields["max_lat"] = location.bbox
            plan["fields"] = fields
            plan["changes"].insert(0, _("New investment “%(name)s” (%(slug)s)") % {"name": value["name"], "slug": slug})
        else:
            self._compare(plan, target, value, sponsor_text, first)
        first.extra["investment"] = plan
        first.changes.extend(plan["changes"])
        changed_project = target is None or bool(plan["fields"]) or bool(plan.get("stage")) or bool(plan.get("new_sponsor"))
        for row in group:
            row.extra["funding"] = []
            changed = changed_project if row is first else False
            for year, cents in row.extra["years"].items():
                program = row.extra["program"]
                line = {"slug": slug, "investment": target, "fiscal_year": year, "program": program, "amount_cents": cents,
                        "award_id": "", "note": _("Capital plan")}
                matches = existing.get((target.pk, year, program), []) if target is not None else []
                if len(matches) > 1:
                    row.error(_("This investment already has %(count)d funding lines for fiscal year %(year)d from this "
                                "program; remove the extra ones on its page first.") % {"count": len(matches), "year": year})
                    continue
                if matches:
                    line["existing"] = matches[0]
                    if matches[0].amount_cents != cents:
                        line["changed"] = {"amount_cents": cents}
                        row.changes.append(_("FY %(year)d %(program)s: %(old)s → %(new)s") % {
                            "year": year, "program": FundingProgram(program).label,
                            "old": money_text(matches[0].amount_cents), "new": money_text(cents)})
                        changed = True
                    else:
                        continue
                else:
                    row.changes.append(_("FY %(year)d %(program)s: %(amount)s") % {
                        "year": year, "program": FundingProgram(program).label, "amount": money_text(cents)})
                    changed = True
                row.extra["funding"].append(line)
            if row.errors:
                continue
            if target is None and (row is first or row.extra["funding"]):
                row.action = ACTION_CREATE
            else:
                row.action = ACTION_UPDATE if changed else ACTION_UNCHANGED
        for row in group:
            if row.errors:
                row.action = row.action or ACTION_UNCHANGED

    def _compare(self, plan: dict, target: Investment, value: dict, sponsor_text, row: Row) -> None:
        fields, changes = plan["fields"], plan["changes"]

        def change(attribute, new, old, label, shown_old=None, shown_new=None):
            if new != old:
                fields[attribute] = new
                changes.append(_("%(field)s: “%(old)s” → “%(new)s”") % {
                    "field": label, "old": shown_old if shown_old is not None else display_value(old) or "—",
                    "new": shown_new if shown_new is not None else display_value(new) or "—"})

        if "name" in value:
            change("name", value["name"], target.name, _("Name"))
        if "kind" in value:
            change("kind", value["kind"], target.kind, _("Kind"))
        if "description" in value:
            change("description", value["description"], target.description, _("Description"))
        if "visibility" in value:
            change("visibility", value["visibility"], target.visibility, _("Who sees it"))
        if "total_cost" in value:
            change("total_cost_cents", value["total_cost"], target.total_cost_cents, _("Total cost"),
                   money_text(target.total_cost_cents), money_text(value["total_cost"]))
        if "jurisdiction" in value and value["jurisdiction"].pk != target.jurisdiction_id:
            change("jurisdiction", value["jurisdiction"], target.jurisdiction, _("Jurisdiction"))
        if sponsor_text:
            org = value.get("sponsor")
            if org is None:
                plan["new_sponsor"] = sponsor_text
                changes.append(_("Sponsoring agency: “%(old)s” → “%(new)s” (new in the directory)")
                               % {"old": display_value(target.sponsor) or "—", "new": sponsor_text})
            elif org.pk != target.sponsor_id:
                change("sponsor", org, target.sponsor, _("Sponsoring agency"))
        location = value.get("location")
        if location is not None and location.geometry != target.geometry:
            fields["geometry"] = location.geometry
            fields["min_lon"], fields["min_lat"], fields["max_lon"], fields["max_lat"] = location.bbox
            changes.append(_("Location changed"))
        stage = value.get("stage")
        if stage and stage != target.stage:
            if not stage_may_follow(target.stage, stage):
                allowed = [s.label for s in Stage if stage_may_follow(target.stage, s)]
                row.error(_("An investment cannot go from “%(current)s” to “%(new)s”. From here it may go to: %(allowed)s.")
                          % {"current": Stage(target.stage).label, "new": Stage(stage).label,
                             "allowed": ", ".join(str(a) for a in allowed) or "—"}, "stage")
                return
            plan["stage"] = stage
            changes.append(_("Stage: “%(old)s” → “%(new)s”") % {"old": Stage(target.stage).label, "new": Stage(stage).label})

    def write(self, rows: list[Row], *, actor, batch) -> dict[str, int]:
        return write_plans(rows, actor=actor, batch=batch)
