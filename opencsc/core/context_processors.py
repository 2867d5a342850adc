from django.conf import settings

from .navigation import items_for


def service(request):
    return {
        "authority_name": settings.OPENCSC_AUTHORITY_NAME,
        "service_name": settings.OPENCSC_SERVICE_NAME,
        "is_demo": getattr(settings, "OPENCSC_DEMO", False),
        "navigation": items_for(getattr(request, "user", None), request.path),
    }
