from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("commontable.core.urls")),
    path("", include("commontable.accounts.urls")),
    path("directory/", include("commontable.directory.urls")),
    path("plan/", include("commontable.strategy.urls")),
    path("investments/", include("commontable.investments.urls")),
    path("businesses/", include("commontable.businesses.urls")),
    path("scorecards/", include("commontable.scorecards.urls")),
    path("seats/", include("commontable.seats.urls")),
    path("workforce/", include("commontable.workforce.urls")),
    path("displacement/", include("commontable.displacement.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
