"""Responses that may hold personal data are never kept by a browser or a proxy."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreMiddleware:
    """Every response to a signed-in user: ``Cache-Control: no-store`` (with Django's never-cache headers),
    so a child's record, a search or an export is not left in a shared computer's browser cache or a proxy.
    Static files are served before this (WhiteNoise) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated  # before the view: signing out counts too
        response = self.get_response(request)
        if signed_in:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
