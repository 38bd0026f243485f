"""Print the API's OpenAPI schema as JSON: sorted keys, two-space indent, English, one trailing
newline, so that the same code always prints the same bytes (docs/openapi.json is compared with
it by the test suite; `make openapi` rewrites it)."""

import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.module_loading import import_string

# Named by path, not imported: core may not import the apps that the API mounts.
DEFAULT_API = "config.api.api"


def openapi_json(api_path: str = DEFAULT_API) -> str:
    api = import_string(api_path)
    with translation.override("en"):
        schema = api.get_openapi_schema()
        return json.dumps(schema, cls=DjangoJSONEncoder, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI schema of the JSON API (make openapi writes it to docs/openapi.json)."

    def add_arguments(self, parser):
        parser.add_argument("--api", default=DEFAULT_API, help="Dotted path of the NinjaAPI instance.")

    def handle(self, *args, **options):
        self.stdout.write(openapi_json(options["api"]), ending="")
