from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeatsConfig(AppConfig):
    """Seats at decision tables: public bodies across jurisdictions, their seats and terms, the
    coalition's leadership pipeline, the representation roll-up and the engagement-quality log
    (objectives 1.2 and 1.6)."""

    name = "commontable.seats"
    label = "seats"
    verbose_name = _("Seats at decision tables")
    navigation = [("seats:body_list", _("Seats"), "public")]
    indicators = "commontable.seats.indicators"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from commontable.core import hooks
        from commontable.core.imports import register_import
        from commontable.seats.imports import BodyImport, SeatImport
        from commontable.seats.pages import PAGES
        from commontable.seats.selectors import investment_related, person_related

        register_import(BodyImport())
        register_import(SeatImport())
        hooks.contribute("investments.related", investment_related)
        hooks.contribute("directory.person.related", person_related)
        PAGES.connect_signals()
        from commontable.directory.models import Person
        from commontable.seats.services import person_deleting

        pre_delete.connect(person_deleting, sender=Person, dispatch_uid="seats-person-deleting")
