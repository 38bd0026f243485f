from django.contrib import admin

from commontable.seats.models import EngagementProcess, Leader, Nomination, PublicBody, Seat, Term


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    fields = ("name", "seat_type", "constituency", "term_length_months", "holdover_allowed", "position")


@admin.register(PublicBody)
class PublicBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "jurisdiction", "kind", "visibility", "dissolved_on")
    list_filter = ("kind", "visibility")
    search_fields = ("name", "appointing_authority")
    inlines = [SeatInline]
    readonly_fields = ("meeting_sequence",)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    """Read-only: terms are recorded through the services, which check them against each other."""

    list_display = ("seat", "holder_person", "holder_name", "starts_on", "ends_on", "left_on", "occupied_until")
    search_fields = ("holder_name", "holder_person__full_name", "seat__name", "seat__body__name")
    raw_id_fields = ("seat", "holder_person")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ("person", "readiness", "interested_since")
    raw_id_fields = ("person",)
    exclude = ("self_identification",)


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ("leader", "seat", "nominated_on", "outcome", "outcome_on")
    raw_id_fields = ("seat", "leader", "term")


@admin.register(EngagementProcess)
class EngagementProcessAdmin(admin.ModelAdmin):
    list_display = ("title", "agency", "kind", "held_on", "score")
    raw_id_fields = ("body", "investment")
