from django.conf import settings

from .navigation import items_for, menu_for


def service(request):
    user = getattr(request, "user", None)
    navigation = items_for(user, request.path)
    return {
        "authority_name": settings.OPENCSC_AUTHORITY_NAME,
        "service_name": settings.OPENCSC_SERVICE_NAME,
        "is_demo": getattr(settings, "OPENCSC_DEMO", False),
        # Every item the user may open (label, url, active, group, description), and the service menu:
        # one entry for each group (label, url, current, items).
        "navigation": navigation,
        "service_menu": menu_for(user, request.path, navigation),
    }
