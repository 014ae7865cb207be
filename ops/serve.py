"""Starting gunicorn with production settings, for the benchmark and the soak."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings


class ServerError(RuntimeError):
    pass


def production_env(extra=None):
    """The environment of a production-like run on this machine: DEBUG off, plain http on 127.0.0.1."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SSL_REDIRECT": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "BENCH_FLOOR": "true",
    }
    env.update(extra or {})
    return env


def start_gunicorn(port, workers, env, threads=1, wait_seconds=30, log=None, app="civic_portal.wsgi"):
    """collectstatic (hashed, compressed files as production serves them), then gunicorn on
    127.0.0.1:port; returns the process once /healthz answers 200. ``log``: an open file for its stderr.
    ``app``: the WSGI application; another than the portal's (the bare floor) needs no static files."""
    if app == "civic_portal.wsgi":
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    if threads > 1:
        command += ["--threads", str(threads)]
    command += ["--log-level", "warning"]
    server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stderr=log)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    server.wait()
    raise ServerError(f"gunicorn did not answer /healthz within {wait_seconds} s.")


def start_bare_floor(port, workers, env, threads=1, log=None):
    """Django's bare floor (ops/barefloor.py) on gunicorn as the portal is served: same workers and threads."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "ops.barefloor"}
    return start_gunicorn(port, workers, env, threads=threads, log=log, app="ops.barefloor:application")


def stop(server, timeout=30):
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
