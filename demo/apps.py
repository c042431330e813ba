from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world that ``make run`` seeds: it writes through every app, so it sits
    above them all (below the lab), and no product app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo world"
