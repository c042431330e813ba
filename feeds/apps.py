from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = _("Feeds and distribution engine")

    def ready(self):
        from feeds import (
            checks,  # noqa: F401 - registers the ENGINE knobs' system check
            lookups,  # noqa: F401 - registers ``__any_of``
            receivers,
        )

        receivers.connect()
