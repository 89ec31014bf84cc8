"""The navigation, built once per request from the entries the apps registered and the user's
permissions (``kompetence.registry``)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from kompetence import registry


@lru_cache(maxsize=512)
def _reverse(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


def _url(name: str) -> str:
    """``reverse(name)``, worked out once per process for each script prefix and URL configuration
    (the navigation asks for the same dozen URLs on every page)."""
    return _reverse(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def _allowed(user, perm: str | None) -> bool:
    if perm == registry.STAFF:
        return user.is_staff
    return perm is None or user.has_perm(perm)


def _items(user, menu: str) -> list[dict]:
    return [
        {"label": entry.label, "url": _url(entry.url_name), "active": False, "group": entry.group}
        for entry in registry.navigation(menu)
        if _allowed(user, entry.perm)
    ]


def _menu_bar(items: list[dict]) -> list[dict]:
    """The menu bar: plain entries, and each group as one entry with its entries as ``children``, at the
    place of its first entry. A group with one visible entry is that entry's plain link."""
    bar: list[dict] = []
    groups: dict[str, dict] = {}
    for item in items:
        key = item["group"]
        if key is None:
            bar.append(item)
        elif key in groups:
            groups[key]["children"].append(item)
        else:
            groups[key] = {"key": key, "label": registry.navigation_group(key).label, "children": [item]}
            bar.append(groups[key])
    for group in groups.values():
        if len(group["children"]) == 1:
            bar[bar.index(group)] = group["children"][0]
        else:
            group["active"] = any(child["active"] for child in group["children"])
    return bar


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items, admin_items = _items(user, registry.MAIN_MENU), _items(user, registry.USER_MENU)
    # The item whose URL is the longest prefix of the current path is the active one.
    path = request.path
    matches = [i for i in items + admin_items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items, "nav_bar": _menu_bar(items), "admin_nav_items": admin_items}
