from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "commonhome.matching"
    label = "matching"
    verbose_name = "Matching"
