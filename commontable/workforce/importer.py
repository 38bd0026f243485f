"""Certified-payroll hours into `HoursRecord`s, on the shared import pipeline (ADR 3, ADR 11).

Two layouts are understood, told apart by their column names:

* **worker rows** — what contractors' certified-payroll systems export (LCPtracker-style): one row
  per worker per week with contractor, week ending, worker id, trade/classification, apprentice
  flag, gender, race/ethnicity and hours (straight time, overtime, double time, or a total).
  Rows are added up into one record per contractor, period and trade.
* **totals** — already added up: period, contractor, (trade,) total, BIPOC, women and apprentice
  hours.

Worker names, Social Security numbers and addresses are **dropped when the file is read**: they
never reach the preview, the kept copy of the file or the database. Worker ids are replaced by a
keyed one-way code (used only to check that nobody worked more than 168 hours in a week). The
kept copy is that cleaned table, not the uploaded bytes.

All column names and their aliases, and the words that mean white, unknown, female and
apprentice, are in this one module (`WORKER_COLUMNS`, `TOTALS_COLUMNS`, `NAME_HEADERS`,
`WHITE`, `UNKNOWN_RACE`, `FEMALE`, `APPRENTICE_WORDS`), documented in ADR 11.

A row's natural key is investment + contractor + period (+ trade): a file replaces, as a whole,
the contractor's records for every period it contains; the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commontable.core.imports import (
    ACTION_CREATE,
    ACTION_UNCHANGED,
    ACTION_UPDATE,
    CellError,
    Column,
    ImportSpec,
    Preview,
    Problem,
    Row,
    lookup_in,
    validate,
)
from commontable.core.numbers import to_ascii_digits
from commontable.core.tabular import Table, TabularError, read_table
from commontable.core.text import fold_name
from commontable.investments.models import Investment
from commontable.workforce.models import HUNDRED, HoursRecord
from commontable.workforce.shares import Totals, share_percent

KIND = "workforce-hours"
PERMISSION = "workforce.edit_workforce"
MAX_WEEK_HOURS = 168
LAYOUT_WORKERS, LAYOUT_TOTALS = "workers", "totals"
HOURS_TEXT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?$")

# Headers whose cells are personal and never kept (folded as `fold_header` folds them).
NAME_HEADERS = frozenset({
    "name", "worker", "worker_name", "employee", "employee_name", "full_name", "first_name", "last_name",
    "middle_name", "middle_initial", "employee_first_name", "employee_last_name", "worker_first_name",
    "worker_last_name", "ssn", "social_security_number", "social_security", "address", "home_address",
    "street_address", "phone", "email", "date_of_birth", "dob",
})
# Race/ethnicity answers that are not BIPOC; every other non-blank answer is, but these are unknown.
WHITE = frozenset({"white", "white not hispanic", "white non hispanic", "caucasian", "w", "white not hispanic or latino"})
UNKNOWN_RACE = frozenset({
    "unknown", "declined", "decline", "declined to answer", "decline to state", "prefer not to say",
    "prefer not to answer", "not specified", "not reported", "n a", "na", "none", "other unknown", "u", "?",
})
FEMALE = frozenset({"f", "female", "woman", "women", "w", "mujer", "femenino"})
APPRENTICE_WORDS = frozenset({"yes", "y", "true", "1", "x", "a", "apprentice", "apprentice yes", "trainee", "sí", "si"})
JOURNEY_WORDS = frozenset({"no", "n", "false", "0", "j", "journey", "journeyman", "journeyworker", "journey level"})

_project = Column(
    "project", gettext_lazy("Project"), max_length=300,
    aliases=("project_number", "project_name", "project_no", "project_id", "job_number", "contract_number"),
    help_text=gettext_lazy("Read, not stored: the file is imported into the investment whose page you are on."),
)
_contractor = Column(
    "contractor", gettext_lazy("Contractor"), required=True, max_length=200,
    aliases=("contractor_name", "employer", "employer_name", "company", "company_name", "subcontractor",
             "contractor_subcontractor", "firm"),
    example="Union Depot Construction Group",
)
_trade = Column(
    "trade", gettext_lazy("Trade"), max_length=120,
    aliases=("classification", "craft", "trade_classification", "job_classification", "labor_classification",
             "work_classification", "craft_classification"),
    example="Carpenter",
)
_start = Column(
    "period_start", gettext_lazy("Period start"), kind="date",
    aliases=("week_start", "week_beginning", "period_begin", "pay_period_start", "start_date", "from"),
    help_text=gettext_lazy("When blank, the week ending on the period end (six days before it)."),
)

WORKER_COLUMNS = (
    _project,
    _contractor,
    Column(
        "week_ending", gettext_lazy("Week ending"), kind="date", required=True,
        aliases=("week_ending_date", "week_end", "period_ending", "period_end", "pay_period_end",
                 "payroll_week_ending", "we_date", "week_ending_dt", "pay_period_ending"),
        example="2025-03-07",
    ),
    _start,
    Column("worker_id", gettext_lazy("Worker id"), max_length=60,
           aliases=("employee_id", "emp_id", "worker_number", "employee_number", "employee_no", "ssn_last_4",
                    "last_4_ssn", "last_four")),
    _trade,
    Column("apprentice", gettext_lazy("Apprentice"), max_length=40,
           aliases=("apprentice_flag", "is_apprentice", "apprentice_journeyman", "journey_apprentice",
                    "apprentice_journey", "level", "skill_level")),
    Column("gender", gettext_lazy("Gender"), max_length=40, aliases=("sex", "gender_identity")),
    Column("race", gettext_lazy("Race or ethnicity"), max_length=80,
           aliases=("race_ethnicity", "ethnicity", "race_and_ethnicity", "minority_status", "ethnic_group")),
    Column("hours_straight", gettext_lazy("Straight-time hours"), max_length=20,
           aliases=("straight_time", "st_hours", "regular_hours", "reg_hours", "straight_time_hours", "st")),
    Column("hours_overtime", gettext_lazy("Overtime hours"), max_length=20,
           aliases=("overtime", "ot_hours", "overtime_hours", "ot")),
    Column("hours_double", gettext_lazy("Double-time hours"), max_length=20,
           aliases=("double_time", "dt_hours", "doubletime_hours", "double_time_hours")),
    Column("hours_total", gettext_lazy("Total hours"), max_length=20,
           aliases=("total_hours", "hours", "hours_worked", "total_hours_worked", "total")),
    Column("local_resident", gettext_lazy("Local resident"), max_length=20,
           aliases=("resident", "city_resident", "local", "local_hire")),
)

TOTALS_COLUMNS = (
    _project,
    _contractor,
    _start,
    Column(
        "period_end", gettext_lazy("Period end"), kind="date", required=True,
        aliases=("week_ending", "week_ending_date", "period_ending", "pay_period_end", "end_date", "to"),
        example="2025-03-31",
    ),
    _trade,
    Column("total_hours", gettext_lazy("Total hours"), required=True, max_length=20,
           aliases=("hours_total", "hours", "total")),
    Column("bipoc_hours", gettext_lazy("BIPOC hours"), required=True, max_length=20,
           aliases=("minority_hours", "poc_hours", "bipoc", "minority")),
    Column("women_hours", gettext_lazy("Women's hours"), required=True, max_length=20,
           aliases=("female_hours", "woman_hours", "women")),
    Column("apprentice_hours", gettext_lazy("Apprentice hours"), required=True, max_length=20,
           aliases=("apprentices", "apprentice")),
    Column("apprentice_bipoc_hours", gettext_lazy("BIPOC apprentice hours"), max_length=20,
           aliases=("minority_apprentice_hours", "bipoc_apprentice_hours")),
    Column("local_hours", gettext_lazy("Local-resident hours"), max_length=20,
           aliases=("resident_hours", "local_resident_hours")),
    Column("unknown_race_hours", gettext_lazy("Hours with race unknown"), max_length=20,
           aliases=("unknown_hours", "race_unknown_hours")),
)
TOTALS_HOURS = ("total_hours", "bipoc_hours", "women_hours", "apprentice_hours",
                "apprentice_bipoc_hours", "local_hours", "unknown_race_hours")
WORKER_HOURS = ("hours_straight", "hours_overtime", "hours_double", "hours_total")
# Headers that say which layout a file is in.
TOTALS_MARKERS = frozenset({"bipoc_hours", "minority_hours", "women_hours", "female_hours", "apprentice_hours"})
WORKER_MARKERS = frozenset({"race", "race_ethnicity", "ethnicity", "gender", "sex", "hours_straight", "straight_time",
                            "st_hours", "regular_hours", "worker_id", "employee_id", "week_ending"})


def fold_header(text: str) -> str:
    """A header as it is compared: case, accents, spacing and punctuation folded (as the pipeline
    folds them)."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().rstrip("*?").strip())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[\s\-./()#]+", "_", plain).strip("_")


