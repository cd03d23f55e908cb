from django.urls import path

from commonground.asks import views

app_name = "asks"
urlpatterns = [
    path("asks/", views.index, name="index"),
]
