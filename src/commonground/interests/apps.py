from django.apps import AppConfig


class InterestsConfig(AppConfig):
    name = "commonground.interests"
    label = "interests"
