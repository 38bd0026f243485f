"""Pages that belong to no domain: the home page, the staff activity log, health check."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from commontable.core.models import ActivityLog
from commontable.core.visibility import viewer_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    """The whole audit log for staff, filterable by who acted and by action."""
    if not viewer_for(request.user).is_staff:
        raise PermissionDenied
    entries = ActivityLog.objects.select_related("actor")
    actor = request.GET.get("actor", "")
    if actor.isdigit():
        entries = entries.filter(actor_id=int(actor))
    action = request.GET.get("action", "")[:100]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/activity_list.html", {
        "heading": _("Activity log"), "entries": page.object_list, "page_obj": page,
        "querystring_without_page": query.urlencode() + "&" if query else "",
    })


@login_required
@require_GET
def i18n_status(request: HttpRequest) -> HttpResponse:
    """Staff: per language, how much of the interface is translated, reviewed, or falls back to English."""
    from django.conf import settings

    from commontable.core import i18n

    if not viewer_for(request.user).is_staff:
        raise PermissionDenied
    return render(request, "core/i18n_status.html", {
        "statuses": i18n.all_statuses(),
        "reviewed_share_pct": round(i18n.REVIEWED_SHARE_FOR_RELEASE * 100),
        "source_language": settings.LANGUAGE_CODE,
    })
