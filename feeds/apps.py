from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = "Feeds and distribution engine"

    def ready(self):
        from feeds import (
            checks,  # noqa: F401 - registers the ENGINE knobs' system check
            lookups,  # noqa: F401 - registers ``__any_of``
            receivers,
        )

        receivers.connect()
