from django.urls import path

app_name = "seats"
urlpatterns: list = []
