"""Sign-out that ends both sessions: OpenCSC's and the identity provider's."""

from __future__ import annotations

from django.urls import reverse

from .logout import provider_logout_url


class SingleSignOutMiddleware:
    """When a session that began with single sign-on signs out (the header's sign-out button, a POST to
    accounts:logout), the local sign-out runs as usual and then, instead of the sign-in page, the browser
    goes to the provider's end_session_endpoint, which signs out there and comes back to the sign-in page.
    Nothing else is changed: other sessions, and idle sign-outs, go straight to the sign-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        end_session = None
        if request.method == "POST" and request.path == reverse("accounts:logout") and request.user.is_authenticated:
            end_session = provider_logout_url(request)  # before the view ends the session
        response = self.get_response(request)
        if end_session and response.status_code == 302 and not request.user.is_authenticated:
            response["Location"] = end_session
        return response
