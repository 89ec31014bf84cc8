"""Ids above 999 are written without the Danish thousands separator (USE_THOUSAND_SEPARATOR=True would
make ``{{ pk }}`` "1.234") in attributes, hidden inputs and links, so forms post back a real id."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from partnerships.models import AgendaItem, Meeting
from tests.companies.factories import CompanyFactory, CompetenceNeedFactory

pytestmark = pytest.mark.django_db

# A number with a thousands separator ("1.234", "12.345") inside an HTML attribute's value.
LOCALIZED_IN_ATTRIBUTE = re.compile(r'="[^"]*(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])[^"]*"')


def test_the_meeting_page_writes_ids_over_1000_plainly(make_meeting, client_for, secretariat_a):
    made = make_meeting()
    Meeting.objects.filter(pk=made.pk).update(id=1234)
    meeting = Meeting.objects.get(pk=1234)
    AgendaItem.objects.create(pk=4321, meeting=meeting, position=1, title="Erfaringsudveksling")

    page = client_for(secretariat_a).get(reverse("partnerships:meeting_detail", args=[1234])).content.decode()

    assert 'name="item" value="4321"' in page
    assert "/moeder/1234/dagsorden/" in page
    assert LOCALIZED_IN_ATTRIBUTE.findall(page) == []


def test_the_firm_page_writes_ids_over_1000_plainly(client_for, consultant_a, partnership_a):
    firm = CompanyFactory(partnership=partnership_a, pk=5678)
    CompetenceNeedFactory(company=firm, pk=2345)

    page = client_for(consultant_a).get(firm.get_absolute_url()).content.decode()

    assert 'id="behov-status-2345"' in page
    assert LOCALIZED_IN_ATTRIBUTE.findall(page) == []
