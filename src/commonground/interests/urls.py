from django.urls import path

from commonground.interests import views

app_name = "interests"
urlpatterns = [
    path("interests/", views.interest_list, name="list"),
    path("interests/suggest/", views.interest_suggest, name="suggest"),
    path("interests/<slug:slug>/", views.interest_detail, name="detail"),
    path("me/interests/add/", views.my_interest_add, name="add"),
    path("me/interests/<slug:slug>/remove/", views.my_interest_remove, name="remove"),
]
