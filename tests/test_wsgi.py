"""The gunicorn entry point tunes the garbage collector of each worker once the application is loaded."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# In a child process: freezing the test runner's own heap would change every other test's collections.
PROBE = """
import gc
import spplus.wsgi
print(gc.get_threshold() == spplus.wsgi.GC_THRESHOLDS, gc.get_freeze_count())
"""


def test_the_worker_freezes_the_loaded_application_and_raises_the_thresholds():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=os.environ, capture_output=True, text=True, check=True, timeout=120
    )
    thresholds_applied, frozen = result.stdout.split()
    assert thresholds_applied == "True"
    # The modules, the URL map and the serializers: over 100,000 objects no collection walks again.
    assert int(frozen) > 100_000
