"""One visibility model for every shareable record: public, members, table, staff.

`Model.objects.visible_to(user)` is the only way views and the API start a query. Who a user is
(role, tables, organisations) comes from a `Viewer`, which `directory` fills in at start-up: `core`
knows nothing of people or organisations itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    TABLE = "table", _("Table")
    STAFF = "staff", _("Staff")


class Role(models.TextChoices):
    """Site roles, from most to least trusted. Anonymous visitors are `public`."""

    ADMIN = "admin", _("Administrator")
    STAFF = "staff", _("Staff")
    BOARD = "board", _("Board")
    MEMBER = "member", _("Member")
    PUBLIC = "public", _("Public")


ROLE_RANK = {Role.PUBLIC: 0, Role.MEMBER: 1, Role.BOARD: 2, Role.STAFF: 3, Role.ADMIN: 4}


@dataclass(frozen=True)
class Viewer:
    """What visibility needs to know of a user, computed once per request."""

    role: str = Role.PUBLIC
    user_id: int | None = None
    person_id: int | None = None
    organization_ids: frozenset[int] = field(default_factory=frozenset)
    represented_organization_ids: frozenset[int] = field(default_factory=frozenset)
    table_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role.STAFF]

    @property
    def is_member(self) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role.MEMBER]

    def at_least(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


ANONYMOUS = Viewer()
_provider: Callable[[object], Viewer] | None = None


def set_viewer_provider(provider: Callable[[object], Viewer]) -> None:
    """Called once by the directory app: it knows which tables and organisations a user has."""
    global _provider
    _provider = provider


def viewer_for(user) -> Viewer:
    """The Viewer of a user, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_ct_viewer", None)
    if cached is not None:
        return cached
    if _provider is None:
        viewer = Viewer(role=getattr(user, "role", Role.MEMBER), user_id=user.pk)
    else:
        viewer = _provider(user)
    user._ct_viewer = viewer
    return viewer


def forget_viewer(user) -> None:
    """Drop the cached Viewer after a change to the user's roles or affiliations."""
    if hasattr(user, "_ct_viewer"):
        del user._ct_viewer


class VisibilityQuerySet(models.QuerySet):
    """Base QuerySet for shareable records with `visibility` and an optional `visibility_table`."""

    # None for records that are never table-only (a CheckConstraint forbids `table` visibility),
    # so they have no table field to filter on.
    table_field: str | None = "visibility_table"

    def visible_to(self, user):
        viewer = viewer_for(user)
        if viewer.is_staff:
            return self
        condition = models.Q(visibility=Visibility.PUBLIC)
        if viewer.is_member:
            condition |= models.Q(visibility=Visibility.MEMBERS)
            if viewer.table_ids and self.table_field:
                condition |= models.Q(visibility=Visibility.TABLE, **{f"{self.table_field}__in": viewer.table_ids})
        condition |= self.extra_visibility(viewer)
        return self.filter(condition)

    def extra_visibility(self, viewer: Viewer) -> models.Q:
        """Records a viewer sees whatever their visibility (e.g. their own organisation's)."""
        return models.Q(pk__in=[])


class VisibleModel(models.Model):
    """Abstract base for every shareable record."""

    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS, db_index=True
    )

    class Meta:
        abstract = True
