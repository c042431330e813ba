"""The creator center: tier, impressions against quota, rates against thresholds, why."""

from feeds.services.pools import pools_evaluate
from tests.feeds.conftest import GOOD_BODY


def test_the_creator_sees_the_early_stop_and_why(make_post, audience, show, client, client_for):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY, tags=["咖啡"])
    show(post, audience(100), likes=2)
    pools_evaluate()

    api = client_for(post.author)
    listed = api.get("/api/v1/creator/posts/").json()["results"]
    assert [p["id"] for p in listed] == [post.pk]
    pool = listed[0]["pool"]
    assert (pool["tier"], pool["state"]) == (0, "stopped")
    assert pool["rates"]["like_rate_raw"] == 0.02
    assert pool["thresholds"]["early_stop_like_rate"] == 0.03
    assert [t["action"] for t in pool["transitions"]] == ["enter", "early_stop"]

    detail = api.get(f"/api/v1/creator/posts/{post.pk}/").json()
    assert sum(h["impressions"] for h in detail["impressions_by_hour"]) == 100

    client.force_login(post.author)
    page = client.get("/creator/").content.decode()
    assert "武康路咖啡店探店" in page and "like rate 2.0% after 100 impressions" in page
    page = client.get(f"/creator/p/{post.pk}/").content.decode()
    assert "early_stop" in page and "<polyline" in page and "Impressions, last 48 h: 100" in page


def test_nobody_sees_another_creators_center_entries(make_post, make_user, client_for, client):
    post = make_post(title="武康路咖啡店探店", body=GOOD_BODY)
    other = client_for(make_user("nosy"))
    assert other.get("/api/v1/creator/posts/").json()["results"] == []
    assert other.get(f"/api/v1/creator/posts/{post.pk}/").status_code == 404
    assert client.get("/creator/").status_code == 302  # anonymous: to the login page
