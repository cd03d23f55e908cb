from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "commonground.profiles"
    label = "profiles"
