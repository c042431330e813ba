"""Drive a user's whole journey through the Python client generated from the live schema.

Run by the ``client`` CI lane (``bin/client-journey``), after openapi-python-client has
generated the package ``xiaoji_client`` from ``/api/v1/schema/``:

    python tests/api/client_journey.py http://127.0.0.1:PORT CLIENT_DIR

Every step goes through the generated code only (no hand-written request) and must
answer a success whose body parses into the generated model the schema promises, with
no property the schema does not declare. The first step that does not stops the run
with its name and what came back (exit status 1).
"""

from __future__ import annotations

import io
import sys
import time
import uuid
from pathlib import Path


def _png() -> bytes:
    """Return a small photo-like PNG (the server re-encodes every image it keeps)."""
    from PIL import Image

    image = Image.new("RGB", (64, 48))
    image.putdata(
        [((x * 4) % 256, (y * 5) % 256, (x * y) % 256) for y in range(48) for x in range(64)]
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def undeclared(value, where: str = "") -> list[str]:
    """Return the paths of properties a parsed model holds that the schema does not declare.

    Generated models keep unknown keys in ``additional_properties``; a model with declared
    fields should have none (a model that *is* a typed map has no declared fields).
    """
    import attrs

    found: list[str] = []
    if attrs.has(type(value)):
        declared = [f.name for f in attrs.fields(type(value)) if f.name != "additional_properties"]
        extra = getattr(value, "additional_properties", {})
        if declared and extra:
            found.append(f"{where or type(value).__name__}: {sorted(extra)}")
        for name in declared:
            found += undeclared(
                getattr(value, name),
                f"{where}.{name}" if where else f"{type(value).__name__}.{name}",
            )
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += undeclared(item, f"{where}[{index}]")
    return found


class Journey:
    def __init__(self, base: str):
        from xiaoji_client import AuthenticatedClient, Client

        self.base = base
        self.anonymous = Client(base_url=base, timeout=30, raise_on_unexpected_status=True)
        self.client: AuthenticatedClient | None = None
        self.steps = 0

    def step(self, name: str, call, expected: type, *, status: int = 200, **kwargs):
        """Call one generated endpoint function and check its answer; return the model."""
        started = time.monotonic()
        response = call.sync_detailed(client=kwargs.pop("client", self.client), **kwargs)
        parsed = response.parsed
        problems = []
        if int(response.status_code) != status:
            problems.append(f"status {int(response.status_code)}, expected {status}")
        if not isinstance(parsed, expected):
            problems.append(f"parsed as {type(parsed).__name__}, expected {expected.__name__}")
        else:
            problems += [f"undeclared properties {p}" for p in undeclared(parsed)]
        if problems:
            body = response.content[:600].decode(errors="replace")
            raise SystemExit(f"FAILED {name}: {'; '.join(problems)}\n  body: {body}")
        self.steps += 1
        print(
            f"ok  {name:<34} {int(response.status_code)}  {(time.monotonic() - started) * 1000:6.0f} ms"
        )
        return parsed

    def run(self) -> None:
        from xiaoji_client import AuthenticatedClient
        from xiaoji_client.api.auth import auth_signup_create, auth_token_create
        from xiaoji_client.api.boosts import boosts_create, boosts_price_retrieve, boosts_retrieve
        from xiaoji_client.api.channels import channels_list
        from xiaoji_client.api.feeds import feeds_discover_retrieve
        from xiaoji_client.api.me import me_interests_update, me_retrieve
        from xiaoji_client.api.posts import (
            posts_comments_create,
            posts_create,
            posts_like_create,
            posts_report_create,
        )
        from xiaoji_client.api.users import users_follow_create
        from xiaoji_client.api.wallet import wallet_retrieve, wallet_topups_create
        from xiaoji_client.models import (
            Boost,
            BoostOrderRequest,
            BoostPrice,
            BoostReport,
            ChannelTree,
            Comment,
            CommentCreateRequest,
            FeedPage,
            Interests,
            InterestsRequest,
            LedgerEntry,
            Me,
            Post,
            PostCreateRequest,
            PostKindEnum,
            ReasonEnum,
            Relation,
            ReportRequest,
            SignupRequest,
            TargetingEnum,
            Toggle,
            TokenRequest,
            TokenResponse,
            TopUpRequest,
            WalletPage,
        )
        from xiaoji_client.types import File

        username = f"journey_{uuid.uuid4().hex[:10]}"
        password = f"pw-{uuid.uuid4().hex}"
        signed_up = self.step(
            "sign up",
            auth_signup_create,
            TokenResponse,
            status=201,
            client=self.anonymous,
            body=SignupRequest(username=username, password=password),
        )
        token = self.step(
            "token",
            auth_token_create,
            TokenResponse,
            client=self.anonymous,
            body=TokenRequest(username=username, password=password),
        )
        assert token.token == signed_up.token, "the token differs from the one sign-up gave"
        # Bearer is the client's default prefix, and the schema's scheme.
        self.client = AuthenticatedClient(
            base_url=self.base, token=token.token, timeout=30, raise_on_unexpected_status=True
        )
        tree = self.step("channels", channels_list, list, client=self.anonymous)
        assert tree and all(isinstance(c, ChannelTree) for c in tree), "the channel tree is empty"
        slugs = [c.slug for c in tree][:3]
        self.step(
            "interests", me_interests_update, Interests, body=InterestsRequest(channels=slugs)
        )
        self.step("me", me_retrieve, Me)

        first = self.step("discover, page 1", feeds_discover_retrieve, FeedPage, size=6)
        assert first.results, "the discover feed is empty"
        assert first.next_cursor, "the discover feed has no second page"
        second = self.step(
            "discover, page 2", feeds_discover_retrieve, FeedPage, size=6, cursor=first.next_cursor
        )
        seen = [item.post for page in (first, second) for item in page.results]
        assert isinstance(seen[0], Post)
        assert len({p.id for p in seen}) == len(seen), "page 2 repeats a post of page 1"
        others = [p for p in seen if p.author.username != username]
        target = others[0]

        self.step("like", posts_like_create, Toggle, id=target.id)
        self.step(
            "comment",
            posts_comments_create,
            Comment,
            status=201,
            id=target.id,
            body=CommentCreateRequest(body="拍得真好！"),
        )
        self.step("follow", users_follow_create, Relation, username=target.author.username)

        mine = self.step(
            "publish with an image",
            posts_create,
            Post,
            status=201,
            body=PostCreateRequest(
                kind=PostKindEnum.NOTE,
                channel=slugs[0],
                title="客户端发布的笔记",
                body="从生成的客户端发出。",
                tags=["客户端"],
                images=[
                    File(payload=io.BytesIO(_png()), file_name="photo.png", mime_type="image/png")
                ],
            ),
        )
        assert len(mine.images) == 1, "the published note has no image"
        self.step(
            "report",
            posts_report_create,
            Toggle,
            status=201,
            id=others[-1].id,
            body=ReportRequest(reason=ReasonEnum.SPAM, detail="journey"),
        )

        wallet = self.step("wallet", wallet_retrieve, WalletPage)
        price = self.step("boost price", boosts_price_retrieve, BoostPrice, client=self.anonymous)
        budget = price.impressions[0]
        cost = -(-budget * price.price_per_thousand // 1000)
        amount = max(cost, price.topup[0])
        entry = self.step(
            "top-up",
            wallet_topups_create,
            LedgerEntry,
            status=201,
            body=TopUpRequest(amount=amount, key=uuid.uuid4().hex),
        )
        assert entry.balance_after == wallet.balance + amount, "the top-up did not add up"
        boost = self.step(
            "boost",
            boosts_create,
            Boost,
            status=201,
            body=BoostOrderRequest(
                post=mine.id,
                budget=budget,
                hours=price.hours[0],
                targeting=TargetingEnum.INTERESTS,
                channels=[slugs[0]],
            ),
        )
        report = self.step("boost report", boosts_retrieve, Boost, id=boost.id)
        assert isinstance(report.report, BoostReport), "the boost has no report"
        print(f"==> the journey passed: {self.steps} steps through the generated client")


def main() -> None:
    base, client_dir = sys.argv[1], Path(sys.argv[2])
    sys.path.insert(0, str(client_dir))
    Journey(base.rstrip("/")).run()


if __name__ == "__main__":
    main()
