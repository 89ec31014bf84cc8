"""Encryption at rest for personal data (CPR numbers), and the keyed hash that finds duplicates.

- ``encrypt``/``decrypt``: Fernet tokens under ``settings.FIELD_ENCRYPTION_KEYS`` (a list, newest
  first) through ``MultiFernet``: new values are encrypted with the newest key, and any listed key
  decrypts. Rotating means putting a new key first, running ``manage.py rotate_encryption_key`` (which
  re-encrypts every value under it, see ``rotate``), then removing the old key.
- ``encrypt_bytes``/``decrypt_bytes``: the same for a whole file (the XLSX with full CPR numbers that
  ``reporting.reports.files`` builds in the background is stored only as such a token; it is deleted
  within a day, before a rotated-out key would be removed).
- ``keyed_hash``: HMAC-SHA256 under ``settings.FIELD_HASH_KEY``, a key of its own that is never
  rotated with the encryption keys, so the same CPR number always gives the same hash and a unique
  index can refuse a person registered twice. An encrypted column cannot be searched; the hash can.

The keys are read when used, never at import time, so tests can override them. Nothing here logs;
a value that does not decrypt raises ``UndecryptableError`` without the token or the value in it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class UndecryptableError(Exception):
    """A stored value does not decrypt under any configured key (a key was removed too early)."""


@functools.lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise UndecryptableError("No FIELD_ENCRYPTION_KEY is configured.")
    fernets = [Fernet(key) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _keys() -> tuple[str, ...]:
    return tuple(settings.FIELD_ENCRYPTION_KEYS)


def encrypt(value: str) -> str:
    """``value`` encrypted under the newest key, as a text token."""
    multi, _newest = _fernets(_keys())
    return multi.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    multi, _newest = _fernets(_keys())
    try:
        return multi.decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableError("A stored value does not decrypt under the configured keys.") from None


def encrypt_bytes(data: bytes) -> bytes:
    """``data`` (a file with personal data in it) encrypted under the newest key, as a token."""
    multi, _newest = _fernets(_keys())
    return multi.encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    multi, _newest = _fernets(_keys())
    try:
        return multi.decrypt(token)
    except InvalidToken:
        raise UndecryptableError("A stored file does not decrypt under the configured keys.") from None


def is_under_newest_key(token: str) -> bool:
    """Whether ``token`` was encrypted with the newest key (rotation skips it then)."""
    _multi, newest = _fernets(_keys())
    try:
        newest.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """``token`` re-encrypted under the newest key (the plaintext never leaves this function)."""
    multi, _newest = _fernets(_keys())
    try:
        return multi.rotate(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableError("A stored value does not decrypt under the configured keys.") from None


def keyed_hash(value: str) -> str:
    """The hex HMAC-SHA256 of ``value`` under ``FIELD_HASH_KEY`` (64 characters)."""
    return hmac.new(settings.FIELD_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
