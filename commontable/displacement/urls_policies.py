"""The policy inventory's pages. Included by `displacement/urls.py` (namespace `displacement`)."""

from django.urls import path

from commontable.displacement import views_policies

urlpatterns = [
    path("policies/", views_policies.policy_matrix, name="policy_matrix"),
    path("policy-types/new/", views_policies.policy_type_create, name="policy_type_create"),
    path("policies/<slug:jurisdiction>/", views_policies.policy_jurisdiction, name="policy_jurisdiction"),
    path("policies/<slug:jurisdiction>/<slug:policy_type>/", views_policies.policy_detail, name="policy_detail"),
    path("policies/<slug:jurisdiction>/<slug:policy_type>/status/", views_policies.policy_status_set,
         name="policy_status_set"),
]
