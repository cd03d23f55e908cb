from django.urls import path

from commonground.asks import views

app_name = "asks"
urlpatterns = [
    path("asks/", views.index, name="index"),
    path("asks/new/", views.ask_new, name="new"),
    path("asks/<slug:public_id>/", views.ask_detail, name="detail"),
    path("asks/<slug:public_id>/answer/", views.answer_save, name="answer"),
    path(
        "asks/<slug:public_id>/answers/<slug:answer_id>/helpful/",
        views.answer_helpful,
        name="helpful",
    ),
    path("asks/<slug:public_id>/status/", views.ask_status, name="status"),
]
