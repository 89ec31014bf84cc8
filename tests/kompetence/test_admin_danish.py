"""The Django admin in Danish for what administrators see, and the case's audit trail read-only there."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.urls import reverse

from companies.models import CaseStatus, StatusChange
from tests.companies.factories import CompanyFactory

# Words that are the same in both languages, so a heading made of them is Danish too.
SAME_IN_DANISH = {"status", "type", "system", "interval", "data", "plan", "organisation", "e-mail", "kode", "navn"}


def _english(label: str) -> bool:
    """A heading Django made up from an English field name (``created_at`` → "created at")."""
    words = re.findall(r"[a-zæøå-]+", label.lower())
    return (
        bool(words)
        and not set(words) <= SAME_IN_DANISH
        and bool(
            re.fullmatch(
                r"(ran at|cutoff|participants|documents|company|partnership|proposed by|changed by|"
                r"user|created at|last used at|attempt time|user agent|path|failed logins|"
                r"access lock out|logout time|name|enabled|scheduler|interval schedule|start datetime|"
                r"last run datetime|one-off task|clock time|human_readable|crontab|solar event)",
                label.lower(),
            )
        )
    )


def test_every_admin_column_heading_is_danish(rf, administrator):
    request = rf.get("/admin/")
    request.user = administrator
    english = []
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_list_display(request):
            label = str(label_for_field(name, model, model_admin))
            if _english(label):
                english.append(f"{model._meta.label}.{name}: {label}")
    assert english == []


def test_third_party_models_are_named_in_danish():
    names = {str(model._meta.verbose_name_plural) for model in admin.site._registry}

    assert {"authenticators", "periodic tasks", "access attempts", "access logs", "access failures"} & names == set()
    assert {"tofaktor-metoder", "planlagte opgaver", "loginforsøg"} <= names


def test_status_changes_are_read_only_in_admin(client_for, administrator, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    change = StatusChange.objects.create(company=company, from_status="", to_status=CaseStatus.IDENTIFIED)
    client = client_for(administrator)

    assert client.get(reverse("admin:companies_statuschange_changelist")).status_code == 200
    assert client.get(reverse("admin:companies_statuschange_add")).status_code == 403
    assert (
        client.post(reverse("admin:companies_statuschange_delete", args=[change.pk]), {"post": "yes"}).status_code
        == 403
    )
    page = client.get(reverse("admin:companies_statuschange_change", args=[change.pk]))
    assert page.status_code == 200  # shown, but without a save button
    assert 'name="_save"' not in page.content.decode()
    assert StatusChange.objects.filter(pk=change.pk).exists()


@pytest.mark.django_db
def test_the_admin_index_reads_danish(client_for, administrator):
    page = client_for(administrator).get(reverse("admin:index")).content.decode()

    for english in ("Authenticators", "Periodic tasks", "Access attempts", "Clocked", "Solar events"):
        assert english not in page
