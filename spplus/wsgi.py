"""WSGI entry point for gunicorn (each worker imports it: the Dockerfile's command does not preload)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")
application = get_wsgi_application()

# Python's cyclic garbage collector, tuned for a worker serving requests (issue 16, bench/README.md).
# A page of 50 experiences from /api/v1/experiences/ leaves about 10,000 objects in reference cycles (model
# instances, their prefetch caches), so with the default thresholds (700, 10, 10) a full collection ran every
# 7 requests or so, in the middle of one, walking the whole heap, the modules included: 65–110 ms, a p95 of
# 143 ms for a 42 ms p50. Measured on the million-experience database, 500 requests of the page 10,000 pages
# deep (load average 1.2–1.6):
# - gc.freeze() once everything is imported (below): the ~130,000 objects of the modules, the URL map and the
#   serializers' fields move to a permanent generation no collection walks again; full collections still
#   free the requests' garbage, 58 ms on average: p95 105 ms;
# - frozen, with thresholds from (5000, 10, 10) to (50000, 20, 20): rarer but longer pauses, p95 57–69 ms,
#   p99 73–180 ms, some pauses of 150–300 ms;
# - what works: gunicorn.conf.py's post_request hook collects after each answer is sent, and the thresholds
#   below are high enough that no collection starts during a request: in-process p95 47 ms, p99 54 ms, max
#   66 ms (bench/opendata.py does the same). Through one real gunicorn worker and a client asking 300 times
#   in a row (load 2.4): p50 64, p95 88, p99 102 ms against p50 47, p95 168–182, p99 207–238 ms with the
#   defaults: the collection (7–17 ms) now runs after the answer, where a client asking again at once waits.
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
