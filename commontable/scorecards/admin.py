"""Admin for scorecards: for looking things up. Rubrics, versions, sessions and scores change
through the services, which check and audit them (a published version never changes)."""

from django.contrib import admin

from commontable.scorecards.models import Rubric, RubricVersion, ScoringSession


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rubric)
class RubricAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "source_language")
    search_fields = ("name", "slug")


@admin.register(RubricVersion)
class RubricVersionAdmin(ReadOnlyAdmin):
    list_display = ("rubric", "number", "status", "published_at", "weights_decided_at")
    list_filter = ("status",)


@admin.register(ScoringSession)
class ScoringSessionAdmin(ReadOnlyAdmin):
    list_display = ("title", "investment", "version", "status", "visibility", "results_public")
    list_filter = ("status", "visibility")
