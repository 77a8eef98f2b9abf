from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "commonhome.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        # Registers the directory's permission rules and event subscribers.
        from . import permissions, signals  # noqa: F401
