from django.urls import path

from commontable.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("activity/", views.activity_list, name="activity_list"),
    path("i18n/status/", views.i18n_status, name="i18n_status"),
]
