"""Top-level URLs: the web pages, the REST API under /api/v1/, and the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(("config.api_urls", "api"))),
    path("", include("config.web_urls")),
]



def serve_media(request, path):
    """Serve an upload from the current MEDIA_ROOT (read per request, not at import)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    # Uploaded media are served by Django in the embedded default; nginx serves them
    # in a multi-machine deployment (platform/nginx.conf).
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media)]
