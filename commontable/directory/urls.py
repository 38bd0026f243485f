from django.urls import path

from commontable.directory import views

app_name = "directory"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("people/", views.person_list, name="person_list"),
    path("tables/", views.table_list, name="table_list"),
]
