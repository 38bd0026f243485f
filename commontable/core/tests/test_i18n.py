"""Language justice checks L1-L4 (shared/language-justice-accessibility.md §5) and the review workflow.

L1 every catalog passes `msgfmt --check`, with the right Plural-Forms; ngettext works in so/hmn.
L2 translated share per language (es ≥ 98%, so/hmn ≥ 95%).
L3 forms rendered with errors, and dates, in es/so/hmn carry none of Django's English strings.
L4 Accept-Language, the cookie and the no-JS switch give <html lang> in all four languages; a signed-in
   person's own choice wins and is saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from commontable.core import i18n
from commontable.core.testing import assert_permission_matrix

# Aliases, so that makemessages does not extract the literals in this file into the catalogs.
tr, ntr = gettext, ngettext

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))

# English strings from Django that must never show on a page in another language.
DJANGO_DENYLIST = [
    "This field is required.",
    "Enter a valid email address.",
    "Enter a valid date.",
    "Enter a whole number.",
    "Enter a valid URL.",
    "Select a valid choice.",
    "Ensure this value has at most",
    "Ensure this value is less than or equal to",
    "The email address and/or password you specified are not correct.",
]
# 5 March 2026 was a Thursday. ("May" is also the Somali word, so it is not on the list.)
DATE_DENYLIST = ["March", "Mar.", "Thursday", "Thu"]


def _compile_stale_catalogs() -> None:
    """`make messages` compiles the .mo files; do it here too when a .po is newer, so a fresh
    checkout's tests exercise the current catalogs."""
    msgfmt = shutil.which("msgfmt")
    changed = False
    for po in CATALOGS:
        mo = po.with_suffix(".mo")
        if msgfmt and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            subprocess.run([msgfmt, "-o", str(mo), str(po)], check=True)  # noqa: S603
            changed = True
    if changed:
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True, scope="module")
def _compiled_catalogs():
    _compile_stale_catalogs()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """LocaleMiddleware leaves the request's language active in the thread after the test client
    returns; without this, the tests after these ones would run in Somali or Hmong."""
    yield
    translation.deactivate()


def _html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang> on the page"
    return match.group(1)


# --- L1: catalogs compile, headers are right, plurals work ------------------------------------------


def test_there_is_a_catalog_for_every_language_but_the_source():
    for code in TRANSLATED:
        assert i18n.catalog_path(code).exists(), code


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_catalog_passes_msgfmt_check(po):
    assert i18n.msgfmt_check(po) == []


def test_check_catalogs_finds_no_problem():
    assert i18n.check_catalogs() == []


@pytest.mark.parametrize(
    ("code", "plural_forms"),
    [
        ("so", "nplurals=2; plural=(n != 1);"),
        ("hmn", "nplurals=1; plural=0;"),
    ],
)
def test_plural_forms_header(code, plural_forms):
    header = i18n.parse_header(i18n.read_po(i18n.catalog_path(code)))
    assert header["Plural-Forms"] == plural_forms
    assert header["Language"] == code
    assert header["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("code", ["so", "hmn"])
def test_drafted_languages_say_so_in_the_header(code):
    header = i18n.parse_header(i18n.read_po(i18n.catalog_path(code)))
    assert header["Last-Translator"] == "unreviewed draft (model-drafted)"
    assert code in settings.COMMONTABLE_BETA_LANGUAGES


@pytest.mark.parametrize("code", TRANSLATED)
def test_ngettext_works_without_crashing(code):
    with translation.override(code):
        for n in (0, 1, 2, 5, 1_000_000):
            text = ntr("%(num)d day", "%(num)d days", n) % {"num": n}
            assert str(n) in text
        # The catalog is really in use, not silently English.
        assert tr("This field is required.") != "This field is required."
        rendered = Template(
            "{% load i18n %}{% blocktranslate count n=3 %}{{ n }} untranslated string (shown "
            "in English){% plural %}{{ n }} untranslated strings (shown in English)"
            "{% endblocktranslate %}"
        ).render(Context())
        assert "3" in rendered


def test_broken_plural_header_fails_the_check(tmp_path, settings):
    po = tmp_path / "so" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: so\\n"\n'
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n\n'
        'msgid "%(n)d day"\nmsgid_plural "%(n)d days"\nmsgstr[0] "a"\nmsgstr[1] "b"\n',
        encoding="utf-8",
    )
    settings.LANGUAGES = [("en", "English"), ("so", "Somali")]
    problems = i18n.check_catalogs(tmp_path)
    assert any("msgfmt" in p or "fatal" in p or "plural" in p.lower() for p in problems)
    assert any("Plural-Forms" in p for p in problems)
    settings.LOCALE_PATHS = [tmp_path]
    with pytest.raises(SystemExit) as exc:
        call_command("i18n_status", "--check", stdout=_Sink(), stderr=_Sink())
    assert exc.value.code == 1


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_status_command_prints_every_language_and_passes_the_check():
    out = _Sink()
    call_command("i18n_status", "--check", stdout=out, stderr=_Sink())
    for code in TRANSLATED:
        assert re.search(rf"^{code}\s+\d+", out.text, re.MULTILINE), out.text
    assert "beta" in out.text
    assert "catalogs ok" in out.text


