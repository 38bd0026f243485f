from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InvestmentKind(models.TextChoices):
    TRANSIT_LINE = "transit_line", _("Transit line")
    TRANSIT_STATION = "transit_station", _("Transit station")
    ROAD = "road", _("Road or bridge")
    PARK = "park", _("Park or green space")
    HOUSING = "housing", _("Housing")
    COMMERCIAL = "commercial", _("Commercial development")
    MIXED_USE = "mixed_use", _("Mixed-use development")
    STADIUM = "stadium", _("Stadium or arena")
    CLIMATE = "climate", _("Climate, energy or resilience")
    WATER = "water", _("Water or sewer")
    PUBLIC_BUILDING = "public_building", _("School, library or public building")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PLANNING = "planning", _("Planning")
    FUNDED = "funded", _("Funded")
    DESIGN = "design", _("Design")
    CONSTRUCTION = "construction", _("Construction")
    COMPLETE = "complete", _("Complete")
    CANCELLED = "cancelled", _("Cancelled")


# Stages move forward (a step may be skipped: funding is sometimes announced before any planning);
# any unfinished investment may be cancelled, and a cancelled one revived as proposed or planning.
STAGE_ORDER = [Stage.PROPOSED, Stage.PLANNING, Stage.FUNDED, Stage.DESIGN, Stage.CONSTRUCTION, Stage.COMPLETE]


def stage_may_follow(current: str, new: str) -> bool:
    if current == new:
        return False
    if new == Stage.CANCELLED:
        return current != Stage.COMPLETE
    if current == Stage.CANCELLED:
        return new in (Stage.PROPOSED, Stage.PLANNING)
    if current == Stage.COMPLETE:
        return False
    return STAGE_ORDER.index(new) > STAGE_ORDER.index(current)


class FundingProgram(models.TextChoices):
    IIJA = "iija", _("Federal infrastructure law (IIJA)")
    IRA = "ira", _("Federal climate law (IRA)")
    FEDERAL_TRANSIT = "fta", _("Federal transit grant")
    FEDERAL_OTHER = "federal", _("Other federal program")
    STATE_BONDING = "state_bonding", _("State bonding")
    STATE_OTHER = "state", _("Other state program")
    REGIONAL_COUNCIL = "regional", _("Regional council")
    COUNTY = "county", _("County capital plan")
    CITY_CAPITAL = "city_capital", _("City capital plan")
    TIF = "tif", _("Tax increment financing (TIF)")
    LIHTC = "lihtc", _("Low-income housing tax credits (LIHTC)")
    TAX_ABATEMENT = "abatement", _("Tax abatement")
    PRIVATE = "private", _("Private investment")
    OTHER = "other", _("Other")


class CommitmentSource(models.TextChoices):
    CBA = "cba", _("Community benefits agreement")
    DEVELOPMENT_AGREEMENT = "development_agreement", _("Development agreement")
    RESOLUTION = "resolution", _("Council or board resolution")
    SUBSIDY_CONDITION = "subsidy_condition", _("Condition of a subsidy")
    OTHER = "other", _("Other")


class CommitmentCategory(models.TextChoices):
    AFFORDABLE_UNITS = "affordable_units", _("Affordable units")
    LOCAL_HIRE = "local_hire", _("Local hire")
    BIPOC_CONTRACTING = "bipoc_contracting", _("BIPOC contracting")
    WAGES = "wages", _("Wages and benefits")
    ANTI_DISPLACEMENT = "anti_displacement", _("Anti-displacement measures")
    COMMUNITY_SPACE = "community_space", _("Community space")
    ENVIRONMENT = "environment", _("Environment and health")
    OTHER = "other", _("Other")


class TargetDirection(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")


class Compliance(models.TextChoices):
    """A commitment's standing, computed by the rules in `compliance.py`."""

    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    MISSED = "missed", _("Missed")
    NO_DATA = "no_data", _("No data")


class Escalation(models.TextChoices):
    NONE = "none", _("Not escalated")
    FLAGGED = "flagged", _("Flagged")
    LETTER_SENT = "letter_sent", _("Letter sent")
    PUBLIC = "public", _("Made public")
    RESOLVED = "resolved", _("Resolved")


# The escalation path: flagged → letter sent → public → resolved. Resolution may come at any step;
# a resolved commitment can be flagged again. No step is skipped on the way up.
ESCALATION_NEXT: dict[str, set[str]] = {
    Escalation.NONE: {Escalation.FLAGGED},
    Escalation.FLAGGED: {Escalation.LETTER_SENT, Escalation.RESOLVED},
    Escalation.LETTER_SENT: {Escalation.PUBLIC, Escalation.RESOLVED},
    Escalation.PUBLIC: {Escalation.RESOLVED},
    Escalation.RESOLVED: {Escalation.FLAGGED},
}


class AskOutcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("ask outcome", "Pending")
    WON = "won", _("Won")
    PARTLY = "partly", _("Partly won")
    LOST = "lost", _("Lost")


class AskActionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    LETTER = "letter", _("Letter")
    TESTIMONY = "testimony", _("Testimony")
    SIGN_ON = "sign_on", _("Sign-on by organizations")
    OTHER = "other", _("Other")
