import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Dozens of accounts per test: hashing them properly would only cost time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
