"""What the reporting app adds to the portal (see ``kompetence.registry``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kompetence import registry


def register() -> None:
    registry.add_navigation(registry.NavEntry(_("Overblik"), "dashboard", None, order=0))
