"""`manage.py demo_load`: load the fictional Riverbend Regional Equity Alliance and print the
demo logins. Safe to run on every `make run`: it does nothing when the demo is already there."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commontable.directory import demo


class Command(BaseCommand):
    help = "Load the demo coalition (fictional people and organisations) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["small", "large"],
            default="small",
            help="small: ~60 organisations and 1,500 people (default); "
            "large: 2,000 organisations and 100,000 people, for benchmarks.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo records first and load again."
        )
        parser.add_argument(
            "--people", type=int, help="How many people (default: 1,500 small, 100,000 large)."
        )
        parser.add_argument(
            "--organizations", type=int, help="How many organisations at large scale (default 2,000)."
        )
        parser.add_argument("--password", default=demo.DEMO_PASSWORD, help="Password of the demo logins.")
        parser.add_argument("--logins", action="store_true",
                            help="Only print the demo logins (`make run` ends with them, after every loader).")
        parser.add_argument(
            "--seed", type=int, default=demo.SEED, help="Random seed; the same seed gives the same demo."
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even though DEBUG is off. The demo logins have a published password: "
            "never on a server people use.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "DEBUG is off, so this looks like a real deployment; the demo logins have a published "
                "password. Use --allow-without-debug only on a throwaway database."
            )
        if options["logins"]:
            if not demo.demo_loaded():
                raise CommandError("The demo coalition is not loaded: run `manage.py demo_load` first.")
            self._print_logins(password=None)
            return
        if options["reset"]:
            self.stdout.write("Removing the demo records…")
            demo.demo_reset()
        elif demo.demo_loaded():
            self.stdout.write("The demo coalition is already loaded (use --reset to load it again).")
            self._print_logins(password=None)
            return
        started = time.monotonic()
        progress = None
        if options["verbosity"] > 1:
            progress = lambda msg: self.stdout.write(f"  … {msg} ({time.monotonic() - started:.1f} s)")  # noqa: E731
        self.stdout.write(f"Loading the demo coalition “{demo.data.COALITION_NAME}” ({options['scale']})…")
        with transaction.atomic():
            if options["scale"] == "large":
                summary = demo.build_large(
                    people=options["people"] or demo.LARGE_PEOPLE,
                    organizations=options["organizations"] or demo.LARGE_ORGANIZATIONS,
                    seed=options["seed"],
                    password=options["password"],
                    progress=progress,
                )
            else:
                summary = demo.build_small(
                    people=options["people"] or demo.SMALL_PEOPLE,
                    seed=options["seed"],
                    password=options["password"],
                    progress=progress,
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {summary.organizations:,} organizations, {summary.tables:,} tables, "
                f"{summary.people:,} people, {summary.affiliations:,} affiliations and "
                f"{summary.consents:,} consent records "
                f"in {summary.seconds:.1f} s."
            )
        )
        self._print_logins(password=options["password"])

    def _print_logins(self, *, password: str | None) -> None:
        if password is None:
            password = (
                demo.DEMO_PASSWORD
                if demo.login_password_is_default()
                else "(the one given when it was loaded)"
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password}):"))
        for role, email in demo.login_emails():
            self.stdout.write(f"  {role:<7} {email}")
        self.stdout.write(f"Sign in at {settings.SITE_URL.rstrip('/')}/accounts/login/")
