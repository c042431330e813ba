"""Web pages for people: sign-up, onboarding, follows, edit profile (the profile page,
which lists the author's posts, is content's: ``content.views.profile``)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from config.forms_errors import add_service_errors

from . import selectors, services
from .forms import InterestPickerForm, ProfileForm, SignupForm
from .middleware import LANGUAGE_OF_SETTING
from .models import User


def signup(request):
    """Create an account, sign in, and go to the interest picker."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data.get("email") or "",
                display_name=form.cleaned_data.get("display_name") or "",
                language=form.cleaned_data.get("language") or "zh",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="accounts.backends.PlatformBackend")
            return redirect("web:onboarding")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def onboarding(request):
    """Pick at least three channels of interest (also reachable later to change them)."""
    initial = {"channels": [p.channel_id for p in request.user.interest_picks.all()]}
    form = InterestPickerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.interests_set(user=request.user, channels=form.cleaned_data["channels"])
        messages.success(request, _("Interests saved."))
        return redirect("web:home")
    channels = list(form.fields["channels"].queryset)
    top = [c for c in channels if c.parent_id is None]
    children = {}
    for c in channels:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    groups = [(c, children.get(c.pk, [])) for c in top]
    selected = {int(v) for v in (form["channels"].value() or [])}
    return render(
        request, "accounts/onboarding.html", {"form": form, "groups": groups, "selected": selected}
    )


@login_required
@require_POST
def relation(request, username, action):
    """Follow, unfollow, block or unblock from a profile page, or follow and unfollow from
    a post page or a feed card, whose buttons (site.js, ``X-Requested-With: fetch``) get
    JSON instead of a redirect; ``next`` (a path on this site) says where to go back to."""
    other = get_object_or_404(User, username=username)
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    verbs = {
        "follow": lambda: services.follow_create(follower=request.user, followee=other),
        "unfollow": lambda: services.follow_delete(follower=request.user, followee=other),
        "block": lambda: services.block_create(blocker=request.user, blocked=other),
        "unblock": lambda: services.block_delete(blocker=request.user, blocked=other),
    }
    if action not in verbs or (wants_json and action not in ("follow", "unfollow")):
        if wants_json:
            return JsonResponse({"detail": "Unknown action."}, status=404)
        return redirect("web:profile", username=username)
    try:
        verbs[action]()
    except (ValidationError, PermissionDenied) as exc:
        detail = " ".join(getattr(exc, "messages", [str(exc)]))
        if wants_json:
            return JsonResponse({"detail": detail}, status=400)
        messages.error(request, detail)
    if wants_json:
        other.refresh_from_db(fields=["follower_count"])
        following = selectors.is_following(follower=request.user, followee=other)
        return JsonResponse(
            {"action": action, "following": following, "follower_count": other.follower_count}
        )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("web:profile", username=username)


def follow_list(request, username, which):
    """Followers or following of a user."""
    user = get_object_or_404(User, username=username, is_active=True)
    if selectors.is_blocked_between(viewer=request.user, user=user):
        return render(request, "accounts/blocked.html", {"author": user}, status=403)
    rows = selectors.followers_of(user=user) if which == "followers" else selectors.following_of(user=user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    people = [r.follower if which == "followers" else r.followee for r in page]
    return render(
        request,
        "accounts/follow_list.html",
        {"profile_user": user, "which": which, "page": page, "people": people},
    )


@login_required
def profile_edit(request):
    """Edit one's own profile, avatar included."""
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        names = set(form.changed_data)
        if names & {"home_lat", "home_lng"}:
            names |= {"home_lat", "home_lng"}
        changed = {name: form.cleaned_data[name] for name in names}
        try:
            services.profile_update(user=User.objects.get(pk=request.user.pk), **changed)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("web:profile", username=request.user.username)
    return render(request, "accounts/profile_edit.html", {"form": form})


SETTING_OF_LANGUAGE = {code: setting for setting, code in LANGUAGE_OF_SETTING.items()}


@require_POST
def set_language(request):
    """The 中文 / English switch: Django's ``set_language`` (the language cookie, then back to
    ``next``); a signed-in person's 语言 setting changes too, since it wins over the cookie
    on the web pages (accounts.middleware)."""
    response = i18n.set_language(request)
    setting = SETTING_OF_LANGUAGE.get(request.POST.get("language"))
    if setting and request.user.is_authenticated and request.user.language != setting:
        services.profile_update(user=request.user, language=setting)
    return response
