from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    ACS = "acs", _("Survey table (ACS 5-year)")
    TRACTS = "tracts", _("Tract boundaries")
    RELATIONSHIP = "relationship", _("2010→2020 tract relationship")


class Profile(models.TextChoices):
    TWIN_CITIES = "twin_cities", _("Twin Cities (default; the method's known quirks fixed)")
    UDP_COMPAT = "udp_compat", _("Compatible with the Urban Displacement Project's code")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class ReportKind(models.TextChoices):
    EVICTION_NOTICE = "eviction_notice", _("Eviction notice or filing")
    NON_RENEWAL = "non_renewal", _("Lease not renewed")
    RENT_SPIKE = "rent_spike", _("Large rent increase")
    BUYOUT = "buyout", _("Building sold or tenants bought out")
    REPAIRS = "repairs", _("Repairs refused or harassment")
    BUSINESS_CLOSURE = "business_closure", _("Business closed or pushed out")
    DEMOLITION = "demolition", _("Demolition or conversion")
    OTHER = "other", _("Something else")


class PolicyStatus(models.TextChoices):
    NONE = "none", _("None")
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    REPEALED = "repealed", _("Repealed")


# The policy types that ship with the app (staff add others): slug, name, description.
DEFAULT_POLICY_TYPES = [
    ("topa", _("Tenant opportunity to purchase"), _("Tenants get the first chance to buy their building when it is sold.")),
    ("just_cause", _("Just-cause eviction"), _("A landlord needs a stated, lawful reason to end a tenancy.")),
    ("rent_stabilization", _("Rent stabilisation"), _("Limits on how much rent may rise each year.")),
    ("inclusionary_zoning", _("Inclusionary zoning"), _("New housing includes a share of affordable homes.")),
    ("advance_notice_of_sale", _("Advance notice of sale"), _("Tenants are told ahead of time when their building is for sale.")),
    ("right_to_counsel", _("Right to counsel"), _("Tenants facing eviction get a lawyer.")),
    ("noah_preservation", _("Naturally affordable housing preservation"), _("Support to keep older, unsubsidised affordable housing affordable.")),
    ("clt_support", _("Community land trust support"), _("Public land, money or tax treatment for community land trusts.")),
]
