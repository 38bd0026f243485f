"""The Django admin for the directory: a read-only inspector for staff, with
django-simple-history's version pages on the records that keep their history. Every change goes
through the directory's pages, whose services normalise, check and audit it; an admin form would
bypass all three, so nothing here can be added, changed or deleted."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commontable.directory.models import (
    AccessNeeds,
    Affiliation,
    ConsentRecord,
    ConsentUsage,
    MembershipStatusChange,
    Organization,
    Person,
    Table,
    TableParticipation,
)


class ReadOnlyMixin:
    """Nothing is added, changed or deleted through the admin: the directory's pages do that."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyLedgerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Consent rows and status history are ledgers: never edited or deleted."""


class AffiliationInline(ReadOnlyMixin, admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person", "organization"]


class MembershipStatusChangeInline(admin.TabularInline):
    model = MembershipStatusChange
    extra = 0
    readonly_fields = ["status", "effective_on", "note", "recorded_by", "recorded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "membership_status", "bipoc_led", "visibility", "renewal_due_on"]
    list_filter = ["membership_status", "kind", "bipoc_led", "visibility"]
    search_fields = ["name", "slug"]
    readonly_fields = ["public_id", "membership_status", "member_since", "created_at", "updated_at"]
    filter_horizontal = ["issues", "places_served"]
    inlines = [MembershipStatusChangeInline]


@admin.register(Person)
class PersonAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "email", "preferred_language", "visibility", "merged_into"]
    list_filter = ["visibility"]
    search_fields = ["full_name", "aliases", "email"]
    readonly_fields = ["public_id", "merged_into", "created_at", "updated_at"]
    raw_id_fields = ["user"]
    inlines = [AffiliationInline]


@admin.register(Affiliation)
class AffiliationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["person", "organization", "role", "is_representative", "start_on", "end_on"]
    list_filter = ["is_representative"]
    search_fields = ["person__full_name", "organization__name"]
    autocomplete_fields = ["person", "organization"]


@admin.register(Table)
class TableAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "convenor", "is_active", "visibility"]
    list_filter = ["is_active", "visibility"]
    search_fields = ["name", "slug"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    filter_horizontal = ["issues", "places"]


@admin.register(TableParticipation)
class TableParticipationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["table", "organization", "role", "joined_on", "left_on"]
    list_filter = ["role", "table"]
    autocomplete_fields = ["table", "organization"]


@admin.register(AccessNeeds)
class AccessNeedsAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["person", "interpretation_language", "updated_at"]
    search_fields = ["person__full_name", "interpretation_language"]
    autocomplete_fields = ["person"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyLedgerAdmin):
    list_display = ["person", "purpose", "text_version", "source", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "source"]
    search_fields = ["person__full_name"]


@admin.register(ConsentUsage)
class ConsentUsageAdmin(ReadOnlyLedgerAdmin):
    list_display = ["consent", "used_at", "used_by", "detail"]


@admin.register(MembershipStatusChange)
class MembershipStatusChangeAdmin(ReadOnlyLedgerAdmin):
    list_display = ["organization", "status", "effective_on", "recorded_by"]
    list_filter = ["status"]
