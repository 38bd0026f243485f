"""The organisations importer: keyed on slug, or on the folded name when a row has none."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

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
    lookup_in,
)
from commontable.core.text import fold_name
from commontable.directory.choices import (
    MEMBERSHIP_TRANSITIONS,
    MembershipStatus,
    OrganizationKind,
)
from commontable.directory.importers.common import (
    PERMISSION,
    RESERVED_SLUGS,
    SLUG,
    _budget_choices,
    _bulk_create,
    _bulk_update,
    _FieldDiff,
    _reason,
    _user,
    _visibility_choices,
)
from commontable.directory.models import (
    MembershipStatusChange,
    Organization,
)

# -- organisations -----------------------------------------------------------------------------


class OrganizationImport(ImportSpec):
    kind = "organizations"
    label = gettext_lazy("Organizations")
    description = gettext_lazy(
        "Member and applicant organizations, with their membership status and profile."
    )
    permission = PERMISSION
    sheet_names = ("organisations", "orgs", "organizaciones", "ururada")
    key_help = gettext_lazy(
        "Rows are matched to existing organizations by slug; a row without a slug is matched by its "
        "name (ignoring case, accents and punctuation)."
    )
    columns = (
        Column(
            "name",
            gettext_lazy("Name"),
            required=True,
            max_length=200,
            aliases=("organization", "organisation", "organization_name", "org_name", "nombre"),
            example="Lake Street Council",
        ),
        Column(
            "slug",
            gettext_lazy("Short name in web addresses"),
            max_length=80,
            aliases=("short_name",),
            help_text=gettext_lazy("Lowercase letters, digits and hyphens. Made from the name when blank."),
            example="lake-street-council",
        ),
        Column(
            "kind",
            gettext_lazy("Kind"),
            kind="choice",
            choices=OrganizationKind.choices,
            aliases=("type",),
            example="nonprofit",
        ),
        Column("description", gettext_lazy("Description"), max_length=5000),
        Column(
            "bipoc_led",
            gettext_lazy("BIPOC-led (self-identified)"),
            kind="bool",
            aliases=("bipoc",),
            example="yes",
        ),
        Column(
            "budget_band",
            gettext_lazy("Budget"),
            kind="choice",
            choices=_budget_choices,
            aliases=("budget",),
            example="100k-500k",
        ),
        Column(
            "languages_served",
            gettext_lazy("Languages served"),
            kind="list",
            item_max_length=60,
            aliases=("languages",),
            example="English; Somali",
        ),
        Column("website", gettext_lazy("Website"), kind="url", max_length=300, example="https://example.org"),
        Column("email", gettext_lazy("General email"), kind="email"),
        Column("phone", gettext_lazy("General phone"), kind="phone", max_length=40),
        Column(
            "membership_status",
            gettext_lazy("Membership status"),
            kind="choice",
            choices=MembershipStatus.choices,
            aliases=("status", "membership"),
            example="member",
        ),
        Column("values_affirmed_on", gettext_lazy("Values last affirmed"), kind="date", example="2024-03-05"),
        Column("values_version", gettext_lazy("Version of the values affirmed"), max_length=40),
        Column("renewal_due_on", gettext_lazy("Renewal due"), kind="date", example="2025-03-05"),
        Column("shares_contacts", gettext_lazy("Shares its people's contact details"), kind="bool"),
        Column("visibility", gettext_lazy("Visibility"), kind="choice", choices=_visibility_choices),
    )
    FIELDS = (
        "kind",
        "description",
        "budget_band",
        "languages_served",
        "website",
        "email",
        "phone",
        "values_affirmed_on",
        "values_version",
        "renewal_due_on",
        "shares_contacts",
        "visibility",
    )

    def clean_row(self, row: Row) -> None:
        slug = row.get("slug")
        if slug is not None:
            lowered = slug.lower()
            if lowered != slug:
                row.warn(_("Read as “%(slug)s” (lowercase).") % {"slug": lowered}, "slug")
                row.values["slug"] = row.display["slug"] = slug = lowered
            if not SLUG.match(slug):
                row.error(_("Use only lowercase letters, digits and hyphens."), "slug")
            elif slug in RESERVED_SLUGS:
                row.error(_("“%(slug)s” is reserved; choose another.") % {"slug": slug}, "slug")
        if row.has("bipoc_led"):
            row.values["bipoc_led"] = "yes" if row.values["bipoc_led"] else "no"

    def natural_key(self, row: Row) -> Hashable:
        slug = row.get("slug") or slugify(row.get("name"))[:70]
        row.extra["slug"] = slug
        if slug:
            return ("slug", slug)
        return ("name", fold_name(row.get("name")))

    def describe_key(self, key) -> str:
        if key[0] == "slug":
            return _("short name “%(slug)s”") % {"slug": key[1]}
        return _("name “%(name)s”") % {"name": key[1]}

    def resolve(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        explicit = [row for row in rows if row.has("slug")]
        by_name = [row for row in rows if not row.has("slug")]
        by_slug = {
            org.slug: org
            for org in lookup_in(Organization.objects.all(), "slug", [r.extra["slug"] for r in rows])
        }
        named: dict[str, list[Organization]] = defaultdict(list)
        for org in lookup_in(
            Organization.objects.all(), "name_folded", [fold_name(r.get("name")) for r in by_name]
        ):
            named[org.name_folded].append(org)
        for row in explicit:
            self._compare(row, by_slug.get(row.extra["slug"]))
        for row in by_name:
            matches = named.get(fold_name(row.get("name")), [])
            if len(matches) > 1:
                row.error(
                    _(
                        "%(count)d organizations are named like this (%(slugs)s); "
                        "add a slug column to say which."
                    )
                    % {"count": len(matches), "slugs": ", ".join(sorted(o.slug for o in matches))},
                    "name",
                )
                continue
            target = matches[0] if matches else by_slug.get(row.extra["slug"])
            if target is not None:
                row.extra["slug"] = target.slug
            self._compare(row, target)

    def _compare(self, row: Row, target: Organization | None) -> None:
        status = row.get("membership_status")
        if target is None:
            row.action = ACTION_CREATE
            return
        row.target = target
        diff = _FieldDiff(self, row, target)
        diff.compare("name")
        for name in self.FIELDS:
            diff.compare(name)
        diff.compare("bipoc_led")
        if status and status != target.membership_status:
            if status not in MEMBERSHIP_TRANSITIONS.get(target.membership_status, set()):
                row.error(
                    _("An organization cannot go from “%(old)s” to “%(new)s”.")
                    % {
                        "old": MembershipStatus(target.membership_status).label,
                        "new": MembershipStatus(status).label,
                    },
                    "membership_status",
                )
                return
            diff.compare("membership_status")
        row.extra["fields"] = diff.fields
        row.action = ACTION_UPDATE if diff.fields else ACTION_UNCHANGED

    def write(self, rows: list[Row], *, actor, batch) -> dict[str, int]:
        today, now, user = timezone.localdate(), timezone.now(), _user(actor)
        note = _("Imported from %(file)s") % {"file": batch.filename}
        creates, updates, changes = [], [], []
        taken = set()
        for row in rows:
            if row.action == ACTION_CREATE:
                status = row.get("membership_status", MembershipStatus.APPLICANT)
                org = Organization(
                    name=row.get("name"),
                    slug=row.extra["slug"],
                    name_folded=fold_name(row.get("name"))[:200],
                    membership_status=status,
                    member_since=today if status == MembershipStatus.MEMBER else None,
                    bipoc_led=row.get("bipoc_led", ""),
                )
                for name in self.FIELDS:
                    if row.has(name):
                        setattr(org, name, row.values[name])
                if not org.slug:
                    org.slug = self._free_slug(taken)
                taken.add(org.slug)
                creates.append(org)
                changes.append((org, status))
        for row in rows:
            if row.action == ACTION_UPDATE:
                org = row.target
                fields = row.extra["fields"]
                for name, value in fields.items():
                    setattr(org, name, value)
                if fields.get("membership_status"):
                    changes.append((org, fields["membership_status"]))
                    if fields["membership_status"] == MembershipStatus.MEMBER and org.member_since is None:
                        org.member_since = today
                org.name_folded = fold_name(org.name)[:200]
                org.updated_at = now
                updates.append(org)
        _bulk_create(
            creates,
            Organization,
            batch_size=WRITE_BATCH,
            default_user=user,
            default_change_reason=_reason(batch),
        )
        if updates:
            fields = sorted(
                {f for row in rows if row.action == ACTION_UPDATE for f in row.extra["fields"]}
                | {"name_folded", "updated_at", "member_since"}
            )
            _bulk_update(
                updates,
                Organization,
                fields,
                batch_size=WRITE_BATCH,
                default_user=user,
                default_change_reason=_reason(batch),
            )
        MembershipStatusChange.objects.bulk_create(
            [
                MembershipStatusChange(
                    organization=org, status=status, effective_on=today, note=note, recorded_by=user
                )
                for org, status in changes
            ],
            batch_size=WRITE_BATCH,
        )
        return {"created": len(creates), "updated": len(updates), "status_changes": len(changes)}

    @staticmethod
    def _free_slug(taken: set[str]) -> str:
        existing = (
            set(Organization.objects.filter(slug__startswith="org-").values_list("slug", flat=True)) | taken
        )
        n = 1
        while f"org-{n}" in existing:
            n += 1
        return f"org-{n}"
