from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "commonhome.matching"
    label = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        # Registers the matching permission rules and event subscribers.
        from . import notifications, permissions  # noqa: F401
