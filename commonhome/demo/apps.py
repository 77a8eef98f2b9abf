from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "commonhome.demo"
    label = "demo"
