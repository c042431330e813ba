"""Compose one demo note (title, text, tags, place) from its channel's templates."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from content.tagging import normalize_tag
from demo.note_templates import CLOSERS, EMOJI, LEAVES, Leaf
from demo.places import CITIES, City, Spot

_FIELD_RE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Note:
    title: str
    cover_text: str  # the title without its emoji, for the text cover
    body: str
    tags: list[str]
    city: City | None
    spot: Spot | None


def leaves_of(top_slug: str) -> list[str]:
    """Return the leaf channel slugs under a top channel (itself when it has none)."""
    return [slug for slug, leaf in LEAVES.items() if leaf.top == top_slug]


def _fill(text: str, values: dict[str, str]) -> str:
    return _FIELD_RE.sub(lambda m: values[m.group(1)], text)


def note_compose(*, leaf_slug: str, home: City, rng: random.Random) -> Note:
    """Return a note of a leaf channel by an author living in ``home``."""
    leaf = LEAVES[leaf_slug]
    values = {name: rng.choice(options) for name, options in leaf.slots.items()}
    city = home
    if leaf.place == "away":
        city = rng.choice([c for c in CITIES if c is not home])
    spot = rng.choice(city.spots)
    values.update(city=city.name, spot=spot.name)

    text_title = _fill(rng.choice(leaf.titles), values)
    emoji = EMOJI[leaf.top]
    title = f"{text_title}{''.join(rng.sample(emoji.split(), rng.randint(1, 2)))}"
    opener = _fill(rng.choice(leaf.openers), values)
    points = [_fill(p, values) for p in rng.sample(leaf.points, rng.randint(3, 4))]
    tags = _tags_pick(leaf=leaf, values=values, rng=rng)
    body = "\n".join(
        [opener, "", *points, "", rng.choice(CLOSERS), "", " ".join(f"#{t}" for t in tags)]
    )

    mentions_place = any(
        "{spot}" in t or "{city}" in t for t in (*leaf.titles, *leaf.openers, *leaf.points)
    )
    has_place = leaf.place != "none" and (mentions_place or rng.random() < 0.5)
    return Note(
        title=title[:30],
        cover_text=text_title,
        body=body,
        tags=tags,
        city=city if has_place else None,
        spot=spot if has_place else None,
    )


def _tags_pick(*, leaf: Leaf, values: dict[str, str], rng: random.Random) -> list[str]:
    # The leaf's first tag names its channel: always there, then two to five of the rest.
    first, *rest = leaf.tags
    chosen = [first, *rng.sample(rest, min(len(rest), rng.randint(2, 5)))]
    tags: list[str] = []
    for template in chosen:
        name = normalize_tag(_fill(template, values))
        if name and name not in tags:
            tags.append(name)
    return tags


@cache
def channel_vocabulary(top_slug: str) -> frozenset[str]:
    """Return every tag a demo note of a top channel may carry (normalised)."""
    words: set[str] = set()
    for leaf in (LEAVES[slug] for slug in leaves_of(top_slug)):
        options = {**leaf.slots, "city": tuple(c.name for c in CITIES)}
        for template in leaf.tags:
            fields = _FIELD_RE.findall(template)
            if not fields:
                words.add(normalize_tag(template))
                continue
            # Tag templates hold at most one slot; expand it to all its values.
            (name,) = fields
            words.update(
                normalize_tag(template.replace("{" + name + "}", v)) for v in options[name]
            )
    return frozenset(words)
