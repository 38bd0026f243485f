"""Pages of the anti-displacement policy inventory: the jurisdiction × policy matrix, one
jurisdiction's policies, one policy (status, history, sources, campaigns), and the staff forms to
record a status and to add a policy type.

The inventory is public: these pages work for anyone, without JavaScript. Only staff change it
(`permissions.can_edit_policies`): others get 403, anonymous visitors the sign-in page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from commontable.core.exports import export_response
from commontable.core.http import add_service_error, bound_data, export_format, form_status, require
from commontable.core.models import Place
from commontable.displacement import permissions, services_policies
from commontable.displacement import selectors_policies as selectors
from commontable.displacement.forms_policies import MatrixFilterForm, PolicyStatusForm, PolicyTypeForm

GET_POST = require_http_methods(["GET", "POST"])


def _can_edit(request: HttpRequest) -> bool:
    return permissions.can_edit_policies.test(request.user)


@require_safe
def policy_matrix(request: HttpRequest) -> HttpResponse:
    """Every jurisdiction (rows) against every policy type (columns): the status in each cell, as a
    word and a mark, linking to the cell's page; filtered by kind of jurisdiction."""
    form = MatrixFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_bound and form.is_valid() else ""
    # Queries: the jurisdictions, the policy types, the policies (three, whatever the size).
    matrix = selectors.policy_matrix(kind)
    fmt = export_format(request)
    if fmt:
        header = [_("Jurisdiction"), _("Kind"), _("Policy"), _("Status"), _("Since"), _("Source (link)"),
                  _("Source (citation)"), _("Notes")]
        rows = ([row.jurisdiction.name, row.jurisdiction.get_kind_display(), cell.policy_type.display_name,
                 cell.status.label, cell.policy.status_date if cell.policy else None,
                 cell.policy.source_url if cell.policy else "", cell.policy.source_note if cell.policy else "",
                 cell.policy.notes if cell.policy else ""] for row in matrix.rows for cell in row.cells)
        return export_response(fmt, "anti-displacement-policies", header, rows)
    return render(request, "displacement/policy_matrix.html", {
        "form": form, "kind": kind, "matrix": matrix, "rows": _matrix_rows(matrix), "legend": selectors.status_legend(),
        "can_edit": _can_edit(request),
    }, status=200 if not form.is_bound or form.is_valid() else 400)


def _matrix_rows(matrix: selectors.Matrix) -> list[dict]:
    """The matrix's rows, each cell's markup written here once: the template loop over an include
    and two URL lookups per cell took seconds for a few hundred jurisdictions, and the same loop
    without them still 300 ms; escaped strings joined in Python take a few milliseconds."""
    marker, type_marker = "jurisdiction-slug-marker", "type-slug-marker"
    detail = reverse("displacement:policy_detail", args=[marker, type_marker])
    listing = reverse("displacement:policy_jurisdiction", args=[marker])
    names = [(t.slug, escape(t.display_name)) for t in matrix.policy_types]
    kinds = {value: escape(str(label)) for value, label in Place.Kind.choices}
    badges = {
        code: (f'<span class="status status-policy-{code}"><span aria-hidden="true">{label.symbol}</span> '
               f"{escape(label.label)}</span>")
        for code, label in ((s.code, s) for s in selectors.status_legend())
    }
    dates: dict = {}  # a few distinct dates among thousands of cells: each formatted once
    rows = []
    for row in matrix.rows:
        place = row.jurisdiction
        place_name = escape(place.name)
        prefix = detail.replace(marker, place.slug)
        cells = []
        for (slug, name), cell in zip(names, row.cells, strict=True):
            policy = cell.policy
            when = ""
            if policy and policy.status_date:
                if policy.status_date not in dates:
                    dates[policy.status_date] = escape(date_format(policy.status_date, "SHORT_DATE_FORMAT"))
                when = f"<br><small>{dates[policy.status_date]}</small>"
            cells.append(f'<td><a href="{escape(prefix.replace(type_marker, slug))}">{badges[cell.status.code]}'
                         f'<span class="visually-hidden">: {name}, {place_name}</span></a>{when}</td>')
        rows.append({"name": place.name, "kind": kinds.get(place.kind, place.kind),
                     "url": listing.replace(marker, place.slug),
                     "cells": mark_safe("".join(cells)),  # noqa: S308 - every part escaped above
                     "adopted": row.adopted})
    return rows


