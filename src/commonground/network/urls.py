from django.urls import path

from commonground.network import views, views_followups, views_introductions

app_name = "network"
urlpatterns = [
    path("network/", views.network, name="index"),
    path("network/connect/<slug:public_id>/", views.connect, name="connect"),
    path("network/requests/<slug:request_id>/accept/", views.request_accept, name="accept"),
    path("network/requests/<slug:request_id>/decline/", views.request_decline, name="decline"),
    path("network/requests/<slug:request_id>/withdraw/", views.request_withdraw, name="withdraw"),
    path("network/connections/<slug:public_id>/remove/", views.connection_remove, name="remove"),
    path("network/block/<slug:public_id>/", views.block, name="block"),
    path("network/unblock/<slug:public_id>/", views.unblock, name="unblock"),
    path("network/mute/<slug:public_id>/", views.mute, name="mute"),
    path("network/unmute/<slug:public_id>/", views.unmute, name="unmute"),
    path("network/introductions/", views_introductions.introductions, name="introductions"),
    path("network/introductions/new/", views_introductions.introduce, name="introduce"),
    path(
        "network/introductions/<slug:public_id>/",
        views_introductions.introduction,
        name="introduction",
    ),
    path(
        "network/introductions/<slug:public_id>/accept/",
        views_introductions.introduction_accept,
        name="introduction_accept",
    ),
    path(
        "network/introductions/<slug:public_id>/decline/",
        views_introductions.introduction_decline,
        name="introduction_decline",
    ),
    path("network/follow-ups/", views_followups.followups, name="followups"),
    path("network/follow-ups/notes/<slug:public_id>/", views_followups.note_add, name="note_add"),
    path(
        "network/follow-ups/notes/<slug:note_id>/delete/",
        views_followups.note_delete,
        name="note_delete",
    ),
    path(
        "network/follow-ups/keep-in-touch/<slug:public_id>/",
        views_followups.keep_in_touch,
        name="keep_in_touch",
    ),
    path(
        "network/follow-ups/contacted/<slug:public_id>/",
        views_followups.contacted,
        name="contacted",
    ),
    path("network/follow-ups/snooze/<slug:public_id>/", views_followups.snooze, name="snooze"),
    path(
        "network/follow-ups/thank-yous/<slug:reminder_id>/done/",
        views_followups.thank_you_done,
        name="thank_you_done",
    ),
    path(
        "network/follow-ups/thank-yous/<slug:reminder_id>/dismiss/",
        views_followups.thank_you_dismiss,
        name="thank_you_dismiss",
    ),
    path("network/share/<slug:public_id>/", views_followups.share, name="share"),
    path("network/articles/", views_followups.articles, name="articles"),
]
