"""The decision calendar's pages and feeds: the month agenda (anyone: what they may see), a
decision's page, adding and changing decisions (staff), watching an investment (signed in), and
iCalendar feeds (public; personal through a revocable token; per investment; the watchlist).

Parse, authorise (404 for what the user cannot see, 403 for what they may see but not change),
call a selector or service, render."""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core import feeds
from commontable.core.http import add_service_error, bound_data, form_status, require
from commontable.directory.models import Organization
from commontable.investments import calendar, permissions
from commontable.investments.forms_calendar import CalendarFilterForm, DecisionForm
from commontable.investments.models import DecisionKind

GET_POST = require_http_methods(["GET", "POST"])


def _month(value: str) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in value.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 1900 <= year <= 2200:
        return today.year, today.month
    return year, month


def _shift(year: int, month: int, delta: int) -> str:
    index = year * 12 + month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# The calendar page's expensive parts — the filter menus (hundreds of investments as <option>s)
# and the month's agenda — are rendered once per data version (any write to decisions,
# investments or organisations, or a bulk write, replaces it: `calendar.connect_signals`) and
# visibility class, as ADR 13 caches directory pages, and kept at most this long as a safety net.
CACHE_SECONDS = 600


def _filter_menus(user) -> dict:
    """The investment and body menus' `<option>`s, and each listed slug's id."""
    investments, bodies = calendar.calendar_menu_choices(user)
    return {
        "investments": {slug: pk for pk, slug, _name in investments},
        "bodies": {slug: pk for pk, slug, _name in bodies},
        "investment_options": _option_tags(investments),
        "body_options": _option_tags(bodies),
    }


def _option_tags(choices) -> str:
    # Hundreds of options: joined here rather than by the template engine, five times faster.
    return str(format_html_join("", '<option value="{}">{}</option>', ((slug, name) for _pk, slug, name in choices)))


def _options(html: str, selected: str | None) -> str:
    if selected:
        tag = f'<option value="{escape(selected)}">'
        html = html.replace(tag, f'<option value="{escape(selected)}" selected>', 1)
    return mark_safe(html)  # noqa: S308 (joined by format_html_join, which escaped every slug and name)


def _filters(user, data: dict, menus: dict) -> calendar.CalendarFilter:
    investment_id = None
    if data.get("investment"):
        investment_id = menus["investments"].get(data["investment"])
        if investment_id is None:  # one without decisions (an empty month), or one not to be seen (ignored)
            investment_id = (permissions.visible_investments(user).filter(slug=data["investment"])
                             .values_list("pk", flat=True).first())
    body_id = None
    if data.get("body"):
        body_id = menus["bodies"].get(data["body"])
        if body_id is None:
            body_id = Organization.objects.filter(slug=data["body"]).values_list("pk", flat=True).first() or -1
    return calendar.CalendarFilter(investment_id=investment_id, body_id=body_id, kind=data.get("kind") or "")


def _cache_key(*parts) -> str:
    return "ct:inv:calendar:" + hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()


@require_safe
def decision_calendar(request: HttpRequest) -> HttpResponse:
    """A month of hearings, votes and comment deadlines, as an agenda by day, filterable by
    investment, deciding body and kind. Anyone sees the decisions on investments they may see."""
    form = CalendarFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    year, month = _month(data.get("month") or "")
    user = request.user
    # Two cache reads on most loads: the data version, then the menus and the agenda together.
    version = (calendar.calendar_data_version(), calendar.visibility_class(user))
    menus_key = _cache_key("menus", *version)
    agenda_key = _cache_key("agenda", *version, get_language() or "", year, month,
                            *(data.get(name) or "" for name in ("investment", "body", "kind")))
    found = cache.get_many([menus_key, agenda_key])
    keep = {}
    menus = found.get(menus_key)
    if menus is None:
        menus = keep[menus_key] = _filter_menus(user)
    agenda = found.get(agenda_key)
    if agenda is None:
        days, undated = calendar.decision_agenda(user, year=year, month=month, filters=_filters(user, data, menus))
        html = render_to_string("investments/calendar.html#agenda", {
            "days": days, "undated": undated, "month_start": dt.date(year, month, 1)}, request=request)
        # Compressed: a busy month is 40 KB of repetitive HTML, a tenth of that compressed.
        agenda = keep[agenda_key] = zlib.compress(html.encode(), 1)
    if keep:
        cache.set_many(keep, CACHE_SECONDS)
    query = request.GET.copy()
    query.pop("month", None)
    return render(request, "investments/calendar.html", {
        "form": form, "agenda": mark_safe(zlib.decompress(agenda).decode()),  # noqa: S308 (our own template)
        "month_start": dt.date(year, month, 1),
        "previous_month": _shift(year, month, -1), "next_month": _shift(year, month, 1),
        "querystring": query.urlencode(),
        "investment_options": _options(menus["investment_options"], data.get("investment")),
        "body_options": _options(menus["body_options"], data.get("body")),
        "kinds": DecisionKind.choices, "selected": data,
        "can_edit": calendar.can_edit_decision.test(user),
    })


