"""The Django admin for the investment watch: a read-only inspector of the decision calendar for
staff. Decisions are added and changed through the calendar's pages and API, whose services check
the local time against daylight saving, derive the UTC moment, tell calendar programs of a change
(SEQUENCE) and audit it; an admin form would bypass all of that, so nothing here can be added,
changed or deleted."""

from django.contrib import admin

from commontable.investments.models import Decision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("title", "investment", "kind", "starts_on", "starts_at_time", "time_zone", "status", "body",
                    "sequence")
    list_filter = ("kind", "status", "deadline_kind", "time_zone")
    list_select_related = ("investment", "body")
    search_fields = ("title", "investment__name", "body__name", "body_name", "location")
    date_hierarchy = "starts_on"
    readonly_fields = ("public_id", "starts_at", "sequence", "created_by", "created_at", "updated_at")
