"""API authentication: a hashed personal token (Authorization: Bearer ct_…) or the session."""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from commontable.accounts.middleware import activate_user_language
from commontable.accounts.selectors import api_token_user


class TokenAuth(HttpBearer):
    """A token that is unknown, revoked or expired answers 401 at once: it never falls back to
    the session or to anonymous access, so a client learns that its token stopped working."""

    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is None:
            raise AuthenticationError()
        request.user = user
        activate_user_language(request, user)
        return user


class OptionalSession(SessionAuth):
    """Session auth that also lets anonymous visitors through (they see only public records)."""

    def __call__(self, request):
        # Without a signed-in session there is nothing to forge: skip the CSRF check, so that an
        # anonymous write answers 401 rather than a CSRF 403.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


def anonymous(request):
    """Last in the chain: public reads need no credentials."""
    return True


api_auth = [TokenAuth(), OptionalSession(csrf=True), anonymous]
# Writes: a token or a signed-in session (with its CSRF token); anyone else gets 401.
api_auth_signed_in = [TokenAuth(), OptionalSession(csrf=True)]
