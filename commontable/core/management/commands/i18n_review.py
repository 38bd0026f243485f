"""Record that a person reviewed translations, in locale/<lang>/review.json.

    manage.py i18n_review --lang so --reviewer "Hodan A." --msgid "Sign in" --msgid "Language"
    manage.py i18n_review --lang so --reviewer "Hodan A." --msgctxt "abbrev. month" --msgid "Jan."
    manage.py i18n_review --lang hmn --reviewer "Pa Vang" --all-translated

A review holds the sha1 of the msgstr it approved; if the translation changes later, the string is
unreviewed again until someone reviews the new text.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.core import i18n


class Command(BaseCommand):
    help = "Record a reviewer's sign-off for some strings (or every translated string) of one language."

    def add_arguments(self, parser):
        parser.add_argument("--lang", required=True, help="language code, e.g. so")
        parser.add_argument("--reviewer", required=True, help="the reviewer's name, as they want it recorded")
        parser.add_argument("--msgid", action="append", default=[], help="a msgid to sign off (repeatable)")
        parser.add_argument(
            "--msgctxt", default=None, help="the context of the --msgid values, if they have one"
        )
        parser.add_argument(
            "--all-translated",
            action="store_true",
            help="sign off every translated string of the catalog (strings already reviewed "
            "with the current text keep their reviewer)",
        )
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD; default today"
        )

    def handle(self, *args, lang, reviewer, msgid, msgctxt, all_translated, date, **options):
        if lang not in dict(settings.LANGUAGES) or lang == settings.LANGUAGE_CODE:
            raise CommandError(f"Unknown or source language {lang!r}.")
        if bool(msgid) == bool(all_translated):
            raise CommandError("Give either --msgid (one or more) or --all-translated.")
        if not i18n.catalog_path(lang).exists():
            raise CommandError(f"No catalog at {i18n.catalog_path(lang)}.")
        keys = [i18n.entry_key(m, msgctxt) for m in msgid]
        try:
            recorded, kept = i18n.record_reviews(
                lang, reviewer, keys=keys, all_translated=all_translated, date=date
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        message = f"{lang}: recorded {recorded} review(s) by {reviewer.strip()} in {i18n.review_path(lang)}"
        if kept:
            message += f"; {kept} already reviewed with the current text kept their reviewer"
        self.stdout.write(self.style.SUCCESS(message))
