from django.urls import path

from commonground.events import views

app_name = "events"
urlpatterns = [
    path("events/", views.index, name="index"),
]
