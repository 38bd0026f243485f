"""Admin for the business directory: for looking things up and fixing data. Changes that matter
(certifications, awards, notices) go through the pages and services, which audit them."""

from django.contrib import admin

from commontable.businesses.models import (
    Business,
    BusinessTrade,
    Certification,
    ContractingOpportunity,
    OpportunityTrade,
)


class TradeInline(admin.TabularInline):
    model = BusinessTrade
    extra = 0


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0
    fields = ("program", "program_other", "number", "valid_from", "valid_until")


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "bipoc_owned", "visibility", "organization", "notices_consent_at", "notices_withdrawn_at")
    list_filter = ("bipoc_owned", "visibility", "employees")
    search_fields = ("name", "slug", "email")
    autocomplete_fields = ("organization",)
    filter_horizontal = ("places_served",)
    readonly_fields = ("notices_consent_at", "notices_consent_version", "notices_withdrawn_at")
    inlines = [TradeInline, CertificationInline]


class OpportunityTradeInline(admin.TabularInline):
    model = OpportunityTrade
    extra = 0


@admin.register(ContractingOpportunity)
class ContractingOpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "investment", "status", "bid_due_on", "awarded_to", "visibility")
    list_filter = ("status", "visibility")
    search_fields = ("title", "investment__name")
    raw_id_fields = ("investment", "awarded_to")
    filter_horizontal = ("places",)
    inlines = [OpportunityTradeInline]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("business", "program", "number", "valid_from", "valid_until")
    list_filter = ("program",)
    search_fields = ("business__name", "number")
    raw_id_fields = ("business",)
