"""Interface language from the account, and MFA for staff when the coalition requires it."""

from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation


def activate_user_language(request, user) -> None:
    """Switch the request to the user's chosen language, if they chose one we offer. Also called
    by the API's token authentication, which learns the user only after the middleware ran."""
    language = getattr(user, "preferred_language", "") if user is not None and user.is_authenticated else ""
    if language and language in dict(settings.LANGUAGES) and translation.check_for_language(language):
        translation.activate(language)
        request.LANGUAGE_CODE = language


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the cookie and the browser's Accept-Language.
    Runs after authentication, so it corrects what LocaleMiddleware guessed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        activate_user_language(request, getattr(request, "user", None))
        return self.get_response(request)


class StaffMfaMiddleware:
    """With REQUIRE_MFA_FOR_STAFF on, staff and admins are sent to set up TOTP before any page
    other than the account pages."""

    allowed_prefixes = ("/accounts/", "/static/", "/language/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.COMMONTABLE_REQUIRE_MFA_FOR_STAFF:
            user = request.user
            if user.is_authenticated and user.is_staff and not request.path.startswith(self.allowed_prefixes):
                from allauth.mfa.models import Authenticator

                if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                    return redirect("mfa_activate_totp")
        return self.get_response(request)
