"""System checks of the engine's settings: a wrong knob stops start-up with its name."""

from django.conf import settings
from django.core import checks

from feeds.knob_schema import consistency_errors, knob_errors

HINT = "Fix it in the ENGINE block of config/settings/base.py; feeds/knob_schema.py says what each knob takes."


@checks.register()
def engine_knobs_check(app_configs=None, **kwargs) -> list[checks.Error]:
    """Check ``settings.ENGINE`` against ``feeds.knob_schema``, one error per wrong knob.

    feeds.E001: ENGINE is not a dict; feeds.E002: a knob is unknown, missing, of the
    wrong type or out of range; feeds.E003: two knobs disagree.
    """
    engine = getattr(settings, "ENGINE", None)
    if not isinstance(engine, dict):
        return [
            checks.Error(
                "settings.ENGINE must be a dict of engine knobs.", hint=HINT, id="feeds.E001"
            )
        ]
    errors = [
        checks.Error(f"ENGINE[{name!r}] {message}", hint=HINT, obj=name, id="feeds.E002")
        for name, message in knob_errors(engine)
    ]
    if errors:
        return errors
    return [
        checks.Error(f"ENGINE[{name!r}] {message}", hint=HINT, obj=name, id="feeds.E003")
        for name, message in consistency_errors(engine)
    ]
