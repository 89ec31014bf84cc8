"""The navigation, built once per request from the user's role and permissions."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None): the main menu, in the order shown.
NAV = [
    (_("Overblik"), "dashboard", None),
    (_("Virksomheder"), "companies:list", "companies.view_company"),
    (_("Mine virksomheder"), "companies:mine", "companies.add_visit"),
    (_("Til behandling"), "companies:agenda_list", "companies.view_agendaproposal"),
    (_("Partnerskaber"), "partnerships:list", "partnerships.view_partnership"),
]
# Administration lives in the user menu, so the main menu fits one line for every role.
ADMIN_NAV = [
    (_("Brugere"), "partnerships:user_list", "partnerships.add_user"),
    (_("Django-administration"), "admin:index", "is_staff"),
]


def _allowed(user, perm: str | None) -> bool:
    if perm == "is_staff":
        return user.is_staff
    return perm is None or user.has_perm(perm)


def _items(user, entries) -> list[dict]:
    return [
        {"label": label, "url": reverse(url_name), "active": False}
        for label, url_name, perm in entries
        if _allowed(user, perm)
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items, admin_items = _items(user, NAV), _items(user, ADMIN_NAV)
    # The item whose URL is the longest prefix of the current path is the active one.
    path = request.path
    matches = [i for i in items + admin_items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items, "admin_nav_items": admin_items}
