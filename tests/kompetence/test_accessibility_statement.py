"""The accessibility statement (tilgængelighedserklæring): public, linked from every page's footer,
honest about what does not work yet, with a contact and the complaint route."""

from __future__ import annotations

import pytest
from django.urls import reverse

STATEMENT = "/tilgaengelighed/"


@pytest.mark.django_db
def test_anyone_can_read_the_statement_without_logging_in(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "webtilgaengelighed@example.dk"
    settings.ACCESSIBILITY_CONTACT_PHONE = "86 12 34 56"

    response = client.get(STATEMENT)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tilgængelighedserklæring for Kompetenceportalen" in page
    assert "WCAG 2.1 niveau AA" in page
    assert "Det virker endnu ikke" in page  # the known gaps are listed
    assert "PDF-filer" in page
    assert 'href="mailto:webtilgaengelighed@example.dk"' in page
    assert 'href="tel:86123456"' in page
    assert "Digitaliseringsstyrelsen" in page
    assert 'href="https://digst.dk/digital-inklusion/webtilgaengelighed/oplever-du-ikke-tilgaengeligt-indhold/"' in page


@pytest.mark.django_db
def test_the_footer_links_to_the_statement_before_and_after_login(client, client_for, consultant_a):
    link = f'<a href="{reverse("accessibility_statement")}">Tilgængelighedserklæring</a>'

    assert link in client.get(reverse("account_login")).content.decode()
    assert link in client_for(consultant_a).get(reverse("dashboard")).content.decode()
    assert link in client_for(consultant_a).get(reverse("companies:list")).content.decode()
