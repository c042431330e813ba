"""The learned stage: ALS factors from recent engagement, used by discover when trained."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from django.utils import timezone

from content import services as content
from content.models import Event, Like
from feeds import stores
from feeds.engine import learned
from feeds.engine.discover import EXPLORE, MAIN, POOL, RESERVE, Candidate
from feeds.knobs import knobs
from feeds.models import LearnedModel, PoolEntry
from feeds.services import learned as learned_service
from feeds.services.discover import DISCOVER, Scope, build_batch
from feeds.services.learned import learned_train
from feeds.services.serving import exclusions_for
from feeds.tasks import train_learned
from tests.conftest import wait_for


@pytest.fixture(autouse=True)
def forget_loaded_model():
    """Each test starts with no model loaded in this process (ids restart per test)."""
    learned_service._loaded = None
    yield
    learned_service._loaded = None


@pytest.fixture
def small_platform(settings):
    """A platform small enough for a test still trains a model."""
    settings.ENGINE = {**settings.ENGINE, "LEARNED_MIN_PAIRS": 10}


# ---------------------------------------------------------------- plain functions
def test_someone_who_liked_what_a_crowd_liked_gets_the_crowds_other_favourite_first():
    """People who liked A, B, C also liked D; a newcomer who liked A, B, C is offered D
    first, not what another crowd liked."""
    weights = {"like": 2.0}
    events = []
    for person in range(1, 21):
        events += [(person, post, "like", None, False) for post in (1, 2, 3, 10)]
    for person in range(31, 51):
        events += [(person, post, "like", None, False) for post in (4, 5, 6, 11)]
    events += [(99, post, "like", None, False) for post in (1, 2, 3)]
    model = learned.train(
        learned.triples_from_events(events, weights, 20.0),
        factors=32,
        regularization=5.0,
        iterations=15,
        alpha=10.0,
    )
    assert learned.top_items(model, 99, 3, skip=[1, 2, 3], min_prediction=0.1) == [10]
    predicted = learned.predictions(model, 99, [10, 11])
    assert predicted[10] > 0.5 > 0.01 > predicted[11]
    assert learned.top_items(model, 12345, 3) == [], (
        "someone the model never saw gets nothing from it"
    )


def test_the_model_never_offers_a_person_what_they_already_engaged_with():
    """The crowd's own favourites predict highest for a crowd member, but they liked them
    already: with nothing else to skip, the model offers them only what they have not
    engaged with, however old the like (the feed's seen set covers weeks, a model years)."""
    events = [(person, post, "like", None, False) for person in range(1, 21) for post in (1, 2, 3)]
    events += [(person, 10, "like", None, False) for person in range(1, 15)]
    model = learned.train(
        learned.triples_from_events(events, {"like": 2.0}, 20.0),
        factors=16,
        regularization=1.0,
        iterations=15,
        alpha=10.0,
    )
    assert learned.top_items(model, 20, 5) == [10]
    assert learned.top_items(model, 1, 5) == [], "everything the model knows, person 1 liked"
    # A model saved before the engaged pairs were kept still serves, skipping only ``skip``.
    legacy = learned.Factors(model.user_ids, model.user_factors, model.item_ids, model.item_factors)
    assert set(learned.top_items(legacy, 20, 5, skip=[10])) == {1, 2, 3}


def test_what_counts_for_the_model_is_engagement_weighted_by_signal_once_per_person_and_never_a_refusal():
    weights = {"like": 2.0, "favourite": 5.0, "complete": 8.0, "read": 1.0, "share": 4.0}
    events = [
        (1, 10, "like", None, False),
        (1, 10, "favourite", None, False),  # 2 + 5
        (1, 11, "view", 60.0, True),  # watched to the end: 8
        (1, 12, "view", 25.0, False),  # read: 1
        (1, 13, "view", 3.0, False),  # a glance: nothing
        (1, 14, "impression", None, False),  # shown: nothing
        (1, 15, "like", None, False),
        (1, 15, "not_interested", None, False),  # refused: left out
        (1, 16, "like", None, False),
        (1, 16, "unlike", None, False),  # taken back
        *[(1, 17, "share", None, False)] * 50,  # fifty shares from one account: one share
        (1, 18, "like", None, False),
        (1, 18, "unlike", None, False),
        (1, 18, "like", None, False),  # liked again: one like
    ]
    assert sorted(learned.triples_from_events(events, weights, 20.0)) == [
        (1, 10, 7.0),
        (1, 11, 8.0),
        (1, 12, 1.0),
        (1, 17, 4.0),
        (1, 18, 2.0),
    ]


def test_the_model_adds_to_the_hand_set_score_and_never_takes_away():
    assert learned.lift(0.4, 0.0, 1.0) == 0.4
    assert learned.lift(0.4, 1.0, 1.0) == 0.8
    assert learned.lift(0.4, 0.5, 0.0) == 0.4


def test_ordering_by_prediction_fills_the_models_places_best_first_and_moves_nothing_else():
    """The model's candidates (2, 4, 5, 7) keep the places they hold, filled highest
    prediction first; 1, 3 and 6 stay exactly where they were."""
    predicted = {2: 0.1, 4: 0.9, 5: 0.5, 7: 0.7, 3: 1.0}  # 3 is not the model's candidate
    ordered = learned.in_prediction_order([1, 2, 3, 4, 5, 6, 7], {2, 4, 5, 7}, predicted)
    assert ordered == [1, 4, 3, 7, 5, 6, 2]
    # Ties keep their order; an id without a prediction counts as 0.
    ordered = learned.in_prediction_order([8, 9, 10, 11], {8, 9, 11}, {9: 0.0, 11: 0.4})
    assert ordered == [11, 8, 10, 9]
    assert learned.in_prediction_order([], {1}, {1: 1.0}) == []
    assert learned.in_prediction_order([5, 6], set(), {5: 0.1, 6: 0.9}) == [5, 6]


def test_with_the_knob_on_the_models_candidates_fill_their_lane_places_in_prediction_order():
    """Through the service: the main and exploration lanes' own candidates are re-ordered
    by the model's prediction; the pool and reserve lanes, the others, and the knob off
    leave every lane as it was."""
    ids = np.arange(1, 9, dtype=np.int64)
    predicted = {1: 0.2, 2: 0.9, 3: 0.5, 4: 0.8, 5: 0.3, 6: 0.7, 7: 0.6, 8: 0.95}
    model = learned_service.Loaded(
        pk=1,
        factors=learned.Factors(
            user_ids=np.array([42], dtype=np.int64),
            user_factors=np.array([[1.0]], dtype=np.float32),
            item_ids=ids,
            item_factors=np.array([[predicted[int(i)]] for i in ids], dtype=np.float32),
        ),
        published=np.zeros(len(ids)),
    )
    when = datetime(2026, 1, 1, tzinfo=UTC)

    def c(pid: int, own: bool) -> Candidate:
        return Candidate(pid, pid, 1, None, "note", when, sources={"learned"} if own else {"hot"})

    split = {
        MAIN: [c(1, True), c(2, False), c(3, True), c(4, True)],
        EXPLORE: [c(5, True), c(6, True)],
        POOL: [c(7, True), c(8, True)],
        RESERVE: [],
    }
    k = {"LEARNED_ORDER_BY_PREDICTION": True}
    ordered = learned_service.learned_order(model, 42, split, k)
    assert {lane: [x.post_id for x in items] for lane, items in ordered.items()} == {
        MAIN: [4, 2, 3, 1],
        EXPLORE: [6, 5],
        POOL: [7, 8],
        RESERVE: [],
    }
    as_given = {lane: [x.post_id for x in items] for lane, items in split.items()}
    for off in (
        learned_service.learned_order(model, 42, split, {"LEARNED_ORDER_BY_PREDICTION": False}),
        learned_service.learned_order(None, 42, split, k),  # no model
        learned_service.learned_order(model, 7, split, k),  # a viewer the model never saw
    ):
        assert {lane: [x.post_id for x in items] for lane, items in off.items()} == as_given


# ---------------------------------------------------------------- the service and discover
@pytest.fixture
def two_crowds(make_user, publish, person):
    """Film lovers who also liked a baking post B, gamers who also liked a baking post D,
    and a viewer who picked 美食 at sign-up and liked the film posts."""
    authors = [make_user(f"author{i}") for i in range(4)]
    films = [publish(authors[i], "film") for i in range(3)]
    games = [publish(authors[i], "games") for i in range(3)]
    b = publish(authors[3], "baking", title="可颂的第一次尝试")
    d = publish(authors[3], "baking", title="巴斯克芝士蛋糕做法")  # same author: same prior
    others = [
        publish(authors[i % 4], slug)
        for i, slug in enumerate(["food", "baking", "home-cooking", "restaurants"] * 2)
    ]
    # The pools are done with all of them: the page is decided by rank, not by pool tests.
    PoolEntry.objects.update(state=PoolEntry.State.HOT, tier=5)
    crowd = [make_user(f"film{i}", onboard=False) for i in range(12)]
    gamers = [make_user(f"gamer{i}", onboard=False) for i in range(12)]
    for people, posts in ((crowd, films + [b]), (gamers, games + [d])):
        for user in people:
            for post in posts:
                content.like_create(user=user, post=post)
    viewer = person("viewer", ["food", "travel", "pets"])
    for post in films:
        content.like_create(user=viewer, post=post)
    return viewer, b, d, others


def test_people_like_you_engaged_with_shows_on_the_discover_page_once_a_model_is_trained(
    two_crowds, client_for, small_platform
):
    viewer, b, d, _ = two_crowds
    result = learned_train()
    assert result["trained"] == 1 and result["pairs"] == 12 * 4 * 2 + 3
    row = LearnedModel.objects.get()
    assert (row.users, row.items) == (25, 8)

    results = client_for(viewer).get("/api/v1/feeds/discover/?size=20").json()["results"]
    source = {r["post"]["id"]: r["source"] for r in results}
    order = [r["post"]["id"] for r in results]
    assert source[b.pk] == "learned", source
    assert source[d.pk] != "learned", source
    assert order.index(b.pk) < order.index(d.pk), "what people like you liked ranks higher"
    assert list(source.values()).count("learned") == 1, (
        "only what the model predicts counts as learned"
    )


def test_a_saved_model_still_knows_what_each_person_engaged_with(two_crowds, small_platform):
    """Through training, the database and loading: the viewer liked the three film posts,
    which the model predicts highest for them, and is offered the crowd's baking post
    instead, with nothing else to skip."""
    viewer, b, _, _ = two_crowds
    films = set(Like.objects.filter(user=viewer).values_list("post_id", flat=True))
    learned_train()
    model = learned_service.learned_model()
    predicted = learned.predictions(model.factors, viewer.pk, films | {b.pk})
    assert min(predicted[f] for f in films) > predicted[b.pk], "the films predict highest"
    offered = learned_service.learned_candidates(
        model, viewer.pk, skip=set(), now=timezone.now(), k=knobs()
    )
    assert b.pk in offered and not films & set(offered), offered


def test_with_no_trained_model_discover_is_the_hand_set_feed(
    two_crowds, client_for, redis_conn, settings
):
    """A fresh install has no model: the page is what the hand-set engine serves; once a
    model exists, switching its knobs to 0 gives that same page back."""
    viewer, b, _, _ = two_crowds
    assert learned_train() == {"pairs": 12 * 4 * 2 + 3, "trained": 0}, "too little to learn from"

    def batch() -> list[tuple[int, str]]:
        for key in redis_conn.scan_iter("fd:reach:*"):
            redis_conn.delete(key)
        slots = build_batch(
            viewer,
            Scope(DISCOVER),
            exclude=set(),
            history=[],
            size=20,
            exclusions=exclusions_for(viewer),
        )
        return [(s.post_id, s.lane) for s, _ in slots]

    hand_set = batch()
    assert "learned" not in {lane for _, lane in hand_set}

    settings.ENGINE = {**settings.ENGINE, "LEARNED_MIN_PAIRS": 10}
    assert learned_train()["trained"] == 1
    with_model = batch()
    assert with_model != hand_set, "a trained model changes the page"
    settings.ENGINE = {**settings.ENGINE, "LEARNED_WEIGHT": 0.0, "LEARNED_CANDIDATES": 0}
    assert batch() == hand_set

    # Back to a fresh install (no model, no pointer): the API serves full hand-set pages.
    LearnedModel.objects.all().delete()
    redis_conn.delete(stores.learned_key())
    settings.ENGINE = {**settings.ENGINE, "LEARNED_WEIGHT": 1.0, "LEARNED_CANDIDATES": 100}
    assert batch() == hand_set
    results = client_for(viewer).get("/api/v1/feeds/discover/?size=10").json()["results"]
    assert len(results) == 10 and "learned" not in {r["source"] for r in results}


def test_a_lost_redis_pointer_is_found_again_from_the_database(
    two_crowds, redis_conn, small_platform
):
    learned_train()
    redis_conn.delete(stores.learned_key())
    model = learned_service.learned_model()
    assert model is not None and model.pk == LearnedModel.objects.get().pk
    assert int(redis_conn.get(stores.learned_key())) == model.pk


def test_only_the_newest_models_are_kept(two_crowds, small_platform, settings):
    for _ in range(3):
        learned_train()
    assert LearnedModel.objects.count() == settings.ENGINE["LEARNED_KEEP"]


def test_a_training_run_that_finds_the_lock_taken_skips(redis_conn, db):
    redis_conn.set("fd:lock:learned", "someone-else", ex=30)
    assert train_learned() == {"skipped": 1}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_beat_task_trains_a_model_in_a_real_worker(
    celery_worker_process, make_post, audience, settings
):
    posts = [make_post(title=f"周末探店第{i}家咖啡店") for i in range(5)]
    people = audience(50)  # 250 pairs: above LEARNED_MIN_PAIRS, as the worker reads it
    Event.objects.bulk_create(
        [Event(user=u, post=p, kind=Event.Kind.LIKE) for u in people for p in posts]
    )
    train_learned.delay()
    wait_for(lambda: LearnedModel.objects.exists(), timeout=60)
    assert (LearnedModel.objects.get().users, LearnedModel.objects.get().items) == (50, 5)
    assert celery_worker_process.poll() is None
