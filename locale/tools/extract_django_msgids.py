#!/usr/bin/env python3
"""Carry the Django and django-allauth strings our pages show into our own catalogs.

Django and allauth ship no Somali (so) or Hmong (hmn) catalog, so form errors ("This field is
required."), month and weekday names, pagination and the sign-in / password-reset pages would stay
English in those languages. Our catalogs in LOCALE_PATHS take precedence over Django's, so we copy the
exact msgids (with their msgctxt and plural forms) listed in WANTED below into them.

What the script does, every step idempotent:

1. Reads each listed msgid from the Spanish catalog Django/allauth ship (so the msgid, msgctxt, plural
   and flags are exactly what the installed version uses) and reports any listed msgid that an upgrade
   removed or reworded.
2. Writes `commontable/formats/django_msgids.py`, a module nobody imports: it only holds the msgids inside
   gettext calls, so `make makemessages` keeps extracting them. Without it makemessages --no-obsolete
   would delete them from our catalogs on the next run.
3. Adds missing entries to locale/<lang>/LC_MESSAGES/django.po (untranslated in so/hmn, for a translator
   to fill; in es the translation Django/allauth ship is copied when ours is empty) and makes sure the
   so/hmn headers carry `Language:` and the right `Plural-Forms:`.

After a Django or allauth upgrade:  `.venv/bin/python locale/tools/extract_django_msgids.py`,
then `make makemessages`, translate what is new in so/hmn, `make check-messages`.
Use `--check` in CI to fail when a listed msgid disappeared upstream or the marker module is stale.
"""

# ruff: noqa: E501, RUF001 - a table of upstream msgids, copied exactly
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from commontable.core.i18n import PLURAL_FORMS, PoEntry, parse_header, read_po, write_po  # noqa: E402

LOCALE = ROOT / "locale"
# makemessages skips every directory named "locale", so the marker lives with the format modules.
MARKER = ROOT / "commontable" / "formats" / "django_msgids.py"
LANGUAGES = ("es", "so", "hmn")

CRITICAL = "critical: an error or notice people see on public forms"

