import pytest

from boosts import services as boosts
from commerce import services
from tests.feeds.conftest import audience, show  # noqa: F401 - engine scenario helpers


@pytest.fixture
def seller(make_user):
    """A creator with a shop (granted in the admin)."""
    user = make_user("seller")
    services.shop_grant(user=user, name="小店")
    return user


@pytest.fixture
def selling_post(seller, publish):
    return publish(seller, "food", title="我的锅具测评")


@pytest.fixture
def product(seller, selling_post):
    return services.product_create(
        seller=seller, post=selling_post, title="铸铁锅", price=1999, stock=5
    )


@pytest.fixture
def fund():
    def give(user, amount: int) -> None:
        boosts.topup(user=user, amount=amount, key=f"fund-{user.pk}-{amount}")

    return give