def fold_word(text: str) -> str:
    return " ".join(re.sub(r"[^\w?]", " ", fold_name(str(text))).split()) if text is not None else ""


def parse_hours(raw: object) -> tuple[int, list[str]]:
    """Hours as integer hundredths. Raises CellError for text, negative numbers or more than two
    decimals; returns warnings for digits written in another script."""
    warnings: list[str] = []
    if isinstance(raw, bool):
        raise CellError(_("“%(value)s” is not a number of hours.") % {"value": raw})
    if isinstance(raw, (int, float)):
        text = repr(raw) if isinstance(raw, float) else str(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "")
        ascii_text, converted = to_ascii_digits(text)
        if converted:
            warnings.append(
                _("Read as “%(converted)s”: the original “%(original)s” was written with other digits.")
                % {"converted": ascii_text, "original": text}
            )
        text = ascii_text
    if text.startswith("-") or text.startswith("("):
        raise CellError(_("Hours cannot be negative (“%(value)s”).") % {"value": raw})
    if not HOURS_TEXT.match(text) or text in ("", "."):
        raise CellError(_("“%(value)s” is not a number of hours.") % {"value": raw})
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern guards this
        raise CellError(_("“%(value)s” is not a number of hours.") % {"value": raw}) from exc
    hundredths = value * HUNDRED
    if hundredths != hundredths.to_integral_value():
        raise CellError(_("“%(value)s” has more than two decimals; hours are kept to the hundredth.") % {"value": raw})
    return int(hundredths), warnings


