"""The business directory's pages: businesses (list with filters and exports, page, add, edit,
consent to notices, certifications) and contracting opportunities on investments (list, page with
the matching businesses, post, edit, close, award, notify the matches).

Anyone may look; what they see follows each record's visibility (an opportunity also needs its
investment to be visible). Each view parses, authorises (404 for what the user cannot see, 403 for
what they may see but not do), calls a selector or a service, and renders."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.businesses import permissions, selectors, services
from commontable.businesses.choices import PROGRAM_SHORT
from commontable.businesses.filters import BusinessFilter, OpportunityFilter
from commontable.businesses.forms import (
    AwardForm,
    BusinessForm,
    CertificationForm,
    CloseForm,
    NoticesConsentForm,
    OpportunityCreateForm,
    OpportunityForm,
)
from commontable.businesses.models import Business, ContractingOpportunity
from commontable.businesses.pages import PAGES
from commontable.core.audit import activity_for
from commontable.core.exports import export_response
from commontable.core.http import (
    add_service_error,
    bound_data,
    export_format,
    form_status,
    paginate,
    path_maker,
    require,
)
from commontable.core.page_cache import Fragment, render_fragment
from commontable.core.visibility import viewer_for
from commontable.directory.selectors import record_history

GET_POST = require_http_methods(["GET", "POST"])
ACTIVITY_LIMIT = 20


def _staff_activity(user, obj) -> dict:
    if not viewer_for(user).is_staff:
        return {}
    return {"activity": list(activity_for(obj)[:ACTIVITY_LIMIT]), "history": record_history(obj)}


def _dollars(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


# Businesses ---------------------------------------------------------------------------------------


def _business_export_header(with_contacts: bool) -> list[str]:
    header = [_("Name"), _("BIPOC-owned"), _("Woman-owned"), _("Current certifications"), _("NAICS codes"), _("Places served"),
              _("Bonding limit (dollars)"), _("Employees"), _("Languages"), _("Website")]
    return [*header, _("Email"), _("Phone")] if with_contacts else header


def _business_rows(user, businesses: Iterable[Business]) -> Iterable[list]:
    for b in businesses:
        row = [
            b.name, b.get_bipoc_owned_display(), b.get_woman_owned_display(),
            ", ".join(short for _program, short in b.current_programs),
            ", ".join(b.trade_codes), ", ".join(name for _slug, name, _kind in b.place_list),
            _dollars(b.bonding_limit_cents), b.get_employees_display(), ", ".join(b.languages or []), b.website,
        ]
        if viewer_for(user).is_member:
            shown = permissions.can_see_contacts(user, b)
            row += [b.email if shown else "", b.phone if shown else ""]
        yield row


def _chunks(queryset, size: int):
    """The rows in slices of `size`, each then completed by `with_cards` (three queries a slice)."""
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        chunk = set(ids[start:start + size])
        yield list(queryset.filter(pk__in=chunk))


@require_safe
def business_list(request: HttpRequest) -> HttpResponse:
    """The businesses the user may see, filtered, 50 a page, with their current certifications,
    trades and places; `?format=csv|xlsx` downloads exactly the filtered rows. The body is cached
    per data version and visibility class (`pages.py`)."""
    user = request.user

    def filtered() -> tuple[BusinessFilter, bool]:
        filterset = BusinessFilter(request.GET or None, queryset=selectors.business_list(user), request=request)
        return filterset, (filterset.is_valid() if filterset.is_bound else True)

    fmt = export_format(request)
    if fmt:
        filterset, valid = filtered()
        if valid:
            rows = [row for chunk in _chunks(filterset.qs, 500) for row in _business_rows(user, selectors.with_cards(chunk))]
            return export_response(fmt, "businesses", _business_export_header(viewer_for(user).is_member), rows)

    def build() -> Fragment:
        filterset, valid = filtered()
        page, query = paginate(request, filterset.qs if valid else filterset.queryset.none())
        page.object_list = selectors.with_cards(page.object_list)
        context = {"filter": filterset, "page_obj": page, "businesses": page.object_list, "querystring_without_page": query,
                   "can_create": permissions.can_create_business.test(user)}
        return render_fragment(request, template, context, status=200 if valid else 400)

    template = "businesses/business_list.html"
    return PAGES.cached_page(request, template, "business_list", build)


@require_safe
def business_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A business: ownership as it states it, trades with their names, places, capacity, every
    certification (expired ones marked), contact details for those allowed, awards won."""
    business = permissions.business_get_for_user(request.user, slug)
    user = request.user
    template = "businesses/business_detail.html"

    def build() -> Fragment:
        return render_fragment(request, template, {
            "business": business,
            **selectors.business_detail(business),
            "awards": list(permissions.visible_opportunities(user).filter(awarded_to=business).select_related("investment")),
            "show_contacts": permissions.can_see_contacts(user, business),
            "can_edit": permissions.can_edit_business.test(user, business),
            "consent_form": NoticesConsentForm(initial={"consent": business.consents_to_notices}),
            **_staff_activity(user, business),
        })

    return PAGES.cached_page(request, template, "business_detail", build, context={"business": business})


