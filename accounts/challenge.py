"""The sign-up's proof of work: ALTCHA's challenge (the `altcha` library), made by this
server and solved by the visitor's browser (the widget from npm's `altcha`, served with
the static files). Solving costs a browser about a second and a bot that signs up in bulk
that second for every account; no third party sees anything.

A challenge is signed with a key derived from SECRET_KEY, expires after
FORUM_SIGNUP_CHALLENGE_SECONDS and is taken once: its signature is counted in the
throttling store (Redis or the database, shared by every process) until it expires, and
a second use is refused."""

import datetime
import hashlib
import json

import altcha
from django.conf import settings
from django.utils import timezone

from core import throttling


def _key():
    return hashlib.sha256(f"stapel.signup-challenge:{settings.SECRET_KEY}".encode()).hexdigest()


def new_challenge():
    """A fresh challenge as the widget reads it (its `challengejson` attribute)."""
    expires = timezone.now() + datetime.timedelta(seconds=settings.FORUM_SIGNUP_CHALLENGE_SECONDS)
    challenge = altcha.create_challenge_v1(
        hmac_key=_key(), max_number=settings.FORUM_SIGNUP_CHALLENGE_MAX_NUMBER, expires=expires
    )
    return json.dumps(challenge.to_dict())


def solution_accepted(payload):
    """Whether `payload` (the widget's base64 JSON) solves a challenge of ours that has not
    expired and was not used before; using it here spends it."""
    try:
        accepted, _error = altcha.verify_solution_v1(payload, _key(), check_expires=True)
    except (TypeError, AttributeError, KeyError):  # well-formed JSON of the wrong shape
        return False
    if not accepted:
        return False
    signature = altcha.PayloadV1.from_base64(payload).signature
    uses = throttling.count(
        "signup-challenge", signature, window=settings.FORUM_SIGNUP_CHALLENGE_SECONDS
    )
    return uses == 1