# --- L2: how much is translated ---------------------------------------------------------------------


@pytest.mark.parametrize(("code", "minimum"), [("es", 98.0), ("so", 95.0), ("hmn", 95.0)])
def test_translated_share(code, minimum):
    status = i18n.language_status(code)
    assert status.translated_pct >= minimum, [e.key for e in status.untranslated_entries][:20]


@pytest.mark.parametrize("code", ["so", "hmn"])
def test_every_django_string_we_carry_is_translated(code):
    """Django ships no so/hmn catalog: our own must translate its form errors, months and days."""
    missing = [
        e.key
        for e in i18n.read_po(i18n.catalog_path(code))
        if any("django_msgids" in r for r in e.references) and not e.translated
    ]
    assert missing == []


def test_the_django_msgid_list_is_current():
    """After a Django/allauth upgrade: every listed msgid still exists upstream, the marker module is
    fresh (run locale/tools/extract_django_msgids.py otherwise)."""
    path = LOCALE / "tools" / "extract_django_msgids.py"
    spec = importlib.util.spec_from_file_location("extract_django_msgids", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0


# --- L3: no English leaks in forms and dates --------------------------------------------------------


class _DemoForm(forms.Form):
    name = forms.CharField(max_length=5)
    email = forms.EmailField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    when = forms.DateField()
    count = forms.IntegerField(max_value=10)
    website = forms.URLField()
    missing = forms.CharField()


_BAD_DATA = {
    "name": "far too long",
    "email": "not-an-email",
    "kind": "zzz",
    "when": "31/31/2026",
    "count": "twelve",
    "website": "not a url",
    "missing": "",
}


@pytest.mark.parametrize("code", TRANSLATED)
def test_form_errors_are_not_english(code):
    with translation.override(code):
        form = _DemoForm(data=_BAD_DATA)
        assert not form.is_valid()
        html = str(form)
        big = _DemoForm(data={**_BAD_DATA, "count": "99"})
        big.is_valid()
        html += str(big)
    leaks = [s for s in DJANGO_DENYLIST if s in html]
    assert leaks == []
    assert len(form.errors) == 7


@pytest.mark.parametrize("code", TRANSLATED)
def test_dates_are_not_english(code):
    day = dt.date(2026, 3, 5)
    with translation.override(code):
        texts = [date_format(day, fmt) for fmt in ("DATE_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT")]
        texts += [date_format(day, fmt) for fmt in ("F", "N", "E", "b", "l", "D")]
    text = " | ".join(texts)
    assert [w for w in DATE_DENYLIST if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)] == [], text


@pytest.mark.django_db
@pytest.mark.parametrize("code", TRANSLATED)
def test_sign_in_errors_are_not_english(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert _html_lang(response) == code
    html = response.content.decode()
    assert [s for s in DJANGO_DENYLIST if s in html] == []
    get_user_model().objects.create_user("amina@example.org", "correct-horse-battery")
    response = client.post(
        reverse("account_login"), {"login": "amina@example.org", "password": "wrong-one-1"}
    )
    html = response.content.decode()
    assert "The email address and/or password you specified are not correct." not in html
    with translation.override(code):
        assert tr("The email address and/or password you specified are not correct.") in html


@pytest.mark.django_db
@pytest.mark.parametrize("code", TRANSLATED)
def test_profile_form_errors_are_not_english(client, code):
    user = get_user_model().objects.create_user(
        "bao@example.org", "correct-horse-battery", preferred_language=code
    )
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "", "days": "7"})
    assert response.status_code == 400
    assert _html_lang(response) == code
    html = response.content.decode()
    assert [s for s in DJANGO_DENYLIST if s in html] == []


# --- L4: the page language follows the person -------------------------------------------------------


