from django.urls import path

from commontable.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("activity/", views.activity_list, name="activity_list"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<slug:kind>/new/", views.import_create, name="import_create"),
    path("imports/<slug:kind>/template.csv", views.import_template, name="import_template"),
    path("imports/<uuid:public_id>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:public_id>/apply/", views.import_apply, name="import_apply"),
    path(
        "imports/<uuid:public_id>/apply-in-background/",
        views.import_apply_background,
        name="import_apply_background",
    ),
    path("imports/<uuid:public_id>/progress/", views.import_progress, name="import_progress"),
    path("i18n/status/", views.i18n_status, name="i18n_status"),
    path("files/<uuid:public_id>/", views.file_download, name="file_download"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendar-feeds/", views.feed_token_list, name="feed_token_list"),
    path("calendar-feeds/<int:pk>/revoke/", views.feed_token_revoke, name="feed_token_revoke"),
]
