"""gunicorn's settings for the production image (read from the working directory, as the Dockerfile runs it)."""

import gc


def post_request(worker, req, environ, resp) -> None:
    """Collect the request's cyclic garbage once its answer is sent, while no client waits.

    Freed in the middle of a later request instead, it was the API's p95 (spplus/wsgi.py, bench/README.md).
    A full collection, not the young generation only: each request also leaves cycles in the older ones, and
    collected every 100 requests instead they took about a second (7 ms when collected every time).
    """
    gc.collect()
