from django.urls import path

from commonground.web.views import pages

app_name = "web"
urlpatterns = [
    path("", pages.landing, name="landing"),
    path("home/", pages.home, name="home"),
]
