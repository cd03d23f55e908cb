from django.urls import path

from commonground.opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("opportunities/", views.index, name="index"),
]
