from django.urls import path

from commonground.profiles import views

app_name = "profiles"
urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
    path("people/", views.directory, name="directory"),
    path("people/<slug:public_id>/", views.member_detail, name="detail"),
    path("me/", views.profile_edit, name="edit"),
    path("me/privacy/", views.privacy, name="privacy"),
]
