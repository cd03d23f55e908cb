from django.urls import path

from commonground.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.index, name="index"),
    path("notifications/read-all/", views.mark_all_read, name="read_all"),
    path("notifications/settings/", views.preferences, name="settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/<str:public_id>/read/", views.mark_read, name="read"),
    path("notifications/<str:public_id>/open/", views.open_notification, name="open"),
]
