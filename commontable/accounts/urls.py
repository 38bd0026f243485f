from django.urls import path

from commontable.accounts import views

app_name = "accounts"
urlpatterns = [
    path("language/", views.language_set, name="language_set"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
