from django.urls import path

from commontable.scorecards import views

app_name = "scorecards"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/<slug:slug>/", views.rubric_detail, name="rubric_detail"),
    path("sessions/<uuid:public_id>/", views.session_detail, name="session_detail"),
    path("sessions/<uuid:public_id>/score/", views.session_score, name="session_score"),
    path("sessions/<uuid:public_id>/results/", views.session_results, name="session_results"),
    path("invited/<str:token>/", views.invitation_score, name="invitation_score"),
]
