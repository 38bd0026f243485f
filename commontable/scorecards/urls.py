from django.urls import path

from commontable.scorecards import views

app_name = "scorecards"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/new/", views.rubric_create, name="rubric_create"),
    path("rubrics/<slug:slug>/", views.rubric_detail, name="rubric_detail"),
    path("rubrics/<slug:slug>/versions/<int:number>/", views.version_edit, name="version_edit"),
    path("rubrics/<slug:slug>/versions/<int:number>/translations/<str:language>/", views.version_translations,
         name="version_translations"),
    path("rubrics/<slug:slug>/weights/", views.rubric_weights, name="rubric_weights"),
    path("rubrics/<slug:slug>/compare/", views.rubric_compare, name="rubric_compare"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<uuid:public_id>/", views.session_detail, name="session_detail"),
    path("sessions/<uuid:public_id>/status/", views.session_status, name="session_status"),
    path("sessions/<uuid:public_id>/invite/", views.invitation_create, name="invitation_create"),
    path("sessions/<uuid:public_id>/codes/", views.codes_create, name="codes_create"),
    path("sessions/<uuid:public_id>/asks/", views.session_asks, name="session_asks"),
    path("sessions/<uuid:public_id>/score/", views.session_score, name="session_score"),
    path("sessions/<uuid:public_id>/results/", views.session_results, name="session_results"),
    path("sessions/<uuid:public_id>/results.pdf", views.session_results_pdf, name="session_results_pdf"),
    path("sessions/<uuid:public_id>/comments.csv", views.session_comments_csv, name="session_comments_csv"),
    path("invited/<str:token>/", views.invitation_score, name="invitation_score"),
    path("open/<str:token>/", views.public_score, name="public_score"),
]