def _skip_link(code: str) -> str:
    with translation.override(code):
        return tr("Skip to main content")


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_accept_language_sets_the_page_language(client, code):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=code)
    assert response.status_code == 200
    assert _html_lang(response) == code
    assert _skip_link(code) in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_language_cookie_sets_the_page_language(client, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert _html_lang(response) == code


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGES)
def test_no_js_language_switch(client, code):
    response = client.post(reverse("accounts:language_set"), {"language": code, "next": "/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/?page=2"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    response = client.get("/")
    assert _html_lang(response) == code
    html = response.content.decode()
    assert _skip_link(code) in html
    if code != settings.LANGUAGE_CODE:
        with translation.override(code):
            sign_in = tr("Sign in")
        assert sign_in != "Sign in"
        assert f">{sign_in}</a>" in html  # translated navigation


@pytest.mark.django_db
def test_beta_languages_show_the_draft_notice(client):
    for code in TRANSLATED:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
        html = client.get("/").content.decode()
        assert ('class="beta-banner"' in html) == (code in settings.COMMONTABLE_BETA_LANGUAGES), code


@pytest.mark.django_db
def test_account_language_wins_over_the_cookie_and_switching_saves_it(client):
    user = get_user_model().objects.create_user(
        "hodan@example.org", "correct-horse-battery", preferred_language="so"
    )
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert _html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "so"
    response = client.post(reverse("accounts:language_set"), {"language": "hmn", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "hmn"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # a stale cookie from another device
    assert _html_lang(client.get("/")) == "hmn"


# --- Review state -----------------------------------------------------------------------------------

_MINI_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: so\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Sign in"
msgstr "Gal"

msgid "Language"
msgstr "Luqadda"

#. Translators: critical: consent wording
msgid "I agree to receive text messages."
msgstr "Waxaan oggolahay in la ii soo diro fariimo qoraal ah."

msgctxt "critical"
msgid "Reply STOP to stop."
msgstr ""

#, fuzzy
msgid "Next"
msgstr "Xiga"

msgid "%(n)d day"
msgid_plural "%(n)d days"
msgstr[0] "%(n)d maalin"
msgstr[1] "%(n)d maalmood"
"""


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


@pytest.fixture
def mini_locale(tmp_path, settings):
    po = tmp_path / "so" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(_MINI_PO, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    return tmp_path


def test_status_counts(mini_locale):
    status = i18n.language_status("so", "Somali", base=mini_locale)
    assert status.beta
    assert status.total == 6
    assert status.translated == 4  # the empty one and the fuzzy one fall back to English
    assert status.fallback == 2
    assert {e.msgid for e in status.untranslated_entries} == {"Reply STOP to stop.", "Next"}
    assert status.critical_total == 2  # msgctxt "critical" and a "critical" translator comment
    assert status.reviewed == 0
    assert status.translated_pct == pytest.approx(66.7)
    assert not status.ready_to_leave_beta


def test_review_json_hash_mismatch_counts_as_unreviewed(mini_locale):
    reviews = {
        "Sign in": {"msgstr_sha1": _sha1("Gal"), "reviewer": "Hodan", "date": "2026-11-30"},
        # Reviewed when the translation was different: the text changed since, so it is unreviewed.
        "Language": {"msgstr_sha1": _sha1("Af"), "reviewer": "Hodan", "date": "2026-11-30"},
        "%(n)d day": {
            "msgstr_sha1": _sha1("%(n)d maalin\x00%(n)d maalmood"),
            "reviewer": "Hodan",
            "date": "2026-11-30",
        },
    }
    (mini_locale / "so" / "review.json").write_text(json.dumps(reviews), encoding="utf-8")
    status = i18n.language_status("so", base=mini_locale)
    assert status.reviewed == 2
    assert status.stale_review_keys == ["Language"]
    assert "Language" in {e.key for e in status.unreviewed_entries}
    assert status.reviewers == ["Hodan"]


def test_review_command_records_the_current_hash(mini_locale):
    call_command(
        "i18n_review",
        "--lang",
        "so",
        "--reviewer",
        "Hodan A.",
        "--msgid",
        "Sign in",
        "--date",
        "2026-11-30",
        stdout=_Sink(),
    )
    data = json.loads((mini_locale / "so" / "review.json").read_text(encoding="utf-8"))
    assert data == {"Sign in": {"msgstr_sha1": _sha1("Gal"), "reviewer": "Hodan A.", "date": "2026-11-30"}}
    assert i18n.language_status("so", base=mini_locale).reviewed == 1


def test_review_command_refuses_untranslated_unknown_and_ambiguous(mini_locale):
    with pytest.raises(CommandError, match="not translated"):
        call_command("i18n_review", "--lang", "so", "--reviewer", "Hodan", "--msgid", "Next", stdout=_Sink())
    with pytest.raises(CommandError, match="not in the so catalog"):
        call_command("i18n_review", "--lang", "so", "--reviewer", "Hodan", "--msgid", "Nope", stdout=_Sink())
    with pytest.raises(CommandError):
        call_command("i18n_review", "--lang", "so", "--reviewer", "Hodan", stdout=_Sink())
    with pytest.raises(CommandError):
        call_command("i18n_review", "--lang", "so", "--reviewer", "  ", "--all-translated", stdout=_Sink())
    assert not (mini_locale / "so" / "review.json").exists()


def test_signing_off_a_whole_file_then_editing_one_translation(mini_locale):
    call_command("i18n_review", "--lang", "so", "--reviewer", "Hodan", "--msgid", "Sign in", stdout=_Sink())
    call_command("i18n_review", "--lang", "so", "--reviewer", "Pa", "--all-translated", stdout=_Sink())
    data = json.loads((mini_locale / "so" / "review.json").read_text(encoding="utf-8"))
    assert data["Sign in"]["reviewer"] == "Hodan"  # an earlier valid review keeps its reviewer
    assert set(data) == {"Sign in", "Language", "I agree to receive text messages.", "%(n)d day"}
    status = i18n.language_status("so", base=mini_locale)
    assert status.reviewed == 4
    assert status.critical_reviewed == 1
    po = mini_locale / "so" / "LC_MESSAGES" / "django.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Luqadda"', 'msgstr "Luqad"'), encoding="utf-8"
    )
    status = i18n.language_status("so", base=mini_locale)
    assert status.reviewed == 3
    assert status.stale_review_keys == ["Language"]


def test_parser_round_trips_our_catalogs():
    for po in CATALOGS:
        entries = i18n.read_po(po)
        again = i18n.parse_po(i18n.serialize_po(entries))
        assert [(e.msgctxt, e.msgid, e.translations, e.flags) for e in entries] == [
            (e.msgctxt, e.msgid, e.translations, e.flags) for e in again
        ]


def test_parser_reads_contexts_plurals_escapes_and_obsolete_entries():
    entries = i18n.parse_po(
        'msgid ""\nmsgstr "Language: so\\n"\n\n'
        '#. Translators: critical\n#: a.py:1\n#, python-format\nmsgctxt "abbrev. month"\n'
        'msgid ""\n"Jan."\nmsgstr "Jan\\t\\"x\\""\n\n'
        '#~ msgid "gone"\n#~ msgstr "tagtay"\n'
    )
    _header, jan, gone = entries
    assert i18n.parse_header(entries) == {"Language": "so"}
    assert (jan.msgctxt, jan.msgid, jan.msgstr, jan.key) == (
        "abbrev. month",
        "Jan.",
        'Jan\t"x"',
        "abbrev. month|Jan.",
    )
    assert jan.critical and jan.flags == ["python-format"] and jan.references == ["a.py:1"]
    assert gone.obsolete


# --- The staff page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_status_page_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        reverse("core:i18n_status"),
        {
            "anonymous": 302,
            "public_user": 403,
            "member_a": 403,
            "member_b": 403,
            "table_member": 403,
            "board": 403,
            "staff": 200,
            "admin": 200,
        },
    )


@pytest.mark.django_db
def test_status_page_shows_counts_beta_label_and_lists(client, personas):
    client.force_login(personas.user("staff"))
    response = client.get(reverse("core:i18n_status"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for code in TRANSLATED:
        status = i18n.language_status(code)
        assert f'id="lang-{code}"' in html
        assert f"<td>{status.total}</td>" in html
    assert html.count('<span class="badge">beta</span>') >= 2
    assert "<details>" in html and "not yet reviewed" in html
    assert "unreviewed draft (model-drafted)" in html


def test_forms_that_post_leave_checking_to_the_server_in_the_page_language():
    """The browser's own checks ("Please fill out this field.") speak the browser's language, not
    the page's, and come before our translated errors: every form that posts opts out of them."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        for tag in re.findall(r"<form\b[^>]*>", path.read_text(encoding="utf-8")):
            if 'method="post"' in tag and "novalidate" not in tag:
                offenders.append(f"{path.relative_to(templates)}: {tag}")
    assert offenders == []


@pytest.mark.parametrize("code", ["es", "so", "hmn"])
def test_not_found_and_not_allowed_pages_are_the_sites_own_in_the_readers_language(client, personas, code):
    from commontable.core.testing import login_as

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and f'lang="{code}"' in missing.content.decode()
    assert "Page not found" not in missing.content.decode() and 'id="main"' in missing.content.decode()
    login_as(client, personas, "public_user")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    refused = client.get("/seats/leaders/")
    assert refused.status_code == 403 and "You may not do this" not in refused.content.decode()
    assert 'id="main"' in refused.content.decode()
