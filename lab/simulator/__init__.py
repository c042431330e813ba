"""The simulator: a synthetic world that scrolls the real feeds, to measure what the engine does.

Synthetic people have *hidden tastes*: three favourite channels (with their
sub-channels) weighted 1.0, 0.8 and 0.6, which they pick at sign-up; optionally
interests they did not pick (``unpicked``, e.g. ``(0.4, 0.3)``: two more channels at
those weights), which only the feed's exploration can find; optionally tastes over
*tags* (``topics``, e.g. 3: every sub-channel has that many topic tags, 烘焙新手 / 烘焙进阶 / …,
each post carries one, and each person has a favourite topic in every channel they like,
liked ``TOPIC_RATIO`` times as much as the others, the channel's mean unchanged), which
only what they engage with can tell; and a faint interest (0.02) in everything else.
Some of them write; each author has a hidden *true quality*. New posts arrive all day.
The people scroll 为你推荐 through the real services (``discover_page``: candidates,
ranking, mixing, impressions) and engage as their tastes say, through the real
interaction services; the real engine functions run on a schedule in simulated time
(pool evaluation, hot lists, co-engagement, account weights, interest decay). Nothing is
stubbed: the only fiction is who the people are and what they like.

Engagement model: a person with taste ``a`` (0.02–1; with topics, times the topic's
factor) for a post's channel and a post of true quality ``q`` likes it with probability
``0.01 + 0.15·a·q^1.5`` (a like rate of 1–14 %, as on real platforms), saves it with
0.35 of that, comments 0.15, shares 0.05; a poor match skips quickly now and then and
says "not interested" rarely. With ``opens`` (off by default) people also open cards to
read them, with probability ``opens · (0.02 + 0.3·a·(0.5 + 0.5·q))``: a view of 5 s or
more, the profiles' weak signal (opening is not engagement and leaves the likes as they
are). *Engagement per impression* is the expected probability that an impression is
engaged with (liked, saved, commented or shared), averaged over what a feed served. The
three baselines (chronological, most liked, random) are measured on the same people at
the same moments, from the same published posts, without feeding the engine.

The world is about a thousandth of a real platform, so the pool quotas and the sample
sizes of the pool rules are scaled by ``quota_scale`` (default 0.1: base pool 15 instead
of 150, tier 1 100 instead of 1 000, early stop after 10 impressions …). Every other
number is the platform's own knob (the early-stop and negative-feedback sample sizes are
not scaled: a rule on ten impressions would be a coin flip).

The modules: ``world`` (people, tastes, authors, posts), ``behaviour`` (how people
react to what the feed serves, and the baselines), ``oracles`` (the best pages the rules
allow, knowing the hidden truth), ``figures`` (what the run reports) and ``run`` (the
clock: the day-by-day loop with the engine's recomputes on their schedule).
"""

from lab.simulator.run import Simulation
from lab.simulator.world import TOPIC_SUFFIXES

__all__ = ["Simulation", "TOPIC_SUFFIXES"]
