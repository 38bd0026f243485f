"""Scorecard pages at the issue's scale: a session with 1,000 scorers × 40 criteria.

    .venv/bin/python bench/bench_scorecards.py        (or `make bench ONLY=scorecards`)

The data is built once into its own SQLite file under `bench/.data/` (a rubric of 8 themes × 5
criteria, published; one open session; 1,000 submitted scorecards from invited scorers in the three
groups, with a comment on one answer in ten) and reused while this builder is unchanged. Pages go
through the whole middleware stack with Django's test client, signed in as staff, against the bare
view of `bench_directory` measured in the same run with the same client:

    BENCH scorecards.session_results p50_ms=… p95_ms=… baseline_p95_ms=… ratio=… queries=… n=…

Targets (issue 7): the results page p95 ≤ 100 ms with a constant number of queries; the scoring
form page ≤ 100 KB transferred (`bytes` and `gzip_bytes`, gzip level 6 as a server would send it).

Environment: BENCH_N (requests per page, default 100).
"""

from __future__ import annotations

import gzip
import hashlib
import inspect
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_directory as base  # noqa: E402  (the baseline view, configuration and timing helpers)

N = int(os.environ.get("BENCH_N", "100"))
SCORERS = 1_000
THEMES = 8
PER_THEME = 5
STAFF_EMAIL = "staff@bench.example"


def data_file() -> Path:
    digest = hashlib.sha1(f"{SCORERS}/{THEMES}/{PER_THEME}".encode())  # noqa: S324 (a cache key)
    digest.update(inspect.getsource(build).encode())
    return base.DATA / f"scorecards-{digest.hexdigest()[:10]}.sqlite3"


def build(database: Path) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    marker = database.with_suffix(".ok")
    if database.exists() and marker.exists():
        call_command("migrate", verbosity=0)
        return
    for old in base.DATA.glob("scorecards-*"):
        old.unlink()
    connection.close()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from commontable.accounts.models import User
    from commontable.core.visibility import Role
    from commontable.investments.models import Investment
    from commontable.scorecards import services
    from commontable.scorecards.models import Criterion, Score, ScorerInvitation, Submission

    started = time.monotonic()
    rng = random.Random(11)
    with transaction.atomic():
        User.objects.create_user(email=STAFF_EMAIL, password="bench-only", role=Role.STAFF)
        investment = Investment.objects.create(name="Bench station block", slug="bench-station", kind="housing",
                                               visibility="members")
        rubric = services.rubric_create(actor=None, name="Bench rubric", slug="bench-rubric", themes=[
            {"name": f"Theme {t}", "weight": rng.randint(5, 30), "criteria": [
                {"question": f"Question {t}.{c}: does the proposal do what the community asked for here?",
                 "guidance": "Look at the agreement, the plans and what residents said at the meetings. " * 2,
                 "scale": "zero_to_four" if c % 3 else "yes_partly_no"} for c in range(PER_THEME)]}
            for t in range(THEMES)])
        version = services.version_publish(actor=None, version=rubric.versions.get())
        session = services.session_open(actor=None, session=services.session_create(
            actor=None, version=version, investment=investment, title="Bench session"))
        criteria = list(Criterion.objects.filter(theme__version=version))
        invitations = ScorerInvitation.objects.bulk_create(
            ScorerInvitation(session=session, name=f"Scorer {i}", group=("resident", "organization", "staff")[i % 3],
                             language=("en", "es", "so", "hmn")[i % 4], token=f"bench-{i}") for i in range(SCORERS))
        submissions = Submission.objects.bulk_create(
            Submission(session=session, invitation=inv, group=inv.group, language=inv.language, status="submitted")
            for inv in invitations)
        scores = []
        for submission in submissions:
            camp = rng.random() < 0.5
            for criterion in criteria:
                top = 4 if criterion.scale == "zero_to_four" else 2
                value = rng.choice([0, top]) if criterion.position == 1 else min(top, max(0, int(rng.gauss(top * (0.7 if camp else 0.5), 1))))
                na = criterion.position == 4 and rng.random() < 0.05
                scores.append(Score(submission=submission, criterion=criterion, value=None if na else value,
                                    not_applicable=na, comment="A comment about this." if rng.random() < 0.1 else ""))
        Score.objects.bulk_create(scores, batch_size=5000)
    print(f"BENCH scorecards.build seconds={time.monotonic() - started:.1f} scorers={SCORERS} "
          f"criteria={len(criteria)} scores={len(scores)}", flush=True)
    connection.close()
    marker.write_text("built\n")


def line(name: str, result, baseline_p95: float) -> str:
    return base.line(name, result, baseline_p95).replace("BENCH directory.", "BENCH scorecards.", 1)


def main() -> int:
    base.DATA.mkdir(parents=True, exist_ok=True)
    database = data_file()
    base.configure(database)
    build(database)

    from django.test import Client, override_settings
    from django.urls import reverse

    from commontable.accounts.models import User
    from commontable.scorecards.models import ScoringSession

    staff = User.objects.get(email=STAFF_EMAIL)
    session = ScoringSession.objects.get(title="Bench session")
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench_directory", STORAGES=plain_static):
        client = Client(raise_request_exception=False)
        client.force_login(staff)
        result = base.timed(client, "/__bench__/baseline/", N)
        if result.skipped:
            print(f"BENCH scorecards.baseline failed reason={result.skipped}", flush=True)
            return 1
        baseline_p95 = base.p95(result.times)
        print(line("baseline", result, baseline_p95), flush=True)
        results_url = reverse("scorecards:session_results", args=[session.public_id])
        result = base.timed(client, results_url, N)
        if result.skipped:
            print(f"BENCH scorecards.session_results skipped reason={result.skipped}", flush=True)
        else:
            print(line("session_results", result, baseline_p95) + f" scorers={SCORERS} criteria={THEMES * PER_THEME} "
                  "limit_ms=100", flush=True)
        form_url = reverse("scorecards:invitation_score", args=["bench-7"])
        anonymous = Client(raise_request_exception=False)
        result = base.timed(anonymous, form_url, N)
        body = anonymous.get(form_url).content
        print(line("scoring_form", result, baseline_p95) + f" bytes={len(body)} "
              f"gzip_bytes={len(gzip.compress(body, 6))} limit_bytes=100000", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
