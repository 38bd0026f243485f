from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from commontable.core.visibility import viewer_for


def navigation(request):
    """Navigation entries declared in each app's manifest (apps.py), filtered by role."""
    viewer = viewer_for(getattr(request, "user", None))
    items = []
    for config in apps.get_app_configs():
        for url_name, label, role in getattr(config, "navigation", []):
            if viewer.at_least(role):
                url = reverse(url_name)
                items.append({"url": url, "label": label, "current": False})
    # The entry whose address is the longest start of this page's is the current one (the
    # calendar at /investments/calendar/ is not also "Investments").
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "nav_items": items,
        "viewer": viewer,
        "language_is_beta": language in settings.COMMONTABLE_BETA_LANGUAGES,
        "beta_languages": settings.COMMONTABLE_BETA_LANGUAGES,
    }
