"""HTML to PDF with WeasyPrint: one pure function, no database, no network.

``base_url`` is a local directory (our static files), so a stylesheet or image the HTML names is read
from disk and nothing is ever fetched over HTTP; any other URL is refused by the fetcher below. The
same HTML gives the same bytes, which makes rendering idempotent and testable.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def local_base_url() -> str:
    return str(Path(settings.BASE_DIR) / "static")


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` to PDF bytes. Put ``font-family`` inside ``@page`` in the HTML's CSS: page
    margin boxes (the footer with page numbers) do not inherit the body's font."""
    from weasyprint import HTML, URLFetcher  # imported here: it loads Pango, which only PDF work needs

    # Only local files and data: URLs; an http(s) reference in the HTML is refused, never fetched.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = HTML(string=html, base_url=base_url or local_base_url(), url_fetcher=fetcher)
    return document.write_pdf()
