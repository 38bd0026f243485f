"""Rubrics, versions and weights; sessions; submissions: happy paths, refusals that write nothing,
audit entries."""

import pytest
from django.core.exceptions import ValidationError

from commontable.core.models import ActivityLog
from commontable.scorecards import selectors, services
from commontable.scorecards.choices import SessionStatus, SubmissionStatus, VersionStatus
from commontable.scorecards.models import Criterion, Rubric, RubricVersion, Score, Submission
from commontable.scorecards.services import AnswerIn, Scorer

pytestmark = pytest.mark.django_db


def criteria(session):
    return [str(c.public_id) for c in Criterion.objects.filter(theme__version=session.version).order_by("theme__position", "position")]


def full(session, values=(4, 2, 3)):
    return {key: AnswerIn(value=v) for key, v in zip(criteria(session), values, strict=True)}


# --- rubrics, versions, weights -----------------------------------------------------------------


def test_a_rubric_starts_as_a_draft_version_with_its_themes_and_criteria(rubric):
    version = rubric.versions.get()
    assert version.number == 1 and version.status == VersionStatus.DRAFT
    themes = selectors.version_content(version)
    assert [t.name for t in themes] == ["Power", "Homes"] and [t.weight for t in themes] == [60, 40]
    assert [c.question for c in themes[0].criteria.all()] == ["Were residents asked early?", "Is there a binding agreement?"]
    assert ActivityLog.objects.filter(action="scorecards.rubric.created").count() == 1


@pytest.mark.parametrize(("themes", "message"), [
    ([], "at least one theme"),
    ([{"name": "", "criteria": [{"question": "Q"}]}], "has no name"),
    ([{"name": "T", "criteria": []}], "has no criterion"),
    ([{"name": "T", "weight": 101, "criteria": [{"question": "Q"}]}], "weight must be"),
    ([{"name": "T", "weight": "heavy", "criteria": [{"question": "Q"}]}], "weight must be"),
    ([{"name": "T", "criteria": [{"question": "Q", "scale": "zero_to_ten"}]}], "unknown answer scale"),
    ([{"name": "T", "criteria": [{"question": " "}]}], "question is empty"),
])
def test_bad_rubric_content_is_refused_and_nothing_is_written(themes, message):
    with pytest.raises(ValidationError) as refused:
        services.rubric_create(actor=None, name="Bad", slug="bad", themes=themes)
    assert any(message in m for m in refused.value.messages)
    assert not Rubric.objects.exists() and not RubricVersion.objects.exists()


def test_a_published_version_never_changes_and_edits_make_a_new_version(rubric):
    version = services.version_publish(actor=None, version=rubric.versions.get())
    criterion = Criterion.objects.filter(theme__version=version).first()
    with pytest.raises(ValidationError, match="never changes"):
        services.criterion_update(actor=None, criterion=criterion, question="Changed?")
    with pytest.raises(ValidationError, match="never changes"):
        services.version_content_replace(actor=None, version=version, themes=[{"name": "X", "criteria": [{"question": "Q"}]}])
    with pytest.raises(ValidationError):
        services.version_publish(actor=None, version=version)
    draft = services.version_new_draft(actor=None, version=version, note="clearer words")
    assert draft.number == 2 and draft.based_on == version and draft.status == VersionStatus.DRAFT
    copied = Criterion.objects.get(theme__version=draft, question=criterion.question)
    services.criterion_update(actor=None, criterion=copied, question="Were residents asked before the design?")
    copied.refresh_from_db()
    assert copied.revision == criterion.revision + 1  # its translations are now outdated
    services.criterion_update(actor=None, criterion=copied, weight=3)
    copied.refresh_from_db()
    assert copied.revision == criterion.revision + 1 and copied.weight == 3  # a weight is not words
    criterion.refresh_from_db()
    assert criterion.question == "Were residents asked early?"
    services.version_publish(actor=None, version=draft)
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED and selectors.version_current(rubric) == draft


