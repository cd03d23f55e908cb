from django.urls import path

from commonground.accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/tokens/", views.token_list, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
