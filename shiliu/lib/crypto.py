"""Encryption of sensitive fields at rest, and keyed hashes to find a record by such a field.

Keys live outside the database, in the environment (``SHILIU_FIELD_KEYS``), so a copy of the database alone
reveals no ID or phone number. The setting holds one or more keys as ``<key id>:<base64 of 32 bytes>``, separated
by commas; the **first** key encrypts, every key listed decrypts. Rotation: put a new key first, keep the old ones,
run ``manage.py rotate_field_keys`` (re-encrypts every value with the first key), then drop the old keys.

A value is encrypted with AES-256-GCM under a fresh 96-bit nonce; the *context* (which field of which model) is
bound to the ciphertext as associated data, so a value copied from one column into another does not decrypt.
Stored form: ``v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``.

Equality lookups ("is this ID number registered?") use an HMAC-SHA256 of the normalised value under
``SHILIU_FIELD_HASH_KEY``, also from the environment. It must stay the same while records are looked up by it;
changing it needs ``rotate_field_keys --rehash``, which recomputes every hash from the decrypted values.

Models register their encrypted fields (:func:`register_field`) so that the rotation command finds them all
without this module knowing any app.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v1"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    """A stored value could not be decrypted: its key is no longer configured, or it was tampered with."""


@dataclass(frozen=True)
class KeyRing:
    current: str  # the id of the key that encrypts
    keys: dict[str, bytes]
    hash_key: bytes


def parse_keys(raw: str) -> dict[str, bytes]:
    """``id:base64,id:base64`` → {id: 32-byte key}, in the given order; fails loudly on anything malformed."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id or not key_id.replace("-", "").replace("_", "").isalnum():
            raise ImproperlyConfigured(
                "SHILIU_FIELD_KEYS: each key is <id>:<base64 of 32 bytes>, ids [A-Za-z0-9_-]"
            )
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"SHILIU_FIELD_KEYS: key {key_id!r} is not valid base64") from exc
        if len(key) != 32:
            raise ImproperlyConfigured(f"SHILIU_FIELD_KEYS: key {key_id!r} must be 32 bytes (AES-256)")
        if key_id in keys:
            raise ImproperlyConfigured(f"SHILIU_FIELD_KEYS: key id {key_id!r} is listed twice")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured("SHILIU_FIELD_KEYS holds no key")
    return keys


@lru_cache(maxsize=8)
def _ring(raw_keys: str, raw_hash_key: str) -> KeyRing:
    keys = parse_keys(raw_keys)
    hash_key = raw_hash_key.encode()
    if len(hash_key) < 32:
        raise ImproperlyConfigured("SHILIU_FIELD_HASH_KEY must be at least 32 characters")
    return KeyRing(current=next(iter(keys)), keys=keys, hash_key=hash_key)


def key_ring() -> KeyRing:
    """The configured keys (read from settings on each call, parsed once per value, so tests can change them)."""
    return _ring(settings.SHILIU_FIELD_KEYS, settings.SHILIU_FIELD_HASH_KEY)


def new_key() -> str:
    """A fresh key in the form SHILIU_FIELD_KEYS takes (without its id)."""
    return base64.b64encode(os.urandom(32)).decode()


def encrypt(plaintext: str, *, context: str) -> str:
    """``plaintext`` encrypted with the current key, bound to ``context`` (e.g. "residents.Resident.id_number")."""
    ring = key_ring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.keys[ring.current]).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{VERSION}:{ring.current}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(token: str) -> str:
    version, _sep, rest = token.partition(":")
    if version != VERSION:
        raise DecryptionError("unknown format")
    return rest.partition(":")[0]


def decrypt(token: str, *, context: str) -> str:
    ring = key_ring()
    key_id = key_id_of(token)
    key = ring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"the key {key_id!r} is not configured")
    try:
        blob = base64.b64decode(token.rsplit(":", 1)[1], validate=True)
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode()).decode()
    except (InvalidTag, binascii.Error, ValueError, IndexError) as exc:
        raise DecryptionError("the value does not decrypt with its key") from exc


def needs_rotation(token: str) -> bool:
    """Was ``token`` encrypted with a key other than the current one?"""
    return bool(token) and key_id_of(token) != key_ring().current


def keyed_hash(value: str, *, context: str) -> str:
    """An HMAC-SHA256 (hex) of ``value`` for equality lookups; the context keeps two fields' hashes apart."""
    message = f"{context}\x00{value}".encode()
    return hmac.new(key_ring().hash_key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class EncryptedField:
    """A model's encrypted column, its context, and the column of its keyed hash (if it has one)."""

    model: str  # app_label.ModelName
    column: str  # the field holding the token
    context: str
    hash_column: str | None = None
    normalise: str = "strip"  # how the plaintext is normalised before hashing: "strip" or "upper"

    def hash_of(self, plaintext: str) -> str:
        value = plaintext.strip().upper() if self.normalise == "upper" else plaintext.strip()
        return keyed_hash(value, context=self.context)


_FIELDS: list[EncryptedField] = []


def register_field(field: EncryptedField) -> None:
    """Tell the rotation command about an encrypted column (called from an app's ``ready()``)."""
    if field not in _FIELDS:
        _FIELDS.append(field)


def registered_fields() -> list[EncryptedField]:
    return list(_FIELDS)
