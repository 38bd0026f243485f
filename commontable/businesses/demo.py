"""The demo's BIPOC business directory: twenty-five fictional businesses (every name is invented;
the places are the region's), with trades, places served, certifications (one expired) and consent
to notices for some, and four contracting opportunities on the demo investments (one awarded).

Loaded through the services, so every record has its audit entries. Idempotent: a business is
found by its slug and an opportunity by its investment and title, and only what is missing is
added. Run `investments_demo_load` first: opportunities need the demo investments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commontable.businesses import services
from commontable.businesses.choices import CertificationProgram as P
from commontable.businesses.choices import EmployeesBand, SelfIdentified
from commontable.businesses.models import Business, ContractingOpportunity
from commontable.core.models import Place
from commontable.core.visibility import Visibility
from commontable.investments.models import Investment

DAY = dt.timedelta(days=1)
Y, N, U = SelfIdentified.YES, SelfIdentified.NO, SelfIdentified.UNSTATED

# (name, bipoc, woman, naics, places, bonding dollars, employees, languages, message language,
#  certifications [(program, years valid from now: negative = expired)], consents to notices)
BUSINESSES = [
    ("Cedar Root Plumbing & Heating", Y, N, ["238220"], ["saint-paul"], "750000", "10-49", ["Somali", "English"], "so",
     [(P.CERT, 2), (P.TGB, 1)], True),
    ("Northstar Sparks Electric", Y, N, ["238210"], ["hennepin-county"], "1500000", "10-49", ["English"], "en",
     [(P.CERT, 2), (P.DBE, 3)], True),
    ("Loon Lake Concrete Works", Y, Y, ["238110", "237310"], ["twin-cities-metro"], "5000000", "50-249", ["Spanish", "English"],
     "es", [(P.DBE, 2), (P.MBE, 1)], True),
    ("Paj Ntaub Design Studio", Y, Y, ["541430", "5418"], ["saint-paul"], None, "2-9", ["Hmong", "English"], "hmn",
     [(P.CERT, 1), (P.WBE, 2)], True),
    ("Riverbend Site Prep", Y, N, ["238910"], ["ramsey-county", "washington-county"], "2000000", "10-49", ["English"], "en",
     [(P.TGB, -1)], True),
    ("Blue Heron Landscape Architects", Y, Y, ["541320"], ["minneapolis", "saint-paul"], None, "2-9", ["English", "Ojibwe"],
     "en", [(P.CERT, 2), (P.WBE, 2)], True),
    ("Waabik Engineering Group", Y, N, ["541330"], ["twin-cities-metro"], None, "10-49", ["English", "Ojibwe"], "en",
     [(P.DBE, 2), (P.CERT, 1)], True),
    ("Xalimo Cleaning Services", Y, Y, ["561720"], ["minneapolis"], None, "10-49", ["Somali", "English"], "so",
     [(P.CERT, 1)], True),
    ("Tres Hermanas Drywall", Y, Y, ["238310"], ["hennepin-county", "ramsey-county"], "400000", "10-49", ["Spanish"], "es",
     [(P.TGB, 2)], True),
    ("Golden Prairie Roofing", Y, N, ["238160"], ["dakota-county", "ramsey-county"], "900000", "10-49", ["English", "Spanish"],
     "es", [(P.MBE, 2)], False),
    ("Hmong Valley Mechanical", Y, N, ["238220"], ["ramsey-county"], "1200000", "10-49", ["Hmong", "English"], "hmn",
     [(P.CERT, 2), (P.DBE, 1)], True),
    ("Lakeside Glass & Glazing", U, N, ["238150"], ["minneapolis"], "300000", "2-9", ["English"], "en", [], False),
    ("Sankofa Construction Management", Y, N, ["236220", "2362"], ["twin-cities-metro"], "8000000", "50-249", ["English"], "en",
     [(P.CERT, 3), (P.DBE, 3), (P.MBE, 3)], True),
    ("Mni Sota Surveying", Y, N, ["541370"], ["minnesota"], None, "2-9", ["English", "Dakota"], "en", [(P.DBE, 1)], True),
    ("Phillips Community Painters", Y, Y, ["238320"], ["minneapolis"], "150000", "2-9", ["English", "Spanish"], "es",
     [(P.CERT, 1)], True),
    ("Rondo Steel Erectors", Y, N, ["238120"], ["saint-paul", "minneapolis"], "2500000", "10-49", ["English"], "en",
     [(P.CERT, 2), (P.TGB, 2)], False),
    ("Frogtown Solar Installers", Y, N, ["238210", "221114"], ["saint-paul"], "600000", "2-9", ["English", "Karen"], "en",
     [(P.CERT, 2)], True),
    ("Midway Traffic Control Services", Y, Y, ["561990", "237310"], ["ramsey-county"], "500000", "10-49", ["English"], "en",
     [(P.DBE, 2), (P.WBE, 2)], True),
    ("East Side Environmental", Y, N, ["562910"], ["twin-cities-metro"], "1000000", "10-49", ["English", "Spanish"], "es",
     [(P.DBE, 2), (P.MBE, -1)], True),
    ("Powderhorn Accounting Collective", Y, Y, ["5412"], ["minneapolis"], None, "2-9", ["English", "Somali"], "so",
     [(P.CERT, 1)], False),
    ("Veterans Way Electrical", N, N, ["238210"], ["dakota-county"], "700000", "10-49", ["English"], "en",
     [(P.VOSB, 2), (P.SBE, 2)], True),
    ("Anishinaabe Timber Framing", Y, N, ["238130"], ["anoka-county", "hennepin-county"], "350000", "2-9", ["English", "Ojibwe"],
     "en", [(P.TGB, 1)], True),
    ("Cedar-Riverside Translations", Y, Y, ["541930"], ["minneapolis"], None, "2-9", ["Somali", "Oromo", "English"], "so",
     [(P.CERT, 2), (P.SBE, 2)], True),
    ("Brooklyn Park Asphalt Partners", Y, N, ["237310"], ["hennepin-county"], "3000000", "50-249", ["English"], "en",
     [(P.DBE, 2)], True),
    ("Lake Street Sign & Graphics", Y, N, ["339950", "541850"], ["minneapolis"], "100000", "2-9", ["Spanish", "English"], "es",
     [(P.CERT, 1), (P.MBE, 1)], True),
]

# (investment slug, title, naics, certifications wanted, places, value dollars, due in days, visibility)
OPPORTUNITIES = [
    ("northside-light-rail-extension", "Station electrical and lighting packages", ["2382"], [P.CERT, P.DBE], ["hennepin-county"],
     "4200000", 45, Visibility.PUBLIC),
    ("snelling-yards-redevelopment", "Site preparation and environmental remediation", ["238910", "5629"], [P.CERT, P.TGB, P.DBE],
     ["saint-paul"], "2750000", 30, Visibility.PUBLIC),
    ("selby-avenue-freeway-cap-park", "Landscape architecture and engineering design", ["5413"], [P.CERT, P.WBE, P.DBE],
     ["rondo"], "1100000", 60, Visibility.MEMBERS),
    ("frogtown-solar-microgrid", "Rooftop solar installation", ["238210"], [], ["frogtown"], "850000", -20, Visibility.PUBLIC),
]


@dataclass
class DemoSummary:
    businesses: int = 0
    certifications: int = 0
    opportunities: int = 0
    missing_investments: int = 0


def _places(slugs) -> list[Place]:
    return list(Place.objects.filter(slug__in=slugs))


@transaction.atomic
def businesses_demo_load(actor=None) -> DemoSummary:
    """Add what is missing of the demo directory and opportunities; returns what was added."""
    summary = DemoSummary()
    today = timezone.localdate()
    for index, (name, bipoc, woman, codes, places, bonding, employees, languages, language, certs, consent) in enumerate(BUSINESSES):
        slug = services._unique_slug(name)
        if Business.objects.filter(name=name).exists():
            continue
        business = services.business_create(
            actor=actor, name=name, bipoc_owned=bipoc, woman_owned=woman, naics_codes=codes, places_served=_places(places),
            bonding_limit=bonding, employees=employees or EmployeesBand.UNSTATED, languages=languages,
            preferred_language=language, email=f"bids@{slug}.example", phone=f"612-555-{100 + index:04d}",
            website=f"https://{slug}.example", shares_contacts=index % 3 != 0,
            visibility=Visibility.PUBLIC if index % 5 else Visibility.MEMBERS,
            description="A fictional business in the demo directory.",
        )
        summary.businesses += 1
        for program, years in certs:
            if years < 0:  # expired: valid for three years, ended |years| years ago
                until = today + int(years * 365) * DAY
                start = until - 3 * 365 * DAY
            else:
                start, until = today - 400 * DAY, today + int(years * 365) * DAY
            services.certification_add(actor=actor, business=business, program=program, number=f"{program.upper()}-{2400 + index}",
                                       valid_from=start, valid_until=until)
            summary.certifications += 1
        if consent:
            services.business_notices_consent_set(actor=actor, business=business, consent=True)
    for slug, title, codes, wanted, places, value, due_in, visibility in OPPORTUNITIES:
        investment = Investment.objects.filter(slug=slug).first()
        if investment is None:
            summary.missing_investments += 1
            continue
        if ContractingOpportunity.objects.filter(investment=investment, title=title).exists():
            continue
        opportunity = services.opportunity_create(
            actor=actor, investment=investment, title=title, naics_codes=codes, certifications_wanted=list(wanted),
            places=_places(places), estimated_value=value, bid_due_on=today + due_in * DAY, visibility=visibility,
            description="A fictional contracting opportunity in the demo.",
            links=[f"https://bids.example/{slug}"],
        )
        summary.opportunities += 1
        if due_in < 0:
            winner = Business.objects.filter(name="Frogtown Solar Installers").first()
            if winner is not None:
                services.opportunity_award(actor=actor, opportunity=opportunity, business=winner, amount="812500",
                                           awarded_on=today - 5 * DAY)
    return summary
