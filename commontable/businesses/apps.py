from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessesConfig(AppConfig):
    """BIPOC-owned businesses (certifications, trades, places served) and the contracting
    opportunities on watched investments that they can bid for."""

    name = "commontable.businesses"
    label = "businesses"
    verbose_name = _("BIPOC businesses")
    navigation = [
        ("businesses:business_list", _("Businesses"), "public"),
        ("businesses:opportunity_list", _("Contracting opportunities"), "public"),
    ]
    indicators = "commontable.businesses.indicators"

    def ready(self) -> None:
        from commontable.businesses.pages import PAGES
        from commontable.businesses.selectors import investment_related
        from commontable.core import hooks

        hooks.contribute("investments.related", investment_related)
        PAGES.connect_signals()
