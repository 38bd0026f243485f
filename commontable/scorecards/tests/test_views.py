"""Scorecard pages for every persona: rubrics public, sessions by visibility, scoring by members
while open and by invited scorers through their link, results for staff or once published; the
form's happy and failure paths; query counts that do not grow with scorers."""

import pytest
from django.urls import reverse

from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.translations import translation_save
from commontable.scorecards import services
from commontable.scorecards.models import Criterion, Rubric, Score, Submission
from commontable.scorecards.services import AnswerIn, Scorer

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"scorecards:{name}", args=args)


def keys(session):
    return [str(c.public_id) for c in Criterion.objects.filter(theme__version=session.version)
            .order_by("theme__position", "position")]


def form(session, values=("4", "2", "3"), action="submit"):
    data = {f"c-{key}": value for key, value in zip(keys(session), values, strict=True)}
    data["action"] = action
    return data


def test_rubrics_are_public_and_shown_in_the_readers_language(client, personas, examples):
    assert_permission_matrix(client, personas, "get", url("rubric_list"), {}, default=200)
    assert_permission_matrix(client, personas, "get", url("rubric_detail", "equitable-development"), {}, default=200)
    assert client.get(url("rubric_detail", "no-such-rubric")).status_code == 404
    criterion = Criterion.objects.filter(theme__version__rubric__slug="equitable-development").order_by(
        "theme__position", "position").first()
    translation_save(actor=None, obj=criterion, language="es", fields={"question": "¿Se consultó a tiempo?"})
    login_as(client, personas, "member_a")
    client.post(reverse("accounts:language_set"), {"language": "es", "next": "/"})
    html = client.get(url("rubric_detail", "equitable-development")).content.decode()
    assert "¿Se consultó a tiempo?" in html and "beta" in html.lower()


def test_sessions_follow_their_visibility(client, personas, session):
    members_only = {"anonymous": 404, "public_user": 404}
    assert_permission_matrix(client, personas, "get", url("session_detail", session.public_id), members_only, default=200)
    assert_permission_matrix(client, personas, "get", url("session_list"), {}, default=200)
    login_as(client, personas, "public_user")
    assert session.title not in client.get(url("session_list")).content.decode()


def test_members_score_open_sessions_and_outsiders_cannot(client, personas, session):
    assert_permission_matrix(client, personas, "get", url("session_score", session.public_id),
                             {"anonymous": 302, "public_user": 404}, default=200)


def test_a_member_saves_a_draft_then_submits_and_sees_their_answers_again(client, personas, session):
    login_as(client, personas, "member_a")
    target = url("session_score", session.public_id)
    draft = form(session, ("3", "", ""), action="save")
    draft[f"comment-{keys(session)[0]}"] = "Asked only after the design."
    response = client.post(target, draft)
    assert response.status_code == 302 and response["Location"].endswith("?saved=draft")
    html = client.get(target).content.decode()
    assert "Asked only after the design." in html and 'value="3" checked' in html
    response = client.post(target, form(session))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "submitted" and submission.user == personas.user("member_a")
    assert submission.group == "organization"
    assert sorted(Score.objects.values_list("value", flat=True)) == [2, 3, 4]


