from django.urls import path

from commonground.network import views

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
]
