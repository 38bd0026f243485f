from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The member directory: organisations, people, tables, affiliations, consent."""

    name = "commontable.directory"
    label = "directory"
    verbose_name = _("Member directory")
    navigation = [
        ("directory:organization_list", _("Organizations"), "member"),
        ("directory:person_list", _("People"), "member"),
        ("directory:table_list", _("Tables"), "member"),
        # The staff area: possible duplicates, with links to the activity log and other staff tools.
        ("directory:person_duplicate_list", _("Staff"), "staff"),
    ]

    # Figures the plan's objectives can bind to (see core/indicators.py).
    indicators = "commontable.directory.indicators"

    # A function(request) -> HTML shown on the home page.
    home_panel = "commontable.directory.views.home_panel"

    def ready(self) -> None:
        from commontable.core.visibility import set_viewer_provider
        from commontable.directory.selectors import viewer_build

        set_viewer_provider(viewer_build)
        from commontable.directory import page_cache

        page_cache.connect_signals()
        import commontable.directory.importers  # noqa: F401  (registers the people and organisations imports)