def test_refused_answers_show_every_problem_keep_what_was_typed_and_write_nothing(client, personas, session):
    login_as(client, personas, "member_a")
    data = form(session, ("9", "", "2"))
    data[f"comment-{keys(session)[2]}"] = "kept"
    response = client.post(url("session_score", session.public_id), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html and "choose one of the answers" in html and "has no answer yet" in html
    assert "kept" in html
    tampered = form(session) | {"c-00000000-0000-0000-0000-000000000000": "4"}
    assert client.post(url("session_score", session.public_id), tampered).status_code == 400
    assert not Submission.objects.exists()


def test_a_closed_session_takes_no_more_scores(client, personas, session):
    login_as(client, personas, "member_a")
    services.session_close(actor=None, session=session)
    response = client.post(url("session_score", session.public_id), form(session))
    assert response.status_code == 409 and "closed" in response.content.decode()
    assert not Submission.objects.exists()


def test_an_invited_scorer_scores_through_their_link_in_their_language(client, session):
    invitation = services.invitation_create(actor=None, session=session, name="Hodan", language="so")
    target = url("invitation_score", invitation.token)
    page = client.get(target)
    assert page.status_code == 200 and '<html lang="so">' in page.content.decode()  # the language invited in
    assert client.post(target, form(session)).status_code == 302
    assert client.post(target, form(session, ("0", "0", "0"))).status_code == 302
    submission = Submission.objects.get()
    assert submission.invitation == invitation and submission.language == "so" and submission.group == "resident"
    assert client.get(url("invitation_score", "not-a-token")).status_code == 404


def test_results_are_for_staff_until_published_and_name_no_scorer(client, personas, session):
    for who in ("member_a", "member_b", "board", "table_member"):
        services.submission_save(session=session, scorer=Scorer(user=personas.user(who), group="organization"),
                                 answers={k: AnswerIn(value=v) for k, v in zip(keys(session), (4, 2, 4), strict=True)},
                                 submit=True)
    target = url("session_results", session.public_id)
    assert_permission_matrix(client, personas, "get", target,
                             {"anonymous": 404, "public_user": 404, "staff": 200, "admin": 200}, default=403)
    login_as(client, personas, "staff")
    html = client.get(target).content.decode()
    assert "4 scorers submitted" in html and "Overall score: 100.0 out of 100" in html
    assert "hidden (small group)" in html  # four organisation scorers: under five
    for who in ("member_a", "member_b"):
        assert personas.user(who).full_name not in html
    session.results_public = True
    session.save()
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 404, "public_user": 404}, default=200)


def test_results_queries_do_not_grow_with_scorers(client, personas, session, django_assert_num_queries):
    def add(n, start):
        for i in range(start, start + n):
            invitation = services.invitation_create(actor=None, session=session, name=f"Scorer {i}")
            services.submission_save(session=session, scorer=Scorer(invitation=invitation),
                                     answers={k: AnswerIn(value=i % 5 if k != keys(session)[1] else i % 3)
                                              for k in keys(session)}, submit=True)

    add(5, 0)
    login_as(client, personas, "staff")
    target = url("session_results", session.public_id)
    client.get(target)
    # session, user, the session with its version, rubric and investment; themes; criteria; the
    # submitted answers counted per group, criterion and value; scorers per group; the comments
    # (staff) in one (in the rubric's own language no translation is read).
    with django_assert_num_queries(8):
        client.get(target)
    add(7, 5)
    client.get(target)
    with django_assert_num_queries(8):
        assert "12 scorers submitted" in client.get(target).content.decode()


# --- staff: sessions, invitations, codes --------------------------------------------------------

STAFF_PAGE = {"anonymous": 302, "staff": 200, "admin": 200}


def test_staff_create_a_session_others_cannot(client, personas, published):
    from commontable.core.visibility import Visibility
    from commontable.investments.tests.factories import InvestmentFactory
    from commontable.scorecards.models import ScoringSession

    investment = InvestmentFactory(visibility=Visibility.PUBLIC, slug="open-park")
    assert_permission_matrix(client, personas, "get", url("session_create"), STAFF_PAGE, default=403)
    login_as(client, personas, "staff")
    bad = client.post(url("session_create"), {"title": "", "version": published.pk, "investment": "open-park",
                                              "visibility": "members"})
    assert bad.status_code == 400 and not ScoringSession.objects.exists()
    response = client.post(url("session_create"), {"title": "Open Park", "version": published.pk,
                                                   "investment": "open-park", "visibility": "public",
                                                   "public_link": "on"})
    session = ScoringSession.objects.get()
    assert response.status_code == 302 and session.investment == investment and session.status == "draft"
    assert session.public_link and session.visibility == "public"


