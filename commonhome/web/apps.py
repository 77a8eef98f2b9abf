from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "commonhome.web"
    label = "web"
