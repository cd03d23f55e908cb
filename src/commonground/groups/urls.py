from django.urls import path

from commonground.groups import views

app_name = "groups"
urlpatterns = [
    path("groups/", views.group_index, name="index"),
    path("groups/new/", views.group_new, name="new"),
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("groups/<slug:slug>/manage/", views.group_manage, name="manage"),
    path("groups/<slug:slug>/<str:action>/", views.group_action, name="action"),
]
