from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    """The plan as a live spine: plan import, objectives, indicators bound to them, the
    dashboard, board reports and action items."""

    name = "commontable.strategy"
    label = "strategy"
    verbose_name = _("Strategic plan")
    navigation = [
        ("strategy:dashboard", _("Plan"), "member"),
    ]
    indicators = "commontable.strategy.indicators"
    # A function(request) -> HTML shown on the home page.
    home_panel = "commontable.strategy.views.home_panel"

    def ready(self) -> None:
        from commontable.core import hooks
        from commontable.strategy.selectors import plan_values_statement

        hooks.provide("plan.values", plan_values_statement)
