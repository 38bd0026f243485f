from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisplacementConfig(AppConfig):
    """Displacement watch: census tracts, the gentrification typology and the displacement risk
    index computed from survey data, planned investments overlaid, community reports and the
    anti-displacement policy inventory (objective 1.3)."""

    name = "commontable.displacement"
    label = "displacement"
    verbose_name = _("Displacement watch")
    navigation = [("displacement:displacement_map", _("Displacement"), "public")]
    indicators = "commontable.displacement.indicators"

    def ready(self) -> None:
        from commontable.displacement.pages import PAGES

        PAGES.connect_signals()
