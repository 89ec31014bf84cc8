"""The navigation, built once per request from the user's role and permissions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None). The first whose URL prefixes the path is active.
NAV = [
    (_("Overblik"), "dashboard", None),
    (_("Partnerskaber"), "partnerships:list", "partnerships.view_partnership"),
    (_("Brugere"), "partnerships:user_list", "partnerships.add_user"),
    (_("Administration"), "admin:index", "is_staff"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, url_name, perm in NAV:
        if perm == "is_staff":
            if not user.is_staff:
                continue
        elif perm and not user.has_perm(perm):
            continue
        url = reverse(url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
