from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentsConfig(AppConfig):
    """Public investments watched by the coalition: funding, stages, location, campaign asks and
    community-benefit commitments with their compliance."""

    name = "commontable.investments"
    label = "investments"
    verbose_name = _("Investment watch")
    navigation = [
        ("investments:investment_list", _("Investments"), "member"),
        # Open to everyone: anonymous visitors see the decisions on public investments.
        ("investments:decision_calendar", _("Decision calendar"), "public"),
    ]
    indicators = "commontable.investments.indicators"

    def ready(self) -> None:
        from commontable.core.imports import register_import
        from commontable.investments import calendar
        from commontable.investments.imports import CapitalPlanImport
        from commontable.investments.pages import PAGES
        from commontable.investments.usaspending import UsaspendingImport

        register_import(CapitalPlanImport())
        register_import(UsaspendingImport())
        calendar.connect_signals()
        PAGES.connect_signals()
