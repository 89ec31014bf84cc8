"""The navigation, built once per request from the user's role and permissions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None). The first whose URL prefixes the path is active.
NAV = [
    (_("Overblik"), "dashboard", None),
    (_("Virksomheder"), "companies:list", "companies.view_company"),
    (_("Mine virksomheder"), "companies:mine", "companies.add_visit"),
    (_("Til behandling"), "companies:agenda_list", "companies.view_company"),
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
        items.append({"label": label, "url": reverse(url_name), "active": False})
    # The item whose URL is the longest prefix of the current path is the active one.
    matches = [i for i in items if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}
