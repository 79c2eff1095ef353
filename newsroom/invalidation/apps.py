from django.apps import AppConfig


class InvalidationConfig(AppConfig):
    name = "newsroom.invalidation"
    label = "invalidation"
    verbose_name = "Page invalidation"
