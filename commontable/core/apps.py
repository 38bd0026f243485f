from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared machinery with no domain models of its own: audit log, visibility, vocabularies,
    suppression, uploads, imports and exports, the indicator registry and the test harness."""

    name = "commontable.core"
    label = "core"
    verbose_name = _("Core")
    navigation: list = []

    def ready(self) -> None:
        from commontable.core.indicators import connect_signals

        connect_signals()
