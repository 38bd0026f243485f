"""HTTP glue every app's views share: permission checks, bound forms, service errors on forms,
pagination, list pages that also answer htmx, export formats."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

PER_PAGE = 50
EXPORT_FORMATS = ("csv", "xlsx")


def require(predicate, user, obj=None) -> None:
    """403 unless the permission predicate holds."""
    allowed = predicate.test(user) if obj is None else predicate.test(user, obj)
    if not allowed:
        raise PermissionDenied


def login_and(predicate) -> Callable[[Callable], Callable]:
    """A view decorator: sign-in required (302 to the login page), then the predicate (403)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            require(predicate, request.user)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def bound_data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def form_status(*forms) -> int:
    return 400 if any(form.is_bound and form.errors for form in forms) else 200


def add_service_error(form, exc: ValidationError, field: str | None = None) -> None:
    """Show a service's ValidationError on the form: on its fields where the form has them."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field if field in form.fields else None, exc.messages)


def paginate(request: HttpRequest, items) -> tuple[Page, str]:
    """A page of 50, and the query string (ending in '&') that page links keep."""
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return page, (query.urlencode() + "&") if query else ""


def render_list(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """One URL serves the page and, for htmx requests, only its `results` partial."""
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{template}#results"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in EXPORT_FORMATS else None


def editable_copy(obj):
    """A copy for a ModelForm to validate into, so that the service still sees the record as it
    was and audits what changed."""
    return copy.copy(obj)


def path_maker(viewname: str, marker) -> Callable[[object], str]:
    """A page's path from its one argument, without resolving the URL once per row of a long
    table: resolved once with `marker` (a value its converter accepts and that cannot occur in
    the rest of the path: a zero UUID, "slug-marker-0"), then the argument is put in its place."""
    from django.urls import reverse

    before, _, after = reverse(viewname, args=[marker]).partition(str(marker))
    return lambda value: f"{before}{value}{after}"
