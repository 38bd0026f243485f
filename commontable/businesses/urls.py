from django.urls import path

from commontable.businesses import views

app_name = "businesses"
urlpatterns = [
    path("", views.business_list, name="business_list"),
    path("new/", views.business_create, name="business_create"),
    path("opportunities/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<uuid:public_id>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<uuid:public_id>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<uuid:public_id>/close/", views.opportunity_close, name="opportunity_close"),
    path("opportunities/<uuid:public_id>/award/", views.opportunity_award, name="opportunity_award"),
    path("opportunities/<uuid:public_id>/notify/", views.opportunity_notify, name="opportunity_notify"),
    path("certifications/<uuid:public_id>/remove/", views.certification_remove, name="certification_remove"),
    path("<slug:slug>/", views.business_detail, name="business_detail"),
    path("<slug:slug>/edit/", views.business_edit, name="business_edit"),
    path("<slug:slug>/notices/", views.business_notices_consent, name="business_notices_consent"),
    path("<slug:slug>/certifications/new/", views.certification_add, name="certification_add"),
]
