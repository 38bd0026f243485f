"""Directory pages (placeholder; replaced by the full set of views)."""

from django.http import HttpResponse


def organization_list(request):
    return HttpResponse("organizations")


def person_list(request):
    return HttpResponse("people")


def table_list(request):
    return HttpResponse("tables")
