from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "commonground.opportunities"
    label = "opportunities"
