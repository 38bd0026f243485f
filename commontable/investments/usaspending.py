"""Award records from USAspending.gov: THE one place that maps its column names to our fields.

The file is the award-level ("Prime Award Summaries") CSV of USAspending's Award Download
(`Assistance_PrimeAwardSummaries_…csv` for grants, `Contracts_PrimeAwardSummaries_…csv` for
contracts), saved as CSV or XLSX. The column names below were checked against USAspending's own
source, not guessed:

- fedspendingtransparency/usaspending-api, `usaspending_api/download/v2/download_column_historical_lookups.py`
  (commit 6a5ae31893962d74128b38788820f04a83d111b2), `query_paths["award"]["d2"]` (assistance) and
  `["d1"]` (contracts): `assistance_award_unique_key`, `contract_award_unique_key`,
  `award_id_fain`, `award_id_uri`, `award_id_piid`, `total_obligated_amount`,
  `award_base_action_date_fiscal_year`, `award_latest_action_date_fiscal_year`,
  `awarding_agency_name`, `awarding_sub_agency_name`, `recipient_name`,
  `primary_place_of_performance_city_name`, `prime_award_summary_place_of_performance_county_fips_code`,
  `primary_place_of_performance_county_name`, `prime_award_summary_place_of_performance_state_fips_code`,
  `primary_place_of_performance_state_name`, `primary_place_of_performance_state_code` (contracts
  only: the assistance summary has no state code, only the state's FIPS code and name),
  `cfda_numbers_and_titles` ("20.500: FEDERAL TRANSIT CAPITAL INVESTMENT GRANTS", several joined by
  "; "), `assistance_type_description`, `prime_award_base_transaction_description`,
  `usaspending_permalink`, and the disaster/emergency fund codes, whose award-level header is
  `disaster_emergency_fund_codes` (the list's `"disaster_emergency_fund_codes" +
  NAMING_CONFLICT_DISCRIMINATOR`, the suffix being removed from the final SQL by
  `download/filestreaming/download_generation.py`); values look like "Z: Infrastructure Investment
  and Jobs Act; Q: Excluded from tracking".
- The transaction-level files ("Prime Transactions") name some of the same things differently:
  `disaster_emergency_fund_codes_for_overall_award`, `action_date_fiscal_year`, `cfda_number`,
  `cfda_title` (same module, `query_paths["transaction_search"]`). They are accepted as aliases,
  so either download imports.
- Disaster and emergency fund codes: "Z" (Emergency P.L. 117-58) and "1" (Non-emergency P.L.
  117-58) are the Infrastructure Investment and Jobs Act — fedspendingtransparency/usaspending-website,
  `src/js/dataMapping/search/defCodes.js` (commit 0975999d1a5f6df766f7e36f38e74143737c4814),
  `defCodeGroups.infrastructure = ['Z', '1']`. We found no fund code for the Inflation Reduction
  Act (P.L. 117-169) in those sources, so IRA money is NOT detected from the file: it is imported
  as "other federal program" with its assistance listing in the note, for staff to reclassify.

How a row maps:

| USAspending | Common Table |
|---|---|
| `assistance_award_unique_key` / `contract_award_unique_key` | `FundingSource.award_id` — the key that makes re-importing idempotent |
| `total_obligated_amount` | `FundingSource.amount_cents` (negative → error) |
| `award_base_action_date_fiscal_year` (else latest, else `action_date_fiscal_year`) | `FundingSource.fiscal_year` |
| DEF codes Z or 1 → IIJA; sub-agency Federal Transit Administration → federal transit grant; else other federal | `FundingSource.program` |
| `cfda_numbers_and_titles` (or `cfda_number`/`cfda_title`), DEF codes, `usaspending_permalink` | `FundingSource.note` |
| `awarding_agency_name` | the new investment's sponsor (an agency counterpart, created if missing) |
| `recipient_name` | an organisation engaged in the investment, when the directory has one by that name |
| place of performance city (else county) | the new investment's jurisdiction, when it is a place on file |
| `prime_award_base_transaction_description` | the new investment's name and description |

Which investment an award goes to (the simplest honest rule, ADR 12): an award already on file
(same award key) updates its funding line where it is; otherwise the row's `investment` column,
if the file has one, names an existing investment by its short name; otherwise the award becomes a
new investment of its own (kind "other", stage "funded"), which staff can later merge or describe.
Rows whose place of performance is outside the region (another state, or a county that is not
one of the region's) are shown as skipped with the reason and are not imported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commontable.core.imports import (
    ACTION_CREATE,
    ACTION_UNCHANGED,
    ACTION_UPDATE,
    CellError,
    Column,
    ImportSpec,
    Preview,
    Row,
    lookup_in,
)
from commontable.core.models import Place
from commontable.core.text import fold_name
from commontable.core.visibility import Visibility
from commontable.investments.choices import FundingProgram, InvestmentKind, Stage
from commontable.investments.imports import (
    ACTION_SKIP,
    PERMISSION,
    Directory,
    fiscal_year,
    money_cents,
    money_text,
    write_plans,
)
from commontable.investments.models import FundingSource, Investment
from commontable.investments.services import RESERVED_SLUGS

IIJA_CODES = frozenset({"Z", "1"})
FTA_NAMES = frozenset({"federal transit administration"})
# USPS codes by state FIPS code, to compare a contract's state code with the region's state.
_POSTAL_TEXT = (
    "01:AL 02:AK 04:AZ 05:AR 06:CA 08:CO 09:CT 10:DE 11:DC 12:FL 13:GA 15:HI 16:ID 17:IL 18:IN 19:IA 20:KS "
    "21:KY 22:LA 23:ME 24:MD 25:MA 26:MI 27:MN 28:MS 29:MO 30:MT 31:NE 32:NV 33:NH 34:NJ 35:NM 36:NY "
    "37:NC 38:ND 39:OH 40:OK 41:OR 42:PA 44:RI 45:SC 46:SD 47:TN 48:TX 49:UT 50:VT 51:VA 53:WA 54:WV "
    "55:WI 56:WY 72:PR"
)
STATE_POSTAL = dict(pair.split(":") for pair in _POSTAL_TEXT.split(" "))


def _text(name: str, label, max_length: int = 1000, aliases: tuple[str, ...] = (), help_text="") -> Column:
    return Column(name, label, max_length=max_length, aliases=aliases, help_text=help_text)


# The USAspending columns this import reads, by their real names; every other column is ignored.
COLUMNS = (
    _text("assistance_award_unique_key", gettext_lazy("Award key (assistance)"), 200,
          help_text=gettext_lazy("Or contract_award_unique_key: one of the two identifies the award.")),
    _text("contract_award_unique_key", gettext_lazy("Award key (contract)"), 200),
    _text("award_id_fain", gettext_lazy("Federal award identification number (FAIN)"), 100),
    _text("award_id_uri", gettext_lazy("Unique record identifier (URI)"), 100),
    _text("award_id_piid", gettext_lazy("Procurement identifier (PIID)"), 100),
    _text("total_obligated_amount", gettext_lazy("Total obligated amount"), 40),
    _text("award_base_action_date_fiscal_year", gettext_lazy("Fiscal year of the award"), 10),
    _text("award_latest_action_date_fiscal_year", gettext_lazy("Fiscal year of the latest action"), 10,
          aliases=("action_date_fiscal_year",)),
    _text("disaster_emergency_fund_codes", gettext_lazy("Disaster and emergency fund codes"), 2000,
          aliases=("disaster_emergency_fund_codes_for_overall_award",)),
    _text("awarding_agency_name", gettext_lazy("Awarding agency"), 200),
    _text("awarding_sub_agency_name", gettext_lazy("Awarding sub-agency"), 200),
    _text("recipient_name", gettext_lazy("Recipient"), 200),
    _text("cfda_numbers_and_titles", gettext_lazy("Assistance listings (CFDA)"), 2000),
    _text("cfda_number", gettext_lazy("Assistance listing number (CFDA)"), 20),
    _text("cfda_title", gettext_lazy("Assistance listing title (CFDA)"), 500),
    _text("assistance_type_description", gettext_lazy("Assistance type"), 200, aliases=("award_type",)),
    _text("prime_award_base_transaction_description", gettext_lazy("Award description"), 4000),
    _text("primary_place_of_performance_city_name", gettext_lazy("Place of performance: city"), 200),
    _text("primary_place_of_performance_county_name", gettext_lazy("Place of performance: county"), 200),
    _text("prime_award_summary_place_of_performance_county_fips_code",
          gettext_lazy("Place of performance: county FIPS code"), 10,
          aliases=("prime_award_transaction_place_of_performance_county_fips_code",)),
    _text("prime_award_summary_place_of_performance_state_fips_code",
          gettext_lazy("Place of performance: state FIPS code"), 10,
          aliases=("prime_award_transaction_place_of_performance_state_fips_code",)),
    _text("primary_place_of_performance_state_code", gettext_lazy("Place of performance: state code"), 10),
    _text("primary_place_of_performance_state_name", gettext_lazy("Place of performance: state"), 100),
    _text("usaspending_permalink", gettext_lazy("USAspending.gov page"), 500),
    # Ours, not USAspending's: attach the award to an investment on file.
    _text("investment", gettext_lazy("Investment short name (ours, optional)"), 80,
          help_text=gettext_lazy("Add this column to attach an award to an investment on file; "
                                 "otherwise each new award becomes an investment of its own.")),
)


def award_key(row: Row) -> str | None:
    return row.get("assistance_award_unique_key") or row.get("contract_award_unique_key")


def defc_codes(text: str | None) -> list[str]:
    """"Z: Infrastructure Investment and Jobs Act; Q: Excluded from tracking" → ["Z", "Q"]."""
    if not text:
        return []
    return [part.split(":", 1)[0].strip().upper() for part in str(text).split(";") if part.strip()]


def program_for(row: Row) -> str:
    """IIJA when a fund code says so; a transit grant when the FTA awarded it; else other federal."""
    if IIJA_CODES & set(defc_codes(row.get("disaster_emergency_fund_codes"))):
        return FundingProgram.IIJA
    if fold_name(row.get("awarding_sub_agency_name", "")) in FTA_NAMES:
        return FundingProgram.FEDERAL_TRANSIT
    return FundingProgram.FEDERAL_OTHER


def listings(row: Row) -> str:
    if row.has("cfda_numbers_and_titles"):
        return row.get("cfda_numbers_and_titles")
    return ": ".join(v for v in (row.get("cfda_number"), row.get("cfda_title")) if v)


def note_for(row: Row) -> str:
    """What the funding line keeps of the award that has no field of its own."""
    parts = []
    if listings(row):
        parts.append(_("Assistance listing: %(listing)s") % {"listing": listings(row)})
    if row.has("disaster_emergency_fund_codes"):
        parts.append(_("Fund codes: %(codes)s") % {"codes": ", ".join(defc_codes(row.get("disaster_emergency_fund_codes")))})
    if row.has("usaspending_permalink"):
        parts.append(row.get("usaspending_permalink"))
    return "; ".join(parts)[:500]


class Region:
    """The coalition's region as places on file: the region's state and its counties."""

    def __init__(self) -> None:
        region = Place.objects.filter(kind=Place.Kind.REGION).select_related("parent").first()
        self.defined = region is not None
        state = region.parent if region is not None and region.parent and region.parent.kind == Place.Kind.STATE else None
        self.state_fips = (state.code if state else "").zfill(2) if state and state.code else ""
        self.state_name = fold_name(state.name) if state else ""
        self.state_postal = STATE_POSTAL.get(self.state_fips, "")
        counties = list(Place.objects.filter(kind=Place.Kind.COUNTY, parent=region)) if region else []
        self.county_codes = {c.code.zfill(5): c for c in counties if c.code}
        self.county_names = {fold_name(c.name).removesuffix(" county"): c for c in counties}

    def outside(self, row: Row) -> str | None:
        """Why the award's place of performance is outside the region, or None when it is inside."""
        if not self.defined:
            return None
        state_code = (row.get("primary_place_of_performance_state_code") or "").strip().upper()
        state_fips = (row.get("prime_award_summary_place_of_performance_state_fips_code") or "").strip()
        state_name = fold_name(row.get("primary_place_of_performance_state_name") or "")
        if state_code and self.state_postal and state_code != self.state_postal:
            return _("Skipped: performed in another state (%(state)s).") % {"state": state_code}
        if state_fips and self.state_fips and state_fips.zfill(2) != self.state_fips:
            return _("Skipped: performed in another state (FIPS %(state)s).") % {"state": state_fips}
        if state_name and self.state_name and state_name != self.state_name:
            return _("Skipped: performed in another state (%(state)s).") % {"state": row.get("primary_place_of_performance_state_name")}
        if not (state_code or state_fips or state_name):
            return _("Skipped: the file does not say in which state the award is performed.")
        if self.county_codes or self.county_names:
            county = self.county(row)
            if county is None:
                name = row.get("primary_place_of_performance_county_name") or row.get(
                    "prime_award_summary_place_of_performance_county_fips_code")
                if not name:
                    return _("Skipped: no county of performance is given (a statewide award), so it cannot be placed in the region.")
                return _("Skipped: performed in %(county)s, which is not one of the region's counties.") % {"county": name}
        return None

    def county(self, row: Row) -> Place | None:
        code = (row.get("prime_award_summary_place_of_performance_county_fips_code") or "").strip()
        if code.isdigit():
            if len(code) <= 3 and self.state_fips:
                code = self.state_fips + code.zfill(3)
            if code.zfill(5) in self.county_codes:
                return self.county_codes[code.zfill(5)]
        name = fold_name(row.get("primary_place_of_performance_county_name") or "").removesuffix(" county")
        return self.county_names.get(name) if name else None


