"""The floor view: the cheapest useful page this stack can serve, and the empty portal page.

One indexed query (the first 50 firms by name, from the ``company_name`` index) rendered as a plain
50-row table by the Django template engine, behind the same middleware as every portal page (session,
login required, CSRF, messages, ...). Every measured page is compared with it: a page costing 2x
the floor does about as much work as two such pages.

The empty portal page renders ``base.html`` (header, navigation, footer) with no content and no
query of its own: the part of every portal page's cost that the page itself cannot change.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines

from companies.models import Company

TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Gulv</title></head>
<body><table>
<thead><tr><th>Virksomhedsnavn</th><th>CVR-nummer</th><th>Postnummer</th><th>By</th></tr></thead>
<tbody>{% for pk, name, cvr, postcode, city in rows %}
<tr><td><a href="/virksomheder/{{ pk }}/">{{ name }}</a></td><td>{{ cvr }}</td>
<td>{{ postcode }}</td><td>{{ city }}</td></tr>
{% endfor %}</tbody></table></body></html>"""
)


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    rows = Company.objects.order_by("name", "pk").values_list("pk", "name", "cvr", "postcode", "city")[:50]
    return HttpResponse(TEMPLATE.render({"rows": rows}, request))


EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}{% block head_title %}Tom side{% endblock %}')


@login_required
def empty_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(EMPTY_PAGE.render({}, request))
