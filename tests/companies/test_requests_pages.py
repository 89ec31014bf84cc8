"""The pages of én indgang and recruitment needs: the public form as a firm uses it, "Nye
henvendelser", taking a request, "Rekrutteringsbehov" and closing a need."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from companies.models import Company, CompetenceNeed, PublicRequest
from companies.services import recruitment as recruitment_services
from companies.services import requests as services
from partnerships.models import Municipality
from tests.companies.factories import CompanyFactory, valid_cvr

pytestmark = pytest.mark.django_db

URL = "/henvendelse/"


def form_data(**overrides) -> dict:
    data = {
        "cvr": valid_cvr(46000000),
        "company_name": "Nyfirma ApS",
        "postcode": "8000",
        "municipality": "751",
        "contact_name": "Lise Holm",
        "contact_email": "lise@nyfirma.dk",
        "contact_phone": "12345678",
        "needs": ["need_upskilling", "need_recruitment"],
        "description": "Vi skal have opkvalificeret vores operatører.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def send(data, client=None, **extra):
        client = client or Client()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data, **extra)

    return send


def receipts() -> list:
    return [m for m in mail.outbox if m.subject.endswith("Vi har modtaget jeres henvendelse")]


def test_the_form_says_what_happens_next_without_login(client, partnership_a):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Det sker, når I har sendt formularen" in html
    assert "5 arbejdsdage" in html
    assert "Uden for Region Midtjylland" in html
    assert html.count('<option value="') >= 3


def test_a_valid_request_lands_in_the_partnership_and_the_requester_gets_a_receipt(post, partnership_a):
    response = post(form_data())

    assert response.status_code == 302 and response["Location"] == reverse("requests:thanks")
    request = PublicRequest.objects.get()
    assert request.partnership == partnership_a and request.need_recruitment and request.need_upskilling
    assert len(receipts()) == 1
    assert "Tak for jeres henvendelse" in Client().get(response["Location"]).content.decode()


def test_the_form_is_protected_by_csrf(partnership_a):
    response = Client(enforce_csrf_checks=True).post(URL, form_data())

    assert response.status_code == 403
    assert not PublicRequest.objects.exists()


def test_a_filled_in_honeypot_looks_like_success_and_saves_nothing(post, partnership_a):
    response = post(form_data(website="http://spam.example"))

    assert response.status_code == 302
    assert not PublicRequest.objects.exists() and mail.outbox == []


def test_an_empty_form_shows_a_danish_message_next_to_every_field(post, partnership_a):
    response = post({})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Henvendelsen er ikke sendt" in html
    for text in ("Udfyld feltet.", "Vælg den kommune", "Vælg mindst én ting", "egne ord", "Sæt kryds"):
        assert text in html
    assert not PublicRequest.objects.exists() and not Company.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "text"),
    [
        ({"cvr": "12345678"}, "kontrolcifferet passer ikke"),
        ({"municipality": "udenfor"}, "erhvervshuset i jeres region"),
        ({"postcode": "2100"}, "erhvervshuset i jeres region"),
        ({"description": "x" * 100_000}, "Må højst være 4000 tegn"),
        ({"consent": ""}, "Sæt kryds"),
        ({"contact_email": "ikke-en-adresse"}, "gyldig e-mailadresse"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(post, partnership_a, overrides, text):
    response = post(form_data(**overrides))

    assert response.status_code == 200
    assert text in response.content.decode()
    assert not PublicRequest.objects.exists() and not Company.objects.exists()


def test_markup_and_a_nul_byte_are_stored_as_text_and_shown_escaped(post, partnership_a, secretariat_a, client_for):
    response = post(form_data(company_name="<script>alert(1)</script> ApS", description="Hjælp\x00 <b>nu</b>"))

    assert response.status_code == 302
    request = PublicRequest.objects.get()
    assert "\x00" not in request.description
    html = client_for(secretariat_a).get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_same_request_twice_is_one_case_and_one_receipt(post, partnership_a):
    post(form_data())
    second = post(form_data())

    assert second.status_code == 302
    assert PublicRequest.objects.count() == 1 and Company.objects.count() == 1
    assert len(receipts()) == 1


def test_twenty_requests_from_one_address_are_refused_after_the_limit(post, partnership_a):
    statuses = []
    for number in range(20):
        data = form_data(cvr=valid_cvr(47000000 + number * 100), contact_email=f"person{number}@firma.dk")
        statuses.append(post(data, REMOTE_ADDR="198.51.100.7").status_code)

    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429] * 10
    last = post(form_data(cvr=valid_cvr(48000000)), REMOTE_ADDR="198.51.100.7")
    assert "Vent et minut" in last.content.decode()
    # Nothing lost of the accepted ones; another address is not affected.
    assert PublicRequest.objects.count() == 10
    assert post(form_data(cvr=valid_cvr(49000000)), REMOTE_ADDR="203.0.113.9").status_code == 302


def test_the_rate_limit_lets_requests_through_while_the_cache_is_down(post, partnership_a, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    statuses = {
        post(form_data(cvr=valid_cvr(50000000 + n * 100), contact_email=f"p{n}@f.dk")).status_code for n in range(12)
    }

    assert statuses == {302}


# ---------------------------------------------------------------------------
# The partnership's side
# ---------------------------------------------------------------------------
def make_request(number: int, *, municipality: int = 751) -> PublicRequest:
    return services.request_submit(
        cvr=valid_cvr(51000000 + number * 100),
        company_name=f"Firma {number} ApS",
        postcode="8000",
        municipality=Municipality.objects.get(code=municipality),
        contact_name="Lise Holm",
        contact_email=f"lise{number}@firma.dk",
        contact_phone="12345678",
        needs=["need_other"],
        description="Hjælp",
        consent=True,
    ).request


def test_new_requests_are_listed_for_their_partnership_only(
    client_for, partnership_a, partnership_b, secretariat_a, consultant_b
):
    mine = make_request(1)
    theirs = make_request(2, municipality=657)

    html = client_for(secretariat_a).get(reverse("requests:list")).content.decode()
    assert mine.company_name in html and theirs.company_name not in html
    assert client_for(consultant_b).get(reverse("requests:detail", args=[mine.pk])).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_request_list_runs_a_fixed_number_of_queries(
    client_for, partnership_a, secretariat_a, django_assert_max_num_queries, count
):
    for number in range(count):
        make_request(100 + number)
    client = client_for(secretariat_a)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("requests:list"))

    assert len(re.findall(r'href="/henvendelser/\d+/"', response.content.decode())) == count


def test_taking_a_request_sets_the_lead_and_the_firms_timeline_shows_it(
    client_for, partnership_a, secretariat_a, consultant_a
):
    request = make_request(1)
    client = client_for(secretariat_a)

    response = client.post(reverse("requests:take", args=[request.pk]), {"lead": consultant_a.pk})

    assert response.status_code == 302 and response["Location"] == request.company.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "Henvendelse via Én indgang fra Lise Holm" in page
    assert "Henvendelsen taget af Sara" in page
    assert "Tovholder: Anna" in page
    request.refresh_from_db()
    assert request.status == PublicRequest.Status.TAKEN and request.lead == consultant_a
    html = client.get(reverse("requests:list")).content.decode()
    assert request.company_name not in html

    # The firm gets another lead later: the request's event still says whom it was given to then.
    Company.objects.filter(pk=request.company_id).update(lead_consultant=secretariat_a)
    later = client.get(request.company.get_absolute_url()).content.decode()
    assert "Tovholder: Anna" in later and "Tovholder: Sara" not in later


def test_taking_a_request_with_an_outsider_as_lead_shows_the_error(
    client_for, partnership_a, secretariat_a, consultant_b
):
    request = make_request(1)

    response = client_for(secretariat_a).post(reverse("requests:take", args=[request.pk]), {"lead": consultant_b.pk})

    assert response.status_code == 200
    assert "Vælg en tovholder på listen" in response.content.decode()


def test_management_reads_requests_but_cannot_take_them(client_for, partnership_a, management, consultant_a):
    request = make_request(1)

    assert client_for(management).get(reverse("requests:detail", args=[request.pk])).status_code == 200
    response = client_for(management).post(reverse("requests:take", args=[request.pk]), {"lead": consultant_a.pk})
    assert response.status_code == 403


# ---------------------------------------------------------------------------
# Recruitment needs
# ---------------------------------------------------------------------------
def recruit(company, by, number=0):
    return recruitment_services.recruitment_create(
        company=company,
        by=by,
        job_title=f"Svejser {number}",
        positions=2,
        skills="MIG/MAG",
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )


def test_a_consultant_registers_a_recruitment_need_from_the_firm_page(client_for, partnership_a, consultant_a):
    company = CompanyFactory(partnership=partnership_a)
    client = client_for(consultant_a)
    url = reverse("requests:recruitment_create", args=[company.pk])

    assert "Tilføj rekrutteringsbehov" in client.get(company.get_absolute_url()).content.decode()
    refused = client.post(url, {"job_title": "Svejser", "positions": "0", "skills": "MIG", "deadline": "2020-01-01"})
    assert refused.status_code == 200
    assert "mindst 1" in refused.content.decode() and "før i dag" in refused.content.decode()
    assert not CompetenceNeed.objects.exists()

    response = client.post(url, {"job_title": "Svejser", "positions": "3", "skills": "MIG", "graduates": "on"})
    assert response.status_code == 302
    need = CompetenceNeed.objects.get()
    assert need.kind == "rekruttering" and need.recruitment.positions == 3 and need.recruitment.graduates
    assert "Svejser" in client.get(company.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_recruitment_list_runs_a_fixed_number_of_queries(
    client_for, partnership_a, consultant_a, django_assert_max_num_queries, count
):
    for number in range(count):
        recruit(CompanyFactory(partnership=partnership_a), consultant_a, number)
    client = client_for(consultant_a)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("requests:recruitment_list"))

    assert response.content.decode().count("/luk/") == count


def test_the_recruitment_rows_show_what_a_consultant_needs_and_escape_what_was_typed(
    client_for, partnership_a, consultant_a, management
):
    company = CompanyFactory(partnership=partnership_a, name="Smed & Søn <b>ApS</b>")
    need = recruitment_services.recruitment_create(
        company=company,
        by=consultant_a,
        job_title="<script>alert(1)</script> Svejser",
        positions=3,
        skills="MIG/MAG " + "x" * 200,
        deadline=timezone.localdate() + dt.timedelta(days=10),
        foreign_specialists=True,
        graduates=True,
    )
    need.recruitment.deadline = timezone.localdate() - dt.timedelta(days=2)  # passed since it was registered
    need.recruitment.save(update_fields=["deadline"])

    html = client_for(consultant_a).get(reverse("requests:recruitment_list")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Svejser" in html
    assert "Smed &amp; Søn &lt;b&gt;ApS&lt;/b&gt;" in html
    assert f'href="{company.get_absolute_url()}"' in html
    assert "x" * 200 not in html and "MIG/MAG " + "x" * 100 in html  # the skills cut to 120 characters
    deadline = need.recruitment.deadline
    assert f'<time datetime="{deadline.isoformat()}">{deadline:%d.%m.%Y}</time>' in html
    assert "overskredet" in html and "Udenlandske specialister, Dimittender" in html
    close = reverse("requests:recruitment_close", args=[need.pk])
    assert f'href="{close}">Luk<span class="visually-hidden"> &lt;script&gt;' in html

    read_only = client_for(management).get(reverse("requests:recruitment_list")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Svejser" in read_only and close not in read_only


def test_a_consultant_closes_a_recruitment_need_with_its_outcome(client_for, partnership_a, consultant_a, consultant_b):
    need = recruit(CompanyFactory(partnership=partnership_a), consultant_a)
    url = reverse("requests:recruitment_close", args=[need.pk])

    assert client_for(consultant_b).get(url).status_code == 404
    client = client_for(consultant_a)
    response = client.post(url, {"outcome": "besat", "closed_on": timezone.localdate().isoformat()})

    assert response.status_code == 302
    listing = client.get(response["Location"]).content.decode()
    assert "er lukket: Besat" in listing
    need.refresh_from_db()
    assert need.status == CompetenceNeed.Status.COVERED and need.recruitment.outcome == "besat"
    closed = client_for(consultant_a).get(reverse("requests:recruitment_list") + "?state=closed").content.decode()
    assert "Besat" in closed


def test_the_dashboard_counts_new_requests_and_open_recruitment_needs(client_for, partnership_a, secretariat_a):
    make_request(1)
    recruit(CompanyFactory(partnership=partnership_a), secretariat_a)

    html = client_for(secretariat_a).get("/").content.decode()

    assert "nye henvendelser" in html and "åbne rekrutteringsbehov" in html