@require_safe
def decision_detail(request: HttpRequest, public_id) -> HttpResponse:
    """A decision: when (local time and zone), who decides, where, links, and its status."""
    decision = calendar.decision_get_for_user(request.user, public_id)
    return render(request, "investments/decision_detail.html", {
        "decision": decision, "investment": decision.investment,
        "can_edit": calendar.can_edit_decision.test(request.user),
        "watching": calendar.is_watching(request.user, decision.investment),
        "can_watch": calendar.can_watch_investment.test(request.user),
    })


def _form_page(request, form, context) -> HttpResponse:
    return render(request, "investments/decision_form.html", {"form": form, **context}, status=form_status(form))


@login_required
@GET_POST
def decision_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: add a hearing, vote or comment deadline to an investment."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(calendar.can_edit_decision, request.user)
    form = DecisionForm(bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            decision = calendar.decision_create(actor=request.user, investment=investment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The decision was added to the calendar."))
            return redirect("investments:decision_detail", public_id=decision.public_id)
    return _form_page(request, form, {"investment": investment, "decision": None})


@login_required
@GET_POST
def decision_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: change a decision (a new time or place, postponed, cancelled, held)."""
    decision = calendar.decision_get_for_user(request.user, public_id)
    require(calendar.can_edit_decision, request.user)
    initial = {name: getattr(decision, name) for name in calendar.EDITABLE_FIELDS}
    initial["body"] = decision.body.slug if decision.body_id else None
    form = DecisionForm(bound_data(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            calendar.decision_update(actor=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The decision was changed."))
            return redirect("investments:decision_detail", public_id=decision.public_id)
    return _form_page(request, form, {"investment": decision.investment, "decision": decision})


@login_required
@require_POST
def investment_watch(request: HttpRequest, slug: str) -> HttpResponse:
    """Be reminded by email of the investment's hearings, votes and deadlines."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(calendar.can_watch_investment, request.user)
    calendar.investment_watch(user=request.user, investment=investment)
    messages.success(request, _("You will be reminded of this investment's decisions by email."))
    return redirect(request.POST.get("next") if _safe_next(request) else investment_page(investment))


@login_required
@require_POST
def investment_unwatch(request: HttpRequest, slug: str) -> HttpResponse:
    investment = permissions.investment_get_for_user(request.user, slug)
    calendar.investment_unwatch(user=request.user, investment=investment)
    messages.success(request, _("You will no longer be reminded of this investment's decisions."))
    return redirect(request.POST.get("next") if _safe_next(request) else investment_page(investment))


def investment_page(investment) -> str:
    return reverse("investments:investment_detail", kwargs={"slug": investment.slug})


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                            require_https=request.is_secure())


# --- feeds ----------------------------------------------------------------------------------------------


def _feed(request, user, *, scope: str, name: str, investment=None, watchlist: bool = False) -> HttpResponse:
    decisions = calendar.feed_decisions(user, investment=investment, watchlist=watchlist)
    viewer_key = f"user:{user.pk}" if user.is_authenticated else "public"
    # Every event's address: the site's address and the decision's page, resolved once per feed.
    site = request.build_absolute_uri("/").removesuffix("/")
    path = calendar.decision_path_maker()

    def url_for(public_id) -> str:
        return site + path(public_id)

    # The feed's words (calendar name, "Investment: …", kinds) are in the reader's language.
    return feeds.feed_response(
        request, cache_key=f"investments:{scope}:{viewer_key}:{get_language() or ''}",
        version=calendar.feed_version(decisions),
        build=lambda: calendar.feed_calendar(decisions, name=name, url_for=url_for), filename=f"{scope}.ics",
    )


def _token_user(token: str):
    user = feeds.feed_token_user(token)
    if user is None:
        raise Http404
    return user


@require_safe
def decision_feed_public(request: HttpRequest) -> HttpResponse:
    """Every decision on public investments, for anyone's calendar program."""
    return _feed(request, AnonymousUser(), scope="decisions", name=_("Decisions on public investments"))


@require_safe
def decision_feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    """Every decision the token's owner may see."""
    user = _token_user(token)
    return _feed(request, user, scope="decisions", name=_("Decisions"))


@require_safe
def decision_feed_watchlist(request: HttpRequest, token: str) -> HttpResponse:
    """The decisions on the investments the token's owner watches."""
    user = _token_user(token)
    return _feed(request, user, scope="watchlist", name=_("Decisions on investments I watch"), watchlist=True)


@require_safe
def investment_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """One public investment's decisions, for anyone."""
    investment = permissions.investment_get_for_user(AnonymousUser(), slug)
    return _feed(request, AnonymousUser(), scope=f"investment-{investment.pk}", investment=investment,
                 name=_("Decisions on %(name)s") % {"name": investment.name})


@require_safe
def investment_feed_personal(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    """One investment's decisions, through the token of someone who may see it."""
    user = _token_user(token)
    investment = permissions.investment_get_for_user(user, slug)
    return _feed(request, user, scope=f"investment-{investment.pk}", investment=investment,
                 name=_("Decisions on %(name)s") % {"name": investment.name})