# (msgctxt, msgid, comment). A comment containing "critical" makes the string critical for review.
WANTED: dict[str, list[tuple[str | None, str, str]]] = {
    "django": [
        # Form field and validator errors.
        (None, "This field is required.", CRITICAL),
        # The empty choice of every menu (Django 6.1 and later).
        (None, "- Select an option -", CRITICAL),
        (None, "Enter a valid value.", CRITICAL),
        (None, "Enter a valid URL.", CRITICAL),
        (None, "Enter a valid integer.", CRITICAL),
        (None, "Enter a valid email address.", CRITICAL),
        (None, "Enter a valid domain name.", CRITICAL),
        (None, "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.", CRITICAL),
        (None, "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.", CRITICAL),
        (None, "Enter only digits separated by commas.", CRITICAL),
        (None, "Ensure this value is %(limit_value)s (it is %(show_value)s).", CRITICAL),
        (None, "Ensure this value is less than or equal to %(limit_value)s.", CRITICAL),
        (None, "Ensure this value is greater than or equal to %(limit_value)s.", CRITICAL),
        (None, "Ensure this value is a multiple of step size %(limit_value)s.", CRITICAL),
        (None, "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).", CRITICAL),
        (None, "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).", CRITICAL),
        (None, "Enter a number.", CRITICAL),
        (None, "Ensure that there are no more than %(max)s digit in total.", CRITICAL),
        (None, "Ensure that there are no more than %(max)s decimal place.", CRITICAL),
        (None, "Ensure that there are no more than %(max)s digit before the decimal point.", CRITICAL),
        (None, "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s.",
         CRITICAL),
        (None, "Null characters are not allowed.", CRITICAL),
        (None, "and", "Joins field names, as in “name and date”."),
        (None, "%(model_name)s with this %(field_labels)s already exists.", CRITICAL),
        (None, "Constraint “%(name)s” is violated.", CRITICAL),
        (None, "Value %(value)r is not a valid choice.", CRITICAL),
        (None, "This field cannot be null.", CRITICAL),
        (None, "This field cannot be blank.", CRITICAL),
        (None, "%(model_name)s with this %(field_label)s already exists.", CRITICAL),
        (None, "Enter a whole number.", CRITICAL),
        (None, "Enter a valid date.", CRITICAL),
        (None, "Enter a valid time.", CRITICAL),
        (None, "Enter a valid date/time.", CRITICAL),
        (None, "Enter a valid duration.", CRITICAL),
        (None, "The number of days must be between {min_days} and {max_days}.", CRITICAL),
        (None, "No file was submitted. Check the encoding type on the form.", CRITICAL),
        (None, "No file was submitted.", CRITICAL),
        (None, "The submitted file is empty.", CRITICAL),
        (None, "Ensure this filename has at most %(max)d character (it has %(length)d).", CRITICAL),
        (None, "Please either submit a file or check the clear checkbox, not both.", CRITICAL),
        (None, "Upload a valid image. The file you uploaded was either not an image or a corrupted image.", CRITICAL),
        (None, "Select a valid choice. %(value)s is not one of the available choices.", CRITICAL),
        (None, "Select a valid choice. That choice is not one of the available choices.", CRITICAL),
        (None, "Enter a list of values.", CRITICAL),
        (None, "Enter a complete value.", CRITICAL),
        (None, "Enter a valid UUID.", CRITICAL),
        (None, "Enter a valid JSON.", CRITICAL),
        (None, "“%(pk)s” is not a valid value.", CRITICAL),
        (None, "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it "
               "may not exist.", CRITICAL),
        (None, "(Hidden field %(name)s) %(error)s", CRITICAL),
        (None, "Please submit at most %(num)d form.", CRITICAL),
        (None, "Please submit at least %(num)d form.", CRITICAL),
        (None, "Please correct the duplicate data for %(field)s.", CRITICAL),
        (None, "Please correct the duplicate data for %(field)s, which must be unique.", CRITICAL),
        (None, "Please correct the duplicate values below.", CRITICAL),
        (None, ":", "The suffix after a form label. Keep it unless your language uses another mark."),
        (None, ":?.!", "Label endings after which no “:” is added. Keep unless your language uses other marks."),
        # Widgets and template filters.
        (None, "Order", "Form set: field label."),
        (None, "Delete", "Form set: field label."),
        (None, "Clear", "File upload widget."),
        (None, "Currently", "File upload widget: the file saved now."),
        (None, "Change", "File upload widget."),
        (None, "Unknown", "Yes/No/Unknown choice."),
        (None, "Yes", ""),
        (None, "No", ""),
        (None, "yes,no,maybe", "The yesno filter: three words separated by commas, no spaces."),
        (None, "%(size)d byte", "File sizes."),
        (None, "%s KB", "File sizes."),
        (None, "%s MB", "File sizes."),
        (None, "%s GB", "File sizes."),
        ("String to return when truncating text", "%(truncated_text)s…", ""),
        (None, "…", "Shortened text."),
        (None, "or", "Joins the last two items of a list, as in “a, b or c”."),
        (None, ", ", "Separates parts of a duration, as in “2 days, 3 hours”."),
        (None, "%(num)d year", "Durations."),
        (None, "%(num)d month", "Durations."),
        (None, "%(num)d week", "Durations."),
        (None, "%(num)d day", "Durations."),
        (None, "%(num)d hour", "Durations."),
        (None, "%(num)d minute", "Durations."),
        # Pagination.
        (None, "That page number is not an integer", ""),
        (None, "That page number is less than 1", ""),
        (None, "That page contains no results", ""),
        # The page Django shows when a form's security token is missing or stale.
        (None, "Forbidden", ""),
        (None, "CSRF verification failed. Request aborted.", ""),
        (None, "You are seeing this message because this site requires a CSRF cookie when submitting forms. This "
               "cookie is required for security reasons, to ensure that your browser is not being hijacked by third "
               "parties.", ""),
        (None, "If you have configured your browser to disable cookies, please re-enable them, at least for this "
               "site, or for “same-origin” requests.", ""),
        (None, "More information is available with DEBUG=True.", ""),
        # Dates and times (the so/hmn format modules use F, N, E, D and l).
        (None, "p.m.", "Time of day."),
        (None, "a.m.", "Time of day."),
        (None, "PM", "Time of day."),
        (None, "AM", "Time of day."),
        (None, "midnight", "Time of day."),
        (None, "noon", "Time of day."),
        *[(None, d, "Weekday.") for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                           "Sunday")],
        *[(None, d, "Weekday, abbreviated.") for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")],
        *[(None, m, "Month.") for m in ("January", "February", "March", "April", "May", "June", "July", "August",
                                         "September", "October", "November", "December")],
        *[(None, m, "Month, three-letter lower-case abbreviation.")
          for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")],
        *[("abbrev. month", m, "Month, abbreviated.")
          for m in ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
                    "Dec.")],
        *[("alt. month", m, "Month, as it stands alone (date format E).")
          for m in ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                    "October", "November", "December")],
    ],
    "django.contrib.auth": [
        (None, "This password is too short. It must contain at least %d character.", CRITICAL),
        (None, "Your password must contain at least %(min_length)d character.", ""),
        (None, "The password is too similar to the %(verbose_name)s.", CRITICAL),
        (None, "Your password can’t be too similar to your other personal information.", ""),
        (None, "This password is too common.", CRITICAL),
        (None, "Your password can’t be a commonly used password.", ""),
        (None, "This password is entirely numeric.", CRITICAL),
        (None, "Your password can’t be entirely numeric.", ""),
    ],
    "allauth": [
        # Sign in.
        (None, "Sign In", ""),
        (None, "Email", ""),
        (None, "Email address", ""),
        (None, "Password", ""),
        (None, "Remember Me", ""),
        (None, "Forgot your password?", ""),
        (None, "The email address and/or password you specified are not correct.", ""),
        (None, "Too many failed login attempts. Try again later.", ""),
        (None, "Be patient, you are sending too many requests.", ""),
        (None, "This account is currently inactive.", ""),
        (None, "Successfully signed in as %(name)s.", ""),
        (None, "You are already logged in as %(user_display)s.", ""),
        (None, "Note", ""),
        # Two-factor step of signing in.
        (None, "Two-Factor Authentication", ""),
        (None, "Your account is protected by two-factor authentication. Please enter an authenticator code:", ""),
        (None, "Code", ""),
        (None, "Incorrect code.", ""),
        (None, "Cancel", ""),
        # Sign out.
        (None, "Sign Out", ""),
        (None, "Are you sure you want to sign out?", ""),
        (None, "You have signed out.", ""),
        # Password reset.
        (None, "Password Reset", ""),
        (None, "Forgotten your password? Enter your email address below, and we'll send you an email allowing you "
               "to reset it.", ""),
        (None, "Reset My Password", ""),
        (None, "Please contact us if you have any trouble resetting your password.", ""),
        (None, "We have sent you an email. If you have not received it please check your spam folder. Otherwise "
               "contact us if you do not receive it in a few minutes.", ""),
        (None, "The email address is not assigned to any user account.", ""),
        (None, "Change Password", ""),
        (None, "Bad Token", ""),
        (None, "The password reset link was invalid, possibly because it has already been used.  Please request a "
               '<a href="%(passwd_reset_url)s">new password reset</a>.', ""),
        (None, "New Password", ""),
        (None, "New Password (again)", ""),
        (None, "Password (again)", ""),
        (None, "You must type the same password each time.", ""),
        (None, "Your password is now changed.", ""),
        (None, "Password successfully changed.", ""),
        (None, "The password reset token was invalid.", ""),
        (None, "Invalid or expired key.", ""),
        # The password reset email.
        (None, "Password Reset Email", ""),
        (None, "Hello from %(site_name)s!", ""),
        (None, "You're receiving this email because you or someone else has requested a password reset for your "
               "user account.\nIt can be safely ignored if you did not request a password reset. Click the link "
               "below to reset your password.", ""),
        (None, "In case you forgot, your username is %(username)s.", ""),
        (None, "Thank you for using %(site_name)s!\n%(site_domain)s", ""),
        (None, "Your password has been reset.", ""),
    ],
}


