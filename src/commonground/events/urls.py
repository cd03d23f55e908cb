from django.urls import path

from commonground.events import calendar_views, views

app_name = "events"
urlpatterns = [
    path("events/", views.index, name="index"),
    path("events/new/", views.new, name="new"),
    path("events/calendar/", calendar_views.calendar_settings, name="calendar"),
    path("events/feed/<str:token>.ics", calendar_views.feed_ics, name="feed"),
    path("events/<slug:public_id>.ics", calendar_views.event_ics, name="ics"),
    path("events/<slug:public_id>/", views.detail, name="detail"),
    path("events/<slug:public_id>/edit/", views.edit, name="edit"),
    path("events/<slug:public_id>/rsvp/", views.rsvp, name="rsvp"),
    path("events/<slug:public_id>/speed-networking/", views.speed, name="speed"),
    path("events/<slug:public_id>/manage/<str:action>/", views.manage, name="manage"),
]
