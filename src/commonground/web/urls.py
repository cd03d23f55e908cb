from django.urls import path

from commonground.web.views import pages

app_name = "web"
urlpatterns = [
    path("", pages.landing, name="landing"),
    path("home/", pages.home, name="home"),
    path("warm-up/", pages.warmup, name="warmup"),
    path("warm-up/show/", pages.warmup_toggle, name="warmup_toggle"),
]
