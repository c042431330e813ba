"""The product's URLs plus two trivial views, for ``manage.py bench``'s ratio table only.

A trivial Django view and a trivial DRF view (token auth, the default throttles) give
the floor every request pays (middleware, URL resolving, DRF's dispatch) in the same run
as the feeds; the product never routes here (the bench swaps ``ROOT_URLCONF`` in its own
process).
"""

from django.http import HttpResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as product


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


class TrivialApi(APIView):
    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("api/v1/bench/trivial/", TrivialApi.as_view()),
    *product,
]
