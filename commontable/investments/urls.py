from django.urls import path

from commontable.investments import views, views_calendar, views_imports

app_name = "investments"
urlpatterns = [
    path("", views.investment_list, name="investment_list"),
    path("new/", views.investment_create, name="investment_create"),
    path("map/", views.investment_map, name="investment_map"),
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/<uuid:public_id>/", views.commitment_detail, name="commitment_detail"),
    path(
        "commitments/<uuid:public_id>/reports/new/", views.commitment_report_add, name="commitment_report_add"
    ),
    path("commitments/<uuid:public_id>/escalate/", views.commitment_escalate, name="commitment_escalate"),
    path("asks/<uuid:public_id>/actions/new/", views.ask_action_add, name="ask_action_add"),
    path("asks/<uuid:public_id>/outcome/", views.ask_outcome_set, name="ask_outcome_set"),
    path("import/<slug:format>/", views_imports.investment_import, name="investment_import"),
    path("import/<slug:format>/example.csv", views_imports.investment_import_example, name="investment_import_example"),
    path("imports/<uuid:public_id>/", views_imports.investment_import_detail, name="investment_import_detail"),
    path("imports/<uuid:public_id>/apply/", views_imports.investment_import_apply, name="investment_import_apply"),
    path("calendar/", views_calendar.decision_calendar, name="decision_calendar"),
    path("calendar/decisions.ics", views_calendar.decision_feed_public, name="decision_feed_public"),
    path("calendar/feeds/<str:token>/decisions.ics", views_calendar.decision_feed_personal,
         name="decision_feed_personal"),
    path("calendar/feeds/<str:token>/watchlist.ics", views_calendar.decision_feed_watchlist,
         name="decision_feed_watchlist"),
    path("calendar/feeds/<str:token>/investments/<slug:slug>.ics", views_calendar.investment_feed_personal,
         name="investment_feed_personal"),
    path("decisions/<uuid:public_id>/", views_calendar.decision_detail, name="decision_detail"),
    path("decisions/<uuid:public_id>/edit/", views_calendar.decision_edit, name="decision_edit"),
    path("<slug:slug>/", views.investment_detail, name="investment_detail"),
    path("<slug:slug>/calendar.ics", views_calendar.investment_feed, name="investment_feed"),
    path("<slug:slug>/decisions/new/", views_calendar.decision_create, name="decision_create"),
    path("<slug:slug>/watch/", views_calendar.investment_watch, name="investment_watch"),
    path("<slug:slug>/unwatch/", views_calendar.investment_unwatch, name="investment_unwatch"),
    path("<slug:slug>/edit/", views.investment_edit, name="investment_edit"),
    path("<slug:slug>/stage/", views.investment_stage_change, name="investment_stage_change"),
    path("<slug:slug>/funding/new/", views.funding_add, name="funding_add"),
    path("<slug:slug>/funding/remove/", views.funding_remove, name="funding_remove"),
    path("<slug:slug>/commitments/new/", views.commitment_create, name="commitment_create"),
    path("<slug:slug>/asks/new/", views.ask_create, name="ask_create"),
    path("<slug:slug>/accountability/", views.investment_accountability, name="investment_accountability"),
    path(
        "<slug:slug>/accountability/pdf/",
        views.investment_accountability_pdf,
        name="investment_accountability_pdf",
    ),
]
