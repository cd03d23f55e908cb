from django.urls import path

from commonground.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("for-you/<str:public_id>/dismiss/", views.dismiss, name="dismiss"),
]
