"""User input cannot forge, split or colour a log line."""

import io
import logging

import pytest

from core.logsafe import OneLineFormatter, safe

FORGED = "a\r\nSet-Cookie: sessionid=stolen\r\nlogin user=district-admin staff=True ip=10.0.0.1"


def audit_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "civic_portal.audit"]


@pytest.mark.axes
@pytest.mark.django_db
def test_a_forged_username_makes_one_audit_line(client, places, caplog):
    caplog.set_level(logging.INFO, logger="civic_portal.audit")
    client.post("/accounts/login/", {"username": FORGED, "password": "wrong-guess"})
    lines = audit_lines(caplog)
    assert len(lines) == 1
    (line,) = lines
    assert "\r" not in line and "\n" not in line
    assert line.startswith('login-failed user="a\\x0d\\x0aSet-Cookie: sessionid=stolen')
    assert line.endswith(" ip=127.0.0.1")  # the forged "ip=10.0.0.1" sits inside the quoted name
    assert not any(text.startswith("login user=") for text in caplog.text.splitlines())


@pytest.mark.django_db
def test_escapes_and_odd_names_stay_inside_their_field(client, places, caplog):
    from tests import factories

    caplog.set_level(logging.INFO, logger="civic_portal.audit")
    factories.user("\x1b[2J\x1b[31mred \u202eevil")
    (line,) = audit_lines(caplog)
    assert "\x1b" not in line and "\u202e" not in line
    assert 'user="\\x1b[2J\\x1b[31mred \\u202eevil" staff=False' in line


@pytest.mark.parametrize(
    ("value", "token"),
    [
        ("worker-sihuan", "worker-sihuan"),
        ("四环社区", "四环社区"),  # readable, not \\u escapes
        ("a b", '"a b"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("ip=1.2.3.4", '"ip=1.2.3.4"'),
        ("back\\slash", "back\\\\slash"),  # so an escape cannot be typed in by hand
        ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),
        ("line\u2028break", "line\\u2028break"),
        ("", '""'),
        (None, "None"),
    ],
)
def test_safe(value, token):
    assert safe(value) == token


def test_every_line_the_site_writes_stays_one_line(settings):
    """The formatter in settings.LOGGING: a message someone forgot to escape still makes one line."""
    formatter_config = settings.LOGGING["formatters"]["plain"]
    assert formatter_config["()"] == "core.logsafe.OneLineFormatter"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter(formatter_config["format"]))
    log = logging.getLogger("tests.logsafe")
    log.addHandler(handler)
    try:
        log.warning("not found: %s", "/x\r\nINFO forged\x1b[0m")
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("failed for %s", "a\nb")
    finally:
        log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("not found: /x\\x0d\\x0aINFO forged\\x1b[0m")
    assert lines[1].endswith("failed for a\\x0ab")
    assert lines[2] == "Traceback (most recent call last):"  # tracebacks keep their lines
    assert lines[-1] == "ValueError: boom"


def test_the_console_sms_backend_escapes_what_it_logs(caplog):
    from feedback.sms import ConsoleSMSBackend

    caplog.set_level(logging.INFO, logger="core.sms")
    ConsoleSMSBackend().send("139\r\n0000", "您好\r\nERROR forged")
    (record,) = [r for r in caplog.records if r.name == "core.sms"]
    assert "\n" not in record.getMessage() and "\r" not in record.getMessage()
