"""The soak's judgement (ops/soak.py): what counts as friendly, recovered and kept."""

from ops.soak import BAD, OK, OUTAGE, Result, classify, missing_acknowledged, recovery_seconds, summarise

FRIENDLY = "<html><title>系统繁忙</title><p>请稍后再试</p></html>".encode()


def test_classify_accepts_only_the_friendly_503_page():
    assert classify(200, {}, b"ok") == OK
    assert classify(302, {}, b"") == OK
    assert classify(503, {"retry-after": "30"}, FRIENDLY) == OUTAGE
    assert classify(503, {}, b"database unavailable\n") == OUTAGE
    # a 503 without Retry-After, a stack trace, a 500, no answer at all
    assert classify(503, {}, FRIENDLY) == BAD
    assert classify(503, {"retry-after": "30"}, FRIENDLY + b"Traceback (most recent call last)") == BAD
    assert classify(503, {"retry-after": "30"}, b"<h1>OperationalError at /</h1>") == BAD
    assert classify(500, {}, b"Server Error") == BAD
    assert classify(None, {}, b"") == BAD


def test_recovery_counts_from_the_return_to_the_first_good_answer_after_the_last_error():
    results = [
        Result(1.0, "page", OK),
        Result(5.0, "page", OUTAGE),
        Result(10.5, "page", OK),  # a lucky answer while a worker still fails
        Result(11.0, "page", OUTAGE),
        Result(12.0, "page", OK),
        Result(13.0, "page", OK),
    ]
    assert recovery_seconds(results, db_back=10.0) == 2.0
    assert recovery_seconds(results[:2] + [Result(10.25, "page", OK)], db_back=10.0) == 0.25
    assert recovery_seconds(results + [Result(14.0, "page", BAD)], db_back=10.0) is None


def test_missing_acknowledged_lists_what_the_database_lacks():
    assert missing_acknowledged(["SH-1", "SH-2", "SH-3"], ["SH-3", "SH-1", "SH-9"]) == ["SH-2"]
    assert missing_acknowledged([], []) == []


def test_summary_passes_a_clean_run_and_names_every_missed_target():
    clean = [Result(1.0, "report", OK), Result(4.0, "page", OUTAGE), Result(6.5, "page", OK)]
    report = summarise(
        clean, outage_start=3.0, db_back=6.0, acknowledged=["SH-1"], stored=["SH-1"], stored_total=2, unanswered=1
    )
    assert report.failures == []
    assert report.served == 2
    assert report.during[OUTAGE] == 1
    assert report.recovery_seconds == 0.5

    broken = [
        Result(1.0, "page", OUTAGE),  # an error before the outage
        Result(4.0, "page", BAD, 500, "GET / Server Error"),
        Result(12.0, "page", OK),  # 6 s after the return
    ]
    report = summarise(
        broken, outage_start=3.0, db_back=6.0, acknowledged=["SH-1", "SH-2"], stored=["SH-1"], stored_total=4
    )
    failures = " | ".join(report.failures)
    assert "1 errors before the outage" in failures
    assert "1 answers were not the friendly 503 page" in failures
    assert "the outage was not seen" in failures
    assert "recovery took 6.0 s" in failures
    assert "1 acknowledged reports are missing" in failures
    assert "2 reports were stored twice" in failures
    assert any("SH-2" in line for line in report.lines())
