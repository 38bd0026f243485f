"""Community reports' pages. Included by `displacement/urls.py` (namespace `displacement`)."""

from django.urls import path

from commontable.displacement import views_reports

urlpatterns = [
    path("reports/", views_reports.report_list, name="report_list"),
    path("reports/new/", views_reports.report_create, name="report_create"),
    path("reports/tracts/", views_reports.report_tracts, name="report_tracts"),
    path("reports/<uuid:public_id>/", views_reports.report_detail, name="report_detail"),
    path("reports/<uuid:public_id>/withdraw/", views_reports.report_withdraw, name="report_withdraw"),
]