def source_catalog(name: str) -> Path:
    """The Spanish catalog of a package: our reference for exact msgids, and for es translations."""
    if name == "allauth":
        import allauth

        return Path(allauth.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"
    import django

    sub = "conf" if name == "django" else name.split(".", 1)[1].replace(".", "/")
    return Path(django.__file__).parent / sub / "locale" / "es" / "LC_MESSAGES" / "django.po"


def load_sources() -> tuple[list[tuple[PoEntry, str, str]], list[str]]:
    """[(source entry, comment, package)] in WANTED order, and the msgids not found upstream."""
    found, missing, seen = [], [], set()
    for package, items in WANTED.items():
        entries = {(e.msgctxt, e.msgid): e for e in read_po(source_catalog(package)) if not e.obsolete}
        for ctxt, msgid, comment in items:
            if (ctxt, msgid) in seen:
                continue
            entry = entries.get((ctxt, msgid))
            if entry is None:
                missing.append(f"{package}: {ctxt + '|' if ctxt else ''}{msgid}")
                continue
            seen.add((ctxt, msgid))
            found.append((entry, comment, package))
    return found, missing


def marker_source(found: list[tuple[PoEntry, str, str]]) -> str:
    lines = [
        '"""Generated by locale/tools/extract_django_msgids.py: do not edit by hand, re-run the script.',
        "",
        "Never imported. It only holds the Django and django-allauth msgids our pages show, so that",
        "`make makemessages` keeps them in our catalogs (Django ships no Somali or Hmong translation).",
        '"""',
        "# ruff: noqa",
        "from django.utils.translation import gettext_noop, ngettext_lazy, npgettext_lazy, pgettext_lazy",
        "",
        "MSGIDS = (",
    ]
    package = None
    for entry, comment, pkg in found:
        if pkg != package:
            lines.append(f"    # From {pkg}.")
            package = pkg
        if comment:
            lines.append(f"    # Translators: {comment}")
        args = [repr(entry.msgid)]
        if entry.msgid_plural is not None:
            args.append(repr(entry.msgid_plural))
            args.append('"n"')
        if entry.msgctxt is not None:
            args.insert(0, repr(entry.msgctxt))
            func = "npgettext_lazy" if entry.msgid_plural is not None else "pgettext_lazy"
        else:
            func = "ngettext_lazy" if entry.msgid_plural is not None else "gettext_noop"
        lines.append(f"    {func}({', '.join(args)}),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def nplurals(header: dict[str, str]) -> int:
    plural = header.get("Plural-Forms", "")
    try:
        return int(plural.split("nplurals=", 1)[1].split(";", 1)[0])
    except (IndexError, ValueError):
        return 2


def fix_header(entries: list[PoEntry], language: str) -> None:
    """Language and Plural-Forms that makemessages leaves empty for languages Django does not ship."""
    header = next((e for e in entries if e.is_header), None)
    if header is None:
        return
    lines = [line for line in header.msgstr.split("\n") if line]
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    wanted = {"Language": language, "Content-Type": "text/plain; charset=UTF-8"}
    if language in PLURAL_FORMS and fields.get("Plural-Forms", "").strip() not in PLURAL_FORMS[language]:
        wanted["Plural-Forms"] = PLURAL_FORMS[language][0]
    for name, value in wanted.items():
        if fields.get(name, "").strip() != value:
            lines = [line for line in lines if not line.startswith(name + ":")]
            lines.append(f"{name}: {value}")
    header.msgstr = "".join(line + "\n" for line in lines)
    if "fuzzy" in header.flags:
        header.flags.remove("fuzzy")


def spread_plurals(forms: list[str], n: int) -> dict[int, str]:
    if len(forms) == 3 and n == 2:
        forms = [forms[0], forms[2]]
    return {i: forms[min(i, len(forms) - 1)] for i in range(n)}


def merge(language: str, found: list[tuple[PoEntry, str, str]]) -> int:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = read_po(path)
    fix_header(entries, language)
    n = nplurals(parse_header(entries))
    by_key = {(e.msgctxt, e.msgid): e for e in entries if not e.obsolete}
    added = 0
    for source, comment, _package in found:
        entry = by_key.get((source.msgctxt, source.msgid))
        if entry is None:
            entry = PoEntry(
                msgid=source.msgid, msgctxt=source.msgctxt, msgid_plural=source.msgid_plural,
                flags=[f for f in source.flags if f != "fuzzy"],
                extracted_comments=[f"Translators: {comment}"] if comment else [],
                references=[str(MARKER.relative_to(ROOT))],
            )
            if entry.msgid_plural is not None:
                entry.msgstr_plural = dict.fromkeys(range(n), "")
            entries.append(entry)
            by_key[(entry.msgctxt, entry.msgid)] = entry
            added += 1
        if language == "es" and not entry.translated and source.translated and "fuzzy" not in entry.flags:
            if entry.msgid_plural is not None:
                entry.msgstr_plural = spread_plurals(source.translations, n)
            else:
                entry.msgstr = source.msgstr
    write_po(path, entries)
    if shutil.which("msgcat"):  # the same line wrapping makemessages writes
        subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)  # noqa: S603, S607
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if anything would change")
    parser.add_argument("--languages", nargs="*", default=list(LANGUAGES))
    args = parser.parse_args(argv)
    found, missing = load_sources()
    for item in missing:
        print(f"not found upstream (reworded or removed in this version?): {item}", file=sys.stderr)
    marker = marker_source(found)
    stale = not MARKER.exists() or MARKER.read_text(encoding="utf-8") != marker
    if args.check:
        if stale:
            print(f"{MARKER.relative_to(ROOT)} is out of date: run {Path(__file__).relative_to(ROOT)}", file=sys.stderr)
        return 1 if (missing or stale) else 0
    if stale:
        MARKER.write_text(marker, encoding="utf-8")
        print(f"wrote {MARKER.relative_to(ROOT)} ({len(found)} msgids)")
    for language in args.languages:
        added = merge(language, found)
        print(f"{language}: {added} msgids added")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
