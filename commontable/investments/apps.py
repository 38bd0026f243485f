from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentsConfig(AppConfig):
    """Public investments watched by the coalition: funding, stages, location, campaign asks and
    community-benefit commitments with their compliance."""

    name = "commontable.investments"
    label = "investments"
    verbose_name = _("Investment watch")
    navigation = [("investments:investment_list", _("Investments"), "member")]
    indicators = "commontable.investments.indicators"
