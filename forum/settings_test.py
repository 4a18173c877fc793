"""Settings for the test suite: the production settings with a throwaway key."""

import os
import tempfile
from pathlib import Path

# A real key only ever comes from the environment; the tests need one that is not secret.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# Plain log lines, readable in a failing test's output (production writes JSON).
os.environ.setdefault("LOG_FORMAT", "text")

from forum.settings import *  # noqa: E402,F403

# Hashing passwords slowly on purpose is right in production and pure waste in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# A subscriber to a domain event that fails is logged in production (the change it reacts
# to has committed); in the tests it fails the test.
FORUM_EVENT_ERRORS_RAISE = True

# Signing up through the test client needs no challenge or email; tests/accounts/
# test_signup_*.py turn the defences on.
FORUM_SIGNUP_DEFENCES = False

# Review audits replace a task now and then at random; the tests that want one say so.
FORUM_REVIEW_AUDIT_EVERY = 0

# The read replica's alias on the test database itself (Django's test mirror), for the
# router's tests (tests/test_replica_routing.py); no router sends reads to it unless a
# test installs one.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# Pages link the static files by their plain names: the hashed names exist only after
# collectstatic, which the tests do not run before each session (ManifestStaticFilesStorage
# refuses a name missing from its manifest). tests/test_deploy.py runs collectstatic and
# serves the hashed names under the production settings. Without a STATIC_ROOT WhiteNoise
# has nothing to scan; the live server of the browser journeys serves from the finders.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None

# Badges are evaluated on events in tests/badges only (its conftest switches this on): the
# evaluation runs eagerly inside the request in the tests, where the other suites pin the
# queries and the inbox entries of the request itself.
FORUM_BADGES_ON_EVENTS = False

# Uploads and members' data exports made by the tests go to a folder of the run's own, not
# into the checkout's media/ (tests that look at the files set MEDIA_ROOT themselves).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="stapel-test-media-"))
