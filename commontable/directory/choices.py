from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    NONPROFIT = "nonprofit", _("Nonprofit")
    COALITION = "coalition", _("Coalition or network")
    FAITH = "faith", _("Faith community")
    TENANT = "tenant", _("Tenant or resident association")
    BUSINESS = "business", _("Business or business association")
    LABOR = "labor", _("Labor union or worker center")
    CULTURAL = "cultural", _("Cultural organization")
    INFORMAL = "informal", _("Informal group")
    AGENCY = "agency", _("Public agency or government body")
    DEVELOPER = "developer", _("Developer")
    OTHER = "other", _("Other")


class BudgetBand(models.TextChoices):
    UNDER_100K = "lt100k", _("Under $100,000")
    UNDER_500K = "100k-500k", _("$100,000 – $500,000")
    UNDER_1M = "500k-1m", _("$500,000 – $1 million")
    UNDER_5M = "1m-5m", _("$1 – 5 million")
    OVER_5M = "gt5m", _("Over $5 million")
    UNKNOWN = "", _("Not stated")


class BipocLed(models.TextChoices):
    """Self-identified by the organisation; never inferred."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSTATED = "", _("Not stated")


class MembershipStatus(models.TextChoices):
    # Agencies, developers and employers the coalition works on, not with: counterparts, never members.
    NOT_MEMBER = "none", _("Not a member")
    APPLICANT = "applicant", _("Applicant")
    MEMBER = "member", _("Member")
    LAPSED = "lapsed", _("Lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Which status may follow which. Dues never decide membership by themselves.
MEMBERSHIP_TRANSITIONS: dict[str, set[str]] = {
    MembershipStatus.NOT_MEMBER: {MembershipStatus.APPLICANT},
    MembershipStatus.APPLICANT: {MembershipStatus.MEMBER, MembershipStatus.WITHDRAWN},
    MembershipStatus.MEMBER: {MembershipStatus.LAPSED, MembershipStatus.WITHDRAWN},
    MembershipStatus.LAPSED: {MembershipStatus.MEMBER, MembershipStatus.WITHDRAWN},
    MembershipStatus.WITHDRAWN: {MembershipStatus.APPLICANT},
}


class TableRole(models.TextChoices):
    CONVENOR = "convenor", _("Convenor")
    ANCHOR = "anchor", _("Anchor organization")
    MEMBER = "member", _("Member")
    PARTNER = "partner", _("Partner")


class ConsentPurpose(models.TextChoices):
    # Translators: critical — consent wording; a person agrees to exactly this text.
    CONTACT_EMAIL = "contact_email", _("Contact by email")
    # Translators: critical — consent wording; a person agrees to exactly this text.
    CONTACT_SMS = "contact_sms", _("Contact by text message (SMS)")
    # Translators: critical — consent wording; a person agrees to exactly this text.
    CONTACT_PHONE = "contact_phone", _("Contact by phone call")
    # Translators: critical — consent wording; a person agrees to exactly this text.
    SHARE_ACCESS_NEEDS = "share_access_needs", _("Share access needs with event hosts")
    # Translators: critical — consent wording; a person agrees to exactly this text.
    STORY_USE = "story_use", _("Use of my story")
    # Translators: critical — consent wording; a person agrees to exactly this text.
    PHOTO = "photo", _("Use of my photo")
    # Translators: critical — consent wording; a person agrees to exactly this text.
    DEMOGRAPHICS = "demographics", _("Counting how I identify (race or ethnicity) in figures about groups of five or more")


CHANNEL_PURPOSES = {
    "email": ConsentPurpose.CONTACT_EMAIL,
    "sms": ConsentPurpose.CONTACT_SMS,
    "phone": ConsentPurpose.CONTACT_PHONE,
}


class ConsentSource(models.TextChoices):
    WEB_FORM = "web", _("Web form")
    PAPER = "paper", _("Paper form")
    VERBAL = "verbal", _("Told staff in person or by phone")
    IMPORT = "import", _("Imported from a file")
