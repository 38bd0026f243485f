"""The JSON API at /api/v1/: each app's router mounted on one NinjaAPI.

Status codes mean the same thing everywhere: 401 a token that is unknown, revoked or expired, or
a write without credentials; 403 a record you may see but not change (or a session request
without its CSRF token); 404 a record you may not see, or that does not exist; 422 input that
does not fit, with one entry per field. The messages that are ours follow the caller's language.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.openapi.schema import OpenAPISchema

from commontable.accounts.api import anonymous, api_auth
from commontable.core.api_errors import http_message, translated


class _Schema(OpenAPISchema):
    def operation_security(self, operation):
        # An empty requirement tells clients (and Swagger) that credentials are optional where
        # anonymous callers are let through; ninja only lists the token and the session.
        security = super().operation_security(operation)
        if security is not None and anonymous in operation.auth_callbacks:
            security.append({})
        return security


class CommonTableAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        """pydantic's messages in the caller's language (core/api_errors.py)."""
        error = super().validation_error_from_error_contexts(error_contexts)
        error.errors = [translated(item) for item in error.errors]
        return error

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _Schema(self, path_prefix)


api = CommonTableAPI(
    title="Common Table API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    description=(
        "The member directory and, as they are built, the coalition's other records. "
        "Authenticate with a personal token (`Authorization: Bearer ct_…`, created on your profile "
        "page) or a browser session (writes then need the `X-CSRFToken` header). Reads work without "
        "credentials too, and then show only public records: a list is never a 401 for lack of "
        "credentials, but a token that is unknown, revoked or expired always is.\n\n"
        "401: bad token, or a write without credentials. 403: you may see the record but not "
        "change it. 404: you may not see it, or it does not exist. 422: input that does not fit, "
        "with one entry per field (`loc`, `type`, `msg`)."
    ),
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = api.create_response(
        request,
        {"detail": _("Sign in, or send a valid token: Authorization: Bearer ct_…")},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def _refused(request, exc):
    return api.create_response(request, {"detail": http_message(str(exc.message))}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(
        request, {"detail": _("You may see this record but not change it.")}, status=403
    )


from commontable.businesses.api import router as businesses_router  # noqa: E402
from commontable.directory.api import router as directory_router  # noqa: E402
from commontable.displacement.api import router as displacement_router  # noqa: E402
from commontable.displacement.api_policies import router as displacement_policies_router  # noqa: E402
from commontable.displacement.api_reports import router as displacement_reports_router  # noqa: E402
from commontable.investments.api import router as investments_router  # noqa: E402
from commontable.investments.api_calendar import router as decisions_router  # noqa: E402
from commontable.scorecards.api import router as scorecards_router  # noqa: E402
from commontable.seats.api import router as seats_router  # noqa: E402
from commontable.strategy.api import router as strategy_router  # noqa: E402
from commontable.workforce.api import router as workforce_router  # noqa: E402

api.add_router("/", directory_router)
api.add_router("/", strategy_router)
api.add_router("/", investments_router)
api.add_router("/", decisions_router)
api.add_router("/", scorecards_router)
api.add_router("/", seats_router)
api.add_router("/", businesses_router)
api.add_router("/", workforce_router)
api.add_router("/", displacement_router)
api.add_router("/", displacement_policies_router)
api.add_router("/", displacement_reports_router)