def test_adopted_weights_make_a_new_published_version_recording_who_decided(published, personas):
    staff = personas.user("staff")
    themes = list(published.themes.order_by("position"))
    adopted = services.weights_adopt(actor=staff, version=published, weights={themes[0].pk: 30, themes[1].pk: 70})
    assert adopted.number == 2 and adopted.status == VersionStatus.PUBLISHED
    assert adopted.weights_decided_by == staff and adopted.weights_decided_at is not None
    assert [t.weight for t in adopted.themes.order_by("position")] == [30, 70]
    assert [t.weight for t in published.themes.order_by("position")] == [60, 40]  # the old version keeps its own
    with pytest.raises(ValidationError, match="every theme"):
        services.weights_adopt(actor=staff, version=adopted, weights={themes[0].pk: 30})
    with pytest.raises(ValidationError, match="above zero"):
        services.weights_adopt(actor=staff, version=adopted,
                               weights={t.pk: 0 for t in adopted.themes.all()})
    assert RubricVersion.objects.filter(rubric=published.rubric).count() == 2


# --- sessions and submissions -------------------------------------------------------------------


def test_sessions_score_with_published_versions_only(rubric, personas):
    from commontable.investments.tests.factories import InvestmentFactory

    with pytest.raises(ValidationError, match="published version"):
        services.session_create(actor=None, version=rubric.versions.get(), investment=InvestmentFactory(), title="X")


def test_a_scorer_saves_a_draft_then_submits_and_may_change_until_the_session_closes(session, personas):
    scorer = Scorer(user=personas.user("member_a"), group="organization", language="es")
    keys = criteria(session)
    draft = services.submission_save(session=session, scorer=scorer, answers={keys[0]: AnswerIn(value=3)})
    assert draft.status == SubmissionStatus.DRAFT and draft.scores.count() == 1
    with pytest.raises(ValidationError, match="has no answer yet"):
        services.submission_save(session=session, scorer=scorer, answers={keys[0]: AnswerIn(value=3)}, submit=True)
    done = services.submission_save(session=session, scorer=scorer, answers=full(session), submit=True)
    assert done.pk == draft.pk and done.status == SubmissionStatus.SUBMITTED and done.language == "es"
    changed = services.submission_save(session=session, scorer=scorer, answers=full(session, (0, 0, 0)))
    assert changed.status == SubmissionStatus.SUBMITTED
    assert sorted(Score.objects.filter(submission=done).values_list("value", flat=True)) == [0, 0, 0]
    # A submitted scorecard stays complete: a change that drops an answer is refused.
    with pytest.raises(ValidationError, match="has no answer yet"):
        services.submission_save(session=session, scorer=scorer, answers={keys[0]: AnswerIn(value=1)})
    services.session_close(actor=personas.user("staff"), session=session)
    with pytest.raises(ValidationError, match="not open"):
        services.submission_save(session=session, scorer=scorer, answers=full(session))
    assert Submission.objects.count() == 1
    assert ActivityLog.objects.filter(action="scorecards.submission.submitted").count() == 2


@pytest.mark.parametrize(("answer", "message"), [
    (AnswerIn(value=5), "choose one of the answers"),
    (AnswerIn(value="-1"), "choose one of the answers"),
    (AnswerIn(value="four"), "choose one of the answers"),
    (AnswerIn(value=2, not_applicable=True), "not both"),
    (AnswerIn(value=2, comment="x" * 2001), "longer than"),
])
def test_bad_answers_are_refused_and_nothing_is_written(session, personas, answer, message):
    answers = full(session)
    answers[criteria(session)[0]] = answer
    with pytest.raises(ValidationError) as refused:
        services.submission_save(session=session, scorer=Scorer(user=personas.user("member_b")), answers=answers, submit=True)
    assert any(message in m for m in refused.value.messages)
    assert not Submission.objects.exists() and not Score.objects.exists()


