"""gunicorn's settings for the production image (read from the working directory, as the Dockerfile runs it)."""

import gc


def post_request(worker, req, environ, resp) -> None:
    """Collect the request's cyclic garbage once its answer is sent, while no client waits.

    Freed in the middle of a later request instead, it was the API's p95 (spplus/wsgi.py, bench/README.md).
    """
    gc.collect()
