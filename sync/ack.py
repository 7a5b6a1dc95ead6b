"""The hub's acknowledgement of a batch: the only answer that marks an outbox batch sent.

A captive portal, a proxy's login page or anything else that answers HTTP 200 cannot produce
it: the acknowledgement is an HMAC-SHA256, keyed by the SHA-256 of the device's bearer token
(the hub stores only that hash, the device knows the token), over the device id, the
Idempotency-Key and the SHA-256 of the exact request body the hub committed. So an
acknowledgement names this device, this batch and these bytes, and nothing else.

Why an HMAC and not a hub signature: it needs no key distribution beyond the token the
device already has; the token's confidentiality is already what stops anyone from speaking
for the device (use HTTPS, see the README's reverse-proxy section).
"""

from __future__ import annotations

import hashlib
import hmac

VERSION = "urne-ack/1"


def token_key(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _message(device: str, key: str, request_sha256: str) -> bytes:
    return "\n".join((VERSION, device, key, request_sha256)).encode()


def sign(token_sha256: bytes, device: str, key: str, request_sha256: str) -> str:
    return hmac.new(token_sha256, _message(device, key, request_sha256), hashlib.sha256).hexdigest()


def valid(token: str, device: str, key: str, request_sha256: str, ack: object) -> bool:
    if not isinstance(ack, str):
        return False
    return hmac.compare_digest(sign(token_key(token), device, key, request_sha256), ack)
