"""Background work of the displacement watch: a computation started from the staff page (a
national region takes longer than a request should)."""

from __future__ import annotations

from django.tasks import task


@task()
def run_compute_task(run_id: int) -> None:
    from commontable.displacement.services import run_compute_background

    run_compute_background(run_id)