def test_staff_open_close_and_publish_results(client, personas, session):
    target = url("session_status", session.public_id)
    assert_permission_matrix(client, personas, "post", target, {"anonymous": 302, "public_user": 404, "staff": 302,
                                                                "admin": 302}, data={"action": "publish"}, default=403)
    session.refresh_from_db()
    assert session.results_public  # staff and admin did it (twice: publishing again is harmless)
    login_as(client, personas, "staff")
    client.post(target, {"action": "close"})
    session.refresh_from_db()
    assert session.status == "closed"
    response = client.post(target, {"action": "open"}, follow=True)
    assert "is closed" in response.content.decode()  # a closed session does not open again
    client.post(target, {"action": "withdraw"})
    session.refresh_from_db()
    assert not session.results_public
    assert client.post(target, {"action": "explode"}).status_code == 302


def test_staff_invite_scorers(client, personas, session):
    target = url("invitation_create", session.public_id)
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 302, "public_user": 404, "staff": 200,
                                                               "admin": 200}, default=403)
    login_as(client, personas, "staff")
    assert client.post(target, {"name": "", "group": "resident", "language": "so"}).status_code == 400
    assert client.post(target, {"name": "Hodan", "group": "resident", "language": "so"}).status_code == 302
    html = client.get(url("session_detail", session.public_id)).content.decode()
    assert "Hodan" in html and session.invitations.get().token in html


def test_codes_are_shown_once_and_never_cached(client, personas, session):
    target = url("codes_create", session.public_id)
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 302, "public_user": 404, "staff": 200,
                                                               "admin": 200}, default=403)
    login_as(client, personas, "staff")
    response = client.post(target, {"count": "3"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert session.codes.count() == 3 and "3 new codes" in response.content.decode()
    assert client.post(target, {"count": "0"}).status_code == 400 and session.codes.count() == 3


def test_the_public_link_scores_once_per_browser(client, session):
    target = url("public_score", session.public_token)
    assert client.get(target).status_code == 200
    assert client.post(target, form(session)).status_code == 302
    assert client.post(target, form(session, ("0", "0", "0"))).status_code == 302
    assert Submission.objects.count() == 1 and Submission.objects.get().public_key
    session.public_link = False
    session.save()
    assert client.get(target).status_code == 404


def test_the_public_link_with_codes_asks_for_one_and_keeps_one_submission_per_code(client, session):
    session.codes_required = True
    session.save()
    code = services.access_codes_create(actor=None, session=session, count=1)[0]
    target = url("public_score", session.public_token)
    assert "Your code" in client.get(target).content.decode()
    assert client.post(target, {"code": "WRONG123"}).status_code == 400
    assert client.post(target, {"code": code.lower()}).status_code == 302
    assert client.post(target, form(session)).status_code == 302
    other = client.__class__()
    assert other.post(target, {"code": code}).status_code == 302  # the same code: the same one submission
    assert other.post(target, form(session, ("1", "1", "1"))).status_code == 302
    assert Submission.objects.count() == 1 and Submission.objects.get().access_code is not None


def test_the_public_link_slows_down_a_flood(client, session, monkeypatch):
    from commontable.scorecards import views

    monkeypatch.setattr(views, "PUBLIC_LIMIT", 2)
    target = url("public_score", session.public_token)
    statuses = [client.post(target, form(session)).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


# --- weighting round ----------------------------------------------------------------------------


def test_members_propose_weights_and_see_median_and_range_staff_adopt(client, personas, published):
    from commontable.scorecards.models import RubricVersion, WeightProposal

    slug = published.rubric.slug
    target = url("rubric_weights", slug)
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 302, "public_user": 403}, default=200)
    themes = list(published.themes.order_by("position"))
    for who, (a, b) in (("member_a", (10, 90)), ("member_b", (30, 70)), ("board", (50, 50))):
        login_as(client, personas, who)
        assert client.post(target, {"action": "propose", f"w-{themes[0].pk}": a, f"w-{themes[1].pk}": b}).status_code == 302
    login_as(client, personas, "member_a")
    assert client.post(target, {"action": "propose", f"w-{themes[0].pk}": 20, f"w-{themes[1].pk}": 80}).status_code == 302
    assert WeightProposal.objects.count() == 3  # a new proposal replaces the person's own
    bad = client.post(target, {"action": "propose", f"w-{themes[0].pk}": 200, f"w-{themes[1].pk}": ""})
    assert bad.status_code == 400 and "weight must be" in bad.content.decode()
    assert client.post(target, {"action": "adopt", f"adopt-{themes[0].pk}": 30, f"adopt-{themes[1].pk}": 70}).status_code == 403
    html = client.get(target).content.decode()
    assert "20–50" in html and ">30<" in html  # range and median of the first theme
    login_as(client, personas, "staff")
    response = client.post(target, {"action": "adopt", f"adopt-{themes[0].pk}": 30, f"adopt-{themes[1].pk}": 70,
                                     "note": "Agreed at the March meeting."})
    assert response.status_code == 302
    adopted = RubricVersion.objects.get(rubric=published.rubric, number=2)
    assert adopted.weights_decided_by == personas.user("staff") and adopted.change_note == "Agreed at the March meeting."
    assert [t.weight for t in adopted.themes.order_by("position")] == [30, 70]


# --- asks letter --------------------------------------------------------------------------------


def test_the_asks_letter_lists_the_weakest_and_sends_chosen_asks_once(client, personas, session):
    from commontable.investments.models import CampaignAsk
    from commontable.scorecards.models import SessionAsk

    for who in ("member_a", "member_b"):
        services.submission_save(session=session, scorer=Scorer(user=personas.user(who)),
                                 answers={k: AnswerIn(value=v) for k, v in zip(keys(session), (4, 0, 1), strict=True)},
                                 submit=True)
    target = url("session_asks", session.public_id)
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 302, "public_user": 404, "staff": 200,
                                                               "admin": 200}, default=403)
    login_as(client, personas, "staff")
    html = client.get(target).content.decode()
    assert html.index("Is there a binding agreement?") < html.index("How many affordable homes?")  # weakest first
    weakest = keys(session)[1]
    bad = client.post(target, {"asked_of": "", f"send-{weakest}": "on", f"ask-{weakest}": "Sign a CBA."})
    assert bad.status_code == 400 and not CampaignAsk.objects.exists()
    response = client.post(target, {"asked_of": "Station Developer LLC", f"send-{weakest}": "on",
                                    f"ask-{weakest}": "Sign a community benefits agreement."})
    assert response.status_code == 302
    ask = CampaignAsk.objects.get()
    assert ask.investment == session.investment and ask.asked_of == "Station Developer LLC"
    assert SessionAsk.objects.get().ask == ask
    again = client.post(target, {"asked_of": "X", f"send-{weakest}": "on", f"ask-{weakest}": "Again."})
    assert again.status_code == 400 and CampaignAsk.objects.count() == 1
    assert "Sent already." in client.get(target).content.decode()


