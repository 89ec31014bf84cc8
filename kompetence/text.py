"""Small text helpers every app uses the same way. This module imports no app of the portal."""

from __future__ import annotations

from typing import Any


def display_name(user: Any, *, empty: str = "") -> str:
    """How the portal names a person: the full name, else the e-mail address (invited users who have
    not given their name yet), else the username. ``None`` (a deleted user, nobody) gives ``empty``.

    Works on any object with ``get_full_name()`` and/or ``email``, so it needs no user model here.
    Template filter: ``{{ user|display_name }}`` (``{% load kompetence %}``).
    """
    if user is None:
        return empty
    get_full_name = getattr(user, "get_full_name", None)
    name = (get_full_name() if callable(get_full_name) else "") or ""
    name = " ".join(str(name).split())
    if name:
        return name
    for attribute in ("email", "username"):
        value = getattr(user, attribute, "") or ""
        if value:
            return str(value)
    return empty
