from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "commonground.asks"
    label = "asks"
