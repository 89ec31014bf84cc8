"""``{% dashboard_section section %}``: a dashboard panel, from the cache when it has the HTML."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from kompetence import dashboard
from kompetence.registry import RenderedSection

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_section(context, section: RenderedSection) -> str:
    if section.html:
        return mark_safe(section.html)  # noqa: S308 - our own template's output, kept by keep_html
    section_template = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        html = section_template.render(context)
    dashboard.keep_html(section, html)
    return html