def test_results_pdf_and_comments_by_theme_for_staff_only(client, personas, session):
    answers = {k: AnswerIn(value=v) for k, v in zip(keys(session), (4, 2, 4), strict=True)}
    answers[keys(session)[2]] = AnswerIn(value=1, comment="Only 5% affordable, and not for long.")
    services.submission_save(session=session, scorer=Scorer(user=personas.user("member_a")), answers=answers, submit=True)
    target = url("session_results_pdf", session.public_id)
    assert_permission_matrix(client, personas, "get", target,
                             {"anonymous": 404, "public_user": 404, "staff": 200, "admin": 200}, default=403)
    login_as(client, personas, "staff")
    response = client.get(target)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    html = client.get(url("session_results", session.public_id)).content.decode()
    assert "Only 5% affordable" in html and "<svg" in html
    session.results_public = True
    session.save()
    login_as(client, personas, "member_b")
    html = client.get(url("session_results", session.public_id)).content.decode()
    assert "Only 5% affordable" not in html and "<svg" in html  # comments stay with staff
    assert client.get(target).status_code == 200


def test_proposals_scored_with_one_version_compare_side_by_side(client, personas, session, django_assert_num_queries):
    from commontable.investments.tests.factories import InvestmentFactory

    other = services.session_open(actor=None, session=services.session_create(
        actor=None, version=session.version, investment=InvestmentFactory(name="Other block"), title="Other"))
    for s, values in ((session, (4, 2, 4)), (other, (0, 0, 0))):
        services.submission_save(session=s, scorer=Scorer(user=personas.user("member_a")),
                                 answers={k: AnswerIn(value=v) for k, v in zip(keys(s), values, strict=True)}, submit=True)
    target = url("rubric_compare", session.version.rubric.slug)
    assert_permission_matrix(client, personas, "get", target, {}, default=200)
    login_as(client, personas, "member_b")
    html = client.get(target).content.decode()
    assert "Other block" not in html and "No proposal" in html  # results not published
    login_as(client, personas, "staff")
    client.get(target)
    # session, user; the rubric; its versions; the sessions; themes; criteria; answers counted per
    # session, criterion and value; scorers per session.
    with django_assert_num_queries(9):
        html = client.get(target).content.decode()
    assert session.investment.name in html and "Other block" in html and ">100.0<" in html and ">0.0<" in html
    assert client.get(target, {"version": "99"}).status_code == 200  # an unknown version: the current one


