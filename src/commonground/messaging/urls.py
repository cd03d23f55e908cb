from django.urls import path

from commonground.messaging import views

app_name = "messaging"
urlpatterns = [
    path("messages/", views.index, name="index"),
]
