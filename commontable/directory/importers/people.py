"""The people importer: keyed on email, or on folded name and organisation; affiliations and
consent come with each row."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Hashable
from types import SimpleNamespace

from django.conf import locale as dj_locale
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    insert_rows,
    lookup_in,
)
from commontable.core.text import fold_name, normalize_phone
from commontable.core.visibility import Visibility
from commontable.directory.choices import (
    ConsentPurpose,
    ConsentSource,
)
from commontable.directory.importers.common import (
    DEFAULT_CONSENT_VERSION,
    LANGUAGE_CODE,
    PERMISSION,
    _bulk_update,
    _FieldDiff,
    _insert,
    _reason,
    _user,
    _visibility_choices,
)
from commontable.directory.models import (
    Affiliation,
    ConsentRecord,
    Organization,
    Person,
)
from commontable.directory.services import _person_normalize

# -- people ----------------------------------------------------------------------------------


NOT_WORD = re.compile(r"[^\w\s]")  # as in core.text.fold_name
NOT_DIGIT = re.compile(r"\D")

CONSENT_COLUMNS = {
    "consent_email": ConsentPurpose.CONTACT_EMAIL,
    "consent_sms": ConsentPurpose.CONTACT_SMS,
    "consent_phone": ConsentPurpose.CONTACT_PHONE,
}


CONSENT_LABELS = {purpose: ConsentPurpose(purpose).label for purpose in CONSENT_COLUMNS.values()}


@functools.cache
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, info in dj_locale.LANG_INFO.items():
        if "name" not in info:
            continue
        for text in (info["name"], info.get("name_local", "")):
            if text:
                names.setdefault(fold_name(text), code)
    return names


class PersonImport(ImportSpec):
    kind = "people"
    label = gettext_lazy("People")
    description = gettext_lazy(
        "People, the organization each belongs to (and whether they represent it) "
        "and their consent to be contacted."
    )
    permission = PERMISSION
    companions = ("organizations",)
    sheet_names = ("persons", "contacts", "personas", "dadka")
    key_help = gettext_lazy(
        "Rows are matched to existing people by email. A row without email is matched by full name "
        "together with the organization it names."
    )
    columns = (
        Column(
            "full_name",
            gettext_lazy("Full name"),
            required=True,
            max_length=200,
            aliases=("name", "nombre", "magaca", "npe"),
            example="Hodan Abdi",
        ),
        Column(
            "name_for_greeting",
            gettext_lazy("Name to use in greetings"),
            max_length=100,
            aliases=("greeting",),
        ),
        Column("pronouns", gettext_lazy("Pronouns"), max_length=40, example="she/her"),
        Column(
            "preferred_language",
            gettext_lazy("Preferred language for contact"),
            max_length=40,
            aliases=("language",),
            help_text=gettext_lazy("A code such as en, es, so, hmn, or a language's name."),
            example="so",
        ),
        Column(
            "email",
            gettext_lazy("Email"),
            kind="email",
            aliases=("e_mail", "email_address", "e_mail_address", "correo"),
        ),
        Column(
            "phone", gettext_lazy("Phone"), kind="phone", max_length=40, aliases=("telephone", "telefono")
        ),
        Column(
            "mobile",
            gettext_lazy("Mobile (for text messages)"),
            kind="phone",
            max_length=40,
            aliases=("cell", "cell_phone", "mobile_phone", "sms"),
        ),
        Column(
            "organization",
            gettext_lazy("Organization"),
            max_length=200,
            aliases=("organisation", "org", "organization_slug", "organization_name"),
            help_text=gettext_lazy("Its name or short name; it must exist or be on the Organizations sheet."),
        ),
        Column(
            "role", gettext_lazy("Role at the organization"), max_length=100, aliases=("title", "position")
        ),
        Column(
            "representative",
            gettext_lazy("Represents the organization"),
            kind="bool",
            aliases=("is_representative", "rep"),
        ),
        Column("consent_email", gettext_lazy("Consents to email"), kind="bool"),
        Column("consent_sms", gettext_lazy("Consents to text messages"), kind="bool"),
        Column("consent_phone", gettext_lazy("Consents to phone calls"), kind="bool"),
        Column(
            "consent_text_version",
            gettext_lazy("Version of the consent text"),
            max_length=40,
            aliases=("text_version", "consent_version"),
        ),
        Column("visibility", gettext_lazy("Visibility"), kind="choice", choices=_visibility_choices),
    )
    FIELDS = (
        "full_name",
        "name_for_greeting",
        "pronouns",
        "preferred_language",
        "phone",
        "mobile",
        "visibility",
    )

    def clean_row(self, row: Row) -> None:
        language = row.get("preferred_language")
        if language is not None:
            code = language.strip().lower().replace("_", "-")
            if not LANGUAGE_CODE.match(code) or len(code) > 20:
                found = _language_names().get(fold_name(language))
                if found is None:
                    row.error(
                        _("“%(value)s” is not a language code (such as en, es, so, hmn).")
                        % {"value": language},
                        "preferred_language",
                    )
                    return
                row.warn(
                    _("“%(value)s” was read as the language code “%(code)s”.")
                    % {"value": language, "code": found},
                    "preferred_language",
                )
                code = found
            row.values["preferred_language"] = row.display["preferred_language"] = code
        if (row.has("role") or row.has("representative")) and not row.has("organization"):
            row.error(
                _("A role or representative flag needs an organization in the same row."), "organization"
            )

    def prepare(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        """Resolve every organisation named in the file, at once, to its slug."""
        refs = {row.get("organization") for row in rows if row.has("organization")}
        if not refs:
            return
        known: dict[str, dict[str, set]] = {"slug": defaultdict(set), "name": defaultdict(set)}
        ids: dict[str, int] = {}
        for org in lookup_in(
            Organization.objects.only("id", "slug", "name_folded"),
            "slug",
            {r.lower() for r in refs} | {slugify(r) for r in refs},
        ):
            known["slug"][org.slug].add(org.slug)
            ids[org.slug] = org.pk
        for org in lookup_in(
            Organization.objects.only("id", "slug", "name_folded"),
            "name_folded",
            {fold_name(r) for r in refs},
        ):
            known["name"][org.name_folded].add(org.slug)
            ids[org.slug] = org.pk
        companion = companions.get("organizations")
        if companion is not None:
            for org_row in companion.rows:
                if not org_row.has("name"):
                    continue
                slug = org_row.extra.get("slug") or org_row.get("slug") or slugify(org_row.get("name"))
                if slug:
                    known["slug"][slug].add(slug)
                    known["name"][fold_name(org_row.get("name"))].add(slug)
        for row in rows:
            ref = row.get("organization")
            if ref is None:
                continue
            found = (
                known["slug"].get(ref.lower())
                or known["name"].get(fold_name(ref))
                or known["slug"].get(slugify(ref))
            )
            if not found:
                row.error(
                    _(
                        "There is no organization “%(name)s”. Import it first, "
                        "or add it on an “Organizations” "
                        "sheet in the same workbook."
                    )
                    % {"name": ref},
                    "organization",
                )
            elif len(found) > 1:
                row.error(
                    _(
                        "Several organizations are called “%(name)s” (%(slugs)s); "
                        "write the short name instead."
                    )
                    % {"name": ref, "slugs": ", ".join(sorted(found))},
                    "organization",
                )
            else:
                slug = next(iter(found))
                row.extra["org_slug"] = slug
                row.extra["org_id"] = ids.get(slug)

    def natural_key(self, row: Row) -> Hashable:
        if row.has("email"):
            return ("email", row.get("email"))
        return ("name", _folded(row), row.extra.get("org_slug"))

    def describe_key(self, key) -> str:
        if key[0] == "email":
            return _("email “%(email)s”") % {"email": key[1]}
        if key[2]:
            return _("name “%(name)s” at “%(org)s”") % {"name": key[1], "org": key[2]}
        return _("name “%(name)s” with no email or organization") % {"name": key[1]}

    def resolve(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        people = Person.objects.filter(merged_into__isnull=True).order_by()
        # Existing records are read as plain values, not model instances: a re-import of 100,000
        # people reads 100,000 of each. `write` loads instances only for what changes.
        by_email: dict[str, list] = defaultdict(list)
        for person in _people(
            people, "email_normalized", [r.values["email"] for r in rows if r.has("email")]
        ):
            by_email[person.email_normalized].append(person)
        # Rows without email are matched by name and organisation. So are rows whose email is new,
        # among people on file *without* an email (asked by organisation, not by 100,000 names).
        nameless = [r for r in rows if not r.has("email")]
        unknown = [
            r
            for r in rows
            if r.has("email") and r.extra.get("org_id") and not by_email.get(r.values["email"])
        ]
        pairs: set[tuple[int, int]] = set()  # (person, organisation) of open affiliations
        current = Affiliation.objects.filter(end_on__isnull=True, person__merged_into__isnull=True).order_by()
        if any(r.extra.get("org_id") for r in nameless):
            names = {_folded(r) for r in nameless if r.extra.get("org_id")}
            pairs.update(
                lookup_in(current.values_list("person_id", "organization_id"), "person__name_folded", names)
            )
        if unknown:
            # Among the people on file without email, those whose folded name is one of these
            # rows' (read once, as a few plain columns), then their open affiliations: asking by
            # organisation instead made the database pair every such person with every
            # organisation the file names.
            wanted = {_folded(r) for r in unknown}
            emailless = people.filter(email_normalized="").order_by()
            candidates = [
                pk
                for pk, folded, sort_name, full_name in emailless.values_list(
                    "id", "name_folded", "sort_name", "full_name"
                ).iterator(chunk_size=10_000)
                # name_folded is the folded sort name when there is one; rows match on full name
                if (fold_name(full_name)[:200] if sort_name else folded) in wanted
            ]
            pairs.update(
                lookup_in(current.values_list("person_id", "organization_id"), "person_id", candidates)
            )
        by_name_org: dict[tuple, list] = defaultdict(list)
        if pairs:
            found = {p.pk: p for p in _people(people, "id", {person_id for person_id, _org in pairs})}
            for person_id, org_id in sorted(pairs):
                person = found[person_id]
                by_name_org[(fold_name(person.full_name)[:200], org_id)].append(person)
        if any(not r.extra.get("org_slug") for r in nameless):
            loners = (
                people.filter(email_normalized="")
                .annotate(
                    open_affiliations=Count("affiliations", filter=Q(affiliations__end_on__isnull=True))
                )
                .filter(open_affiliations=0)
            )
            names = {_folded(r) for r in nameless if not r.extra.get("org_slug")}
            for person in _people(loners, "name_folded", names):
                by_name_org[(fold_name(person.full_name)[:200], None)].append(person)

        targets: dict[int, Row] = {}
        for row in rows:
            email = row.values.get("email")
            matches = by_email.get(email, []) if email else []
            if not matches and by_name_org:
                org_id = row.extra.get("org_id")
                if email is None and not (row.extra.get("org_slug") and not org_id):
                    matches = by_name_org.get((_folded(row), org_id), [])
                elif email and org_id:
                    matches = [
                        p for p in by_name_org.get((_folded(row), org_id), []) if not p.email_normalized
                    ]
            if len(matches) > 1:
                column = "email" if row.has("email") else "full_name"
                row.error(
                    _("%(count)d people in the directory match this row; merge them first.")
                    % {"count": len(matches)},
                    column,
                )
                continue
            if matches:
                if matches[0].pk in targets:
                    row.error(
                        _("Row %(row)d is about the same person; a person may appear only once.")
                        % {"row": targets[matches[0].pk].number}
                    )
                    continue
                row.target = matches[0]
                targets[row.target.pk] = row

        open_affiliations: dict[tuple[int, int], SimpleNamespace] = {}
        active_consents: dict[tuple[int, str], list] = defaultdict(list)
        if targets:
            affiliations = Affiliation.objects.filter(end_on__isnull=True).values(
                "id", "person_id", "organization_id", "role", "is_representative"
            )
            for values in lookup_in(affiliations, "person_id", targets):
                open_affiliations[(values["person_id"], values["organization_id"])] = _record(values)
            if any(r.has(c) for r in targets.values() for c in CONSENT_COLUMNS):
                now = timezone.now()
                consents = ConsentRecord.objects.filter(
                    Q(expires_at__isnull=True) | Q(expires_at__gt=now),
                    purpose__in=CONSENT_COLUMNS.values(),
                    withdrawn_at__isnull=True,
                    given_at__lte=now,
                ).values("id", "person_id", "purpose", "text_version")
                for values in lookup_in(consents, "person_id", targets):
                    active_consents[(values["person_id"], values["purpose"])].append(_record(values))

        for row in rows:
            if row.errors:
                continue
            target = row.target
            if target is None:
                row.action = ACTION_CREATE
                self._plan_affiliation(row, None)
                self._plan_consents(row, None, {})
                continue
            diff = _FieldDiff(self, row, target)
            for name in self.FIELDS:
                diff.compare(name)
            diff.compare("email")  # someone on file without email, matched by name and organization
            row.extra["fields"] = diff.fields
            affiliation = (
                open_affiliations.get((target.pk, row.extra.get("org_id")))
                if row.extra.get("org_id")
                else None
            )
            self._plan_affiliation(row, affiliation)
            consents = {
                purpose: active_consents.get((target.pk, purpose), []) for purpose in CONSENT_COLUMNS.values()
            }
            self._plan_consents(row, target, consents)
            changed = (
                diff.fields
                or row.extra["affiliation"]
                or row.extra["consents_give"]
                or row.extra["consents_withdraw"]
            )
            row.action = ACTION_UPDATE if changed else ACTION_UNCHANGED

    def notices(self, rows: list[Row]) -> list[str]:
        if any(
            row.extra.get("consents_give") and row.values.get("consent_text_version") is None for row in rows
        ):
            return [
                _("Rows without a consent_text_version record consent as version “%(v)s”.")
                % {"v": DEFAULT_CONSENT_VERSION}
            ]
        return []

    def _plan_affiliation(self, row: Row, existing: Affiliation | None) -> None:
        """Sets row.extra["affiliation"]: None (nothing to do), ("create", role, representative) or
        ("update", affiliation, fields)."""
        row.extra["affiliation"] = None
        slug = row.extra.get("org_slug")
        if not slug:
            return
        role, rep = row.get("role"), row.get("representative")
        if existing is None:
            row.extra["affiliation"] = ("create", role or "", bool(rep))
            if row.target is not None:
                row.changes.append(_("joins %(org)s") % {"org": row.get("organization")})
            return
        fields = {}
        if role is not None and role != existing.role:
            fields["role"] = role
            row.changes.append(_("role: “%(old)s” → “%(new)s”") % {"old": existing.role or "—", "new": role})
        if rep is not None and rep != existing.is_representative:
            fields["is_representative"] = rep
            row.changes.append(
                _("represents %(org)s: %(value)s")
                % {"org": row.get("organization"), "value": display_value(rep)}
            )
        if fields:
            row.extra["affiliation"] = ("update", existing, fields)

    def _plan_consents(self, row: Row, target: Person | None, active: dict) -> None:
        give, withdraw = [], []
        values = row.values
        version = values.get("consent_text_version") or DEFAULT_CONSENT_VERSION
        row.extra["consents_give"] = give
        row.extra["consents_withdraw"] = withdraw
        row.extra["consent_version"] = version
        for column, purpose in CONSENT_COLUMNS.items():
            answer = values.get(column)
            if answer is None:
                continue
            records = active.get(purpose, []) if target is not None else []
            label = CONSENT_LABELS[purpose]
            if answer:
                versions = {r.text_version for r in records}
                if not records or (row.has("consent_text_version") and version not in versions):
                    give.append(purpose)
                    if target is not None:
                        row.changes.append(
                            _("consent recorded: %(purpose)s (version %(v)s)")
                            % {"purpose": label, "v": version}
                        )
            elif records:
                withdraw.extend(r.pk for r in records)
                row.changes.append(_("consent withdrawn: %(purpose)s") % {"purpose": label})
                row.warn(
                    _("“no” withdraws this person's consent to: %(purpose)s.") % {"purpose": label}, column
                )

    def write(self, rows: list[Row], *, actor, batch) -> dict[str, int]:
        now, today, user, reason = timezone.now(), timezone.localdate(), _user(actor), _reason(batch)
        # New people are written from plain values, not model instances: at 100,000 rows the
        # instances alone would take longer than the whole import may (docs/adr/0003-imports.md).
        created_rows, new_people, updates = [], [], []
        update_fields: set[str] = set()
        for row in rows:
            if row.action == ACTION_CREATE:
                person = {name: value for name in self.FIELDS if (value := row.values.get(name)) is not None}
                # What _person_normalize sets, from what validation already made of the cells:
                # the email is parsed (lower case, stripped), the phones are in ASCII digits, the
                # folded name is the natural key's (a new person has no sort name).
                email = (row.values.get("email") or "").strip().lower()
                phone, mobile = person.setdefault("phone", ""), person.setdefault("mobile", "")
                person.update(
                    email=email,
                    email_normalized=email,
                    sort_name="",
                    phone_normalized=_phone_key(mobile or phone),
                    name_folded=_folded(row),
                )
                person.setdefault("visibility", Visibility.MEMBERS)
                created_rows.append(row)
                new_people.append(person)
            elif row.extra["fields"]:
                updates.append(row)
        people = _instances(Person, [row.target for row in updates])
        for i, row in enumerate(updates):
            person = updates[i] = people[row.target.pk]
            for name, value in row.extra["fields"].items():
                setattr(person, name, value)
                update_fields.add(name)
            _person_normalize(person)
            person.updated_at = now
        for row, person in zip(
            created_rows, _insert(Person, new_people, user=user, reason=reason), strict=True
        ):
            row.extra["person_id"] = person["id"]
        if updates:
            fields = sorted(
                update_fields | {"email", "email_normalized", "phone_normalized", "name_folded", "updated_at"}
            )
            _bulk_update(
                updates,
                Person,
                fields,
                batch_size=WRITE_BATCH,
                default_user=user,
                default_change_reason=reason,
            )

        # Organisations created by a companion sheet a moment ago get their ids here.
        missing = {
            row.extra["org_slug"] for row in rows if row.extra.get("org_slug") and not row.extra.get("org_id")
        }
        org_ids = {
            org.slug: org.pk for org in lookup_in(Organization.objects.only("id", "slug"), "slug", missing)
        }
        new_affiliations, changed_affiliations = [], []
        for row in rows:
            plan = row.extra.get("affiliation")
            if plan is None:
                continue
            if plan[0] == "create":
                new_affiliations.append(
                    {
                        "person_id": _person_id(row),
                        "organization_id": row.extra.get("org_id") or org_ids[row.extra["org_slug"]],
                        "role": plan[1],
                        "is_representative": plan[2],
                        "start_on": today,
                    }
                )
            else:
                changed_affiliations.append(plan)
        affiliations = _instances(Affiliation, [plan[1] for plan in changed_affiliations])
        for i, (_update, record, fields) in enumerate(changed_affiliations):
            affiliation = changed_affiliations[i] = affiliations[record.pk]
            for name, value in fields.items():
                setattr(affiliation, name, value)
        _insert(Affiliation, new_affiliations, user=user, reason=reason)
        if changed_affiliations:
            _bulk_update(
                changed_affiliations,
                Affiliation,
                ["role", "is_representative"],
                batch_size=WRITE_BATCH,
                default_user=user,
                default_change_reason=reason,
            )

        consents = [
            {
                "person_id": _person_id(row),
                "purpose": purpose,
                "text_version": row.extra["consent_version"],
                "source": ConsentSource.IMPORT,
                "given_at": now,
                "recorded_by_id": getattr(user, "pk", None),
            }
            for row in rows
            for purpose in row.extra.get("consents_give", [])
        ]
        insert_rows(ConsentRecord, consents)  # the ledger is append-only: its rows are its history
        withdrawn = [pk for row in rows for pk in row.extra.get("consents_withdraw", [])]
        for part in range(0, len(withdrawn), WRITE_BATCH):
            ConsentRecord.objects.filter(pk__in=withdrawn[part : part + WRITE_BATCH]).update(withdrawn_at=now)
        return {
            "created": len(new_people),
            "updated": len(updates),
            "affiliations_created": len(new_affiliations),
            "affiliations_updated": len(changed_affiliations),
            "consents_given": len(consents),
            "consents_withdrawn": len(withdrawn),
        }


PERSON_VALUES = ("id", "email", "email_normalized", *PersonImport.FIELDS)


def _record(values: dict) -> SimpleNamespace:
    return SimpleNamespace(pk=values["id"], **values)


def _people(queryset, field: str, keys) -> list[SimpleNamespace]:
    return [_record(values) for values in lookup_in(queryset.values(*PERSON_VALUES), field, keys)]


def _instances(model, records) -> dict[int, object]:
    """Model instances for the records `resolve` read as values, for the ones that change."""
    return {obj.pk: obj for obj in lookup_in(model.objects.all(), "pk", [r.pk for r in records])}


def _folded(row: Row) -> str:
    folded = row.extra.get("folded")
    if folded is None:
        folded = row.extra["folded"] = _fold(row.values["full_name"])[:200]
    return folded


def _fold(name: str) -> str:
    """`fold_name`, with a shortcut for names in plain ASCII (no accents to strip, and casefold is
    lower): the same result, at a third of the cost, for the many names an import folds. Other
    names are folded word by word (folding never joins what whitespace separates), each word once:
    a file of 100,000 people repeats its given names and surnames."""
    if name.isascii():
        return " ".join(NOT_WORD.sub(" ", name.lower()).split())
    return " ".join([folded for word in name.split() if (folded := _fold_word(word))])


@functools.lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    if word.isascii():
        return " ".join(NOT_WORD.sub(" ", word.lower()).split())
    return fold_name(word)


def _phone_key(phone: str) -> str:
    """`normalize_phone`, with a shortcut for a number already in ASCII digits (as the phone
    columns are once parsed)."""
    if not phone:
        return ""
    if not phone.isascii():
        return normalize_phone(phone)
    digits = NOT_DIGIT.sub("", phone)
    return digits[1:] if len(digits) == 11 and digits[0] == "1" else digits


def _person_id(row: Row) -> int:
    return row.target.pk if row.target is not None else row.extra["person_id"]