# --- staff: writing rubrics ---------------------------------------------------------------------

OUTLINE = """## Power | 60
- Were residents asked early? | 0-4
  Look for early meetings.
## Homes | 40
- How many affordable homes? | 0-4
"""


def test_staff_write_a_rubric_as_an_outline_review_and_publish_it(client, personas):
    from commontable.scorecards.models import Rubric

    assert_permission_matrix(client, personas, "get", url("rubric_create"), STAFF_PAGE, default=403)
    login_as(client, personas, "staff")
    bad = client.post(url("rubric_create"), {"name": "Parks lens", "slug": "parks-lens", "source_language": "en",
                                             "outline": "- Question first\n## T\n- Q | 0-10\n"})
    assert bad.status_code == 400 and "Line 1" in bad.content.decode() and "Line 3" in bad.content.decode()
    assert not Rubric.objects.exists()
    response = client.post(url("rubric_create"), {"name": "Parks lens", "slug": "parks-lens", "source_language": "en",
                                                  "outline": OUTLINE})
    assert response.status_code == 302
    rubric = Rubric.objects.get()
    target = url("version_edit", "parks-lens", 1)
    assert_permission_matrix(client, personas, "get", target, STAFF_PAGE, default=403)
    login_as(client, personas, "staff")
    html = client.get(target).content.decode()
    assert "## Power | 60" in html and "Look for early meetings." in html
    edited = OUTLINE.replace("Homes | 40", "Homes and rents | 40")
    assert client.post(target, {"action": "save", "outline": edited}).status_code == 302
    assert client.post(target, {"action": "save", "outline": "## Empty | 5\n"}).status_code == 400  # no question
    assert client.post(target, {"action": "publish"}).status_code == 302
    version = rubric.versions.get()
    assert version.status == "published" and version.themes.get(position=2).name == "Homes and rents"
    # Published: it shows, never changes; a new draft is made from it.
    refused = client.post(target, {"action": "save", "outline": OUTLINE})
    assert refused.status_code == 400 and "never changes" in refused.content.decode()
    assert version.themes.get(position=2).name == "Homes and rents"
    response = client.post(target, {"action": "new_draft", "note": "Clearer words"})
    assert response.status_code == 302 and response["Location"].endswith(url("version_edit", "parks-lens", 2))
    assert rubric.versions.get(number=2).change_note == "Clearer words"
    assert client.get(url("version_edit", "parks-lens", 9)).status_code == 404


def test_staff_translate_a_version_and_readers_see_it(client, personas, published):
    from commontable.core.models import LinkedTranslation

    rubric = published.rubric
    criterion = Criterion.objects.filter(theme__version=published).order_by("theme__position", "position").first()
    target = url("version_translations", rubric.slug, 1, "so")
    assert_permission_matrix(client, personas, "get", target, STAFF_PAGE, default=403)
    login_as(client, personas, "staff")
    assert client.get(url("version_translations", rubric.slug, 1, "en")).status_code == 404  # the source language
    assert client.get(url("version_translations", rubric.slug, 1, "xx")).status_code == 404
    too_long = client.post(target, {f"c{criterion.pk}-question": "x" * 501})
    assert too_long.status_code == 400 and not LinkedTranslation.objects.exists()
    response = client.post(target, {f"c{criterion.pk}-question": "Dadka deegaanka ma la weydiiyay goor hore?",
                                    "r-name": "Shaxda tijaabada", "review": "on"})
    assert response.status_code == 302
    assert LinkedTranslation.objects.filter(status="reviewed").count() == 2
    login_as(client, personas, "member_a")
    client.post(reverse("accounts:language_set"), {"language": "so", "next": "/"})
    html = client.get(url("rubric_detail", rubric.slug)).content.decode()
    assert "Dadka deegaanka ma la weydiiyay goor hore?" in html and "Shaxda tijaabada" in html


