"""The benchmark's "bare Django floor" row: Django's smallest project (ops/barefloor.py) answering /floor
with the portal's security headers, on gunicorn with the portal's workers, measured with the same wrk call.
Its ratio to the portal's floor is what the portal's middleware costs on top of Django's."""

import urllib.request

from ops import serve

NAME = "bare Django floor"


def bare_floor_rows(options, env, run_wrk):
    """[(row name, path shown, stats)] for the bench's table. ``options``: the bench command's (port,
    workers, connections, seconds, warmup; ``threads`` when it has them); the bare floor listens on port + 1."""
    port = options["port"] + 1
    server = serve.start_bare_floor(port, options["workers"], env, threads=options.get("threads", 1))
    try:
        url = f"http://127.0.0.1:{port}/floor"
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - our own local server
            answer.read()
        run_wrk(url, options["connections"], options["warmup"])
        # As every row of the bench: the best of ``repeat`` runs (a busy neighbour only lowers a figure).
        runs = [run_wrk(url, options["connections"], options["seconds"]) for _ in range(options.get("repeat", 1))]
        stats = max(runs, key=lambda found: found["rps"])
    finally:
        serve.stop(server)
    return [(NAME, "`/floor` of ops/barefloor.py: Django with its SecurityMiddleware and XFrameOptions only", stats)]
