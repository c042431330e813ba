"""Read the engine's knobs (``settings.ENGINE``) at call time, never at import."""

from django.conf import settings


def knob(name: str):
    """Return the engine setting ``name``."""
    return settings.ENGINE[name]


def knobs() -> dict:
    """Return the whole engine settings block."""
    return settings.ENGINE
