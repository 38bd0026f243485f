from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    """The Equitable Development Scorecard: rubrics of themes and criteria in published versions,
    scoring sessions on proposals from the investment register, and their results."""

    name = "commontable.scorecards"
    label = "scorecards"
    verbose_name = _("Scorecards")
    navigation = [("scorecards:session_list", _("Scorecards"), "public")]
    indicators = "commontable.scorecards.indicators"
