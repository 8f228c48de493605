"""Flood protection for the public comment page, with no outside service: a proof of work
(the browser finds a nonce whose SHA-256 with a signed, one-use challenge starts with
`CONSULTATION_POW_DIGITS` zero hex digits) and a rate limit per address and per device, both
kept in the "shared" cache so that every web process sees the same (settings.CACHES).

If Redis is down the page still takes comments (core/sharedcache.py: logged when the outage
starts and ends): the proof of work and its signature are still checked, but a challenge's
single use and the hourly limits are not counted until Redis answers again. The comment itself
goes to the database only; no job is queued for it (the hourly `comments_absorb_due` places it
in the themes of the last synthesis), so nothing of it waits on the broker."""

import functools
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import caches

from dondoc.core.sharedcache import fail_open

SALT = "dondoc.consultation.pow"
CHALLENGE_AGE = 3600  # seconds a challenge stays valid


def digits() -> int:
    return int(getattr(settings, "CONSULTATION_POW_DIGITS", 4))


def per_hour() -> int:
    return int(getattr(settings, "CONSULTATION_PUBLIC_PER_HOUR", 30))


def challenge_new() -> str:
    return signing.dumps(secrets.token_hex(8), salt=SALT)


def solve(challenge: str, zeros: int) -> str:
    """What the browser does (and the tests): the first nonce that works."""
    nonce = 0
    while not _works(challenge, str(nonce), zeros):
        nonce += 1
    return str(nonce)


def _works(challenge: str, nonce: str, zeros: int) -> bool:
    return hashlib.sha256(f"{challenge}:{nonce}".encode()).hexdigest().startswith("0" * zeros)


def proof_valid(challenge: str, nonce: str) -> bool:
    """A fresh challenge of ours, solved, and never used before."""
    try:
        signing.loads(challenge, salt=SALT, max_age=CHALLENGE_AGE)
    except signing.BadSignature:
        return False
    if not _works(challenge, nonce[:32], digits()):
        return False
    key = f"consultation:pow:{hashlib.sha256(challenge.encode()).hexdigest()}"
    return fail_open(lambda: caches["shared"].add(key, 1, CHALLENGE_AGE), True)


def allowed(address: str, device: str) -> bool:
    """Count one submission for this address and this device; False past the hourly limit."""
    keys = [f"consultation:ip:{address}"] + ([f"consultation:dev:{device}"] if device else [])
    return all(fail_open(functools.partial(_within, key), True) for key in keys)


def _within(key: str) -> bool:
    cache = caches["shared"]
    if cache.add(key, 1, 3600):
        return per_hour() >= 1
    try:
        return int(cache.incr(key)) <= per_hour()
    except ValueError:  # expired between the two calls: a new hour
        cache.add(key, 1, 3600)
        return True
