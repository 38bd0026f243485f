from django.urls import path

from commontable.strategy import views

app_name = "strategy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/import/", views.plan_import, name="plan_import"),
    path("plans/import/<uuid:public_id>/", views.plan_import_preview, name="plan_import_preview"),
    path("plans/<slug:slug>/", views.plan_dashboard, name="plan_dashboard"),
    path("plans/<slug:slug>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<slug:slug>/reports/new/", views.board_report_create, name="board_report_create"),
    path("objectives/<uuid:public_id>/", views.objective_detail, name="objective_detail"),
    path("objectives/<uuid:public_id>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<uuid:public_id>/indicators/new/", views.binding_create, name="binding_create"),
    path("bindings/<uuid:public_id>/edit/", views.binding_edit, name="binding_edit"),
    path("bindings/<uuid:public_id>/archive/", views.binding_archive, name="binding_archive"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<str:key>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<str:key>/measurements/new/", views.measurement_create, name="measurement_create"),
    path("reports/", views.board_report_list, name="board_report_list"),
    path("reports/<uuid:public_id>/", views.board_report_detail, name="board_report_detail"),
    path("reports/<uuid:public_id>/pdf/", views.board_report_pdf, name="board_report_pdf"),
    path("action-items/", views.action_item_list, name="action_item_list"),
    path("action-items/new/", views.action_item_create, name="action_item_create"),
    path("action-items/<uuid:public_id>/edit/", views.action_item_edit, name="action_item_edit"),
]
