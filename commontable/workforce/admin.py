"""The Django admin for workforce records: a read-only inspector for staff. Goals are kept and
hours imported through the workforce pages, whose services check and audit every write; an admin
form would bypass both, so nothing here can be added, changed or deleted."""

from django.contrib import admin

from commontable.workforce.models import HoursRecord, WorkforceGoal


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkforceGoal)
class WorkforceGoalAdmin(ReadOnlyAdmin):
    list_display = ("investment", "measure", "target_percent", "source", "starts_on", "ends_on")
    list_filter = ("measure", "source")
    list_select_related = ("investment",)
    search_fields = ("investment__name", "source_note")


@admin.register(HoursRecord)
class HoursRecordAdmin(ReadOnlyAdmin):
    list_display = ("investment", "employer_name", "trade", "period_start", "period_end", "total_hundredths",
                    "bipoc_hundredths", "women_hundredths", "apprentice_hundredths")
    list_filter = ("period_end",)
    list_select_related = ("investment",)
    search_fields = ("investment__name", "employer_name", "trade")
    raw_id_fields = ("organization", "import_batch", "created_by")