def test_not_applicable_only_where_allowed_and_answers_for_other_criteria_refused(session, personas):
    keys = criteria(session)
    answers = full(session)
    answers[keys[1]] = AnswerIn(not_applicable=True)  # "binding agreement" does not allow it
    with pytest.raises(ValidationError, match="cannot be answered"):
        services.submission_save(session=session, scorer=Scorer(user=personas.user("member_b")), answers=answers)
    tampered = full(session) | {"00000000-0000-0000-0000-000000000000": AnswerIn(value=4)}
    with pytest.raises(ValidationError, match="not in this scorecard"):
        services.submission_save(session=session, scorer=Scorer(user=personas.user("member_b")), answers=tampered)
    assert not Submission.objects.exists()


def test_one_submission_per_invited_scorer_and_per_code(session, personas):
    invitation = services.invitation_create(actor=None, session=session, name="Hodan", group="resident", language="so")
    first = services.submission_save(session=session, scorer=Scorer(invitation=invitation, language="so"),
                                     answers=full(session), submit=True)
    again = services.submission_save(session=session, scorer=Scorer(invitation=invitation, language="so"),
                                     answers=full(session, (1, 1, 1)), submit=True)
    assert again.pk == first.pk and Submission.objects.count() == 1
    codes = services.access_codes_create(actor=None, session=session, count=3)
    assert len(set(codes)) == 3 and all(len(c) == 8 for c in codes)
    code = services.access_code_find(session, codes[0].lower())
    assert code is not None and services.access_code_find(session, "NOTACODE") is None
    services.submission_save(session=session, scorer=Scorer(access_code=code), answers=full(session), submit=True)
    services.submission_save(session=session, scorer=Scorer(access_code=code), answers=full(session), submit=True)
    assert Submission.objects.count() == 2
    with pytest.raises(ValidationError, match="could not tell who"):
        services.submission_save(session=session, scorer=Scorer(), answers=full(session))


def test_an_invitation_or_code_of_another_session_is_refused(session, published, personas):
    from commontable.investments.tests.factories import InvestmentFactory

    other = services.session_open(actor=None, session=services.session_create(
        actor=None, version=published, investment=InvestmentFactory(), title="Other"))
    invitation = services.invitation_create(actor=None, session=other, name="Pa")
    with pytest.raises(ValidationError, match="another session"):
        services.submission_save(session=session, scorer=Scorer(invitation=invitation), answers=full(session))
    assert not Submission.objects.exists()


def test_results_count_submitted_scorecards_only(session, personas):
    services.submission_save(session=session, scorer=Scorer(user=personas.user("member_a")), answers=full(session, (4, 2, 4)),
                             submit=True)
    services.submission_save(session=session, scorer=Scorer(user=personas.user("member_b")), answers=full(session, (0, 0, 0)))
    found = selectors.session_results(session)
    assert found.overall.scorers == 1 and found.overall.overall == 100.0
    assert all(group.results is None for group in found.groups)  # one scorer: every group under five


def test_sessions_move_draft_open_closed_only(session, personas):
    assert session.status == SessionStatus.OPEN
    with pytest.raises(ValidationError):
        services.session_open(actor=None, session=session)
    closed = services.session_close(actor=None, session=session)
    assert closed.status == SessionStatus.CLOSED and closed.closed_at is not None
    with pytest.raises(ValidationError):
        services.session_close(actor=None, session=closed)


def test_the_example_rubrics_load_once_published(examples):
    assert {r.slug for r in examples} == {"equitable-development", "climate-mobility-lens"}
    ed = Rubric.objects.get(slug="equitable-development")
    version = selectors.version_current(ed)
    names = [t.name for t in selectors.version_content(version)]
    assert names == ["Community power in decisions", "Anti-displacement and affordability",
                     "Jobs and local economic opportunity", "BIPOC businesses", "Environment and health",
                     "Transportation and access"]
    from commontable.scorecards.demo import scorecards_demo_load

    assert scorecards_demo_load() == []


