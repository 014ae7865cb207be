"""The soak's judgement (ops/soak.py): what counts as friendly, recovered, kept, and proof."""

import pytest

from ops.soak import BAD, OK, OUTAGE, Incident, Result, classify, missing_acknowledged, recovery_seconds, summarise

FRIENDLY = "<html><title>系统繁忙</title><p>请稍后再试</p></html>".encode()


def test_classify_accepts_only_the_friendly_503_page():
    assert classify(200, {}, b"ok") == OK
    assert classify(302, {}, b"") == OK
    assert classify(503, {"retry-after": "30"}, FRIENDLY) == OUTAGE
    assert classify(503, {}, b"database unavailable\n") == OUTAGE
    assert classify(503, {}, b"cache unavailable\n") == OUTAGE  # /healthz names what is down
    assert classify(503, {}, b"database unavailable\ncache unavailable\n") == OUTAGE
    assert classify(503, {}, b"everything unavailable\n") == BAD
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


DB_DOWN = [Incident("database down", 3.0, 6.0)]


def test_summary_passes_a_clean_run_and_names_every_missed_target():
    clean = [Result(1.0, "report", OK), Result(4.0, "page", OUTAGE), Result(6.5, "page", OK)]
    report = summarise(clean, DB_DOWN, acknowledged=["SH-1"], stored=["SH-1"], stored_total=2, unanswered=1)
    assert report.failures == []
    assert report.served == 2
    before, during, after = report.phases
    assert during.counts[OUTAGE] == 1
    assert after.recovery == 0.5

    broken = [
        Result(1.0, "page", OUTAGE),  # an error before the outage
        Result(4.0, "page", BAD, 500, "GET / Server Error"),
        Result(12.0, "page", OK),  # 6 s after the return
    ]
    report = summarise(broken, DB_DOWN, acknowledged=["SH-1", "SH-2"], stored=["SH-1"], stored_total=4)
    failures = " | ".join(report.failures)
    assert "1 errors before the outage" in failures
    assert "1 answers were not the friendly 503 page" in failures
    assert "the outage was not seen" in failures
    assert "recovery took 6.0 s" in failures
    assert "1 acknowledged reports are missing" in failures
    assert "2 reports were stored twice" in failures
    assert any("SH-2" in line for line in report.lines())


def test_pages_from_the_page_cache_prove_nothing_about_an_outage():
    results = [
        Result(1.0, "report", OK),
        Result(4.0, "page", OK, 200, cached=True),  # the page cache answered: the database was not asked
        Result(5.0, "page", OK, 200, cached=True),
        Result(6.5, "page", OK),
    ]
    report = summarise(results, DB_DOWN, acknowledged=["SH-1"], stored=["SH-1"], stored_total=1)
    assert "the outage was not seen (no 503 while the database was down)" in report.failures
    during = report.phases[1]
    assert during.counts == {OK: 0, OUTAGE: 0, BAD: 0, "cached": 2}


def test_each_incident_is_judged_on_its_own():
    incidents = [
        Incident("database down", 2.0, 4.0),
        Incident("cache down", 8.0, 10.0),
        Incident("database slow", 14.0, 17.0),
    ]
    results = [
        Result(1.0, "report", OK),
        Result(3.0, "page", OUTAGE, 503),
        Result(4.5, "report", OK),  # recovered half a second after the database returned
        Result(9.0, "health", OUTAGE, 503),  # /healthz: cache unavailable
        Result(9.5, "report", OK),  # a report taken while the cache was down
        Result(10.2, "page", OK),
        Result(17.1, "report", OK, 302, seconds=3.0),  # waited for the frozen database
        Result(18.0, "page", OK),
    ]
    report = summarise(results, incidents, acknowledged=["SH-1"], stored=["SH-1"], stored_total=1, end=20.0)
    assert report.failures == []
    assert [p.name for p in report.phases] == [
        "before",
        "during database down",
        "after database down",
        "during cache down",
        "after cache down",
        "during database slow",
        "after database slow",
    ]
    assert [p.recovery for p in report.phases[2::2]] == pytest.approx([0.5, 0.2, 0.1])

    unseen = [r for r in results if r.kind != "health" and r.seconds < 1]  # no proof of two incidents
    failures = " | ".join(summarise(unseen, incidents, ["SH-1"], ["SH-1"], stored_total=1, end=20.0).failures)
    assert "the cache outage was not seen" in failures
    assert "the slow database was not seen" in failures


def test_too_few_reports_outside_the_incidents_fail_the_run():
    results = [Result(t / 2, "report", OK) for t in range(20)]  # two a second for ten seconds
    report = summarise(results, [], ["SH-1"], ["SH-1"], stored_total=1, target_reports=20.0, end=10.0)
    assert report.failures == ["2.0 reports/s outside the incidents (target ≥ 20)"]
