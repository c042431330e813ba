"""The demo world's places: the six cities and their spots of ``content.places`` (the
same list the publish form geocodes typed places with).

A demo post's place is one of its city's spots, and its coordinates are that spot's
plus a jitter of at most ``JITTER`` degrees (a few hundred metres), so "杭州 前门" cannot
happen and every point lies inside its city's bounds (``tests/demo`` checks both).
"""

from __future__ import annotations

import random

from content.places import CITIES, CITY_BY_NAME, City, Spot, place_name

__all__ = ["CITIES", "CITY_BY_NAME", "JITTER", "City", "Spot", "city_of_place", "place_name", "spot_point"]

JITTER = 0.004


def city_of_place(place: str) -> City | None:
    """Return the city a demo ``place_name`` belongs to (None when not a demo place)."""
    return CITY_BY_NAME.get(place.split("·", 1)[0])


def spot_point(*, spot: Spot, rng: random.Random) -> tuple[float, float]:
    """Return a point near a spot (within ``JITTER`` degrees), rounded to 5 decimals."""
    return (
        round(spot.lat + rng.uniform(-JITTER, JITTER), 5),
        round(spot.lng + rng.uniform(-JITTER, JITTER), 5),
    )
