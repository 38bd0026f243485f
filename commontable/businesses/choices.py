from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SelfIdentified(models.TextChoices):
    """Ownership as the business states it; never inferred (as the directory's BIPOC-led)."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSTATED = "", _("Not stated")


class EmployeesBand(models.TextChoices):
    UNSTATED = "", _("Not stated")
    SOLO = "1", _("Just the owner")
    UNDER_10 = "2-9", _("2 to 9 employees")
    UNDER_50 = "10-49", _("10 to 49 employees")
    UNDER_250 = "50-249", _("50 to 249 employees")
    OVER_250 = "250+", _("250 employees or more")


class CertificationProgram(models.TextChoices):
    """Certification programs Twin Cities public owners recognise."""

    # Translators: the Central Certification program run by Saint Paul for Saint Paul, Minneapolis, Hennepin and Ramsey.
    CERT = "cert", _("CERT (Central Certification: Saint Paul, Minneapolis, Hennepin, Ramsey)")
    TGB = "tgb", _("TGB (Targeted Group Business, State of Minnesota)")
    DBE = "dbe", _("DBE (Disadvantaged Business Enterprise, US Department of Transportation)")
    MBE = "mbe", _("MBE (Minority Business Enterprise)")
    WBE = "wbe", _("WBE (Woman Business Enterprise)")
    SBE = "sbe", _("SBE (Small Business Enterprise)")
    VOSB = "vosb", _("VOSB (Veteran-Owned Small Business)")
    OTHER = "other", pgettext_lazy("certification program", "Other")


# Short names for tables and filters, where the long ones do not fit.
PROGRAM_SHORT = {
    CertificationProgram.CERT: "CERT",
    CertificationProgram.TGB: "TGB",
    CertificationProgram.DBE: "DBE",
    CertificationProgram.MBE: "MBE",
    CertificationProgram.WBE: "WBE",
    CertificationProgram.SBE: "SBE",
    CertificationProgram.VOSB: "VOSB",
}


class OpportunityStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("opportunity status", "Open")
    CLOSED = "closed", pgettext_lazy("opportunity status", "Closed")
    AWARDED = "awarded", pgettext_lazy("opportunity status", "Awarded")
