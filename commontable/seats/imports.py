"""Imports of public bodies and their seats (CSV or XLSX), declared to the shared pipeline of
`core.imports`: upload → preview with every row's problems → apply all or nothing, one audit entry.

**Bodies** (`seats-bodies`) are matched by their short name (`slug`); a row without one is matched
by its name (ignoring case, accents and punctuation) within its jurisdiction. A jurisdiction is a
place on file, by short name or exact name; topics are issue topics by short name or name. The
meeting schedule is checked with the same rules as the body form (`services._check_body`), on the
body as it will be once the row is applied.

**Seats** (`seats-seats`) are matched by their body's short name and the seat's name. A row may
also record a holder's term (name and/or email of someone in the directory, start, end, last day
served): one row per term, so a seat's history of holders takes several rows, which must agree on
the seat's own columns. Every term is checked with `terms.check` against the seat's stored terms
and the file's other terms for the same seat, so overlapping terms, a term ending before it
starts or a holder on a full seat are each refused with the other holder's name and dates. A term
already recorded (same start, same holder) is unchanged, or updated where the file gives a new end
or last day served. A dissolved body's seats take no new terms. After writing, the touched seats'
`occupied_until` and `fills_vacancy` figures are worked out again in bulk (`terms.occupancy`).

A seats workbook may carry a "Public bodies" sheet: its bodies are written first, and seats may
name them. A blank cell never erases what is stored, with one exception: a deadline kind that takes
no date (rolling, open until filled) clears the stored deadline date, which belonged to the old kind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Hashable
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commontable.core import deadlines
from commontable.core.deadlines import DeadlineKind
from commontable.core.imports import (
    ACTION_CREATE,
    ACTION_UNCHANGED,
    ACTION_UPDATE,
    WRITE_BATCH,
    Column,
    ImportSpec,
    Preview,
    Row,
    display_value,
    lookup_in,
)
from commontable.core.models import IssueTopic, Place
from commontable.core.numbers import to_ascii_digits
from commontable.core.schedule import DEFAULT_ZONE
from commontable.core.text import fold_name
from commontable.core.visibility import Visibility
from commontable.directory.models import Person
from commontable.seats import services, terms
from commontable.seats.choices import BodyKind, MeetingFrequency, SeatType
from commontable.seats.models import MAX_MEETING_INTERVAL, MAX_TERM_MONTHS, PublicBody, Seat, Term

PERMISSION = "seats.manage"
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"new"})  # path segments of the seats pages
BODY_KIND = "seats-bodies"
SEAT_KIND = "seats-seats"

WEEKDAY_WORDS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3,
    "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
WEEK_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
              "last": -1}
LIST_SPLIT = re.compile(r"[,;/\s]+")
# A time cell a spreadsheet kept with its (meaningless) day: "1899-12-30 18:00:00".
DAY_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]")
TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(?::(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$")


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _shown(value) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return display_value(value) or "—"


def _visibility_choices():
    # A body cannot be kept to one table (a database rule): public, members or staff.
    return [(v, label) for v, label in Visibility.choices if v != Visibility.TABLE]


def _changed(row: Row, label, old, new) -> None:
    row.changes.append(_("%(field)s: “%(old)s” → “%(new)s”") % {"field": label, "old": _shown(old), "new": _shown(new)})


def _locked(queryset, **options):
    """Rows read to decide what to write are locked while an import is applied (inside its
    transaction), as the services lock a seat before recording a term; a preview locks nothing."""
    if transaction.get_connection().in_atomic_block:
        return queryset.select_for_update(**options)
    return queryset


# -- cells the shared parser has no kind for ------------------------------------------------------


def parse_time(text: str) -> dt.time:
    """18:00, 18:00:00, 6 pm, 6:30pm, 6:30 p.m. → a time; ValueError otherwise."""
    found = TIME.match(DAY_PREFIX.sub("", to_ascii_digits(text.strip().lower())[0]))
    if not found:
        raise ValueError(text)
    hour, minute, second = int(found[1]), int(found[2] or 0), int(found[3] or 0)
    if found[4]:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if found[4] == "p" else 0)
    return dt.time(hour, minute, second)  # ValueError when out of range


def parse_numbers(text: str, words: dict[str, int]) -> str:
    """“Monday, Wednesday” or “0,2” (or “1st; last”) → “0,2” as the body stores it. Numbers are
    kept as written for `services._check_body` to judge; an unknown word raises ValueError."""
    values: list[int] = []
    for part in LIST_SPLIT.split(to_ascii_digits(text.strip().lower())[0]):
        if not part or part == "and":
            continue
        if part in words:
            value = words[part]
        else:
            try:
                value = int(part)
            except ValueError:
                raise ValueError(part) from None
        if value not in values:
            values.append(value)
    return ",".join(str(v) for v in sorted(values))


class PlaceFinder:
    """Places named in a file, found with two queries: by short name, then by exact name."""

    def __init__(self, texts):
        texts = {str(t).strip() for t in texts if t}
        self.by_slug = {
            p.slug: p
            for p in lookup_in(Place.objects.only("id", "slug", "name"), "slug",
                               {t.lower() for t in texts} | {slugify(t) for t in texts})
        }
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        for place in lookup_in(Place.objects.only("id", "slug", "name"), "name", texts):
            self.by_name[place.name].append(place)

    def find(self, text: str) -> tuple[Place | None, str | None]:
        text = str(text).strip()
        if text.lower() in self.by_slug:
            return self.by_slug[text.lower()], None
        found = self.by_name.get(text, [])
        if len(found) > 1:
            return None, _("%(count)d places are called “%(name)s” (%(slugs)s); write the short name of one.") % {
                "count": len(found), "name": text, "slugs": ", ".join(sorted(p.slug for p in found))}
        if found:
            return found[0], None
        if slugify(text) in self.by_slug and slugify(text) != text.lower():
            return None, _("No place is called “%(name)s”. Did you mean “%(slug)s”?") % {
                "name": text, "slug": slugify(text)}
        return None, _("No place on file has the short name or the name “%(name)s”. Write the short name "
                       "(such as saint-paul) or the exact name of a city, county or district on file.") % {
            "name": text}


def _topic_links():
    """The table linking bodies to their topics, and its two columns."""
    field = PublicBody._meta.get_field("topics")
    return field.remote_field.through, f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


# -- bodies -----------------------------------------------------------------------------------------

# Columns of the body's own fields, by name (the column name is the field name).
BODY_FIELD_COLUMNS = ("name", "kind", "appointing_authority", "description", "url", "meeting_location",
                      "meeting_frequency", "meeting_interval", "meeting_weekdays", "meeting_nth", "first_meeting_on",
                      "meeting_starts_at", "meeting_ends_at", "time_zone", "visibility")


class BodyImport(ImportSpec):
    kind = BODY_KIND
    label = gettext_lazy("Public bodies")
    description = gettext_lazy(
        "Councils, commissions, advisory committees, boards and task forces: their jurisdiction, kind, "
        "topics, who appoints to them, and when and where they meet.")
    permission = PERMISSION
    sheet_names = ("bodies", "public_bodies", "boards_and_commissions")
    key_help = gettext_lazy(
        "Rows are matched to existing bodies by their short name (slug). A row without one is matched by "
        "its name (ignoring case and accents) within its jurisdiction.")
    columns = (
        Column("slug", gettext_lazy("Short name in web addresses"), max_length=100,
               aliases=("short_name", "body_slug"),
               help_text=gettext_lazy("Lowercase letters, digits and hyphens. Made from the name and "
                                      "jurisdiction when blank."),
               example="saint-paul-planning-commission"),
        Column("name", gettext_lazy("Name"), max_length=200, aliases=("body", "body_name"),
               example="Planning Commission"),
        Column("jurisdiction", gettext_lazy("Jurisdiction"), max_length=200, aliases=("place", "government"),
               help_text=gettext_lazy("The short name or exact name of a place on file."), example="saint-paul"),
        Column("kind", gettext_lazy("Kind"), kind="choice", choices=BodyKind.choices, aliases=("type", "body_kind"),
               example="commission"),
        Column("topics", gettext_lazy("Topics"), kind="list", item_max_length=200,
               aliases=("topic", "issues", "topic_areas"),
               help_text=gettext_lazy("Issue topics on file, by short name or name."), example="housing; land-use"),
        Column("appointing_authority", gettext_lazy("Appointing authority"), max_length=200,
               aliases=("appointed_by", "appointer"), example="The mayor, with the council's consent"),
        Column("description", gettext_lazy("What it does"), max_length=3000, aliases=("about",)),
        Column("url", gettext_lazy("Link"), kind="url", max_length=500, aliases=("link", "website", "web_address")),
        Column("meeting_location", gettext_lazy("Where it meets"), max_length=300, aliases=("location", "where")),
        Column("meeting_frequency", gettext_lazy("How often it meets"), kind="choice",
               choices=MeetingFrequency.choices, aliases=("frequency", "meets"), example="monthly"),
        Column("meeting_interval", gettext_lazy("Every (weeks or months)"), kind="int", min_value=1,
               max_value=MAX_MEETING_INTERVAL,
               aliases=("interval", "every"), example="1"),
        Column("meeting_weekdays", gettext_lazy("Weekdays"), max_length=100, aliases=("weekdays", "days"),
               help_text=gettext_lazy("Monday … Sunday, or 0 (Monday) to 6 (Sunday), separated by commas."),
               example="Wednesday"),
        Column("meeting_nth", gettext_lazy("Weeks of the month"), max_length=60,
               aliases=("weeks_of_month", "meeting_weeks", "weeks"),
               help_text=gettext_lazy("1 to 4, or “last”, separated by commas (monthly schedules)."),
               example="1, 3"),
        Column("first_meeting_on", gettext_lazy("First meeting on"), kind="date", aliases=("first_meeting",),
               example="2025-01-08"),
        Column("meeting_starts_at", gettext_lazy("Meetings start at"), max_length=20,
               aliases=("start_time", "starts_at"), example="18:00"),
        Column("meeting_ends_at", gettext_lazy("Meetings end at"), max_length=20, aliases=("end_time", "ends_at"),
               example="20:00"),
        Column("time_zone", gettext_lazy("Time zone"), max_length=64, aliases=("timezone", "zone"),
               example=DEFAULT_ZONE),
        Column("visibility", gettext_lazy("Who sees it"), kind="choice", choices=_visibility_choices,
               help_text=gettext_lazy("Public (the default), members or staff.")),
    )

    # -- one row ------------------------------------------------------------------------------------
    def clean_row(self, row: Row) -> None:
        values = row.values
        slug = row.get("slug")
        if slug is not None:
            lowered = slug.lower()
            if lowered != slug:
                row.warn(_("Read as “%(slug)s” (lowercase).") % {"slug": lowered}, "slug")
                values["slug"] = row.display["slug"] = slug = lowered
            if not SLUG.match(slug):
                row.error(_("Use only lowercase letters, digits and hyphens."), "slug")
            elif slug in RESERVED_SLUGS:
                row.error(_("“%(slug)s” is reserved; choose another.") % {"slug": slug}, "slug")
        for name, words in (("meeting_weekdays", WEEKDAY_WORDS), ("meeting_nth", WEEK_WORDS)):
            if row.has(name):
                try:
                    values[name] = parse_numbers(str(row.get(name)), words)
                except ValueError as exc:
                    if name == "meeting_weekdays":
                        row.error(_("“%(value)s” is not a weekday: write Monday … Sunday, or 0 (Monday) to "
                                    "6 (Sunday).") % {"value": exc}, name)
                    else:
                        row.error(_("“%(value)s” is not a week of the month: write 1 to 4, or “last”.")
                                  % {"value": exc}, name)
        for name in ("meeting_starts_at", "meeting_ends_at"):
            if row.has(name):
                try:
                    values[name] = parse_time(str(row.get(name)))
                except ValueError:
                    row.error(_("“%(value)s” is not a time of day: write it as 18:00 or 6 pm.")
                              % {"value": row.get(name)}, name)
                else:
                    row.display[name] = _shown(values[name])
        if not row.has("slug") and not (row.has("name") and row.has("jurisdiction")):
            row.error(_("Give the body's short name (slug), or its name and jurisdiction."))

    # -- look-ups for the whole file -------------------------------------------------------------------
    def prepare(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        places = PlaceFinder(row.get("jurisdiction") for row in rows)
        wanted = {item for row in rows for item in (row.get("topics") or [])}
        topics_by_slug: dict[str, IssueTopic] = {}
        topics_by_name: dict[str, IssueTopic] = {}
        if wanted:
            # The topics' vocabulary is short: read it whole, to match names in any case.
            for topic in IssueTopic.objects.order_by("name"):
                topics_by_slug[topic.slug] = topic
                topics_by_name.setdefault(fold_name(topic.name), topic)
        for row in rows:
            if row.has("jurisdiction"):
                place, error = places.find(row.get("jurisdiction"))
                if error:
                    row.error(error, "jurisdiction")
                row.extra["jurisdiction"] = place
            if row.has("topics"):
                found, unknown = [], []
                for item in row.get("topics"):
                    topic = topics_by_slug.get(item.lower()) or topics_by_name.get(fold_name(item))
                    if topic is None:
                        unknown.append(item)
                    elif topic not in found:
                        found.append(topic)
                if unknown:
                    row.error(_("No topic on file is called %(names)s. Topics on file: %(known)s.") % {
                        "names": ", ".join(f"“{u}”" for u in unknown),
                        "known": ", ".join(sorted(topics_by_slug)) or "—"}, "topics")
                row.extra["topics"] = found
        for row in rows:
            if row.errors:
                self._check_the_rest(row)

    def natural_key(self, row: Row) -> Hashable | None:
        if row.has("slug"):
            return ("slug", row.get("slug"))
        place = row.extra.get("jurisdiction")
        if place is None or not row.has("name"):
            return None
        return ("name", fold_name(row.get("name")), place.slug)

    def describe_key(self, key) -> str:
        if key[0] == "slug":
            return _("short name “%(slug)s”") % {"slug": key[1]}
        return _("name “%(name)s” in %(place)s") % {"name": key[1], "place": key[2]}

    # -- what each row will do -------------------------------------------------------------------------
    def resolve(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        bodies = _locked(PublicBody.objects.select_related("jurisdiction"), of=("self",))
        by_slug = {b.slug: b for b in lookup_in(bodies, "slug", [r.get("slug") for r in rows])}
        by_name: dict[tuple[int, str], list[PublicBody]] = defaultdict(list)
        place_ids = {r.extra["jurisdiction"].pk for r in rows if r.extra.get("jurisdiction") is not None}
        for body in lookup_in(bodies, "jurisdiction_id", place_ids):
            by_name[(body.jurisdiction_id, fold_name(body.name))].append(body)
        through, body_column, topic_column = _topic_links()
        targets: dict[int, Row] = {}
        for row in rows:
            place = row.extra.get("jurisdiction")
            same_name = by_name.get((place.pk, fold_name(row.get("name"))), []) if place and row.has("name") else []
            if row.has("slug"):
                target = by_slug.get(row.get("slug"))
                if target is None and same_name:
                    row.warn(_("%(place)s already has a body called “%(name)s” (short name “%(slug)s”); this row "
                               "adds another.") % {"place": place.name, "name": same_name[0].name,
                                                   "slug": same_name[0].slug}, "slug")
            elif len(same_name) > 1:
                row.error(_("%(count)d bodies in %(place)s are called like this (%(slugs)s); add a slug column to "
                            "say which.") % {"count": len(same_name), "place": place.name,
                                             "slugs": ", ".join(sorted(b.slug for b in same_name))}, "name")
                continue
            else:
                target = same_name[0] if same_name else None
            if target is not None:
                if target.pk in targets:
                    row.error(_("Row %(row)d is about the same body; a body may appear only once.")
                              % {"row": targets[target.pk].number})
                    continue
                targets[target.pk] = row
            row.target = target

        current_topics: dict[int, set[int]] = defaultdict(set)
        if any(r.has("topics") for r in targets.values()):
            for body_id, topic_id in lookup_in(through.objects.values_list(body_column, topic_column),
                                               body_column, targets):
                current_topics[body_id].add(topic_id)

        for row in rows:
            if row.errors:
                continue
            self._plan(row, row.target, current_topics)
        self._plan_slugs([r for r in rows if r.action == ACTION_CREATE and not r.errors],
                         {r.get("slug") for r in rows if r.has("slug")})
        for row in rows:
            row.action = row.action or ACTION_UNCHANGED

    def _plan(self, row: Row, target: PublicBody | None, current_topics) -> None:
        place = row.extra.get("jurisdiction")
        if target is None:
            missing = False
            for name, message in (("name", _("A new body needs a name.")),
                                  ("jurisdiction", _("A new body needs its jurisdiction.")),
                                  ("kind", _("A new body needs its kind: council, commission, advisory committee, "
                                             "board, task force or other."))):
                if not row.has(name):
                    row.error(message, name)
                    missing = True
            if missing:
                return
            body = PublicBody(jurisdiction=place, visibility=Visibility.PUBLIC, time_zone=DEFAULT_ZONE)
        else:
            body = PublicBody(jurisdiction=target.jurisdiction,
                              **{f: getattr(target, f) for f in BODY_FIELD_COLUMNS})
            if place is not None:
                body.jurisdiction = place
        for name in BODY_FIELD_COLUMNS:
            if row.has(name):
                setattr(body, name, row.get(name))
        if not self._check(row, body):
            return
        topics = row.extra.get("topics") if row.has("topics") else None
        if target is None:
            row.action = ACTION_CREATE
            row.extra["body"] = body
            row.extra["topic_ids"] = [t.pk for t in topics or []]
            return
        row.extra["slug"] = target.slug
        fields: dict[str, object] = {}
        for name in BODY_FIELD_COLUMNS:
            old, new = getattr(target, name), getattr(body, name)
            if old != new:
                fields[name] = new
                _changed(row, self.column(name).label, old, new)
        if body.jurisdiction.pk != target.jurisdiction_id:
            fields["jurisdiction"] = body.jurisdiction
            _changed(row, self.column("jurisdiction").label, target.jurisdiction.name, body.jurisdiction.name)
        topic_ids = None
        if topics is not None and {t.pk for t in topics} != current_topics.get(target.pk, set()):
            topic_ids = [t.pk for t in topics]
            row.changes.append(_("%(field)s: %(new)s") % {
                "field": self.column("topics").label, "new": "; ".join(t.name for t in topics) or "—"})
        row.extra["fields"], row.extra["topic_ids"] = fields, topic_ids
        row.action = ACTION_UPDATE if fields or topic_ids is not None else ACTION_UNCHANGED

    def _check_the_rest(self, row: Row) -> None:
        """A row with a bad cell is not planned (nor compared with the stored body), but the cells
        it gives are still checked with the body's rules (time zone, weekdays, times…), so that
        one pass names more of a file's problems. Only problems of cells the row gives, and not
        already in error, are added: a rule needing a stored value waits for the next pass."""
        bad = {problem.column for problem in row.errors}
        body = PublicBody(visibility=Visibility.PUBLIC, time_zone=DEFAULT_ZONE, name=row.get("name") or "-")
        given = {name for name in BODY_FIELD_COLUMNS if row.has(name)} - bad
        for name in given:
            setattr(body, name, row.get(name))
        found = Row(number=row.number)
        self._check(found, body)
        row.errors += [problem for problem in found.errors if problem.column in given]

    def _check(self, row: Row, body: PublicBody) -> bool:
        """The body as it will be, checked with the rules of the body form."""
        ok = True
        if body.meeting_ends_at is not None and body.meeting_starts_at is None:
            row.error(_("Give the time meetings start as well as the time they end."), "meeting_starts_at")
            ok = False
        try:
            services._check_body(body)
        except ValidationError as exc:
            names = {c.name for c in self.columns}
            for field, messages in exc.message_dict.items():
                for message in messages:
                    row.error(message, field if field in names else None)
            ok = False
        return ok

    def _plan_slugs(self, rows: list[Row], taken_in_file: set[str]) -> None:
        """The short name of each new body: as given, or made from its name and jurisdiction (free
        in the database and in the file), decided now so that a seats sheet can name it."""
        bases: dict[int, str] = {}
        for row in rows:
            if row.has("slug"):
                row.extra["slug"] = row.get("slug")
            else:
                body = row.extra["body"]
                bases[row.number] = slugify(f"{body.name} {body.jurisdiction.name}")[:80].strip("-") or "body"
        if not bases:
            return
        spare = len(bases) + 10
        candidates = {f"{base}-{n}" if n > 1 else base for base in bases.values() for n in range(1, spare)}
        taken = set(lookup_in(PublicBody.objects.values_list("slug", flat=True), "slug", candidates))
        taken |= taken_in_file | RESERVED_SLUGS
        for row in rows:
            base = bases.get(row.number)
            if base is None:
                continue
            slug, n = base, 1
            while slug in taken or (n >= spare and PublicBody.objects.filter(slug=slug).exists()):
                n += 1
                slug = f"{base}-{n}"
            taken.add(slug)
            row.extra["slug"] = slug
            row.changes.append(_("New body, short name “%(slug)s”") % {"slug": slug})

    def notices(self, rows: list[Row]) -> list[str]:
        if any(r.action == ACTION_CREATE and not r.has("visibility") for r in rows):
            return [_("New bodies without a “visibility” are public: anyone can see them.")]
        return []

    def write(self, rows: list[Row], *, actor, batch) -> dict[str, int]:
        user, now = _user(actor), timezone.now()
        created: list[PublicBody] = []
        topic_links: list[tuple[PublicBody, list[int]]] = []
        for row in rows:
            if row.action != ACTION_CREATE:
                continue
            body = row.extra["body"]
            body.slug, body.created_by = row.extra["slug"], user
            created.append(body)
            topic_links.append((body, row.extra["topic_ids"]))
        PublicBody.objects.bulk_create(created, batch_size=WRITE_BATCH)

        updated: list[PublicBody] = []
        fields: set[str] = set()
        for row in rows:
            if row.action != ACTION_UPDATE:
                continue
            body: PublicBody = row.target
            changes = row.extra["fields"]
            for name, value in changes.items():
                setattr(body, name, value)
            if any(name in services.SCHEDULE_FIELDS for name in changes):
                # Calendar programs update their copy of the meetings when the SEQUENCE goes up.
                body.meeting_sequence += 1
            body.updated_at = now
            fields.update(changes)
            updated.append(body)
            if row.extra["topic_ids"] is not None:
                topic_links.append((body, row.extra["topic_ids"]))
        if updated:
            PublicBody.objects.bulk_update(updated, sorted(fields | {"meeting_sequence", "updated_at"}),
                                           batch_size=WRITE_BATCH)

        through, body_column, topic_column = _topic_links()
        updated_ids = {body.pk for body in updated}
        replaced = [body.pk for body, _ids in topic_links if body.pk in updated_ids]
        for part in range(0, len(replaced), WRITE_BATCH):
            through.objects.filter(**{f"{body_column}__in": replaced[part:part + WRITE_BATCH]}).delete()
        links = [through(**{body_column: body.pk, topic_column: topic_id})
                 for body, topic_ids in topic_links for topic_id in topic_ids]
        through.objects.bulk_create(links, batch_size=WRITE_BATCH)
        return {"created": len(created), "updated": len(updated), "topics_linked": len(links)}


# -- seats and terms ----------------------------------------------------------------------------------

# Seat columns → the seat's fields.
SEAT_FIELD_COLUMNS = {
    "seat_type": "seat_type", "constituency": "constituency", "eligibility": "eligibility",
    "term_length_months": "term_length_months", "holdover_allowed": "holdover_allowed", "order": "position",
    "deadline_kind": "deadline_kind", "deadline_on": "deadline_on", "deadline_note": "deadline_note",
    "applications_url": "applications_url",
}
SEAT_DEFAULTS = {"seat_type": SeatType.APPOINTED, "constituency": "", "eligibility": "", "term_length_months": None,
                 "holdover_allowed": True, "position": 0, "deadline_kind": "", "deadline_on": None,
                 "deadline_note": "", "applications_url": ""}
# Where a refused term's problem shows: `terms.Problem.field` → column.
TERM_PROBLEM_COLUMNS = {"starts_on": "term_starts", "ends_on": "term_ends", "left_on": "last_day_served"}


def _holder_names(term: Term) -> set[str]:
    names = {fold_name(term.holder_name)} if term.holder_name else set()
    if term.holder_person_id:
        names.add(fold_name(term.holder_person.full_name))
    return names


class SeatImport(ImportSpec):
    kind = SEAT_KIND
    label = gettext_lazy("Seats")
    description = gettext_lazy(
        "Seats on public bodies: how each is filled, who is eligible, term length, holdover and the "
        "application deadline; optionally the holders' terms, one row per term.")
    permission = PERMISSION
    companions = (BODY_KIND,)
    sheet_names = ("seats", "seats_and_terms", "terms")
    key_help = gettext_lazy(
        "Rows are matched to existing seats by the body's short name and the seat's name. A row with a "
        "holder and a term start records that term, unless the same holder's term from that day is on file.")
    columns = (
        Column("body", gettext_lazy("Body (short name)"), required=True, max_length=100,
               aliases=("body_slug", "public_body"),
               help_text=gettext_lazy("The body's short name; it must exist or be on the “Public bodies” sheet."),
               example="saint-paul-planning-commission"),
        Column("name", gettext_lazy("Seat"), required=True, max_length=200, aliases=("seat", "seat_name"),
               example="Ward 3 resident seat"),
        Column("seat_type", gettext_lazy("How the seat is filled"), kind="choice", choices=SeatType.choices,
               aliases=("type", "seat_kind"), example="appointed"),
        Column("constituency", gettext_lazy("Constituency"), max_length=200, example="A renter"),
        Column("eligibility", gettext_lazy("Who is eligible"), max_length=2000, aliases=("who_is_eligible",)),
        Column("term_length_months", gettext_lazy("Term length in months"), kind="int", min_value=1,
               max_value=MAX_TERM_MONTHS, aliases=("term_length", "term_months"), example="36"),
        Column("holdover_allowed", gettext_lazy("Holder serves on until replaced"), kind="bool",
               aliases=("holdover",), example="yes"),
        Column("order", gettext_lazy("Order"), kind="int", min_value=0, max_value=100_000,
               aliases=("position", "seat_order"), example="1"),
        Column("deadline_kind", gettext_lazy("Application deadline"), kind="choice", choices=DeadlineKind.choices,
               aliases=("deadline", "application_deadline"),
               help_text=gettext_lazy("Hard date, review begins, rolling or open until filled."),
               example="review_begins"),
        Column("deadline_on", gettext_lazy("Deadline date"), kind="date", aliases=("deadline_date",),
               example="2025-03-01"),
        Column("deadline_note", gettext_lazy("About the deadline"), max_length=300),
        Column("applications_url", gettext_lazy("Where to apply"), kind="url", max_length=500,
               aliases=("where_to_apply", "apply_at", "application_link")),
        Column("holder_name", gettext_lazy("Holder's name"), max_length=200, aliases=("holder", "held_by"),
               example="Lee Vang"),
        Column("holder_email", gettext_lazy("Holder's email"), kind="email", aliases=("email",),
               help_text=gettext_lazy("Links the term to the person in the directory with this email.")),
        Column("term_starts", gettext_lazy("Term starts"), kind="date",
               aliases=("term_starts_on", "term_start", "starts_on"), example="2024-01-01"),
        Column("term_ends", gettext_lazy("Term ends"), kind="date", aliases=("term_ends_on", "term_end", "ends_on"),
               help_text=gettext_lazy("When blank, worked out from the term length."), example="2026-12-31"),
        Column("last_day_served", gettext_lazy("Last day served"), kind="date", aliases=("left_on",)),
    )

    # -- one row ------------------------------------------------------------------------------------
    def clean_row(self, row: Row) -> None:
        body = row.get("body")
        if body is not None and body.lower() != body:
            row.values["body"] = row.display["body"] = body.lower()
        has_holder = row.has("holder_name") or row.has("holder_email")
        has_dates = row.has("term_starts") or row.has("term_ends") or row.has("last_day_served")
        if (has_holder or has_dates) and not row.has("term_starts"):
            row.error(_("A holder's term needs the day it starts."), "term_starts")
        if row.has("term_starts") and not has_holder:
            row.error(_("Name the holder of this term, or give their email."), "holder_name")

    # -- look-ups for the whole file -------------------------------------------------------------------
    def prepare(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        refs = {row.get("body") for row in rows if row.has("body")}
        known = {b.slug: b for b in lookup_in(PublicBody.objects.only("id", "slug", "name", "dissolved_on"),
                                              "slug", refs)}
        companion = companions.get(BODY_KIND)
        on_sheet = set()
        if companion is not None:
            for body_row in companion.rows:
                slug = body_row.extra.get("slug") or body_row.get("slug")
                if slug:
                    on_sheet.add(slug)
        emails = {row.get("holder_email") for row in rows if row.has("holder_email")}
        people: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for pk, email, full_name in lookup_in(
                Person.objects.filter(merged_into__isnull=True).values_list("id", "email_normalized", "full_name"),
                "email_normalized", emails):
            people[email].append((pk, full_name))
        for row in rows:
            ref = row.get("body")
            if ref is not None:
                if ref in known:
                    row.extra["body"] = known[ref]
                elif ref not in on_sheet:
                    row.error(_("There is no public body with the short name “%(slug)s”. Import it first, or add "
                                "it on a “Public bodies” sheet in the same workbook.") % {"slug": ref}, "body")
            email = row.get("holder_email")
            if email is None:
                continue
            found = people.get(email, [])
            if len(found) > 1:
                row.error(_("%(count)d people in the directory have this email; merge them first.")
                          % {"count": len(found)}, "holder_email")
            elif found:
                pk, full_name = found[0]
                row.extra["person"] = (pk, full_name)
                if row.has("holder_name") and fold_name(row.get("holder_name")) != fold_name(full_name):
                    row.warn(_("This email is %(name)s's in the directory: the term is recorded for them.")
                             % {"name": full_name}, "holder_name")
            elif row.has("holder_name"):
                row.warn(_("No one in the directory has this email: the term is recorded under the holder's "
                           "name only."), "holder_email")
            else:
                row.error(_("No one in the directory has the email %(email)s. Add them to the directory first, "
                            "or write the holder's name.") % {"email": email}, "holder_email")

    def natural_key(self, row: Row) -> Hashable:
        return (row.get("body"), fold_name(row.get("name") or ""), row.get("term_starts"))

    def describe_key(self, key) -> str:
        if key[2] is None:
            return _("seat “%(seat)s” of “%(body)s”") % {"seat": key[1], "body": key[0]}
        return _("seat “%(seat)s” of “%(body)s”, term starting %(day)s") % {
            "seat": key[1], "body": key[0], "day": key[2].isoformat()}

    # -- what each row will do -------------------------------------------------------------------------
    def resolve(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        # A seat is known by its name as bodies are: case, accents, punctuation and spacing aside
        # ("north  minneapolis resident 1" is the stored "North Minneapolis resident 1"), the
        # exact name first where two stored seats fold alike.
        groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in rows:
            groups[(row.get("body"), fold_name(row.get("name") or ""))].append(row)
        body_ids = {row.extra["body"].pk for row in rows if row.extra.get("body") is not None}
        stored_seats = list(lookup_in(_locked(Seat.objects.all()), "body_id", body_ids))
        exact = {(s.body_id, s.name): s for s in stored_seats}
        folded: dict[tuple[int, str], list[Seat]] = defaultdict(list)
        for seat in stored_seats:
            folded[(seat.body_id, fold_name(seat.name))].append(seat)
        targets: dict[tuple[str, str], Seat | None] = {}
        for key, group in groups.items():
            body = group[0].extra.get("body")
            if body is None:
                targets[key] = None
                continue
            alike = folded.get((body.pk, key[1]), [])
            targets[key] = exact.get((body.pk, group[0].get("name"))) or (alike[0] if len(alike) == 1 else None)
        wanted = [seat.pk for key, seat in targets.items()
                  if seat is not None and any(row.has("term_starts") for row in groups[key])]
        stored: dict[int, list[Term]] = defaultdict(list)
        for term in lookup_in(Term.objects.select_related("holder_person"), "seat_id", wanted):
            stored[term.seat_id].append(term)
        for key, group in groups.items():
            target = targets[key]
            self._resolve_seat(group, group[0].extra.get("body"), target, stored.get(target.pk, []) if target else [])
        for row in rows:
            row.action = row.action or ACTION_UNCHANGED

    def _resolve_seat(self, group: list[Row], body: PublicBody | None, target: Seat | None,
                      stored: list[Term]) -> None:
        first = group[0]
        given: dict[str, tuple[object, Row]] = {}
        for row in group:
            for column, field in SEAT_FIELD_COLUMNS.items():
                if not row.has(column):
                    continue
                value = row.get(column)
                if field in given and given[field][0] != value:
                    row.error(_("Row %(row)d gives this seat a different value here; every row of a seat must "
                                "agree.") % {"row": given[field][1].number}, column)
                    continue
                given.setdefault(field, (value, row))
        final = {f: getattr(target, f) for f in SEAT_DEFAULTS} if target else dict(SEAT_DEFAULTS)
        for field, (value, _row) in given.items():
            final[field] = value
        if "deadline_kind" in given and not deadlines.needs_date(final["deadline_kind"]) and "deadline_on" not in given:
            final["deadline_on"] = None  # the date belonged to the old kind of deadline
        self._check_deadline(final, given, first)

        seat_changes: dict[str, object] = {}
        if target is None:
            first.changes.append(_("New seat “%(seat)s”") % {"seat": first.get("name")})
        else:
            for column, field in SEAT_FIELD_COLUMNS.items():
                if final[field] != getattr(target, field):
                    seat_changes[field] = final[field]
                    _changed(first, self.column(column).label, getattr(target, field), final[field])
        first.extra["seat"] = {"target": target, "body_slug": first.get("body"), "name": first.get("name"),
                               "fields": final if target is None else seat_changes}

        term_rows = [row for row in group if row.has("term_starts") and not row.errors]
        plans = self._plan_terms(term_rows, body, target, stored, final)
        for row in group:
            row.extra["seat_target"] = target
            if row.errors:
                continue
            plan = plans.get(row.number)
            if (row is first and target is None) or (plan and plan[0] == "create"):
                row.action = ACTION_CREATE
            elif (row is first and seat_changes) or plan:
                row.action = ACTION_UPDATE
            else:
                row.action = ACTION_UNCHANGED
            row.extra["term"] = plan

    def _check_deadline(self, final: dict, given: dict, first: Row) -> None:
        kind, on = final["deadline_kind"], final["deadline_on"]
        errors = deadlines.validate(kind, on, field="deadline_on") if kind else {}
        if not kind and on is not None:
            errors["deadline_kind"] = _("Say what kind of deadline this date is.")
        for field, message in errors.items():
            source = given.get(field) or given.get("deadline_kind") or given.get("deadline_on")
            (source[1] if source else first).error(message, field)

    def _plan_terms(self, rows: list[Row], body: PublicBody | None, target: Seat | None, stored: list[Term],
                    final: dict) -> dict[int, tuple]:
        """Each row's term: ("create", values), ("update", term, fields) or nothing to do; every
        term checked against the seat's stored terms and the file's other terms for the seat."""
        spans: dict[tuple, terms.Span] = {("db", t.pk): services._span(t) for t in stored}
        from_row: dict[int, int] = {}  # id(span) → the row that gives it
        keys: dict[int, tuple] = {}
        plans: dict[int, tuple] = {}
        matched: set[int] = set()
        for row in rows:
            person = row.extra.get("person")
            label = person[1] if person else row.get("holder_name")
            start, ends, left = row.get("term_starts"), row.get("term_ends"), row.get("last_day_served")
            same = next((t for t in stored if t.pk not in matched and t.starts_on == start and (
                (person and t.holder_person_id == person[0]) or fold_name(label) in _holder_names(t))), None)
            if same is not None:
                matched.add(same.pk)
                fields = {}
                if ends is not None and ends != same.ends_on:
                    fields["ends_on"] = ends
                    _changed(row, self.column("term_ends").label, same.ends_on, ends)
                if left is not None and left != same.left_on:
                    fields["left_on"] = left
                    _changed(row, self.column("last_day_served").label, same.left_on, left)
                span = terms.Span(same.pk, start, fields.get("ends_on", same.ends_on),
                                  fields.get("left_on", same.left_on), same.holder_label)
                key = ("db", same.pk)
                plans[row.number] = ("update", same, fields) if fields else None
            else:
                if body is not None and body.dissolved_on is not None:
                    row.error(_("%(body)s was dissolved on %(day)s: its seats take no new terms.") % {
                        "body": body.name, "day": services._day(body.dissolved_on)}, "term_starts")
                    continue
                if ends is None and final["term_length_months"]:
                    ends = services.term_default_end(SimpleNamespace(term_length_months=final["term_length_months"]),
                                                     start)
                    row.warn(_("The term's end, %(day)s, was worked out from the seat's term length.")
                             % {"day": ends.isoformat()}, "term_ends")
                span = terms.Span(None, start, ends, left, label)
                key = ("row", row.number)
                plans[row.number] = ("create", {
                    "holder_person_id": person[0] if person else None,
                    "holder_name": "" if person else row.get("holder_name"),
                    "starts_on": start, "ends_on": ends, "left_on": left})
                row.changes.append(_("New term: %(holder)s, %(start)s – %(end)s") % {
                    "holder": label, "start": start.isoformat(), "end": ends.isoformat() if ends else _("no end date")})
            spans[key] = span
            from_row[id(span)] = row.number
            keys[row.number] = key
        for row in rows:
            key = keys.get(row.number)
            if key is None:
                continue
            others = [span for other_key, span in spans.items() if other_key != key]
            for problem in terms.check(others, spans[key]):
                message = services.term_problem_message(problem)
                if problem.other is not None and id(problem.other) in from_row:
                    message = _("%(message)s That term is on row %(row)d of this file.") % {
                        "message": message, "row": from_row[id(problem.other)]}
                row.error(message, TERM_PROBLEM_COLUMNS.get(problem.field))
        return {number: plan for number, plan in plans.items() if plan is not None}

    def notices(self, rows: list[Row]) -> list[str]:
        plans = [row.extra["term"] for row in rows if row.extra.get("term")]
        new = sum(1 for plan in plans if plan[0] == "create")
        if not plans:
            return []
        return [ngettext("%(new)d term will be recorded and %(changed)d corrected; the seats' vacancies and "
                         "holdovers are worked out again from them.",
                         "%(new)d terms will be recorded and %(changed)d corrected; the seats' vacancies and "
                         "holdovers are worked out again from them.", new) % {"new": new, "changed": len(plans) - new}]

    def write(self, rows: list[Row], *, actor, batch) -> dict[str, int]:
        user, now = _user(actor), timezone.now()
        plans = [row.extra["seat"] for row in rows if row.extra.get("seat")]
        # Bodies a "Public bodies" sheet created a moment ago get their ids here.
        body_ids = {b.slug: b.pk for b in lookup_in(PublicBody.objects.only("id", "slug"), "slug",
                                                    {p["body_slug"] for p in plans if p["target"] is None})}
        new_seats, changed_seats, touched = [], [], set()
        seat_by_key: dict[tuple[str, str], Seat] = {}
        fields: set[str] = set()
        for plan in plans:
            if plan["target"] is None:
                seat = Seat(body_id=body_ids[plan["body_slug"]], name=plan["name"], **plan["fields"])
                new_seats.append(seat)
            else:
                seat = plan["target"]
                for name, value in plan["fields"].items():
                    setattr(seat, name, value)
                if plan["fields"]:
                    seat.updated_at = now
                    fields.update(plan["fields"])
                    changed_seats.append(seat)
                if "holdover_allowed" in plan["fields"]:
                    touched.add(seat.pk)  # who holds over, and until when, follows the rule
            seat_by_key[(plan["body_slug"], plan["name"])] = seat
        Seat.objects.bulk_create(new_seats, batch_size=WRITE_BATCH)
        if changed_seats:
            Seat.objects.bulk_update(changed_seats, sorted(fields | {"updated_at"}), batch_size=WRITE_BATCH)

        new_terms, changed_terms = [], []
        for row in rows:
            plan = row.extra.get("term")
            if not plan:
                continue
            if plan[0] == "create":
                seat = seat_by_key.get((row.get("body"), row.get("name"))) or row.extra["seat_target"]
                new_terms.append(Term(seat_id=seat.pk, created_by=user, **plan[1]))
                touched.add(seat.pk)
            else:
                term = plan[1]
                for name, value in plan[2].items():
                    setattr(term, name, value)
                term.updated_at = now
                changed_terms.append(term)
                touched.add(term.seat_id)
        Term.objects.bulk_create(new_terms, batch_size=WRITE_BATCH)
        if changed_terms:
            Term.objects.bulk_update(changed_terms, ["ends_on", "left_on", "updated_at"], batch_size=WRITE_BATCH)
        refreshed = refresh_occupancy_bulk(touched)
        return {"seats_created": len(new_seats), "seats_updated": len(changed_seats),
                "terms_recorded": len(new_terms), "terms_updated": len(changed_terms), "terms_refreshed": refreshed}


def refresh_occupancy_bulk(seat_ids: set[int]) -> int:
    """`services.refresh_occupancy` for many seats at once: each term's `occupied_until` and
    `fills_vacancy` worked out again from its seat's terms; returns how many terms changed."""
    if not seat_ids:
        return 0
    holdover = dict(lookup_in(Seat.objects.values_list("id", "holdover_allowed"), "id", seat_ids))
    by_seat: dict[int, list[tuple]] = defaultdict(list)
    for values in lookup_in(Term.objects.values_list("id", "seat_id", "starts_on", "ends_on", "left_on",
                                                     "occupied_until", "fills_vacancy"), "seat_id", seat_ids):
        by_seat[values[1]].append(values)
    changed = []
    for seat_id, rows in by_seat.items():
        spans = [terms.Span(pk, start, ends, left) for pk, _seat, start, ends, left, _until, _fills in rows]
        until = terms.occupancy(spans, holdover[seat_id])
        fills = terms.fills_vacancy(spans, until)
        for pk, _seat, _start, _ends, _left, old_until, old_fills in rows:
            if (old_until, old_fills) != (until[pk], fills[pk]):
                changed.append(Term(pk=pk, occupied_until=until[pk], fills_vacancy=fills[pk]))
    Term.objects.bulk_update(changed, ["occupied_until", "fills_vacancy"], batch_size=WRITE_BATCH)
    services.seats_latest_refresh(seat_ids)
    return len(changed)
