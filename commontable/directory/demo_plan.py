"""The demo coalition's plan: who exists, what happened to them and when, as plain data with no
database access. `directory/demo.py` writes it through the services (small scale) or in bulk
(benchmark scale). Every choice comes from one seeded `random.Random`, so a plan is repeatable."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from commontable.core.visibility import Visibility
from commontable.directory import demo_data as data
from commontable.directory.choices import (
    BipocLed,
    BudgetBand,
    ConsentPurpose,
    ConsentSource,
    MembershipStatus,
    OrganizationKind,
    TableRole,
)

SEED = 2023
# Demo records carry public ids in this range, so the demo can be found (and reset) exactly.
DEMO_ID_PREFIX = 0xDE30C0A1
DEMO_ID_RANGE = (uuid.UUID(int=DEMO_ID_PREFIX << 96), uuid.UUID(int=((DEMO_ID_PREFIX + 1) << 96) - 1))
HISTORY_START = dt.date(2023, 1, 9)
HISTORY_END = dt.date(2026, 10, 30)
VALUES_VERSIONS = [
    (dt.date(2023, 1, 1), "values-2023.1"),
    (dt.date(2024, 9, 15), "values-2024.2"),
    (dt.date(2026, 3, 1), "values-2026.1"),
]
CONSENT_VERSIONS = [(dt.date(2023, 1, 1), "consent-2023.1"), (dt.date(2025, 2, 1), "consent-2025.1")]
AREA_CODES = ["612", "651", "763", "952", "507", "320", "218"]
EMAIL_DOMAINS = ["example.org", "example.com"]
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
CONSENT_SOURCES = ConsentSource.values
# The organisation the demo "member" login represents (Frogtown Green Futures, a table convenor).
MEMBER_LOGIN_ORG = 5


@dataclass
class OrgPlan:
    public_id: uuid.UUID
    name: str
    slug: str
    kind: str
    community: str
    description: str
    bipoc_led: str
    budget_band: str
    languages: list[str]
    website: str
    email: str
    phone: str
    visibility: str
    shares_contacts: bool
    issues: list[str]
    places: list[str]
    story: list[tuple[str, dt.date]]
    affirmations: list[tuple[dt.date, str]]
    reps_wanted: int = 1
    reps: int = 0

    @property
    def status(self) -> str:
        return self.story[-1][0]

    @property
    def applied_on(self) -> dt.date:
        return self.story[0][1]

    @property
    def member_since(self) -> dt.date | None:
        return next((on for status, on in self.story if status == MembershipStatus.MEMBER), None)

    @property
    def left_on(self) -> dt.date | None:
        """When a lapsed or withdrawn organisation stopped being a member."""
        return (
            self.story[-1][1]
            if self.status in (MembershipStatus.LAPSED, MembershipStatus.WITHDRAWN)
            else None
        )


@dataclass
class TablePlan:
    public_id: uuid.UUID
    name: str
    slug: str
    convenor: int
    issues: list[str]
    places: list[str]
    visibility: str
    description: str
    started_on: dt.date
    participants: list[tuple[int, str, dt.date, dt.date | None]] = field(default_factory=list)


@dataclass
class AffiliationPlan:
    org: int
    role: str
    is_representative: bool
    start_on: dt.date
    end_on: dt.date | None = None


@dataclass
class ConsentPlan:
    purpose: str
    version: str
    source: str
    given_at: dt.datetime
    expires_at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None


@dataclass
class PersonPlan:
    public_id: uuid.UUID
    full_name: str
    name_for_greeting: str
    aliases: str
    pronouns: str
    preferred_language: str
    email: str
    phone: str
    mobile: str
    visibility: str
    affiliations: list[AffiliationPlan]
    consents: list[ConsentPlan]
    access: tuple[str, str] | None


def demo_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=(DEMO_ID_PREFIX << 96) | rng.getrandbits(96), version=4)


def history_end() -> dt.date:
    return min(HISTORY_END, timezone.localdate())


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _version_on(versions: list[tuple[dt.date, str]], on: dt.date) -> str:
    return [version for since, version in versions if since <= on][-1]


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class Contacts:
    """Unique emails on the example domains, and phone numbers from the 555-0100…0199 range kept
    for fiction (unique until the 700 numbers run out, at benchmark scale)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.emails: set[str] = set()
        self.numbers = [(area, n) for area in AREA_CODES for n in range(100, 200)]
        rng.shuffle(self.numbers)

    def email(self, full_name: str) -> str:
        words = _ascii(full_name).lower().replace("'", "").replace("-", " ").split()
        parts = [p for p in words if p.isalpha() and p not in ("jr", "ii", "iii")]
        if not parts:
            parts = ["friend"]
        first, last = parts[0], parts[-1]
        pattern = self.rng.random()
        if pattern < 0.45:
            local = f"{first}.{last}"
        elif pattern < 0.65:
            local = f"{first}{last}"
        elif pattern < 0.8:
            local = f"{first[0]}{last}"
        else:
            local = f"{first}{last[0]}{self.rng.randint(10, 99)}"
        domain = self.rng.choice(EMAIL_DOMAINS)
        email, n = f"{local}@{domain}", 2
        while email in self.emails:
            email, n = f"{local}{n}@{domain}", n + 1
        self.emails.add(email)
        return email

    def phone(self) -> str:
        area, n = (
            self.numbers.pop() if self.numbers else (self.rng.choice(AREA_CODES), self.rng.randint(100, 199))
        )
        style = self.rng.random()
        if style < 0.5:
            return f"({area}) 555-0{n}"
        if style < 0.8:
            return f"{area}-555-0{n}"
        if style < 0.9:
            return f"+1 {area} 555 0{n}"
        return f"{area}.555.0{n}"


