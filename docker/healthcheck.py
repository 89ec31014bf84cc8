"""Container health check for the web service: exit 0 when /healthz answers 200.

The slim image has no curl, so this uses the standard library. The request is addressed with the
first name in DJANGO_ALLOWED_HOSTS (otherwise Django answers 400) and says it arrived over HTTPS
through the proxy (SECURE_PROXY_SSL_HEADER), so DJANGO_SECURE_SSL_REDIRECT=1 does not turn it into
a redirect to an https:// address that gunicorn does not serve.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    # ".example.dk" allows every subdomain and "*" allows anything; both accept the bare name.
    host = hosts[0].lstrip("*.") if hosts else ""
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz",
        headers={"Host": host or "localhost", "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (fixed http URL)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthz: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
