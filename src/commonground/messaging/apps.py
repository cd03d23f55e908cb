from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "commonground.messaging"
    label = "messaging"
