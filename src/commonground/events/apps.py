from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "commonground.events"
    label = "events"
