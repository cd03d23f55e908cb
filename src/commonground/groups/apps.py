from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "commonground.groups"
    label = "groups"
