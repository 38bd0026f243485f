"""Who may do what in the displacement watch. One decision per action, used by pages, API and
templates.

Census data, computed results and the policy inventory are public. Staff load census files, start
computations and keep the policy inventory. Members report displacement they witness; a report is
seen in full only by staff and by the member who made it; everyone else sees counts per tract
(suppressed under five)."""

from __future__ import annotations

import rules
from django.shortcuts import get_object_or_404

from commontable.core.visibility import viewer_for
from commontable.displacement.models import CommunityReport


@rules.predicate
def is_staff(user) -> bool:
    return viewer_for(user).is_staff


@rules.predicate
def is_member(user) -> bool:
    return viewer_for(user).is_member


@rules.predicate
def is_reporter(user, report: CommunityReport | None) -> bool:
    return report is not None and user is not None and user.is_authenticated and report.reporter_id == user.pk


can_load_census_data = is_staff
can_start_computation = is_staff
can_edit_policies = is_staff
can_report_displacement = is_member
can_view_reports_in_full = is_staff
can_view_report = is_staff | is_reporter
can_withdraw_report = is_staff | is_reporter

rules.add_perm("displacement.load_census_data", can_load_census_data)
rules.add_perm("displacement.start_computation", can_start_computation)
rules.add_perm("displacement.edit_policies", can_edit_policies)
rules.add_perm("displacement.report_displacement", can_report_displacement)
rules.add_perm("displacement.view_reports_in_full", can_view_reports_in_full)
rules.add_perm("displacement.view_report", can_view_report)
rules.add_perm("displacement.withdraw_report", can_withdraw_report)


def visible_reports(user):
    """The reports a user may read one by one: all for staff, their own for a member, none else."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return CommunityReport.objects.all()
    if viewer.user_id is None:
        return CommunityReport.objects.none()
    return CommunityReport.objects.filter(reporter_id=viewer.user_id)


def report_get_for_user(user, public_id) -> CommunityReport:
    return get_object_or_404(visible_reports(user), public_id=public_id)