def test_groups_of_five_or_more_show_their_theme_scores(client, personas, session):
    for i in range(5):
        invitation = services.invitation_create(actor=None, session=session, name=f"Resident {i}")
        services.submission_save(session=session, scorer=Scorer(invitation=invitation, group="resident"),
                                 answers={k: AnswerIn(value=v) for k, v in zip(keys(session), (4, 2, 0), strict=True)},
                                 submit=True)
    services.submission_save(session=session, scorer=Scorer(user=personas.user("member_a"), group="organization"),
                             answers={k: AnswerIn(value=0) for k in keys(session)}, submit=True)
    login_as(client, personas, "staff")
    html = client.get(url("session_results", session.public_id)).content.decode()
    residents = html[html.index('<th scope="row">Residents</th>'):]
    residents = residents[:residents.index("</tr>")]
    # Residents: "asked early" 4 of 4 and "binding agreement" 2 of 2 make Power 100; Homes 0 of 4
    # makes 0. The lone organisation scorer's group is hidden.
    assert "<td>5</td>" in residents and "<td>100.0</td>" in residents and "<td>0.0</td>" in residents
    assert "hidden (small group)" in html


def test_long_comment_lists_are_cut_and_all_comments_download_for_staff(client, personas, session, monkeypatch):
    from commontable.scorecards import selectors

    monkeypatch.setattr(selectors, "COMMENTS_SHOWN", 2)
    monkeypatch.setattr(selectors.session_comments, "__kwdefaults__", {"limit": 2})
    for i in range(3):
        invitation = services.invitation_create(actor=None, session=session, name=f"R{i}")
        answers = {k: AnswerIn(value=1) for k in keys(session)}
        answers[keys(session)[0]] = AnswerIn(value=1, comment=f"=cmd|' /C calc'!A{i}" if i == 0 else f"Comment {i}")
        services.submission_save(session=session, scorer=Scorer(invitation=invitation), answers=answers, submit=True)
    target = url("session_comments_csv", session.public_id)
    assert_permission_matrix(client, personas, "get", target, {"anonymous": 302, "public_user": 404, "staff": 200,
                                                               "admin": 200}, default=403)
    login_as(client, personas, "staff")
    html = client.get(url("session_results", session.public_id)).content.decode()
    assert "The first 2 of 3 comments." in html
    body = b"".join(client.get(target).streaming_content).decode("utf-8-sig")
    assert body.count("Were residents asked early?") == 3 and "'=cmd" in body  # formula-safe


def test_list_pages_queries_do_not_grow_with_rows(client, personas, published, django_assert_num_queries):
    from commontable.investments.tests.factories import InvestmentFactory

    def add(n):
        for i in range(n):
            services.session_create(actor=None, version=published, investment=InvestmentFactory(), title=f"S{i}")
            services.rubric_create(actor=None, name=f"R{i}", slug=f"r-{i}-{Rubric.objects.count()}",
                                   themes=[{"name": "T", "criteria": [{"question": "Q"}]}])

    add(5)
    login_as(client, personas, "staff")
    for name in ("session_list", "rubric_list"):
        client.get(url(name))
    # sessions: session, user, the sessions with rubric, version and investment.
    with django_assert_num_queries(3):
        client.get(url("session_list"))
    # rubrics: session, user, the rubrics (their words in the rubric's own language: no translation read).
    with django_assert_num_queries(3):
        client.get(url("rubric_list"))
    add(3)
    client.get(url("session_list"))  # the viewer, kept until data changes, is worked out again once
    with django_assert_num_queries(3):
        client.get(url("session_list"))
    with django_assert_num_queries(3):
        client.get(url("rubric_list"))
