from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "commonhome.participation"
    label = "participation"
    verbose_name = "Participation"

    def ready(self) -> None:
        # Registers the participation permission rules and event subscribers.
        from . import notifications, permissions  # noqa: F401
