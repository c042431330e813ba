"""The web pages (namespace ``web``)."""

from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from accounts import views as accounts_views
from accounts.forms import LoginForm
from boosts import views as boosts_views
from commerce import views as commerce_views
from content import views as content_views
from feeds import views as feeds_views
from notifications import views as notifications_views
from search import views as search_views

app_name = "web"


class FaviconView(RedirectView):
    """``/favicon.ico``, which browsers and the admin ask for without a ``<link rel=icon>``:
    the site's icon, wherever the static files storage put it."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("", feeds_views.discover, name="home"),
    path("follow/", feeds_views.follow, name="follow"),
    path("nearby/", feeds_views.nearby, name="nearby"),
    path("hot/", feeds_views.hot, name="hot"),
    path("latest/", content_views.latest, name="latest"),
    path("search/", search_views.search, name="search"),
    path("signup/", accounts_views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("onboarding/", accounts_views.onboarding, name="onboarding"),
    path("settings/profile/", accounts_views.profile_edit, name="profile-edit"),
    path("i18n/setlang/", accounts_views.set_language, name="set-language"),
    path("creator/", feeds_views.creator_center, name="creator"),
    path("creator/p/<int:pk>/", feeds_views.creator_post, name="creator-post"),
    path("publish/", content_views.publish, name="publish"),
    path("publish/tags/", content_views.publish_tags, name="publish-tags"),
    path("notifications/", notifications_views.inbox, name="notifications"),
    path("notifications/read/", notifications_views.mark_read, name="notifications-read"),
    path("notifications/settings/", notifications_views.mutes, name="notifications-mutes"),
    path("notifications/<int:pk>/open/", notifications_views.open_line, name="notification-open"),
    path("wallet/", boosts_views.wallet, name="wallet"),
    path("boosts/", boosts_views.boost_list, name="boosts"),
    path("boosts/<int:pk>/", boosts_views.boost_detail, name="boost"),
    path("boosts/<int:pk>/stop/", boosts_views.boost_stop, name="boost-stop"),
    path("p/<int:post_pk>/boost/", boosts_views.boost_new, name="boost-new"),
    path("p/<int:post_pk>/products/", commerce_views.post_products, name="post-products"),
    path("products/<int:pk>/", commerce_views.product_detail, name="product"),
    path("products/<int:pk>/order/", commerce_views.product_order, name="product-order"),
    path("orders/", commerce_views.orders, name="orders"),
    path("orders/<int:pk>/cancel/", commerce_views.order_cancel, name="order-cancel"),
    path("creator/shop/", commerce_views.shop, name="shop"),
    path("c/<slug:slug>/", feeds_views.channel, name="channel"),
    path("t/<path:name>/", content_views.tag, name="tag"),
    path("p/<int:pk>/", content_views.post_detail, name="post-detail"),
    path("p/<int:pk>/<slug:action>/", content_views.post_action, name="post-action"),
    path("u/<str:username>/", content_views.profile, name="profile"),
    path("u/<str:username>/saved/", content_views.profile, {"tab": "saved"}, name="profile-saved"),
    path("u/<str:username>/liked/", content_views.profile, {"tab": "liked"}, name="profile-liked"),
    path(
        "u/<str:username>/followers/",
        accounts_views.follow_list,
        {"which": "followers"},
        name="followers",
    ),
    path(
        "u/<str:username>/following/",
        accounts_views.follow_list,
        {"which": "following"},
        name="following",
    ),
    path("u/<str:username>/do/<slug:action>/", accounts_views.relation, name="relation"),
]
