"""The two example rubrics the platform ships with, written in our own words, published as
version 1: the Equitable Development Scorecard and a racial-equity lens for climate and mobility
projects (plan objectives 1.4 and 1.6). Any coalition can edit them into new versions or write its
own. The texts are marked for translation, so that each language's catalog carries them."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

from commontable.scorecards import services
from commontable.scorecards.choices import Scale
from commontable.scorecards.models import Rubric

Z, YPN = Scale.ZERO_TO_FOUR, Scale.YES_PARTLY_NO

EQUITABLE_DEVELOPMENT = {
    "slug": "equitable-development",
    "name": N_("Equitable Development Scorecard"),
    "purpose": N_("Judge a proposed development or public investment by what it does for the people who live and "
                  "work around it now, above all Black, Indigenous and other residents of colour."),
    "themes": [
        {"name": N_("Community power in decisions"), "weight": 20, "criteria": [
            {"question": N_("Were residents and community groups involved before the main decisions were made?"), "scale": Z,
             "guidance": N_("Look for meetings held early, in the neighbourhood, at times people can come, with "
                            "interpretation; not only a hearing after the plans are final.")},
            {"question": N_("Does the project have a binding agreement with the community (for example a community "
                            "benefits agreement)?"), "scale": YPN},
            {"question": N_("Will the community have a say in how the project is run once built?"), "scale": Z},
            {"question": N_("Were materials offered in the languages spoken in the area?"), "scale": YPN},
        ]},
        {"name": N_("Anti-displacement and affordability"), "weight": 25, "criteria": [
            {"question": N_("How many of the new homes are affordable to households at or below 50% of the area "
                            "median income?"), "scale": Z,
             "guidance": N_("0: none; 2: about one in five; 4: one in three or more, kept affordable for at least "
                            "30 years.")},
            {"question": N_("Does the project protect current renters and small businesses from being pushed out?"),
             "scale": Z},
            {"question": N_("Does it replace any affordable homes it removes, one for one, nearby?"), "scale": YPN},
            {"question": N_("Does it add to community or cooperative ownership of land or buildings?"), "scale": Z},
        ]},
        {"name": N_("Jobs and local economic opportunity"), "weight": 15, "criteria": [
            {"question": N_("Are there local hiring goals for construction and for the jobs that follow?"), "scale": Z},
            {"question": N_("Will the jobs pay a living wage with benefits?"), "scale": YPN},
            {"question": N_("Are apprenticeships or training set aside for residents?"), "scale": Z},
        ]},
        {"name": N_("BIPOC businesses"), "weight": 15, "criteria": [
            {"question": N_("Is there a goal for contracting with BIPOC-owned businesses, with reporting?"), "scale": Z},
            {"question": N_("Will commercial space be offered to local and BIPOC-owned businesses at rents they "
                            "can pay?"), "scale": Z},
            {"question": N_("Will existing businesses get help to stay open during construction?"), "scale": YPN},
        ]},
        {"name": N_("Environment and health"), "weight": 15, "criteria": [
            {"question": N_("Does the project lower pollution, heat or noise for people living nearby?"), "scale": Z},
            {"question": N_("Does it add green space or trees that residents can use?"), "scale": Z},
            {"question": N_("Were the health effects on nearby residents studied and shared?"), "scale": YPN},
        ]},
        {"name": N_("Transportation and access"), "weight": 10, "criteria": [
            {"question": N_("Does it make walking, rolling, biking and transit safer and easier?"), "scale": Z},
            {"question": N_("Can people without a car reach the jobs, homes and services it creates?"), "scale": Z},
            {"question": N_("Is it accessible to disabled people, beyond the legal minimum?"), "scale": Z},
        ]},
    ],
}

CLIMATE_MOBILITY_LENS = {
    "slug": "climate-mobility-lens",
    "name": N_("Racial-equity lens for climate and mobility projects"),
    "purpose": N_("Ask of a climate, energy or transportation project who carries its costs and who gets its "
                  "benefits, before it is decided."),
    "themes": [
        {"name": N_("Who benefits"), "weight": 30, "criteria": [
            {"question": N_("Do communities of colour and low-income households get a fair share of the benefits "
                            "(cleaner air, lower bills, better service)?"), "scale": Z},
            {"question": N_("Are the benefits measured and reported by neighbourhood?"), "scale": YPN},
        ]},
        {"name": N_("Who carries the burden"), "weight": 30, "criteria": [
            {"question": N_("Does the project avoid adding pollution, traffic or construction burden to areas that "
                            "already carry the most?"), "scale": Z},
            {"question": N_("Will it raise housing costs nearby, and is there a plan against displacement?"), "scale": Z},
        ]},
        {"name": N_("Voice and power"), "weight": 20, "criteria": [
            {"question": N_("Did the agency ask the most affected residents first, in their languages?"), "scale": Z},
            {"question": N_("Did community input visibly change the plan?"), "scale": YPN},
        ]},
        {"name": N_("Resilience"), "weight": 20, "criteria": [
            {"question": N_("Does it help residents cope with heat, floods or outages?"), "scale": Z},
            {"question": N_("Does it keep working for people who rely on it most (transit riders, renters, elders)?"),
             "scale": Z},
        ]},
    ],
}

EXAMPLES = (EQUITABLE_DEVELOPMENT, CLIMATE_MOBILITY_LENS)


def scorecards_demo_load(*, actor=None) -> list[Rubric]:
    """Create the example rubrics that are not there yet (by slug), published as version 1."""
    created = []
    for example in EXAMPLES:
        if Rubric.objects.filter(slug=example["slug"]).exists():
            continue
        rubric = services.rubric_create(actor=actor, name=example["name"], slug=example["slug"],
                                        purpose=example["purpose"], themes=example["themes"])
        services.version_publish(actor=actor, version=rubric.versions.get())
        created.append(rubric)
    return created


DEMO_SESSION_TITLE = "Demo: community scoring of a proposed development"


def scorecards_session_demo_load(*, scorers: int = 15, seed: int = 3):
    """A demo scoring session on the first demo investment, scored by invented residents,
    organisers and staff in four languages, with results published. None when there is no
    investment yet (load the investments demo first) or the session exists."""
    import random

    from commontable.investments.models import Investment
    from commontable.scorecards.models import Criterion, ScoringSession

    if ScoringSession.objects.filter(title=DEMO_SESSION_TITLE).exists():
        return None
    investment = Investment.objects.filter(visibility="public").order_by("pk").first()
    if investment is None:
        return None
    scorecards_demo_load()
    version = Rubric.objects.get(slug=EQUITABLE_DEVELOPMENT["slug"]).versions.get(status="published")
    session = services.session_open(actor=None, session=services.session_create(
        actor=None, version=version, investment=investment, title=DEMO_SESSION_TITLE, visibility="public",
        public_link=True))
    rng = random.Random(seed)
    criteria = list(Criterion.objects.filter(theme__version=version).order_by("theme__position", "position"))
    groups = ("resident", "organization", "staff")
    for i in range(scorers):
        group = groups[0] if i < scorers * 0.6 else groups[1] if i < scorers * 0.9 else groups[2]
        language = ("en", "es", "so", "hmn")[i % 4]
        invitation = services.invitation_create(actor=None, session=session, name=f"Demo scorer {i + 1}",
                                                group=group, language=language)
        camp = rng.random() < 0.5  # two camps on the first question of each theme: dissent to discuss
        answers = {}
        for criterion in criteria:
            top = 4 if criterion.scale == "zero_to_four" else 2
            value = (top if camp else 0) if criterion.position == 1 else max(0, min(top, round(rng.gauss(top * 0.45, 0.8))))
            answers[str(criterion.public_id)] = services.AnswerIn(value=value)
        services.submission_save(session=session, scorer=services.Scorer(invitation=invitation, group=group,
                                                                         language=language),
                                 answers=answers, submit=True)
    return services.session_results_publish(actor=None, session=session, public=True)
