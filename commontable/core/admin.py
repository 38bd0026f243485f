from django.contrib import admin

from commontable.core.models import (
    ActivityLog,
    Delivery,
    FeedToken,
    ImportBatch,
    IssueTopic,
    Place,
    Subscription,
)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(IssueTopic)
class IssueTopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by services, never edited."""

    list_display = ("created_at", "actor_repr", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_repr", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: imports are checked and applied through the import pages, which keep the rules."""

    list_display = ("created_at", "kind", "filename", "status", "created_by", "applied_at")
    list_filter = ("kind", "status")
    search_fields = ("filename",)
    exclude = ("content",)
    readonly_fields = ("public_id", "kind", "filename", "sha256", "status", "summary", "created_by", "applied_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(_ReadOnly):
    """Read-only: people opt in and out themselves (watch buttons, one-click unsubscribe)."""

    list_display = ("topic", "object_id", "user", "email", "language", "cadence", "unsubscribed_at")
    list_filter = ("topic", "cadence", "channel")
    search_fields = ("email", "user__email", "topic")


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnly):
    """Read-only: what was sent, once, to whom (no opens or clicks are recorded)."""

    list_display = ("created_at", "topic", "recipient", "status", "sent_at")
    list_filter = ("status", "topic")
    search_fields = ("key", "recipient")


@admin.register(FeedToken)
class FeedTokenAdmin(_ReadOnly):
    """Read-only: the owner makes and revokes feed links; only the prefix is shown."""

    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)
