from django.urls import path

from commontable.directory import views, views_people

app_name = "directory"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path(
        "organizations/<slug:slug>/status/",
        views.organization_status_change,
        name="organization_status_change",
    ),
    path(
        "organizations/<slug:slug>/values-affirmed/",
        views.organization_values_affirm,
        name="organization_values_affirm",
    ),
    path("people/", views_people.person_list, name="person_list"),
    path("people/new/", views_people.person_create, name="person_create"),
    path("people/<uuid:public_id>/", views_people.person_detail, name="person_detail"),
    path("people/<uuid:public_id>/edit/", views_people.person_edit, name="person_edit"),
    path("people/<uuid:public_id>/access-needs/", views_people.access_needs_edit, name="access_needs_edit"),
    path("people/<uuid:public_id>/consents/give/", views_people.consent_give, name="consent_give"),
    path(
        "people/<uuid:public_id>/consents/withdraw/", views_people.consent_withdraw, name="consent_withdraw"
    ),
    path("people/<uuid:public_id>/affiliations/new/", views_people.affiliation_add, name="affiliation_add"),
    path(
        "people/<uuid:public_id>/affiliations/<slug:organization_slug>/end/",
        views_people.affiliation_end,
        name="affiliation_end",
    ),
    path("people/<uuid:public_id>/activity/", views_people.person_activity, name="person_activity"),
    path("duplicates/", views_people.person_duplicate_list, name="person_duplicate_list"),
    path("duplicates/merge/", views_people.person_merge, name="person_merge"),
    path("tables/", views.table_list, name="table_list"),
    path("tables/new/", views.table_create, name="table_create"),
    path("tables/<slug:slug>/", views.table_detail, name="table_detail"),
    path("tables/<slug:slug>/edit/", views.table_edit, name="table_edit"),
    path(
        "tables/<slug:slug>/participants/new/", views.table_participation_add, name="table_participation_add"
    ),
    path(
        "tables/<slug:slug>/participants/<slug:organization_slug>/end/",
        views.table_participation_end,
        name="table_participation_end",
    ),
]