class UsaspendingImport(ImportSpec):
    kind = "usaspending"
    label = gettext_lazy("Federal awards from USAspending.gov")
    description = gettext_lazy(
        "The award-level CSV of USAspending.gov's award download (prime award summaries, grants or "
        "contracts), as downloaded: columns in any order, other columns ignored."
    )
    permission = PERMISSION
    key_help = gettext_lazy(
        "An award is matched by its award key (assistance_award_unique_key or contract_award_unique_key): "
        "an award already on file updates its funding line; otherwise it goes to the investment named in an "
        "“investment” column, or becomes a new investment. Awards performed outside the region are skipped."
    )
    columns = COLUMNS

    def clean_row(self, row: Row) -> None:
        if not award_key(row):
            row.error(_("The award key is missing (assistance_award_unique_key or contract_award_unique_key)."))
        if row.has("investment"):
            row.values["investment"] = row.get("investment").strip().lower()

    def prepare(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        region = Region()
        for row in rows:
            row.extra["region_defined"] = region.defined
            reason = region.outside(row)
            row.extra["skip"] = reason
            row.extra["county"] = None if reason else region.county(row)
            if reason or row.errors:
                continue
            self._check(row)

    def _check(self, row: Row) -> None:
        """The cells that matter once the award is known to be in the region."""
        if not row.has("total_obligated_amount"):
            row.error(_("This column must not be blank."), "total_obligated_amount")
        else:
            try:
                row.extra["amount"] = money_cents(row.get("total_obligated_amount"))
            except CellError as exc:
                row.error(str(exc), "total_obligated_amount")
        for name in ("award_base_action_date_fiscal_year", "award_latest_action_date_fiscal_year"):
            if row.has(name):
                try:
                    row.extra["year"] = fiscal_year(row.get(name))
                except CellError as exc:
                    row.error(str(exc), name)
                break
        else:
            row.error(_("The award's fiscal year is missing (award_base_action_date_fiscal_year)."))
        if not row.has("awarding_agency_name") and not row.has("investment"):
            row.error(_("This column must not be blank."), "awarding_agency_name")

    def natural_key(self, row: Row) -> Hashable | None:
        return award_key(row)

    def describe_key(self, key) -> str:
        return _("award “%(key)s”") % {"key": key}

    def notices(self, rows: list[Row]) -> list[str]:
        if rows and not rows[0].extra.get("region_defined", True):
            return [_("No region is defined among the places, so no award was skipped as outside it.")]
        return []

    def resolve(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        for row in rows:
            if row.extra.get("skip"):
                row.action = ACTION_SKIP
                row.warn(row.extra["skip"])
        rows = [row for row in rows if not row.extra.get("skip")]
        keys = [award_key(row) for row in rows]
        on_file: dict[str, list[FundingSource]] = defaultdict(list)
        for source in lookup_in(FundingSource.objects.select_related("investment"), "award_id", keys):
            on_file[source.award_id].append(source)
        named = {i.slug: i for i in lookup_in(Investment.objects.all(), "slug", [r.get("investment") for r in rows])}
        new_slugs = {slugify(f"award-{k}")[:80].strip("-") for k in keys}
        taken = set(Investment.objects.filter(slug__in=new_slugs).values_list("slug", flat=True))
        directory = Directory(
            [r.get("awarding_agency_name") for r in rows] + [r.get("recipient_name") for r in rows], place_texts=[])
        for row in rows:
            self._resolve_row(row, on_file.get(award_key(row), []), named, taken, directory)

    def _resolve_row(self, row: Row, sources: list[FundingSource], named: dict, taken: set, directory: Directory) -> None:
        key = award_key(row)
        program, note, year, cents = program_for(row), note_for(row), row.extra["year"], row.extra["amount"]
        line = {"award_id": key[:100], "program": program, "fiscal_year": year, "amount_cents": cents, "note": note}
        if len(sources) > 1:
            row.error(_("%(count)d funding lines already carry this award key; remove the extra ones first.")
                      % {"count": len(sources)})
            return
        if sources:
            source = sources[0]
            changed = {name: line[name] for name in ("program", "fiscal_year", "amount_cents", "note")
                       if getattr(source, name) != line[name]}
            line.update(slug=source.investment.slug, investment=source.investment, existing=source, changed=changed)
            row.extra["funding"] = [line]
            row.action = ACTION_UPDATE if changed else ACTION_UNCHANGED
            for name, value in changed.items():
                old = getattr(source, name)
                if name == "amount_cents":
                    old, value = money_text(old), money_text(value)
                row.changes.append(_("%(field)s: “%(old)s” → “%(new)s”") % {
                    "field": FundingSource._meta.get_field(name).verbose_name, "old": old or "—", "new": value or "—"})
            if changed:
                row.changes.insert(0, _("Award on file, on “%(name)s”") % {"name": source.investment.name})
            return
        if row.has("investment"):
            target = named.get(row.get("investment"))
            if target is None:
                row.error(_("No investment has the short name “%(slug)s”.") % {"slug": row.get("investment")}, "investment")
                return
            line.update(slug=target.slug, investment=target)
            row.extra["funding"] = [line]
            row.action = ACTION_UPDATE
            row.changes.append(_("New funding line on “%(name)s”: FY %(year)d, %(amount)s")
                               % {"name": target.name, "year": year, "amount": money_text(cents)})
            return
        slug = slugify(f"award-{key}")[:80].strip("-")
        if slug in taken or slug in RESERVED_SLUGS:
            row.error(_("An investment already has the short name “%(slug)s”; add an investment column to say "
                        "where this award belongs.") % {"slug": slug})
            return
        self._new_investment(row, slug, line, directory)

    def _new_investment(self, row: Row, slug: str, line: dict, directory: Directory) -> None:
        key = award_key(row)
        description = row.get("prime_award_base_transaction_description", "")
        title = (description or listings(row) or key).strip()
        name = title if len(title) <= 200 else title[:199] + "…"
        fields = {
            "name": name, "kind": InvestmentKind.OTHER, "stage": Stage.FUNDED, "description": description[:10000],
            "visibility": Visibility.MEMBERS, "jurisdiction": self._jurisdiction(row, directory),
        }
        plan = {"slug": slug, "target": None, "fields": fields, "organizations": [],
                "changes": [_("New investment “%(name)s” (%(slug)s)") % {"name": name, "slug": slug}]}
        agency = row.get("awarding_agency_name")
        org, error = directory.organization(agency)
        if error:
            row.error(error, "awarding_agency_name")
            return
        if org is not None:
            fields["sponsor"] = org
        else:
            plan["new_sponsor"] = agency
            plan["changes"].append(_("New agency in the directory: %(name)s") % {"name": agency})
        if row.has("recipient_name"):
            recipient, _error = directory.organization(row.get("recipient_name"))
            if recipient is not None:
                plan["organizations"].append(recipient.pk)
                plan["changes"].append(_("Engaged organization: %(name)s") % {"name": recipient.name})
        line.update(slug=slug, investment=None)
        row.extra["investment"] = plan
        row.extra["funding"] = [line]
        row.changes.extend(plan["changes"])
        row.changes.append(_("Funding: %(program)s, FY %(year)d, %(amount)s") % {
            "program": FundingProgram(line["program"]).label, "year": line["fiscal_year"],
            "amount": money_text(line["amount_cents"])})
        row.action = ACTION_CREATE

    def _jurisdiction(self, row: Row, directory: Directory) -> Place | None:
        if row.has("primary_place_of_performance_city_name"):
            place, _error = directory.place(row.get("primary_place_of_performance_city_name"), kinds={Place.Kind.CITY})
            if place is not None:
                return place
        return row.extra.get("county")

    def write(self, rows: list[Row], *, actor, batch) -> dict[str, int]:
        return write_plans(rows, actor=actor, batch=batch)
