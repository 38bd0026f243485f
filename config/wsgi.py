import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from commontable.core.startup import settle_long_lived_objects  # noqa: E402 (needs Django set up)

settle_long_lived_objects()
