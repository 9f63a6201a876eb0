"""Every periodic job declared in settings names a task a worker knows: a typo would fail silently in beat."""

import pytest
from django.conf import settings

from spplus.celery import app


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_beat_entry_names_a_registered_task(entry):
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
