"""Writes of the anti-displacement policy inventory: where a jurisdiction stands on a policy type
(status, its date and source, notes, linked campaigns) and the policy types staff add.

Every write validates first, runs in one transaction and is audited
(`displacement.policy.<verb-ed>`, `displacement.policy-type.created`); the policy's own history
(simple-history) keeps every status it had, which the policy page lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commontable.core.audit import changed_fields, log_action
from commontable.core.models import Place
from commontable.core.text import has_control_characters
from commontable.displacement.choices import PolicyStatus
from commontable.displacement.models import Policy, PolicyType
from commontable.displacement.selectors_policies import JURISDICTION_KINDS

# Statuses that say something happened on a day, on the record: they need a date and a source.
DATED = {PolicyStatus.ADOPTED, PolicyStatus.REPEALED}
POLICY_FIELDS = ("status", "status_date", "source_url", "source_note", "notes")


def _values(policy: Policy) -> dict:
    values = {name: getattr(policy, name) for name in POLICY_FIELDS}
    values["status_date"] = values["status_date"].isoformat() if values["status_date"] else None
    return values


def check_source_url(url: str) -> str:
    """A link people can open: http or https with a host, nothing else (no javascript:, no file:)."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise ValidationError({"source_url": _("Give a web address starting with http:// or https://.")},
                              code="url_scheme")
    return url


def _check_status(*, policy: Policy, status: str, status_date: dt.date | None, source_url: str,
                  source_note: str, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if status not in PolicyStatus.values:
        add("status", _("Choose none, proposed, adopted or repealed."))
    if status_date is not None and status_date > today:
        add("status_date", _("The date cannot be in the future: record a status once it has happened."))
    if status_date is not None and status_date.year < 1900:
        add("status_date", _("Give a date after 1900."))
    if status in DATED:
        if status_date is None:
            add("status_date", _("Give the date the policy was %(status)s.") % {
                "status": PolicyStatus(status).label.lower()})
        if not source_url and not source_note.strip():
            add("source_url", _("Give a source for an adopted or repealed policy: a link, a citation, or both."))
    if status == PolicyStatus.REPEALED:
        previous = policy.status if policy.pk else PolicyStatus.NONE
        if previous not in (PolicyStatus.ADOPTED, PolicyStatus.REPEALED):
            add("status", _("Only an adopted policy can be repealed. Record its adoption first (with its date "
                            "and source), then the repeal."))
        elif (previous == PolicyStatus.ADOPTED and policy.status_date and status_date
              and status_date < policy.status_date):
            add("status_date", _("The repeal cannot come before the adoption (%(date)s).") % {
                "date": date_format(policy.status_date, "DATE_FORMAT")})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def policy_status_set(
    *, actor, jurisdiction: Place, policy_type: PolicyType, status: str, status_date: dt.date | None = None,
    source_url: str = "", source_note: str = "", notes: str = "", campaigns: Iterable | None = None,
    today: dt.date | None = None,
) -> Policy:
    """Record where a jurisdiction stands on a policy type: its status (none, proposed, adopted,
    repealed) since a date, with the source that says so, notes and the coalition campaigns behind
    it. Adopted and repealed need a date (not in the future) and a source; a policy is repealed
    only after it was adopted. The record is created on its first status; each change is kept in
    its history and audited."""
    if jurisdiction.kind not in JURISDICTION_KINDS:
        raise ValidationError({"jurisdiction": _("Choose a city, county, region or state.")})
    today = today or timezone.localdate()
    source_url = check_source_url(source_url)
    source_note = (source_note or "").strip()
    policy = (
        Policy.objects.select_for_update().filter(jurisdiction=jurisdiction, policy_type=policy_type).first()
        or Policy(jurisdiction=jurisdiction, policy_type=policy_type)
    )
    _check_status(policy=policy, status=status, status_date=status_date, source_url=source_url,
                  source_note=source_note, today=today)
    created = policy.pk is None
    before = {} if created else _values(policy)
    policy.status, policy.status_date = status, status_date
    policy.source_url, policy.source_note, policy.notes = source_url, source_note, notes or ""
    policy.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError as exc:  # a status recorded at the same moment by someone else
        raise ValidationError(_("Someone else recorded this policy just now; reload the page and try again.")) from exc
    campaign_change = None
    if campaigns is not None:
        wanted = {ask.pk: ask for ask in campaigns}
        had = set(policy.campaigns.values_list("pk", flat=True))
        if set(wanted) != had:
            policy.campaigns.set(list(wanted.values()))
            campaign_change = [sorted(str(a.public_id) for a in wanted.values())]
    data = {"jurisdiction": jurisdiction.slug, "policy_type": policy_type.slug}
    if created:
        log_action(policy, "displacement.policy.created", actor=actor, data={**data, **_values(policy)})
    else:
        diff = changed_fields(before, _values(policy))
        if campaign_change:
            diff["campaigns"] = campaign_change
        if diff:
            log_action(policy, "displacement.policy.changed", actor=actor, data={**data, "changes": diff})
    return policy


@transaction.atomic
def policy_type_create(*, actor, name: str, description: str = "") -> PolicyType:
    """Add a kind of anti-displacement policy to the inventory (the usual ones ship with the app).
    Its short name is made from the name; a name already used, in any case, is refused."""
    name = (name or "").strip()
    description = (description or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the policy type a name.")})
    if has_control_characters(name) or has_control_characters(description):
        raise ValidationError(_("This field contains control characters (such as NUL), which are not allowed."))
    existing = {t.display_name.casefold() for t in PolicyType.objects.all()} | {
        n.casefold() for n in PolicyType.objects.values_list("name", flat=True)}
    if name.casefold() in existing:
        raise ValidationError({"name": _("A policy type with this name exists already.")})
    base = slugify(name)[:50] or "policy"
    slug, n = base, 2
    while PolicyType.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    position = (max(PolicyType.objects.values_list("position", flat=True), default=0) or 0) + 10
    policy_type = PolicyType(slug=slug, name=name, description=description, position=position)
    policy_type.full_clean()
    policy_type.save()
    log_action(policy_type, "displacement.policy-type.created", actor=actor,
               data={"slug": slug, "name": name, "description": description})
    return policy_type
