from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "commonground.suggestions"
    label = "suggestions"