class NameMaker:
    """Names as people write them: Somali and Oromo patronymics (sometimes in the Somali Latin
    alphabet or Qubee), Hmong given name then clan name (sometimes in RPA), Spanish double
    surnames with their accents, Vietnamese family name first with diacritics or Americanised,
    Karen names with no family name, Native and Minnesotan surnames."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def make(self, community: str) -> tuple[str, str, str, bool]:
        """(full name, name for greeting, other spellings, female)."""
        female = self.rng.random() < 0.55
        return (*getattr(self, f"_{community}")(female), female)

    def _pick(self, options):
        return self.rng.choice(options)

    def _somali(self, female):
        given = self._pick(data.SOMALI_F if female else data.SOMALI_M)
        names = [given, self._pick(data.SOMALI_FATHER)]
        if self.rng.random() < 0.35:
            names.append(self._pick(data.SOMALI_FATHER))
        full = " ".join(names)
        latin = " ".join(data.SOMALI_LATIN.get(n, n) for n in names)
        if latin != full and self.rng.random() < 0.12:
            return latin, data.SOMALI_LATIN.get(given, given), full
        return full, given, latin if latin != full and self.rng.random() < 0.3 else ""

    def _hmong(self, female):
        given = self._pick(data.HMONG_F if female else data.HMONG_M)
        clan = self._pick(data.HMONG_CLANS)
        alias = f"{given} {data.HMONG_RPA[clan]}" if self.rng.random() < 0.15 else ""
        return f"{given} {clan}", given, alias

    def _latinx(self, female):
        given = self._pick(data.LATINX_F if female else data.LATINX_M)
        first, second = self.rng.sample(data.LATINX_SURNAMES, 2)
        r = self.rng.random()
        full = (
            f"{given} {first} {second}"
            if r < 0.5
            else f"{given} {first}-{second}"
            if r < 0.7
            else f"{given} {first}"
        )
        alias = ""
        if self.rng.random() < 0.2:
            alias, full = full, _ascii(full)
        return full, data.LATINX_NICKNAMES.get(given, given.split()[0]), alias

    def _black(self, female):
        given = self._pick(data.BLACK_F if female else data.BLACK_M)
        surname = self._pick(data.BLACK_SURNAMES)
        middle = f" {self._pick('ABCDEJLMRT')}." if self.rng.random() < 0.15 else ""
        suffix = self._pick([" Jr.", " II", " III"]) if not female and self.rng.random() < 0.08 else ""
        return f"{given}{middle} {surname}{suffix}", given, ""

    def _vietnamese(self, female):
        family = self._pick(data.VIET_FAMILY)
        middle = self._pick(data.VIET_MIDDLE_F if female else data.VIET_MIDDLE_M)
        given = self._pick(data.VIET_F if female else data.VIET_M)
        native = f"{family} {middle} {given}"
        r = self.rng.random()
        if r < 0.5:
            return native, given, ""
        if r < 0.85:
            return f"{_ascii(given)} {_ascii(family)}", _ascii(given), native
        english = self._pick(data.VIET_ENGLISH["f" if female else "m"])
        return f"{english} {_ascii(family)}", english, native

    def _karen(self, female):
        syllables = self.rng.sample(data.KAREN_SYLLABLES, self.rng.choice([2, 2, 2, 3]))
        given = " ".join(syllables)
        if self.rng.random() < 0.3:
            return f"{'Naw' if female else 'Saw'} {given}", given, ""
        return given, given, ""

    def _oromo(self, female):
        given = self._pick(data.OROMO_F if female else data.OROMO_M)
        names = [given, self._pick(data.OROMO_FATHER)]
        if self.rng.random() < 0.2:
            names.append(self._pick(data.OROMO_FATHER))
        full = " ".join(names)
        qubee = " ".join(data.OROMO_QUBEE.get(n, n) for n in names)
        return full, given, qubee if qubee != full and self.rng.random() < 0.4 else ""

    def _native(self, female):
        given = self._pick(data.NATIVE_F if female else data.NATIVE_M)
        surname = self._pick(data.NATIVE_SURNAMES)
        if self.rng.random() < 0.08:
            surname = f"{surname}-{self._pick(data.NATIVE_SURNAMES)}"
        return f"{given} {surname}", given, ""

    def _white(self, female):
        given = self._pick(data.WHITE_F if female else data.WHITE_M)
        surname = self._pick(data.WHITE_SURNAMES)
        if self.rng.random() < 0.06:
            surname = f"{surname}-{self._pick(data.WHITE_SURNAMES)}"
        return f"{given} {surname}", given, ""


def _membership_story(rng: random.Random, *, founding: bool = False, force_member: bool = False):
    """Applicant → member → sometimes lapsed (and back) or withdrawn, with dates in 2023 to 2026."""
    end = history_end()
    if founding:
        return [(MembershipStatus.APPLICANT, HISTORY_START), (MembershipStatus.MEMBER, HISTORY_START)]
    latest_application = end - dt.timedelta(days=150) if force_member else end - dt.timedelta(days=20)
    applied = _date_between(rng, HISTORY_START, latest_application)
    story: list[tuple[str, dt.date]] = [(MembershipStatus.APPLICANT, applied)]
    r = rng.random()
    if not force_member and (((end - applied).days < 150 and r < 0.7) or r < 0.05):
        return story  # an application still under review
    if not force_member and r < 0.12:
        story.append(
            (MembershipStatus.WITHDRAWN, min(end, applied + dt.timedelta(days=rng.randint(20, 200))))
        )
        return story
    joined = min(end, applied + dt.timedelta(days=rng.randint(21, 120)))
    story.append((MembershipStatus.MEMBER, joined))
    if force_member:
        return story
    r = rng.random()
    if r < 0.22:
        lapsed = joined + dt.timedelta(days=rng.randint(380, 700))
        if lapsed < end:
            story.append((MembershipStatus.LAPSED, lapsed))
            rejoined = lapsed + dt.timedelta(days=rng.randint(60, 300))
            if rng.random() < 0.35 and rejoined < end:
                story.append((MembershipStatus.MEMBER, rejoined))
    elif r < 0.28:
        withdrew = joined + dt.timedelta(days=rng.randint(200, 900))
        if withdrew < end:
            story.append((MembershipStatus.WITHDRAWN, withdrew))
    return story


def _affirmations(rng: random.Random, story) -> list[tuple[dt.date, str]]:
    """The values text is affirmed on joining and renewed each year; some renewals are late."""
    end = history_end()
    out = []
    for i, (status, on) in enumerate(story):
        if status != MembershipStatus.MEMBER:
            continue
        until = story[i + 1][1] if i + 1 < len(story) else end
        day = on
        while day <= until:
            out.append((day, _version_on(VALUES_VERSIONS, day)))
            if rng.random() < 0.12:
                break
            day = (
                day.replace(year=day.year + 1)
                if not (day.month == 2 and day.day == 29)
                else day.replace(year=day.year + 1, day=28)
            )
    return out


def _budget(rng: random.Random, kind: str) -> str:
    if kind == OrganizationKind.INFORMAL:
        return rng.choice([BudgetBand.UNDER_100K, BudgetBand.UNKNOWN])
    weights = [0.3, 0.3, 0.15, 0.15, 0.05, 0.05]
    if kind in (OrganizationKind.LABOR, OrganizationKind.COALITION):
        weights = [0.05, 0.2, 0.25, 0.3, 0.15, 0.05]
    bands = [
        BudgetBand.UNDER_100K,
        BudgetBand.UNDER_500K,
        BudgetBand.UNDER_1M,
        BudgetBand.UNDER_5M,
        BudgetBand.OVER_5M,
        BudgetBand.UNKNOWN,
    ]
    return rng.choices(bands, weights)[0]


def _org_plan(
    rng,
    contacts,
    slugs: set[str],
    *,
    name,
    kind,
    community,
    place,
    issues,
    description,
    founding=False,
    force_member=False,
) -> OrgPlan:
    slug, n = slugify(name)[:70], 2
    base = slug
    while slug in slugs:
        slug, n = f"{base}-{n}", n + 1
    slugs.add(slug)
    story = _membership_story(rng, founding=founding, force_member=force_member)
    status = story[-1][0]
    if status == MembershipStatus.MEMBER:
        visibility = Visibility.PUBLIC if rng.random() < 0.85 else Visibility.MEMBERS
    else:
        visibility = Visibility.MEMBERS if rng.random() < 0.9 else Visibility.STAFF
    languages = list(data.COMMUNITY_LANGUAGES[community])
    if community != "multi" and "en" in languages and rng.random() < 0.2:
        languages.remove("en")
    if community == "multi":
        languages = ["en", *rng.sample(["es", "so", "hmn", "om", "vi", "kar"], rng.randint(1, 4))]
    host = slug[:40].strip("-")
    bipoc = BipocLed.NO if community == "white" else BipocLed.YES
    if community == "multi":
        bipoc = rng.choice([BipocLed.YES, BipocLed.YES, BipocLed.NO, BipocLed.UNSTATED])
    places = [place] + (
        [rng.choice(["minneapolis", "saint-paul", "hennepin-county", "ramsey-county"])]
        if rng.random() < 0.3
        else []
    )
    return OrgPlan(
        public_id=demo_uuid(rng),
        name=name,
        slug=slug,
        kind=kind,
        community=community,
        description=description,
        bipoc_led=bipoc,
        budget_band=_budget(rng, kind),
        languages=languages,
        website="" if kind == OrganizationKind.INFORMAL else f"https://{host}.example.org/",
        email=f"hello@{host}.example.org",
        phone=contacts.phone() if rng.random() < 0.7 else "",
        visibility=visibility,
        shares_contacts=rng.random() < 0.4,
        issues=list(dict.fromkeys(issues)),
        places=list(dict.fromkeys(places)),
        story=story,
        affirmations=_affirmations(rng, story),
        reps_wanted=1 if rng.random() < 0.7 else 2,
    )


def plan_organizations(rng: random.Random, contacts: Contacts, count: int) -> list[OrgPlan]:
    """The hand-written organisations first; at larger scale, generated ones after them."""
    convenors = {convenor for _name, convenor, *_rest in data.TABLES}
    slugs: set[str] = set()
    plans = [
        _org_plan(
            rng,
            contacts,
            slugs,
            name=name,
            kind=kind,
            community=community,
            place=place,
            issues=issues,
            description=description,
            founding=i == 0,
            force_member=i in convenors or i == MEMBER_LOGIN_ORG,
        )
        for i, (name, kind, community, place, issues, description) in enumerate(data.ORGANIZATIONS[:count])
    ]
    place_names = {
        slug: name.split(" (")[0].split(" /")[0]
        for slug, name, kind, *_ in data.PLACES
        if kind in ("city", "neighborhood", "corridor", "county")
    }
    issue_slugs = [slug for slug, _name in data.ISSUES]
    communities = list(data.LARGE_ORG_COMMUNITY)
    kinds = [k for k in OrganizationKind.values if k != OrganizationKind.OTHER]
    names = {p.name for p in plans}
    while len(plans) < count:
        place = rng.choice(list(place_names))
        community = rng.choice(communities)
        name = (
            f"{place_names[place].replace(' corridor', '')} {data.LARGE_ORG_COMMUNITY[community]} "
            f"{rng.choice(data.LARGE_ORG_FOCUS)} {rng.choice(data.LARGE_ORG_NOUNS)}"
        )
        if name in names:
            continue
        names.add(name)
        issues = rng.sample(issue_slugs, rng.randint(1, 3))
        kind = rng.choice(kinds)
        plans.append(
            _org_plan(
                rng,
                contacts,
                slugs,
                name=name,
                kind=kind,
                community=community,
                place=place,
                issues=issues,
                description=f"{OrganizationKind(kind).label} in {place_names[place]} working on "
                f"{', '.join(dict(data.ISSUES)[i].lower() for i in issues)}.",
            )
        )
    return plans


def plan_tables(rng: random.Random, orgs: list[OrgPlan], count: int) -> list[TablePlan]:
    """The eight hand-written tables, then generated ones; each with a convenor and participants
    that share its places or issues."""
    end = history_end()
    specs = [
        (name, convenor, issues, places, visibility, description)
        for name, convenor, issues, places, visibility, description in data.TABLES[:count]
    ]
    place_names = {slug: name for slug, name, *_ in data.PLACES}
    issue_names = dict(data.ISSUES)
    members = [i for i, o in enumerate(orgs) if o.member_since is not None]
    seen = {s[0] for s in specs}
    while len(specs) < count:
        place, issue = rng.choice(list(place_names)[2:]), rng.choice(list(issue_names))
        name = f"{place_names[place].split(' (')[0]} {issue_names[issue]} Table"
        if name in seen:
            continue
        seen.add(name)
        specs.append(
            (
                name,
                rng.choice(members),
                [issue],
                [place],
                rng.choice(["public", "members", "members"]),
                f"Organisations in {place_names[place]} working together on {issue_names[issue].lower()}.",
            )
        )
    tables = []
    for name, convenor, issues, places, visibility, description in specs:
        convenor_plan = orgs[convenor]
        started = max(
            convenor_plan.member_since or HISTORY_START,
            _date_between(rng, dt.date(2023, 3, 1), dt.date(2025, 6, 30)),
        )
        started = min(started, end)
        table = TablePlan(
            public_id=demo_uuid(rng),
            name=name,
            slug=slugify(name)[:70],
            convenor=convenor,
            issues=issues,
            places=places,
            visibility=visibility,
            description=description,
            started_on=started,
        )
        table.participants.append((convenor, TableRole.CONVENOR, started, None))
        related = [
            i
            for i in members
            if i != convenor and (set(orgs[i].places) & set(places) or set(orgs[i].issues) & set(issues))
        ]
        others = [i for i in members if i != convenor and i not in related]
        wanted = rng.randint(5, 11)
        chosen = rng.sample(related, min(len(related), wanted))
        if len(chosen) < wanted:
            chosen += rng.sample(others, min(len(others), wanted - len(chosen)))
        for n, i in enumerate(chosen):
            org = orgs[i]
            joined = min(
                end, max(started, org.member_since or started) + dt.timedelta(days=rng.randint(0, 90))
            )
            if org.left_on and org.left_on < joined:
                continue  # it had left the coalition before this table started
            left = org.left_on
            if left is None and rng.random() < 0.08:
                left = _date_between(rng, joined, end)
            role = TableRole.ANCHOR if n < 2 else rng.choice([TableRole.MEMBER] * 4 + [TableRole.PARTNER])
            table.participants.append((i, role, joined, left))
        tables.append(table)
    return tables


def iter_people(
    rng: random.Random, contacts: Contacts, orgs: list[OrgPlan], count: int
) -> Iterator[PersonPlan]:
    """People with their affiliations (some in several organisations, one or two representatives per
    organisation), consent records and access needs. A few are entered twice with another spelling,
    as happens in real directories, so the duplicate finder has something to find."""
    names = NameMaker(rng)
    end = history_end()
    now = timezone.now()
    by_community: dict[str, list[int]] = {}
    for i, org in enumerate(orgs):
        by_community.setdefault(org.community, []).append(i)
    everyone = list(range(len(orgs)))
    communities = list(data.COMMUNITY_WEIGHTS)
    weights = list(data.COMMUNITY_WEIGHTS.values())
    made = 0
    last: PersonPlan | None = None
    while made < count:
        if last is not None and rng.random() < 0.005:
            yield _duplicate_of(rng, last)
            made += 1
            last = None
            continue
        community = rng.choices(communities, weights)[0]
        full_name, greeting, aliases, female = names.make(community)
        own = by_community.get(community, []) + by_community.get("multi", [])
        affiliations = []
        for _ in range(1 + (rng.random() < 0.15) + (rng.random() < 0.03)):
            pool = own if own and rng.random() < 0.75 else everyone
            org_i = rng.choice(pool)
            if any(a.org == org_i for a in affiliations):
                continue
            org = orgs[org_i]
            start = _date_between(rng, org.applied_on, end)
            ended = None
            if rng.random() < 0.08 and (end - start).days > 60:
                ended = _date_between(rng, start + dt.timedelta(days=30), end)
            is_rep = False
            if ended is None and org.reps < org.reps_wanted and org.status != MembershipStatus.WITHDRAWN:
                is_rep, org.reps = True, org.reps + 1
            role = (
                rng.choice(data.ROLES)
                if not is_rep
                else rng.choice(
                    ["Executive Director", "Organizer", "Board chair", "Coordinator", "Pastor", "Owner"]
                )
            )
            affiliations.append(AffiliationPlan(org_i, role, is_rep, start, ended))
        language = data.COMMUNITY_LANGUAGES[community][0] if rng.random() < 0.6 else "en"
        email = contacts.email(full_name) if rng.random() < 0.85 else ""
        mobile = contacts.phone() if rng.random() < 0.3 else ""
        phone = contacts.phone() if not mobile and rng.random() < 0.05 else ""
        pronouns = ""
        if rng.random() < 0.3:
            pronouns = "they/them" if rng.random() < 0.08 else ("she/her" if female else "he/him")
        access = None
        if rng.random() < 0.1:
            interpretation = data.INTERPRETATION.get(language, "") if language != "en" else ""
            if rng.random() < 0.08:
                interpretation = "ASL"
            access = (interpretation, rng.choice(data.ACCOMMODATIONS))
        first_seen = min(a.start_on for a in affiliations)
        consents = _consents(
            rng, first_seen, now, end, email=email, mobile=mobile, phone=phone, access=access
        )
        visibility = Visibility.MEMBERS
        r = rng.random()
        if r < 0.1:
            visibility = Visibility.STAFF
        elif r < 0.15 or (any(a.is_representative for a in affiliations) and r < 0.4):
            visibility = Visibility.PUBLIC
        last = PersonPlan(
            public_id=demo_uuid(rng),
            full_name=full_name,
            name_for_greeting=greeting if rng.random() < 0.3 else "",
            aliases=aliases,
            pronouns=pronouns,
            preferred_language=language,
            email=email,
            phone=phone,
            mobile=mobile,
            visibility=visibility,
            affiliations=affiliations,
            consents=consents,
            access=access,
        )
        yield last
        made += 1


def _duplicate_of(rng: random.Random, person: PersonPlan) -> PersonPlan:
    """The same person entered again by another organisation: another spelling, the email in
    capitals or the same mobile number."""
    spelled = person.aliases.split(";")[0].strip() or _ascii(person.full_name)
    if spelled == person.full_name:
        spelled = person.full_name.upper() if rng.random() < 0.3 else person.full_name.replace(" ", "  ", 1)
    start = person.affiliations[0].start_on
    return PersonPlan(
        public_id=demo_uuid(rng),
        full_name=spelled,
        name_for_greeting="",
        aliases="",
        pronouns="",
        preferred_language=person.preferred_language,
        email=person.email.upper() if rng.random() < 0.6 else "",
        phone="",
        mobile=person.mobile,
        visibility=Visibility.MEMBERS,
        affiliations=[AffiliationPlan(person.affiliations[0].org, "Member", False, start)],
        consents=[],
        access=None,
    )


def _consents(
    rng, first_seen: dt.date, now: dt.datetime, end: dt.date, *, email, mobile, phone, access
) -> list[ConsentPlan]:
    wanted = []
    if email and rng.random() < 0.8:
        wanted.append(ConsentPurpose.CONTACT_EMAIL)
    if mobile and rng.random() < 0.55:
        wanted.append(ConsentPurpose.CONTACT_SMS)
    if (mobile or phone) and rng.random() < 0.2:
        wanted.append(ConsentPurpose.CONTACT_PHONE)
    if access and rng.random() < 0.75:
        wanted.append(ConsentPurpose.SHARE_ACCESS_NEEDS)
    if rng.random() < 0.06:
        wanted.append(ConsentPurpose.STORY_USE)
    if rng.random() < 0.1:
        wanted.append(ConsentPurpose.PHOTO)
    out = []
    for purpose in wanted:
        day = min(first_seen + dt.timedelta(days=rng.randint(0, 60)), end)
        given = dt.datetime.combine(
            day, dt.time(rng.randint(8, 20), rng.choice([0, 15, 30, 45])), tzinfo=CHICAGO
        )
        given = min(given, now)
        source = rng.choices(CONSENT_SOURCES, [0.45, 0.3, 0.15, 0.1])[0]
        expires = (
            given + dt.timedelta(days=730)
            if purpose in (ConsentPurpose.STORY_USE, ConsentPurpose.PHOTO)
            else None
        )
        withdrawn = None
        if rng.random() < 0.06:
            withdrawn = min(now, given + dt.timedelta(days=rng.randint(10, 500)))
        out.append(
            ConsentPlan(purpose, _version_on(CONSENT_VERSIONS, day), source, given, expires, withdrawn)
        )
    return out
