from django.urls import path

from commonground.opportunities import referral_views, views

app_name = "opportunities"
urlpatterns = [
    path("opportunities/", views.index, name="index"),
    path("opportunities/new/", views.new, name="new"),
    path("opportunities/open-to/", views.open_to, name="open_to"),
    path("opportunities/export/", views.export, name="export"),
    path("opportunities/<str:public_id>/", views.detail, name="detail"),
    path("opportunities/<str:public_id>/<str:action>/", views.action, name="action"),
    path("referrals/", referral_views.referrals, name="referrals"),
    path(
        "referrals/requests/<str:public_id>/decline/",
        referral_views.request_decline,
        name="request_decline",
    ),
    path(
        "referrals/<str:public_id>/<str:action>/",
        referral_views.referral_action,
        name="referral_action",
    ),
]
