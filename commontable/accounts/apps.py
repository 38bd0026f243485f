from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in, roles, interface language, MFA and API tokens."""

    name = "commontable.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
