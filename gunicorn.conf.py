"""gunicorn settings read from the working directory (the image's /app, or the project directory).

Command-line flags (docker/entrypoint.sh, docs/deployment.md) still choose workers and the address.

The access log leaves out the query string (``%(U)s`` is the path alone: search terms are firm names
and CVR numbers), the Referer (it carries the previous page's query string) and the user agent.
https://docs.gunicorn.org/en/stable/settings.html#access-log-format
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
