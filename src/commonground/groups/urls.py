from django.urls import path

from commonground.groups import views, views_discussions

app_name = "groups"
urlpatterns = [
    path("groups/", views.group_index, name="index"),
    path("groups/new/", views.group_new, name="new"),
    path("groups/niches/", views.niche_index, name="niches"),
    path("tags/<str:tag>/", views_discussions.hashtag_page, name="hashtag"),
    path("groups/<slug:slug>/", views.group_detail, name="detail"),
    path("groups/<slug:slug>/manage/", views.group_manage, name="manage"),
    path("groups/<slug:slug>/edit/", views.group_edit, name="edit"),
    path("groups/<slug:slug>/announce/", views.group_announce_view, name="announce"),
    path("groups/<slug:slug>/posts/", views_discussions.post_new, name="post_new"),
    path("groups/<slug:slug>/posts/<slug:post_id>/", views_discussions.post_detail, name="post"),
    path(
        "groups/<slug:slug>/posts/<slug:post_id>/react/",
        views_discussions.post_react,
        name="post_react",
    ),
    path(
        "groups/<slug:slug>/posts/<slug:post_id>/moderate/",
        views_discussions.post_moderate,
        name="post_moderate",
    ),
    path("groups/<slug:slug>/<str:action>/", views.group_action, name="action"),
]
