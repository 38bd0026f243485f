from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    """Workforce goals on watched investments (BIPOC, women and apprentice hours) and the hours
    actually worked, from certified-payroll exports."""

    name = "commontable.workforce"
    label = "workforce"
    verbose_name = _("Workforce")
    navigation = [("workforce:workforce_overview", _("Workforce"), "member")]
    indicators = "commontable.workforce.indicators"

    def ready(self) -> None:
        from commontable.core import hooks
        from commontable.workforce.pages import PAGES
        from commontable.workforce.selectors import investment_related

        hooks.contribute("investments.related", investment_related)
        PAGES.connect_signals()
