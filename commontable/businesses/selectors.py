"""Reads for the business directory: the list with its filters, a business's page, opportunities,
and the businesses that match an opportunity (with why), all in SQL with a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from commontable.businesses import naics
from commontable.businesses.choices import (
    PROGRAM_SHORT,
    CertificationProgram,
    OpportunityStatus,
    SelfIdentified,
)
from commontable.businesses.models import (
    Business,
    BusinessTrade,
    Certification,
    ContractingOpportunity,
    OpportunityTrade,
)
from commontable.businesses.permissions import visible_businesses, visible_opportunities
from commontable.core.models import Place

LIST_FIELDS = ("pk", "slug", "name", "organization_id", "organization__slug", "organization__name", "bipoc_owned",
               "woman_owned", "veteran_owned", "bonding_limit_cents", "employees", "languages", "website", "email", "phone",
               "shares_contacts", "visibility")


def list_columns(businesses):
    """Only the columns a list row shows (with its organisation's name)."""
    return businesses.select_related("organization").only(*LIST_FIELDS)


def with_cards(businesses, on: dt.date | None = None) -> list[Business]:
    """What a list row shows, on each business of a page: `trade_codes`, `place_list` (slug,
    name, kind), `current_programs` (program, short name) — three flat queries of the needed
    columns for the whole page, no model instances."""
    on = on or timezone.localdate()
    rows = list(businesses)
    ids = [b.pk for b in rows]
    trades: dict[int, list[str]] = defaultdict(list)
    places: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    programs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if ids:
        for business_id, code in BusinessTrade.objects.filter(business_id__in=ids).order_by("code").values_list(
                "business_id", "code"):
            trades[business_id].append(code)
        served = Business.places_served.through.objects.filter(business_id__in=ids).order_by("place__name")
        for business_id, slug, name, kind in served.values_list("business_id", "place__slug", "place__name", "place__kind"):
            places[business_id].append((slug, name, kind))
        current = Certification.objects.current(on).filter(business_id__in=ids).order_by("program", "pk")
        for business_id, program, other in current.values_list("business_id", "program", "program_other"):
            short = (other or str(CertificationProgram.OTHER.label)) if program == CertificationProgram.OTHER else PROGRAM_SHORT[program]
            if (program, short) not in programs[business_id]:
                programs[business_id].append((program, short))
    for b in rows:
        b.trade_codes, b.place_list, b.current_programs = trades[b.pk], places[b.pk], programs[b.pk]
    return rows


def prefix_q(codes, field: str = "code") -> Q:
    """Codes starting with one of `codes`, written as a range too (238 ≤ code ≤ 238999) so that
    both databases read it from the code's index: for strings of digits the range holds exactly
    the codes with that beginning, in any collation."""
    condition = Q()
    for code in codes:
        condition |= Q(**{f"{field}__gte": code, f"{field}__lte": code + "9" * (6 - len(code)), f"{field}__startswith": code})
    return condition


def trade_condition(codes) -> Q:
    """Businesses with a trade that starts with one of `codes` (the NAICS prefix rule), as an IN
    over the trades' code index rather than a test of every business."""
    if not codes:
        return Q(pk__in=[])
    return Q(pk__in=BusinessTrade.objects.filter(prefix_q(codes)).values("business_id"))


def certified_condition(programs, on: dt.date | None = None) -> Q:
    """Businesses holding a current certification from one of `programs` (any program if empty)."""
    certifications = Certification.objects.current(on)
    if programs:
        certifications = certifications.filter(program__in=list(programs))
    return Q(pk__in=certifications.values("business_id"))


def business_list(user, *, q: str = "", program: str = "", naics_prefix: str = "", place: Place | None = None,
                  bipoc_owned: str = ""):
    """Businesses the user may see, by name, filtered: a current certification of a program, a
    trade under a NAICS prefix, a place served (or a place inside it), self-identified BIPOC-owned,
    a word of the name or description."""
    items = list_columns(visible_businesses(user))
    if q.strip():
        items = items.filter(Q(name__icontains=q.strip()) | Q(description__icontains=q.strip()))
    if program:
        items = items.filter(certified_condition([program]))
    if naics_prefix:
        items = items.filter(trade_condition([naics_prefix]))
    if place is not None:
        items = items.filter(serves_condition(place_and_ancestors([place.pk])))
    if bipoc_owned:
        items = items.filter(bipoc_owned=bipoc_owned)
    return items.order_by("name", "pk")


def serves_condition(place_ids) -> Q:
    """Businesses serving one of these places."""
    return Q(pk__in=Business.places_served.through.objects.filter(place_id__in=list(place_ids)).values("business_id"))


def place_and_ancestors(place_ids) -> list[int]:
    """The places and every place that contains them (a business serving Ramsey County serves
    Saint Paul): one query per level of the vocabulary, at most four."""
    found = set(place_ids)
    frontier = set(place_ids)
    for _level in range(4):
        if not frontier:
            break
        parents = set(Place.objects.filter(pk__in=frontier, parent__isnull=False).values_list("parent_id", flat=True))
        frontier = parents - found
        found |= parents
    return sorted(found)


@dataclass
class Match:
    """A business that matches an opportunity, and why: the trades that answer the codes asked,
    the current certifications among those wanted, the places served that cover the work."""

    business: Business
    trades: list[str] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


@dataclass
class OpportunityCriteria:
    codes: list[str]
    programs: list[str]
    place_ids: list[int]  # the opportunity's places and the places containing them


def opportunity_criteria(opportunity: ContractingOpportunity) -> OpportunityCriteria:
    """The opportunity's codes and places (two or three small queries)."""
    codes = list(OpportunityTrade.objects.filter(opportunity=opportunity).order_by("code").values_list("code", flat=True))
    place_ids = list(opportunity.places.values_list("pk", flat=True))
    return OpportunityCriteria(codes=codes, programs=list(opportunity.certifications_wanted or []),
                               place_ids=place_and_ancestors(place_ids) if place_ids else [])


def matching_businesses(opportunity: ContractingOpportunity, user=None, *, everyone: bool = False, on: dt.date | None = None,
                        criteria: OpportunityCriteria | None = None):
    """Businesses (that the user may see; all of them with `everyone`, for notices) matching
    the opportunity: a trade under one of its codes, a current certification among those wanted
    if it wants any, and a place served among its places (or containing one) if it names places."""
    criteria = criteria or opportunity_criteria(opportunity)
    items = Business.objects.all() if everyone else visible_businesses(user)
    items = items.filter(trade_condition(criteria.codes))
    if criteria.programs:
        items = items.filter(certified_condition(criteria.programs, on))
    if criteria.place_ids:
        items = items.filter(serves_condition(criteria.place_ids))
    return items.order_by("name", "pk")


MATCH_LIMIT = 200


@dataclass
class Matches:
    """The first `MATCH_LIMIT` matches by name, and how many there are in all."""

    items: list[Match]
    count: int

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def opportunity_matches(opportunity: ContractingOpportunity, user, *, on: dt.date | None = None,
                        limit: int = MATCH_LIMIT, criteria: OpportunityCriteria | None = None) -> Matches:
    """The matching businesses with the reasons, for the opportunity's page and API (the first
    `limit` by name: a code as broad as "23" may match thousands). Queries: the opportunity's
    codes, its places (and up to four levels of containing places), the businesses, then one each
    for their matching trades, certifications and places; a COUNT only when the limit is reached."""
    on = on or timezone.localdate()
    criteria = criteria or opportunity_criteria(opportunity)
    prefix = prefix_q(criteria.codes)
    certifications = Certification.objects.current(on).order_by("program")
    if criteria.programs:
        certifications = certifications.filter(program__in=criteria.programs)
    prefetches = [
        Prefetch("trades", queryset=BusinessTrade.objects.filter(prefix).order_by("code") if criteria.codes else BusinessTrade.objects.none(),
                 to_attr="matching_trades"),
        Prefetch("certifications", queryset=certifications, to_attr="matching_certifications"),
    ]
    if criteria.place_ids:
        prefetches.append(Prefetch("places_served", queryset=Place.objects.filter(pk__in=criteria.place_ids).order_by("name"),
                                   to_attr="matching_places"))
    matching = matching_businesses(opportunity, user, on=on, criteria=criteria)
    items = [
        Match(business=b, trades=[t.code for t in b.matching_trades], certifications=b.matching_certifications,
              places=getattr(b, "matching_places", []))
        for b in matching.only("pk", "slug", "name", "email", "notices_consent_at", "notices_withdrawn_at")
        .prefetch_related(*prefetches)[:limit]
    ]
    return Matches(items=items, count=matching.count() if len(items) == limit else len(items))


def opportunity_page(opportunity: ContractingOpportunity, user) -> dict:
    """An opportunity's page: its trades with their names, the programs wanted, its places, and
    the matching businesses with why."""
    criteria = opportunity_criteria(opportunity)
    return {
        "trades": [(code, naics.label(code)) for code in criteria.codes],
        "places": list(opportunity.places.order_by("name")),
        "matches": opportunity_matches(opportunity, user, criteria=criteria),
    }


def business_detail(business: Business):
    """A business's page: trades with their names, places, all certifications (current and
    expired), and the opportunities it was awarded."""
    trades = [(code, naics.label(code)) for code in business.trades.order_by("code").values_list("code", flat=True)]
    return {
        "trades": trades,
        "places": list(business.places_served.order_by("name")),
        "certifications": list(business.certifications.order_by("-valid_from", "program")),
    }


def opportunity_list(user, *, status: str = "", investment=None, q: str = ""):
    """Opportunities the user may see (on investments they may see), newest first."""
    items = visible_opportunities(user).select_related("investment", "awarded_to").only(
        "pk", "public_id", "title", "status", "certifications_wanted", "estimated_value_cents", "bid_due_on",
        "awarded_amount_cents", "awarded_on", "visibility", "awarded_to_id", "investment__slug", "investment__name",
        "awarded_to__slug", "awarded_to__name", "created_at")
    if status:
        items = items.filter(status=status)
    if investment is not None:
        items = items.filter(investment=investment)
    if q.strip():
        items = items.filter(title__icontains=q.strip())
    return items.order_by("-created_at", "-pk")


def with_codes(opportunities) -> list[ContractingOpportunity]:
    """Each opportunity of a page with its `codes`, in one flat query."""
    rows = list(opportunities)
    codes: dict[int, list[str]] = defaultdict(list)
    if rows:
        trades = OpportunityTrade.objects.filter(opportunity_id__in=[o.pk for o in rows]).order_by("code")
        for opportunity_id, code in trades.values_list("opportunity_id", "code"):
            codes[opportunity_id].append(code)
    for o in rows:
        o.codes = codes[o.pk]
    return rows


def opportunity_count_for_investment(investment, user) -> int:
    """For the investment's page: how many contracting opportunities the user may see on it."""
    return visible_opportunities(user).filter(investment=investment).count()


def investment_related(*, investment, user) -> dict:
    """The investment page's line about this app (core.hooks `investments.related`): how many
    contracting opportunities on it the user may see, linked to their list (one COUNT)."""
    count = opportunity_count_for_investment(investment, user)
    return {
        "label": gettext("Contracting opportunities"),
        "text": ngettext("%(count)s contracting opportunity", "%(count)s contracting opportunities", count)
        % {"count": count},
        "url": f"{reverse('businesses:opportunity_list')}?{urlencode({'investment': investment.slug})}",
    }


def opportunities_matched(on: dt.date | None = None) -> int:
    """Opportunities posted by the day with at least one business matching them that day (the
    plan's indicator). The same rule as `matching_businesses`, applied to the whole directory at
    once: trades, current certifications, places served and the places' parents are read in five
    flat queries, then each opportunity's matches are intersections of sets (a test holds the two
    to the same answers). One SQL query per opportunity took 17 s for 1,000 opportunities."""
    on = on or timezone.localdate()
    opportunities = list(ContractingOpportunity.objects.filter(created_at__date__lte=on)
                         .values_list("pk", "certifications_wanted"))
    if not opportunities:
        return 0
    ids = [pk for pk, _programs in opportunities]
    asked: dict[int, list[str]] = defaultdict(list)
    for opportunity_id, code in OpportunityTrade.objects.filter(opportunity_id__in=ids).values_list("opportunity_id", "code"):
        asked[opportunity_id].append(code)
    wanted_places: dict[int, set[int]] = defaultdict(set)
    through = ContractingOpportunity.places.through
    for opportunity_id, place_id in through.objects.filter(contractingopportunity_id__in=ids).values_list(
            "contractingopportunity_id", "place_id"):
        wanted_places[opportunity_id].add(place_id)
    by_prefix: dict[str, set[int]] = defaultdict(set)  # every beginning of every code → businesses
    for business_id, code in BusinessTrade.objects.values_list("business_id", "code"):
        by_prefix[code].add(business_id)
        for length in range(2, len(code)):
            by_prefix[code[:length]].add(business_id)
    certified: dict[str, set[int]] = defaultdict(set)
    for business_id, program in Certification.objects.current(on).values_list("business_id", "program"):
        certified[program].add(business_id)
    serving: dict[int, set[int]] = defaultdict(set)
    for business_id, place_id in Business.places_served.through.objects.values_list("business_id", "place_id"):
        serving[place_id].add(business_id)
    parents = dict(Place.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    matched = 0
    for pk, programs in opportunities:
        candidates = set().union(*(by_prefix.get(code, set()) for code in asked[pk]))
        if candidates and programs:
            candidates &= set().union(*(certified[p] for p in programs))
        if candidates and wanted_places[pk]:
            covering = set()
            for place_id in wanted_places[pk]:
                for _level in range(5):  # the place and up to four containing places
                    covering.add(place_id)
                    if place_id not in parents:
                        break
                    place_id = parents[place_id]
            candidates &= set().union(*(serving[p] for p in covering))
        matched += bool(candidates)
    return matched


def awarded_to_bipoc(on: dt.date | None = None) -> int:
    on = on or timezone.localdate()
    return ContractingOpportunity.objects.filter(
        status=OpportunityStatus.AWARDED, awarded_on__lte=on, awarded_to__bipoc_owned=SelfIdentified.YES
    ).count()


def businesses_certified(on: dt.date | None = None) -> int:
    on = on or timezone.localdate()
    return Business.objects.filter(certified_condition([], on)).count()


def opportunity_counts_by_investment(user, investment_ids) -> dict[int, int]:
    rows = visible_opportunities(user).filter(investment_id__in=investment_ids).values("investment_id").annotate(n=Count("pk"))
    return {row["investment_id"]: row["n"] for row in rows}
