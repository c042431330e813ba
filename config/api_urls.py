"""Every REST endpoint, under /api/v1/."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from boosts import api as boosts_api
from commerce import api as commerce_api
from content import api as content_api
from feeds import api as feeds_api
from notifications import api as notifications_api
from search import api as search_api

router = DefaultRouter()
router.register("channels", content_api.ChannelViewSet, basename="channel")
router.register("tags", content_api.TagViewSet, basename="tag")
router.register("posts", content_api.PostViewSet, basename="post")
router.register("not-interested", content_api.NotInterestedViewSet, basename="not-interested")

urlpatterns = [
    path("auth/signup/", accounts_api.SignupView.as_view(), name="signup"),
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("auth/logout/", accounts_api.LogoutView.as_view(), name="logout"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("me/avatar/", accounts_api.AvatarView.as_view(), name="me-avatar"),
    path("me/interests/", accounts_api.InterestsView.as_view(), name="me-interests"),
    path("me/blocks/", accounts_api.BlocksView.as_view(), name="me-blocks"),
    path(
        "me/notifications/",
        notifications_api.NotificationSettingsView.as_view(),
        name="me-notifications",
    ),
    path("notifications/", notifications_api.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read/", notifications_api.MarkReadView.as_view(), name="notifications-read"
    ),
    path(
        "notifications/unread/", notifications_api.UnreadView.as_view(), name="notifications-unread"
    ),
    path(
        "notifications/<int:pk>/read/",
        notifications_api.MarkOneReadView.as_view(),
        name="notification-read",
    ),
    path("users/<str:username>/", accounts_api.ProfileView.as_view(), name="user"),
    path("users/<str:username>/follow/", accounts_api.FollowView.as_view(), name="user-follow"),
    path("users/<str:username>/block/", accounts_api.BlockView.as_view(), name="user-block"),
    path(
        "users/<str:username>/followers/",
        accounts_api.FollowersView.as_view(),
        name="user-followers",
    ),
    path(
        "users/<str:username>/following/",
        accounts_api.FollowingView.as_view(),
        name="user-following",
    ),
    path(
        "users/<str:username>/favourites/",
        content_api.ProfileFavouritesView.as_view(),
        name="user-favourites",
    ),
    path("users/<str:username>/likes/", content_api.ProfileLikesView.as_view(), name="user-likes"),
    path("comments/<int:pk>/", content_api.CommentDeleteView.as_view(), name="comment"),
    path("comments/<int:pk>/like/", content_api.CommentLikeView.as_view(), name="comment-like"),
    path("events/", content_api.EventBatchView.as_view(), name="events"),
    path("mentions/", content_api.MentionSuggestView.as_view(), name="mention-suggest"),
    path("feeds/discover/", feeds_api.DiscoverFeedView.as_view(), name="feed-discover"),
    path("feeds/follow/", feeds_api.FollowFeedView.as_view(), name="feed-follow"),
    path("feeds/nearby/", feeds_api.NearbyFeedView.as_view(), name="feed-nearby"),
    path("feeds/hot/", feeds_api.HotFeedView.as_view(), name="feed-hot"),
    path("feeds/channels/<slug:slug>/", feeds_api.ChannelFeedView.as_view(), name="feed-channel"),
    path("trending/", feeds_api.TrendingView.as_view(), name="trending"),
    path("creator/posts/", feeds_api.CreatorPostsView.as_view(), name="creator-posts"),
    path("creator/posts/<int:pk>/", feeds_api.CreatorPostDetailView.as_view(), name="creator-post"),
    path("creator/weight/", feeds_api.CreatorWeightView.as_view(), name="creator-weight"),
    path("search/", search_api.SearchView.as_view(), name="search"),
    path("search/suggest/", search_api.SuggestView.as_view(), name="search-suggest"),
    path("search/history/", search_api.HistoryView.as_view(), name="search-history"),
    path("search/hot/", search_api.HotView.as_view(), name="search-hot"),
    path("search/clicks/", search_api.ClickView.as_view(), name="search-clicks"),
    path("wallet/", boosts_api.WalletView.as_view(), name="wallet"),
    path("wallet/topups/", boosts_api.TopUpView.as_view(), name="wallet-topup"),
    path("boosts/", boosts_api.BoostListView.as_view(), name="boosts"),
    path("boosts/price/", boosts_api.BoostPriceView.as_view(), name="boost-price"),
    path("boosts/<int:pk>/", boosts_api.BoostDetailView.as_view(), name="boost"),
    path("boosts/<int:pk>/stop/", boosts_api.BoostStopView.as_view(), name="boost-stop"),
    path("products/", commerce_api.ProductListView.as_view(), name="products"),
    path("products/seen/", commerce_api.ProductSeenView.as_view(), name="products-seen"),
    path("products/<int:pk>/", commerce_api.ProductDetailView.as_view(), name="product"),
    path("products/<int:pk>/open/", commerce_api.ProductOpenView.as_view(), name="product-open"),
    path("orders/", commerce_api.OrderListView.as_view(), name="orders"),
    path("orders/<int:pk>/cancel/", commerce_api.OrderCancelView.as_view(), name="order-cancel"),
    path("creator/shop/", commerce_api.CreatorShopView.as_view(), name="creator-shop"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script served from a URL, not inline (the CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc styles itself with injected <style> elements, searches in a blob: worker and
    # shows its maker's logo from its CDN; this page alone allows those (docs/security.md).
    path(
        "redoc/",
        csp_update(
            {
                "style-src": ["'unsafe-inline'"],
                "worker-src": ["blob:"],
                "img-src": ["https://cdn.redoc.ly"],
            }
        )(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    path("", include(router.urls)),
]