def worker_code(worker_id: str) -> str:
    """A worker id as a keyed one-way code: the same id gives the same code (to add up a worker's
    week), but the code does not give the id back."""
    digest = hmac.new(settings.SECRET_KEY.encode(), fold_word(worker_id).encode(), hashlib.sha256).hexdigest()
    return f"w-{digest[:10]}"


# ---------------------------------------------------------------------------------------------
# Reading a file: choose the layout, drop personal columns


@dataclass
class CleanTable:
    """A file as kept: personal columns dropped, worker ids coded."""

    table: Table
    layout: str
    dropped: list[str] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        rows = [[number, {k: _jsonable(v) for k, v in values.items()}] for number, values in self.table.rows]
        body = {"layout": self.layout, "headers": self.table.headers, "rows": rows,
                "notices": [str(n) for n in self.table.notices], "sheet": self.table.sheet, "dropped": self.dropped}
        return json.dumps(body, ensure_ascii=False, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> CleanTable:
        body = json.loads(data)
        table = Table(headers=body["headers"], rows=[(n, v) for n, v in body["rows"]], notices=body["notices"],
                      sheet=body["sheet"])
        return cls(table=table, layout=body["layout"], dropped=body["dropped"])


def _jsonable(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return str(value)


def read_clean(data: bytes, filename: str) -> CleanTable:
    """Read an upload (CSV or the first sheet of an XLSX), choose its layout and drop personal
    columns. Raises TabularError with every reason it cannot be used."""
    table = read_table(data, filename)
    folded = {fold_header(h): h for h in table.headers}
    if folded.keys() & TOTALS_MARKERS:
        layout = LAYOUT_TOTALS
    elif folded.keys() & WORKER_MARKERS:
        layout = LAYOUT_WORKERS
    else:
        raise TabularError([
            _("Row 1: these columns are not a certified-payroll export. Expected either one row per worker "
              "(%(workers)s) or totals per contractor and period (%(totals)s).")
            % {"workers": ", ".join(c.name for c in WORKER_COLUMNS if c.name != "project"),
               "totals": ", ".join(c.name for c in TOTALS_COLUMNS if c.name != "project")}
        ])
    dropped = [h for f, h in folded.items() if f in NAME_HEADERS]
    if dropped:
        table.headers = [h for h in table.headers if h not in dropped]
        for _number, values in table.rows:
            for header in dropped:
                values.pop(header, None)
    id_headers = [h for f, h in folded.items() if f in {"worker_id", *WORKER_COLUMNS[4].aliases}]
    for _number, values in table.rows:
        for header in id_headers:
            raw = values.get(header)
            if raw not in (None, "") and str(raw).strip():
                values[header] = worker_code(str(raw))
    return CleanTable(table=table, layout=layout, dropped=dropped)


# ---------------------------------------------------------------------------------------------
# The specs


@dataclass
class Report:
    """What a file says of one contractor in one period: its hours by trade."""

    employer_name: str
    employer_key: str
    start: dt.date
    end: dt.date
    trades: dict[str, Totals] = field(default_factory=dict)
    action: str = ACTION_CREATE
    existing_ids: list[int] = field(default_factory=list)
    existing: Totals | None = None
    rows: list[int] = field(default_factory=list)

    @property
    def totals(self) -> Totals:
        return sum(self.trades.values(), Totals())


class _HoursImport(ImportSpec):
    """Shared by both layouts: bound to one investment (the page the file is uploaded on), so it
    is built per request and not registered with the pipeline's registry."""

    kind = KIND
    label = gettext_lazy("Certified-payroll hours")
    permission = PERMISSION
    layout = ""
    key_help = gettext_lazy(
        "A file replaces, as a whole, each contractor's hours for every period it contains; "
        "the same file again changes nothing."
    )

    def __init__(self, investment: Investment):
        self.investment = investment
        self.reports: dict[tuple, Report] = {}

    # -- per row --------------------------------------------------------------------------------
    def _period(self, row: Row, end_column: str) -> tuple[dt.date, dt.date] | None:
        end = row.get(end_column)
        start = row.get("period_start") or (end - dt.timedelta(days=6) if end else None)
        if end is None:
            return None
        if start > end:
            row.error(_("The period starts after it ends."), "period_start")
            return None
        if (end - start).days > 31:
            row.error(_("A period is a pay week or a month: this one is %(days)d days long.") % {"days": (end - start).days + 1},
                      "period_start")
            return None
        return start, end

    def _hours(self, row: Row, name: str) -> int | None:
        if not row.has(name):
            return None
        try:
            value, warnings = parse_hours(row.values[name])
        except CellError as exc:
            row.error(str(exc), name)
            return None
        for warning in warnings:
            row.warn(warning, name)
        return value

    def _employer(self, row: Row) -> None:
        name = " ".join(str(row.get("contractor", "")).split())
        row.extra["employer_name"] = name
        row.extra["employer_key"] = fold_name(name)[:200]
        row.extra["trade"] = " ".join(str(row.get("trade", "")).split())[:120]

    def natural_key(self, row: Row) -> Hashable | None:
        if row.errors or "start" not in row.extra:
            return None
        return (row.extra["employer_key"], row.extra["start"], row.extra["end"], fold_name(row.extra["trade"]))

    def describe_key(self, key) -> str:
        employer, start, end, trade = key
        return _("%(contractor)s, %(start)s to %(end)s, trade “%(trade)s”") % {
            "contractor": employer, "start": start.isoformat(), "end": end.isoformat(), "trade": trade}

    def row_totals(self, row: Row) -> Totals:
        raise NotImplementedError

    # -- the file as a whole --------------------------------------------------------------------
    def resolve(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        reports: dict[tuple, Report] = {}
        for row in rows:
            key = (row.extra["employer_key"], row.extra["start"], row.extra["end"])
            report = reports.get(key)
            if report is None:
                report = reports[key] = Report(row.extra["employer_name"], key[0], key[1], key[2])
            trade = fold_name(row.extra["trade"])
            previous = report.trades.get(trade)
            report.trades[trade] = row.extra["totals"] if previous is None else previous + row.extra["totals"]
            report.rows.append(row.number)
            row.extra["report"] = key
        existing: dict[tuple, list[HoursRecord]] = defaultdict(list)
        starts = sorted({key[1] for key in reports})
        records = lookup_in(HoursRecord.objects.filter(investment=self.investment), "period_start", starts)
        for record in records:
            key = (record.employer_key, record.period_start, record.period_end)
            if key in reports:
                existing[key].append(record)
        for key, report in reports.items():
            found = existing.get(key, [])
            report.existing_ids = [r.pk for r in found]
            if not found:
                report.action = ACTION_CREATE
                continue
            report.existing = sum((_record_totals(r) for r in found), Totals())
            stored = {fold_name(r.trade): _record_totals(r) for r in found}
            report.action = ACTION_UNCHANGED if stored == report.trades else ACTION_UPDATE
        for row in rows:
            report = reports[row.extra["report"]]
            row.action = report.action
            if report.action == ACTION_UPDATE and row.number == report.rows[0]:
                row.changes.append(
                    ngettext(
                        "Replaces %(count)d record of this contractor for this period.",
                        "Replaces %(count)d records of this contractor for this period.",
                        len(report.existing_ids),
                    ) % {"count": len(report.existing_ids)}
                )
        self.reports = reports

    def notices(self, rows: list[Row]) -> list[str]:
        notices = []
        totals = sum((report.totals for report in self.reports.values()), Totals())
        unknown = share_percent(totals.unknown_race, totals.total)
        if unknown:
            notices.append(
                _("Race or ethnicity is unknown or declined for %(share)s%% of the hours: they count in the "
                  "total hours but not as BIPOC hours.") % {"share": unknown}
            )
        return notices

    def write(self, rows: list[Row], *, actor, batch) -> dict[str, int]:
        """Replace the records of every contractor-period that changed (one delete, one bulk
        insert). Runs inside the import's transaction."""
        changed = [r for r in self.reports.values() if r.action in (ACTION_CREATE, ACTION_UPDATE)]
        stale = [pk for r in changed for pk in r.existing_ids]
        deleted = 0
        for start in range(0, len(stale), 500):
            deleted += HoursRecord.objects.filter(pk__in=stale[start : start + 500]).delete()[0]
        organizations = _organizations_by_key({r.employer_key for r in changed})
        new = []
        trade_names = _trade_names(rows)
        for report in changed:
            for trade_key, totals in report.trades.items():
                new.append(
                    HoursRecord(
                        investment=self.investment,
                        employer_name=report.employer_name,
                        employer_key=report.employer_key,
                        organization=organizations.get(report.employer_key),
                        trade=trade_names.get((report.employer_key, report.start, report.end, trade_key), ""),
                        period_start=report.start,
                        period_end=report.end,
                        total_hundredths=totals.total,
                        bipoc_hundredths=totals.bipoc,
                        women_hundredths=totals.women,
                        apprentice_hundredths=totals.apprentice,
                        apprentice_bipoc_hundredths=totals.apprentice_bipoc,
                        local_hundredths=totals.local,
                        unknown_race_hundredths=totals.unknown_race,
                        import_batch=batch,
                        created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    )
                )
        for record in new:
            record.full_clean(exclude=["employer_key", "investment", "import_batch", "organization", "created_by"],
                              validate_unique=False, validate_constraints=False)
        HoursRecord.objects.bulk_create(new, batch_size=500)
        return {"periods_replaced": sum(1 for r in changed if r.existing_ids),
                "periods_new": sum(1 for r in changed if not r.existing_ids),
                "records_deleted": deleted, "records_created": len(new)}


def _record_totals(record: HoursRecord) -> Totals:
    return Totals(
        total=record.total_hundredths, bipoc=record.bipoc_hundredths, women=record.women_hundredths,
        apprentice=record.apprentice_hundredths, apprentice_bipoc=record.apprentice_bipoc_hundredths,
        local=record.local_hundredths, unknown_race=record.unknown_race_hundredths,
    )


def _trade_names(rows: list[Row]) -> dict[tuple, str]:
    names = {}
    for row in rows:
        key = (row.extra["employer_key"], row.extra["start"], row.extra["end"], fold_name(row.extra["trade"]))
        names.setdefault(key, row.extra["trade"])
    return names


def _organizations_by_key(keys: set[str]) -> dict:
    """Directory organisations whose folded name is exactly a contractor's (only unambiguous ones)."""
    from commontable.directory.models import Organization

    found: dict[str, list] = defaultdict(list)
    for org in lookup_in(Organization.objects.all(), "name_folded", sorted(keys)):
        found[org.name_folded].append(org)
    return {key: orgs[0] for key, orgs in found.items() if len(orgs) == 1}


class WorkerRowsImport(_HoursImport):
    """One row per worker per week, as certified-payroll systems export them."""

    layout = LAYOUT_WORKERS
    description = gettext_lazy("One row per worker per week (certified payroll), added up per contractor, week and trade.")
    columns = WORKER_COLUMNS

    def clean_row(self, row: Row) -> None:
        self._employer(row)
        period = self._period(row, "week_ending")
        parts = {name: self._hours(row, name) for name in WORKER_HOURS}
        if row.errors or period is None:
            return
        split = [parts[n] for n in ("hours_straight", "hours_overtime", "hours_double") if parts[n] is not None]
        total = parts["hours_total"]
        if total is None and not split:
            row.error(_("The row has no hours: fill straight-time and overtime hours, or total hours."))
            return
        if total is None:
            total = sum(split)
        elif split and sum(split) != total:
            row.error(
                _("Total hours (%(total)s) are not straight time plus overtime plus double time (%(sum)s).")
                % {"total": _h(total), "sum": _h(sum(split))}, "hours_total")
            return
        if total > MAX_WEEK_HOURS * HUNDRED:
            row.error(_("%(hours)s hours in one week is more than the %(max)d hours a week has.")
                      % {"hours": _h(total), "max": MAX_WEEK_HOURS}, "hours_total" if parts["hours_total"] is not None else "hours_straight")
            return
        race = fold_word(row.get("race", ""))
        unknown = not race or race in UNKNOWN_RACE
        bipoc = not unknown and race not in WHITE
        woman = fold_word(row.get("gender", "")) in FEMALE
        apprentice = self._apprentice(row)
        if apprentice is None:
            return
        local = None
        if "local_resident" in row.values:
            word = fold_word(row.get("local_resident", ""))
            local = word in APPRENTICE_WORDS - {"a", "apprentice", "apprentice yes", "trainee"}
        row.extra["start"], row.extra["end"] = period
        row.extra["worker"] = row.get("worker_id")
        row.extra["totals"] = Totals(
            total=total,
            bipoc=total if bipoc else 0,
            women=total if woman else 0,
            apprentice=total if apprentice else 0,
            apprentice_bipoc=(total if (apprentice and bipoc) else 0),
            local=None if local is None else (total if local else 0),
            unknown_race=total if unknown else 0,
        )

    def _apprentice(self, row: Row) -> bool | None:
        word = fold_word(row.get("apprentice", ""))
        if not word or word in JOURNEY_WORDS or word.startswith("journey"):
            return False
        if word in APPRENTICE_WORDS or word.startswith("apprentice") or re.match(r"^(?:a|app)\s*\d", word):
            return True
        row.error(_("“%(value)s” is not a yes/no answer or “apprentice”/“journeyworker”.") % {"value": row.get("apprentice")},
                  "apprentice")
        return None

    def natural_key(self, row: Row) -> Hashable | None:
        # Several rows make one record: a worker may have lines in two trades the same week.
        return None

    def prepare(self, rows: list[Row], *, companions) -> None:
        """No one works more than 168 hours in a week, whatever the lines and contractors."""
        weeks: dict[tuple, list[Row]] = defaultdict(list)
        for row in rows:
            if not row.errors and row.extra.get("worker") and "totals" in row.extra:
                weeks[(row.extra["worker"], row.extra["end"])].append(row)
        for (_worker, end), found in weeks.items():
            total = sum(r.extra["totals"].total for r in found)
            if len(found) > 1 and total > MAX_WEEK_HOURS * HUNDRED:
                numbers = ", ".join(str(r.number) for r in found)
                for row in found:
                    row.error(
                        _("This worker has %(hours)s hours in the week ending %(end)s (rows %(rows)s): more than "
                          "the %(max)d hours a week has.")
                        % {"hours": _h(total), "end": end.isoformat(), "rows": numbers, "max": MAX_WEEK_HOURS},
                        "worker_id",
                    )

    def notices(self, rows: list[Row]) -> list[str]:
        return [
            _("Worker names are never stored: name, Social Security number and address columns are dropped "
              "when the file is read, and worker ids are kept only as a one-way code (to check hours per week)."),
            *super().notices(rows),
        ]


class TotalsImport(_HoursImport):
    """Hours already added up per contractor and period (and trade)."""

    layout = LAYOUT_TOTALS
    description = gettext_lazy("Total, BIPOC, women and apprentice hours per contractor and period.")
    columns = TOTALS_COLUMNS

    def clean_row(self, row: Row) -> None:
        self._employer(row)
        period = self._period(row, "period_end")
        values = {name: self._hours(row, name) for name in TOTALS_HOURS}
        if row.errors or period is None:
            return
        total = values["total_hours"]
        for name in TOTALS_HOURS[1:]:
            if values[name] is not None and values[name] > total:
                row.error(_("%(hours)s hours is more than the total hours (%(total)s).")
                          % {"hours": _h(values[name]), "total": _h(total)}, name)
        if values["apprentice_bipoc_hours"] is not None and values["apprentice_bipoc_hours"] > (values["apprentice_hours"] or 0):
            row.error(_("BIPOC apprentice hours cannot be more than apprentice hours."), "apprentice_bipoc_hours")
        if row.errors:
            return
        row.extra["start"], row.extra["end"] = period
        row.extra["totals"] = Totals(
            total=total, bipoc=values["bipoc_hours"] or 0, women=values["women_hours"] or 0,
            apprentice=values["apprentice_hours"] or 0, apprentice_bipoc=values["apprentice_bipoc_hours"],
            local=values["local_hours"], unknown_race=values["unknown_race_hours"],
        )


def _h(hundredths: int) -> str:
    value = Decimal(hundredths) / HUNDRED
    return f"{value:.2f}".rstrip("0").rstrip(".")


SPECS = {LAYOUT_WORKERS: WorkerRowsImport, LAYOUT_TOTALS: TotalsImport}


# ---------------------------------------------------------------------------------------------
# Checking a file


@dataclass
class HoursPreview:
    """A checked file: the pipeline's preview (rows, problems), the layout, what was dropped and
    what each contractor-period will become."""

    preview: Preview
    layout: str = ""
    dropped: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    clean: CleanTable | None = None

    @property
    def has_errors(self) -> bool:
        return self.preview.has_errors

    @property
    def periods(self) -> list[tuple[dt.date, dt.date, Totals]]:
        """Totals per period across contractors, as they will be after applying."""
        by_period: dict[tuple, Totals] = {}
        for report in self.reports:
            key = (report.start, report.end)
            by_period[key] = by_period.get(key, Totals()) + report.totals
        return [(start, end, totals) for (start, end), totals in sorted(by_period.items())]


def check_table(investment: Investment, clean: CleanTable, filename: str) -> HoursPreview:
    """Check a cleaned table against the investment's records. Writes nothing."""
    spec = SPECS[clean.layout](investment)
    preview = validate(spec, clean.table, filename=filename)
    if clean.dropped:
        preview.notices.insert(
            0, _("Dropped when the file was read, never stored: %(columns)s.")
            % {"columns": ", ".join(f"“{h}”" for h in clean.dropped)})
    reports = sorted(spec.reports.values(), key=lambda r: (r.start, r.employer_name.casefold()))
    return HoursPreview(preview=preview, layout=clean.layout, dropped=clean.dropped, reports=reports, clean=clean)


def check_file(investment: Investment, data: bytes, filename: str) -> HoursPreview:
    """Read and check an uploaded file; a file that cannot be read at all has only file errors."""
    try:
        clean = read_clean(data, filename)
    except TabularError as exc:
        preview = Preview(spec=TotalsImport(investment), filename=filename)
        preview.file_errors = [Problem(message) for message in exc.messages]
        return HoursPreview(preview=preview)
    return check_table(investment, clean, filename)
