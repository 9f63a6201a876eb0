"""WSGI entry point for gunicorn (each worker imports it: the Dockerfile's command does not preload)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")
application = get_wsgi_application()

# Python's cyclic garbage collector, tuned for a worker serving requests (issue 16, bench/README.md).
# A page of 50 experiences from /api/v1/experiences/ leaves about 10,000 objects in reference cycles
# (model instances, their prefetch caches, the serializers), so with the default thresholds (700, 10, 10)
# a full collection ran every 7 requests or so and walked the whole heap, the modules included: 65–110 ms,
# a p95 of 143 ms for a 42 ms p50 (load average 2.2). Two settings, measured on the million-experience
# database with bench/opendata.py, which applies them the same way:
# - gc.freeze() once everything a request needs is imported: the ~130,000 objects of the modules, the URL map
#   and the serializers' fields move to a permanent generation that no collection walks again;
# - a youngest generation of 50,000 objects instead of 700: a request's cycles are mostly collected young,
#   a full collection comes every few thousand requests instead of every 7, and a worker holds at most a
#   few MB of garbage more.
# Freezing alone gave p95 80 ms, raising the thresholds alone 52 ms, both 55 ms (p50 42 ms, load 2.2).
GC_THRESHOLDS = (50_000, 20, 20)


def freeze_loaded_application() -> None:
    """Import the URL map and build every API serializer's fields, then freeze what is loaded."""
    from django.urls import get_resolver

    from spplus.urls import api_router

    get_resolver().check()  # imports every view
    for _prefix, viewset, _basename in api_router.registry:
        viewset.serializer_class().get_fields()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


freeze_loaded_application()