def test_permissions_staff_manage_members_score_open_sessions_results_when_published(session, personas):
    from commontable.scorecards import permissions

    assert permissions.can_manage_scorecards.test(personas.user("staff"))
    assert not permissions.can_manage_scorecards.test(personas.user("member_a"))
    assert permissions.can_score_as_member.test(personas.user("member_a"), session)
    assert not permissions.can_score_as_member.test(personas.user("public_user"), session)
    assert not permissions.can_see_results.test(personas.user("member_a"), session)
    session.results_public = True
    assert permissions.can_see_results.test(None, session)
    services.session_close(actor=None, session=session)
    session.refresh_from_db()
    assert not permissions.can_score_as_member.test(personas.user("member_a"), session)
    # Sessions follow their visibility (members by default): outsiders get 404.
    from django.http import Http404

    assert permissions.session_get_for_user(personas.user("member_b"), session.public_id) == session
    for who in ("anonymous", "public_user"):
        with pytest.raises(Http404):
            permissions.session_get_for_user(personas.user(who), session.public_id)
    with pytest.raises(Http404):
        permissions.session_get_for_user(personas.user("staff"), "not-a-uuid")
    services.submission_save(session=services.session_open(actor=None, session=services.session_create(
        actor=None, version=session.version, investment=session.investment, title="Again")),
        scorer=Scorer(user=personas.user("member_a")), answers={})
    assert permissions.own_submissions(personas.user("member_a")).count() == 1
    assert permissions.own_submissions(personas.user("member_b")).count() == 0
    assert permissions.own_submissions(None).count() == 0


def test_indicators_count_proposals_scored_and_scorers_by_group_and_language(session, personas):
    import datetime as dt

    from django.utils import timezone

    from commontable.scorecards.indicators import proposals_scored, scorers

    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    assert [r.value for r in proposals_scored([today])] == [0.0]
    services.submission_save(session=session, scorer=Scorer(user=personas.user("member_a"), group="organization",
                                                            language="es"), answers=full(session), submit=True)
    services.submission_save(session=session, scorer=Scorer(user=personas.user("member_b"), group="organization"),
                             answers=full(session))  # a draft does not count
    invitation = services.invitation_create(actor=None, session=session, name="Hodan", language="so")
    services.submission_save(session=session, scorer=Scorer(invitation=invitation, group="resident", language="so"),
                             answers=full(session), submit=True)
    assert [r.value for r in proposals_scored([yesterday, today])] == [0.0, 1.0]
    assert [r.value for r in scorers([today])] == [2.0]
    assert [r.value for r in scorers([today], "resident")] == [1.0]
    assert [r.value for r in scorers([today], "language:es")] == [1.0]
    assert [r.value for r in scorers([today], "staff")] == [0.0]


def test_asks_from_scorecards_count_when_won(session, personas):
    import datetime as dt

    from django.utils import timezone

    from commontable.scorecards.indicators import asks_adopted

    key = criteria(session)[1]
    with pytest.raises(ValidationError, match="at least one"):
        services.asks_send(actor=None, session=session, asked_of="Developer", asks={})
    with pytest.raises(ValidationError, match="not in this scorecard"):
        services.asks_send(actor=None, session=session, asked_of="Developer", asks={"nope": "x"})
    (ask,) = services.asks_send(actor=None, session=session, asked_of="Developer", asks={key: "Sign a CBA."})
    today = timezone.localdate()
    assert [r.value for r in asks_adopted([today])] == [0.0]
    ask.outcome, ask.outcome_on = "partly", today
    ask.save()
    assert [r.value for r in asks_adopted([today - dt.timedelta(days=1), today])] == [0.0, 1.0]


def test_the_demo_session_is_scored_in_four_languages_with_dissent_and_loads_once(db):
    from commontable.core.visibility import Visibility
    from commontable.investments.tests.factories import InvestmentFactory
    from commontable.scorecards.demo import scorecards_session_demo_load

    assert scorecards_session_demo_load() is None  # no investment yet
    InvestmentFactory(visibility=Visibility.PUBLIC)
    session = scorecards_session_demo_load()
    assert session.results_public and session.status == SessionStatus.OPEN
    found = selectors.session_results(session)
    assert found.overall.scorers == 15
    assert set(Submission.objects.values_list("language", flat=True)) == {"en", "es", "so", "hmn"}
    assert any(r.dissent for r in found.overall.criteria.values())
    assert scorecards_session_demo_load() is None
