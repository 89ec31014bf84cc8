"""Template tags of the portal's layout."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context, section) -> str:
    """Render a registered page section (``kompetence.registry.RenderedSection``) with the page's
    context plus the section's own."""
    section_template = context.template.engine.get_template(section.template)
    with context.push(**section.context):
        return section_template.render(context)
