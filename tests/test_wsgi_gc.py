"""The WSGI module tunes the garbage collector of the process that serves pages."""

import os
import subprocess
import sys

from tests.servers import ROOT


def _after_import(environment=None):
    code = "import gc, forum.wsgi; print(gc.get_threshold()[0], gc.get_freeze_count() > 10000)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_DEBUG": "1", **(environment or {})},
    )
    return result.stdout.split()


def test_the_loaded_application_is_frozen_and_collections_are_rarer():
    threshold, frozen = _after_import()

    assert int(threshold) == 20000
    assert frozen == "True"


def test_the_threshold_comes_from_the_environment():
    threshold, _ = _after_import({"FORUM_GC_THRESHOLD": "5000"})

    assert int(threshold) == 5000
