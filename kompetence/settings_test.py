"""Settings for the test suite: the normal settings, with a fast password hasher."""

from kompetence.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Speed only; never in production.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PORTAL_URL = "http://testserver"  # links in e-mails point at the test client's host