@login_required
@GET_POST
def business_create(request: HttpRequest) -> HttpResponse:
    """Staff: add a business to the directory."""
    require(permissions.can_create_business, request.user)
    form = BusinessForm(bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": business.name})
            return redirect("businesses:business_detail", slug=business.slug)
    return render(request, "businesses/business_create.html", {"form": form}, status=form_status(form))


@login_required
@GET_POST
def business_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff, and representatives of the business's organisation: change its profile."""
    business = permissions.business_get_for_user(request.user, slug)
    require(permissions.can_edit_business, request.user, business)
    may_link = viewer_for(request.user).is_staff
    form = BusinessForm(bound_data(request), initial=BusinessForm.initial_for(business), user=request.user, may_link=may_link)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_update(actor=request.user, business=business, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": form.cleaned_data["name"]})
            return redirect("businesses:business_detail", slug=business.slug)
    return render(request, "businesses/business_edit.html", {"form": form, "business": business}, status=form_status(form))


@login_required
@require_POST
def business_notices_consent(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff and the business's representatives: agree to, or stop, opportunity notices."""
    business = permissions.business_get_for_user(request.user, slug)
    require(permissions.can_edit_business, request.user, business)
    form = NoticesConsentForm(request.POST)
    form.is_valid()
    consent = bool(form.cleaned_data.get("consent"))
    services.business_notices_consent_set(actor=request.user, business=business, consent=consent)
    messages.success(request, _("The business will hear about matching opportunities.") if consent
                     else _("The business will no longer hear about opportunities."))
    return redirect("businesses:business_detail", slug=business.slug)


@login_required
@GET_POST
def certification_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff and the business's representatives: record a certification with its dates."""
    business = permissions.business_get_for_user(request.user, slug)
    require(permissions.can_edit_business, request.user, business)
    form = CertificationForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_add(actor=request.user, business=business, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The certification was recorded."))
            return redirect("businesses:business_detail", slug=business.slug)
    return render(request, "businesses/certification_add.html", {"form": form, "business": business}, status=form_status(form))


@login_required
@require_POST
def certification_remove(request: HttpRequest, public_id) -> HttpResponse:
    """Staff and the business's representatives: remove a certification recorded by mistake."""
    certification = permissions.certification_get_for_user(request.user, public_id)
    business = certification.business
    require(permissions.can_edit_business, request.user, business)
    services.certification_remove(actor=request.user, certification=certification)
    messages.success(request, _("The certification was removed."))
    return redirect("businesses:business_detail", slug=business.slug)


# Opportunities ------------------------------------------------------------------------------------


def _opportunity_export_header() -> list[str]:
    return [_("Title"), _("Investment"), _("Status"), _("NAICS codes"), _("Certifications wanted"), _("Estimated value (dollars)"),
            _("Bids due"), _("Awarded to"), _("Amount awarded (dollars)")]


def _opportunity_rows(opportunities: Iterable[ContractingOpportunity]) -> Iterable[list]:
    for o in opportunities:
        yield [o.title, o.investment.name, o.get_status_display(), ", ".join(o.codes),
               ", ".join(PROGRAM_SHORT.get(p, p) for p in o.certifications_wanted or []), _dollars(o.estimated_value_cents),
               o.bid_due_on, o.awarded_to.name if o.awarded_to else "", _dollars(o.awarded_amount_cents)]


@require_safe
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """Contracting opportunities the user may see, on investments they may see, newest first,
    filtered by status and investment (the investment's page links here). The body is cached per
    data version and visibility class (`pages.py`)."""
    user = request.user

    def filtered() -> tuple[OpportunityFilter, bool]:
        filterset = OpportunityFilter(request.GET or None, queryset=selectors.opportunity_list(user), request=request)
        return filterset, (filterset.is_valid() if filterset.is_bound else True)

    fmt = export_format(request)
    if fmt:
        filterset, valid = filtered()
        if valid:
            rows = list(_opportunity_rows(selectors.with_codes(filterset.qs)))
            return export_response(fmt, "opportunities", _opportunity_export_header(), rows)

    def build() -> Fragment:
        filterset, valid = filtered()
        page, query = paginate(request, filterset.qs if valid else filterset.queryset.none())
        page.object_list = selectors.with_codes(page.object_list)
        context = {"filter": filterset, "page_obj": page, "opportunities": page.object_list,
                   "querystring_without_page": query, "can_create": permissions.can_manage_opportunities.test(user)}
        return render_fragment(request, template, context, status=200 if valid else 400)

    template = "businesses/opportunity_list.html"
    return PAGES.cached_page(request, template, "opportunity_list", build)


@require_safe
def opportunity_detail(request: HttpRequest, public_id) -> HttpResponse:
    """An opportunity: what it needs, and the businesses that match it, each with why."""
    opportunity = permissions.opportunity_get_for_user(request.user, public_id)
    user = request.user
    template = "businesses/opportunity_detail.html"

    def build() -> Fragment:
        page = selectors.opportunity_page(opportunity, user)
        business_path = path_maker("businesses:business_detail", "slug-marker-0")
        # Up to 200 rows: their cells are joined here, not by three template loops per row.
        rows = [{"path": business_path(m.business.slug), "name": m.business.name, "trades": ", ".join(m.trades),
                 "certifications": ", ".join(c.short_name for c in m.certifications),
                 "places": ", ".join(p.name for p in m.places)} for m in page["matches"]]
        return render_fragment(request, template, {
            "opportunity": opportunity,
            "investment": opportunity.investment,
            **page,
            "match_rows": rows,
            "programs": [PROGRAM_SHORT.get(p, p) for p in opportunity.certifications_wanted or []],
            "reachable": sum(1 for m in page["matches"] if m.business.consents_to_notices and m.business.email),
            "can_manage": permissions.can_manage_opportunities.test(user),
            **_staff_activity(user, opportunity),
        })

    return PAGES.cached_page(request, template, "opportunity_detail", build, context={"opportunity": opportunity})


@login_required
@GET_POST
def opportunity_create(request: HttpRequest) -> HttpResponse:
    """Staff: post a contracting opportunity on an investment (`?investment=<slug>` preselects it)."""
    require(permissions.can_manage_opportunities, request.user)
    form = OpportunityCreateForm(bound_data(request), user=request.user, initial={"investment": request.GET.get("investment")})
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The opportunity was posted."))
            return redirect("businesses:opportunity_detail", public_id=opportunity.public_id)
    return render(request, "businesses/opportunity_create.html", {"form": form}, status=form_status(form))


@login_required
@GET_POST
def opportunity_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: change what an opportunity needs, its value, due date, links or who sees it."""
    opportunity = permissions.opportunity_get_for_user(request.user, public_id)
    require(permissions.can_manage_opportunities, request.user)
    form = OpportunityForm(bound_data(request), initial=OpportunityForm.initial_for(opportunity), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_update(actor=request.user, opportunity=opportunity, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The opportunity was saved."))
            return redirect("businesses:opportunity_detail", public_id=opportunity.public_id)
    return render(request, "businesses/opportunity_edit.html", {"form": form, "opportunity": opportunity},
                  status=form_status(form))


@login_required
@GET_POST
def opportunity_close(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: close an open opportunity without an award."""
    opportunity = permissions.opportunity_get_for_user(request.user, public_id)
    require(permissions.can_manage_opportunities, request.user)
    form = CloseForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_close(actor=request.user, opportunity=opportunity, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The opportunity was closed."))
            return redirect("businesses:opportunity_detail", public_id=opportunity.public_id)
    return render(request, "businesses/opportunity_close.html", {"form": form, "opportunity": opportunity},
                  status=form_status(form))


@login_required
@GET_POST
def opportunity_award(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: record the business that won the opportunity, the amount and the date."""
    opportunity = permissions.opportunity_get_for_user(request.user, public_id)
    require(permissions.can_manage_opportunities, request.user)
    form = AwardForm(bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_award(actor=request.user, opportunity=opportunity, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The award was recorded."))
            return redirect("businesses:opportunity_detail", public_id=opportunity.public_id)
    return render(request, "businesses/opportunity_award.html", {"form": form, "opportunity": opportunity},
                  status=form_status(form))


@login_required
@require_POST
def opportunity_notify(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: email each matching business that consents to notices, once (a second click sends
    nothing twice), in its language."""
    opportunity = permissions.opportunity_get_for_user(request.user, public_id)
    require(permissions.can_manage_opportunities, request.user)
    try:
        counts = services.opportunity_notify(actor=request.user, opportunity=opportunity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sent: %(sent)s. Already sent before: %(already)s. Not sent (no consent or no email, "
                                    "or unsubscribed): %(skipped)s.")
                         % {"sent": counts.sent, "already": counts.already_sent, "skipped": counts.skipped})
    return redirect("businesses:opportunity_detail", public_id=opportunity.public_id)
