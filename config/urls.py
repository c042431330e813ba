"""Top-level URLs: the web pages, the REST API under /api/v1/, and the admin."""

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.static import serve

from config import uploads as media
from config.api_errors import NOT_FOUND, error_response, is_api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(("config.api_urls", "api"))),
    path("", include("config.web_urls")),
]


def serve_media(request, path):
    """Serve an upload from the current MEDIA_ROOT (read per request, not at import).

    Only image and video files are served, each with the type its extension names and
    headers that stop a browser from sniffing or running anything (config/uploads.py);
    any other file, such as one stored under a client's ``.html`` name, is a 404.
    """
    content_type = media.served_type(path)
    if content_type is None:
        raise Http404("Not a media file.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = content_type
    for header, value in media.MEDIA_HEADERS.items():
        response[header] = value
    return response


if settings.SERVE_MEDIA:
    # Uploaded media are served by Django in the embedded default; nginx serves them
    # in a multi-machine deployment (platform/nginx.conf).
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media)]


def not_found(request, exception=None):
    """A URL nothing matches: JSON under /api/ (clients parse every answer), else the page."""
    if is_api(request):
        return error_response(NOT_FOUND, "not_found", 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """An unexpected failure: JSON under /api/, else the page."""
    if is_api(request):
        return error_response(_("Something went wrong on our side; please try again later."), "server_error", 500)
    return defaults.server_error(request)


handler404 = not_found
handler500 = server_error
