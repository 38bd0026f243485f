"""`log_action`: every service writes one ActivityLog entry per change."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from commontable.core.models import ActivityLog


def log_action(target: models.Model, action: str, *, actor=None, data: dict | None = None) -> ActivityLog:
    """Record that `actor` did `action` (an audit code `<app>.<entity>.<verb-ed>`) to `target`."""
    return ActivityLog.objects.create(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        action=action,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        actor_repr=str(actor)[:300] if actor is not None and getattr(actor, "is_authenticated", False) else "",
        data=data or {},
    )


def activity_for(target: models.Model):
    """A record's audit trail, newest first."""
    return ActivityLog.objects.filter(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False), object_id=str(target.pk)
    ).select_related("actor")


def changed_fields(before: dict, after: dict) -> dict:
    """The fields whose values differ, as {field: [old, new]}, for the audit entry's data."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
