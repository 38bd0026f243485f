"""The JSON API at /api/v1/: each app's router mounted on one NinjaAPI."""

from ninja import NinjaAPI

from commontable.accounts.api import api_auth

api = NinjaAPI(
    title="Common Table API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    description="The member directory and, as they are built, the coalition's other records. "
    "Authenticate with a personal token (Authorization: Bearer ct_…) or a browser session.",
)

from commontable.directory.api import router as directory_router  # noqa: E402

api.add_router("/", directory_router)
