"""Test-only URLs: the portal's own, plus an empty page and views that read, write and fail."""

from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

GROUP = "atomic-writes-test"


EMPTY_PAGE = '{% extends "base.html" %}{% block head_title %}Tom side{% endblock %}'


def empty_page(request):
    """base.html and nothing else: the part of every page's cost that the page itself cannot change."""
    return HttpResponse(engines["django"].from_string(EMPTY_PAGE).render({}, request))


@login_not_required
@csrf_exempt
def in_transaction(request):
    """Says whether the view runs inside a transaction; a POST also writes a row."""
    if request.method == "POST":
        Group.objects.create(name=GROUP)
    return JsonResponse({"in_transaction": connection.in_atomic_block})


@login_not_required
@csrf_exempt
def write_then_fail(request):
    Group.objects.create(name=GROUP)
    raise ValueError("the view fails after writing")


@login_not_required
@csrf_exempt
def write_then_immediate_response(request):
    Group.objects.create(name=GROUP)
    raise ImmediateHttpResponse(HttpResponse("handled by allauth's middleware"))


@login_not_required
@csrf_exempt
@transaction.non_atomic_requests
def non_atomic(request):
    return JsonResponse({"in_transaction": connection.in_atomic_block})


urlpatterns = [
    path("test/tom/", empty_page),
    path("test/transaktion/", in_transaction),
    path("test/fejl/", write_then_fail),
    path("test/straks/", write_then_immediate_response),
    path("test/ikke-atomar/", non_atomic),
    path("", include("kompetence.urls")),
]
