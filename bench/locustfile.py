"""Load for `manage.py bench` (locust, headless): people scrolling each feed, and a
client sending view events in batches. One user class per run, named on the command line.

``BENCH_PEOPLE`` names a JSON file the bench writes: ``{"people": [{"token", "lat",
"lng"}], "posts": [ids]}``. Requests carry a token, so the rate limits count per account.

The users are ``FastHttpUser`` (geventhttpclient): locust shares the server's two cores,
and python-requests' client cost several times more CPU a request, taken from the server.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, task

WORLD = json.loads(open(os.environ["BENCH_PEOPLE"]).read())
PAGES = int(os.environ.get("BENCH_PAGES", "5"))
EVENTS_PER_BATCH = int(os.environ.get("BENCH_EVENTS_PER_BATCH", "200"))


class Person(FastHttpUser):
    """Someone signed in who scrolls a feed for a few pages, again and again."""

    abstract = True
    wait_time = constant(0)
    path = ""

    def on_start(self):
        self.me = random.choice(WORLD["people"])
        self.auth = {"Authorization": f"Token {self.me['token']}"}

    def params(self) -> dict:
        return {}

    @task
    def scroll(self):
        cursor = None
        for _ in range(PAGES):
            params = self.params() if cursor is None else {"cursor": cursor}
            with self.client.get(
                self.path, params=params, headers=self.auth, name=self.path, catch_response=True
            ) as answer:
                if answer.status_code != 200:
                    answer.failure(f"status {answer.status_code}")
                    return
                cursor = answer.json().get("next_cursor")
            if not cursor:
                return


class Discover(Person):
    path = "/api/v1/feeds/discover/"


class Follow(Person):
    path = "/api/v1/feeds/follow/"


class Nearby(Person):
    path = "/api/v1/feeds/nearby/"

    def params(self):
        return {"lat": self.me["lat"], "lng": self.me["lng"]}


class Hot(Person):
    path = "/api/v1/feeds/hot/"


class Me(Person):
    """The lightest signed-in request (token, one user row, a small JSON): the ceiling
    this machine puts on any API page, measured under the same load as the feeds. It
    reuses ``scroll``: the answer has no cursor, so each scroll is one request. (A
    second ``@task`` here would be added to the inherited one, and half the scrolls
    would fetch the home page: the first ceiling measured, 64 requests/s, was that.)"""

    path = "/api/v1/me/"


class Unread(Person):
    """The 消息 badge's unread counts (a Redis read behind the token): measured beside
    ``Me``. One request a scroll, like ``Me`` (the answer has no cursor)."""

    path = "/api/v1/notifications/unread/"


class Events(FastHttpUser):
    """A client reporting what its person watched, in batches of ``EVENTS_PER_BATCH``.

    Each client has a person and a slice of the posts to itself: concurrent batches that
    touch the same posts deadlock on PostgreSQL today (``events_ingest`` bumps view
    counts post by post in the batch's order), which would measure the retries, not the
    ingestion.
    """

    wait_time = constant(0)
    started = itertools.count()

    def on_start(self):
        n = next(Events.started)
        people = WORLD["people"]
        self.auth = {"Authorization": f"Token {people[n % len(people)]['token']}"}
        share = max(1, len(WORLD["posts"]) // len(people))
        self.posts = WORLD["posts"][(n % len(people)) * share :][:share]

    @task
    def report(self):
        batch = [
            {
                "post": random.choice(self.posts),
                "seconds": round(random.uniform(0.5, 60), 1),
                "completed": random.random() < 0.2,
            }
            for _ in range(EVENTS_PER_BATCH)
        ]
        self.client.post(
            "/api/v1/events/", json={"events": batch}, headers=self.auth, name="/api/v1/events/"
        )



class Search(FastHttpUser):
    """Someone signed in who searches for a word or two taken from the posts' own titles
    (a user class of its own: inheriting Person's ``@task`` would add its scroll)."""

    wait_time = constant(0)

    def on_start(self):
        self.auth = {"Authorization": f"Token {random.choice(WORLD['people'])['token']}"}

    @task
    def search(self):
        q = random.choice(WORLD["words"])
        with self.client.get(
            "/api/v1/search/", params={"q": q}, headers=self.auth, name="/api/v1/search/", catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
