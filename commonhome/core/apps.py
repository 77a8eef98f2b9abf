from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "commonhome.core"
    label = "core"
    verbose_name = "Common Home core"
