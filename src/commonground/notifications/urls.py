from django.urls import path

from commonground.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.index, name="index"),
]
