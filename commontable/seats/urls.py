from django.urls import path

from commontable.seats import views

app_name = "seats"
urlpatterns = [
    path("", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<slug:slug>/", views.body_detail, name="body_detail"),
    path("bodies/<slug:slug>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<slug:slug>/dissolve/", views.body_dissolve, name="body_dissolve"),
    path("bodies/<slug:slug>/watch/", views.body_watch, name="body_watch"),
    path("bodies/<slug:slug>/meetings.ics", views.body_feed, name="body_feed"),
    path("bodies/<slug:slug>/seats/new/", views.seat_create, name="seat_create"),
    path("seats/<uuid:public_id>/", views.seat_detail, name="seat_detail"),
    path("seats/<uuid:public_id>/edit/", views.seat_edit, name="seat_edit"),
    path("seats/<uuid:public_id>/terms/new/", views.term_create, name="term_create"),
    path("seats/<uuid:public_id>/nominate/", views.nomination_create, name="nomination_create"),
    path("terms/<uuid:public_id>/edit/", views.term_edit, name="term_edit"),
    path("openings/", views.opening_list, name="opening_list"),
    path("representation/", views.rollup, name="rollup"),
    path("meetings/", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/feed/<str:token>.ics", views.meeting_feed_watchlist, name="meeting_feed_watchlist"),
    path("leaders/", views.leader_list, name="leader_list"),
    path("leaders/new/", views.leader_create, name="leader_create"),
    path("leaders/<uuid:public_id>/", views.leader_detail, name="leader_detail"),
    path("leaders/<uuid:public_id>/edit/", views.leader_edit, name="leader_edit"),
    path("leaders/<uuid:public_id>/trainings/new/", views.training_add, name="training_add"),
    path("leaders/<uuid:public_id>/support/new/", views.support_add, name="support_add"),
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("nominations/<uuid:public_id>/outcome/", views.nomination_decide, name="nomination_decide"),
    path("engagement/", views.process_list, name="process_list"),
    path("engagement/new/", views.process_create, name="process_create"),
    path("engagement/<uuid:public_id>/", views.process_detail, name="process_detail"),
    path("engagement/<uuid:public_id>/edit/", views.process_edit, name="process_edit"),
]
