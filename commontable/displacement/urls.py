from django.urls import path

from commontable.displacement import urls_policies, urls_reports, views

app_name = "displacement"
urlpatterns = [
    path("", views.displacement_map, name="displacement_map"),
    path("tracts.geojson", views.tract_layer, name="tract_layer"),
    path("investments.geojson", views.investment_layer, name="investment_layer"),
    path("results.csv", views.results_csv, name="results_csv"),
    path("tracts/<str:geoid>/", views.tract_detail, name="tract_detail"),
    path("disagreements/", views.disagreement_list, name="disagreement_list"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("watch/places/<slug:slug>/", views.watch_place, name="watch_place"),
    path("watch/investments/<slug:slug>/", views.watch_investment, name="watch_investment"),
    path("data/", views.data_overview, name="data_overview"),
    path("data/upload/", views.source_upload, name="source_upload"),
    path("data/uploads/<uuid:public_id>/", views.source_preview, name="source_preview"),
    path("data/uploads/<uuid:public_id>/apply/", views.source_apply, name="source_apply"),
    path("data/compute/", views.run_start, name="run_start"),
    *urls_policies.urlpatterns,
    *urls_reports.urlpatterns,
]
