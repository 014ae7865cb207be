"""The modules servers load: gunicorn imports civic_portal.wsgi, an ASGI server civic_portal.asgi."""

import importlib

import pytest


@pytest.mark.parametrize("module", ["civic_portal.wsgi", "civic_portal.asgi"])
def test_server_entry_point_loads(module):
    loaded = importlib.import_module(module)
    assert callable(loaded.application)
