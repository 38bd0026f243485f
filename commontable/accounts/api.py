"""API authentication: a hashed personal token (Authorization: Bearer ct_…) or the session."""

from ninja.security import HttpBearer, SessionAuth

from commontable.accounts.selectors import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class OptionalSession(SessionAuth):
    """Session auth that also lets anonymous visitors through (they see only public records)."""

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


def anonymous(request):
    """Last in the chain: public reads need no credentials."""
    return True


api_auth = [TokenAuth(), OptionalSession(csrf=True), anonymous]
