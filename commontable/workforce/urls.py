from django.urls import path

from commontable.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.workforce_overview, name="workforce_overview"),
    path("goals/<uuid:public_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<uuid:public_id>/delete/", views.goal_delete, name="goal_delete"),
    path("<slug:slug>/", views.workforce_detail, name="workforce_detail"),
    path("<slug:slug>/goals/new/", views.goal_create, name="goal_create"),
    path("<slug:slug>/imports/new/", views.hours_import_create, name="hours_import_create"),
    path("<slug:slug>/imports/<uuid:public_id>/", views.hours_import_detail, name="hours_import_detail"),
    path("<slug:slug>/imports/<uuid:public_id>/apply/", views.hours_import_apply, name="hours_import_apply"),
]