@require_safe
def policy_jurisdiction(request: HttpRequest, jurisdiction: str) -> HttpResponse:
    """One jurisdiction's stand on every policy type, with the date and source of each status."""
    place = selectors.jurisdiction_get(jurisdiction)
    cells = selectors.jurisdiction_policies(place)
    return render(request, "displacement/policy_jurisdiction.html", {
        "jurisdiction": place, "cells": cells, "adopted": sum(1 for c in cells if c.status.code == "adopted"),
        "can_edit": _can_edit(request),
    })


@require_safe
def policy_detail(request: HttpRequest, jurisdiction: str, policy_type: str) -> HttpResponse:
    """Where a jurisdiction stands on one policy type: the status since its date, the sources, the
    notes, the campaigns behind it that the viewer may see, and every earlier status."""
    place = selectors.jurisdiction_get(jurisdiction)
    kind = selectors.policy_type_get(policy_type)
    policy = selectors.policy_get(place, kind)
    return render(request, "displacement/policy_detail.html", {
        "jurisdiction": place, "policy_type": kind, "policy": policy,
        "status": selectors.status_label(policy.status if policy else ""),
        "history": selectors.policy_history(policy),
        "campaigns": selectors.policy_campaigns(policy, request.user),
        "can_edit": _can_edit(request),
    })


@login_required
@GET_POST
def policy_status_set(request: HttpRequest, jurisdiction: str, policy_type: str) -> HttpResponse:
    """Staff: record or change a jurisdiction's status on a policy type."""
    place = selectors.jurisdiction_get(jurisdiction)
    kind = selectors.policy_type_get(policy_type)
    require(permissions.can_edit_policies, request.user)
    policy = selectors.policy_get(place, kind)
    choices = selectors.campaign_choices(request.user)
    linked = selectors.policy_campaigns(policy, request.user)
    form = PolicyStatusForm(bound_data(request), initial=PolicyStatusForm.initial_from(policy, linked),
                            campaign_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Links to campaigns this editor may not see are kept as they are.
        unseen = list(policy.campaigns.exclude(pk__in=[a.pk for a in linked])) if policy else []
        try:
            services_policies.policy_status_set(
                actor=request.user, jurisdiction=place, policy_type=kind, status=data["status"],
                status_date=data["status_date"], source_url=data["source_url"], source_note=data["source_note"],
                notes=data["notes"], campaigns=[*data["campaigns"], *unseen],
            )
        except ValidationError as exc:
            add_service_error(form, exc, "status")
        else:
            messages.success(request, _("The policy's status was saved."))
            return redirect("displacement:policy_detail", jurisdiction=place.slug, policy_type=kind.slug)
    return render(request, "displacement/policy_status_form.html", {
        "form": form, "jurisdiction": place, "policy_type": kind, "policy": policy,
        "heading": _("%(policy)s in %(place)s") % {"policy": kind.display_name, "place": place.name},
    }, status=form_status(form))


@login_required
@GET_POST
def policy_type_create(request: HttpRequest) -> HttpResponse:
    """Staff: add a kind of anti-displacement policy to the inventory."""
    require(permissions.can_edit_policies, request.user)
    form = PolicyTypeForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services_policies.policy_type_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc, "name")
        else:
            messages.success(request, _("The policy type was added."))
            return redirect("displacement:policy_matrix")
    return render(request, "displacement/policy_type_form.html", {
        "form": form, "heading": _("New policy type"), "policy_types": selectors.policy_type_list(),
    }, status=form_status(form))
