from django.urls import path

from commonground.messaging import views

app_name = "messaging"
urlpatterns = [
    path("messages/", views.index, name="index"),
    path("messages/new/", views.new, name="new"),
    path("messages/settings/", views.settings_page, name="settings"),
    path("messages/<str:public_id>/", views.thread, name="thread"),
    path("messages/<str:public_id>/leave/", views.leave, name="leave"),
    path("messages/<str:public_id>/add/", views.add_people, name="add"),
]
