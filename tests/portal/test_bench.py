"""`make bench`'s reading and judging (ops/benchreport.py) and the command's plumbing, without wrk or a server.

Speed itself is never tested here: the figures below are made up, and only what the report makes of
them is checked.
"""

import math
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ops import benchreport
from ops.benchreport import FLOOR, MIX, OTHER, PUBLIC, Row, Run
from ops.management.commands import bench

# A real report of wrk 4.1 (--latency; it ends times in seconds with a space, \x20) with the two error lines
# it prints only when there are errors.
WRK_OUT = """Running 20s test @ http://127.0.0.1:8741/
  2 threads and 200 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   504.31ms  367.48ms   1.88s    66.07%
    Req/Sec   203.35    154.41   732.00     70.37%
  Latency Distribution
     50%  431.76ms
     75%  734.29ms
     90%    1.04s\x20
     99%    1.53s\x20
  7936 requests in 20.04s, 300.25MB read
  Socket errors: connect 2, read 1, write 0, timeout 71
  Non-2xx or 3xx responses: 5
Requests/sec:    396.07
Transfer/sec:     14.98MB
"""

# One connection on a page slower than the run: wrk prints zeros.
WRK_NOTHING = """Running 2s test @ http://127.0.0.1:8741/volunteers/me/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00      -nan%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 2.00s, 0.00B read
Requests/sec:      0.00
Transfer/sec:       0.00B
"""


def test_parse_wrk_reads_rate_latencies_in_every_unit_and_counts_every_error():
    assert benchreport.parse_wrk(WRK_OUT) == {"rps": 396.07, "p50": 431.76, "p99": 1530.0, "errors": 2 + 1 + 71 + 5}
    quick = WRK_OUT.replace("431.76ms", "812.00us").replace("1.53s", "9.10ms")
    quick = quick.replace("  Socket errors: connect 2, read 1, write 0, timeout 71\n", "")
    quick = quick.replace("  Non-2xx or 3xx responses: 5\n", "")
    assert benchreport.parse_wrk(quick) == {"rps": 396.07, "p50": 0.812, "p99": 9.1, "errors": 0}


def test_parse_wrk_calls_a_run_without_an_answer_infinitely_slow_not_zero():
    stats = benchreport.parse_wrk(WRK_NOTHING)
    assert stats == {"rps": 0.0, "p50": math.inf, "p99": math.inf, "errors": 0}
    assert benchreport.ms(stats["p50"]) == "no answer"
    with pytest.raises(ValueError, match="not a wrk report"):
        benchreport.parse_wrk("wrk: invalid option -- 'z'\n")


def test_mix_script_asks_every_path_at_random_with_a_seed_per_thread():
    script = benchreport.mix_script(["/", "/news/", "/search/?q=%E7%A4%BE%E5%8C%BA"])
    assert 'local paths = {"/", "/news/", "/search/?q=%E7%A4%BE%E5%8C%BA"}' in script
    assert "local path = paths[math.random(#paths)]" in script
    assert 'thread:set("id", counter)' in script
    assert "math.randomseed(os.time() * 1000 + (id or 0))" in script
    assert "Cookie" not in script  # anonymous visitors: what the page cache serves


def test_search_script_carries_the_cookie_past_the_page_cache():
    script = benchreport.search_script()
    assert 'wrk.headers["Cookie"] = "bench_uncached=1"' in script
    assert "local fresh = true" in script  # a new parameter every time: no kept fragment answers
    assert "local fresh = false" in benchreport.mix_script(["/"])
    assert script.count('"/search/?q=%') == len(benchreport.SEARCH_TERMS) == 12
    with pytest.raises(ValueError, match="not a plain path"):
        benchreport.random_paths_script(['/"); os.exit() --'])


def stats(rps, p50=5.0, p99=10.0, errors=0):
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


SETTINGS = {
    "workers": 4,
    "threads": 2,
    "connections": 16,
    "staff_connections": 4,
    "seconds": 10,
    "warmup": 2,
    "server_seconds": 2,
    "repeat": 2,
    "mix_seconds": 60,
    "mix_connections": 200,
}


def make_run(cached, rows, name):
    return Run(cached, rows, Path("/tmp") / name, "2026-11-30 12:00 +0800", (0.31, 0.5, 0.75), "vm (2 cores)", SETTINGS)


@pytest.fixture
def cached_run():
    rows = [
        Row("floor", "`/floor`", stats(2000), kind=FLOOR),
        Row("home", "`/`", stats(1900)),
        Row("cached mix", "`<11 public pages at random>`", stats(1500, 90, 280.5), kind=MIX, ratio=False),
    ]
    return make_run(True, rows, "results.md")


@pytest.fixture
def uncached_run():
    rows = [
        Row("floor", "`/floor`", stats(2000), kind=FLOOR, server_ms=0.4),
        Row("home", "`/`", stats(400), server_ms=9.5),
        Row("feedback board", "`/feedback/`", stats(150), server_ms=12.25),
        Row("case list (district admin)", "`/admin/`", stats(90, p99=149.0), kind="district admin", server_ms=30.0),
        Row("case page (community worker)", "`/admin/`", stats(60, p99=151.5), kind="community worker", server_ms=40.0),
        Row("我的报名 (volunteer)", "`/volunteers/me/`", stats(250), kind="volunteer", server_ms=15.0),
        Row("search, uncached", "`/search/`", stats(30, p99=math.inf), kind=OTHER, ratio=False),
    ]
    return make_run(False, rows, "results-no-page-cache.md")


def test_targets_are_judged_on_the_rows_of_the_run_that_measures_them(cached_run, uncached_run):
    judged = [
        (target.text, met, measured) for target, met, measured, _ in benchreport.judge([cached_run, uncached_run])
    ]
    assert judged == [
        ("every public page rendered afresh ≥ 0.1 of the floor (stretch 0.25)", False, "lowest 0.075 (feedback board)"),
        ("a volunteer's signed-in pages ≥ 0.1 of the floor", True, "lowest 0.12 (我的报名 (volunteer))"),
        ("every staff page p99 ≤ 150 ms", False, "highest 151.5 ms (case page (community worker))"),
        ("a public page's server time (one request alone) ≤ 10 ms median", False, "highest 12.2 ms (feedback board)"),
        ("cached mix: p99 ≤ 300 ms and 0 errors", True, "p99 280.5 ms, 0 errors, 1500 req/s"),
        ("the floor within 10 % of Django's bare floor with the same headers", None, "not measured in this run"),
    ]


@pytest.mark.parametrize(("bare_rps", "met"), [(2200, True), (2300, False)])
def test_the_floor_is_judged_against_the_bare_floor_of_the_same_run(cached_run, bare_rps, met):
    cached_run.rows.insert(1, Row("bare Django floor", "`/floor`", stats(bare_rps), kind=benchreport.BARE))
    judged = {target.text: (verdict, measured) for target, verdict, measured, _ in benchreport.judge([cached_run])}
    verdict, measured = judged["the floor within 10 % of Django's bare floor with the same headers"]
    assert verdict is met
    assert measured == f"the portal's floor is {benchreport.ratio_text(2000 / bare_rps)} of the bare floor's req/s"


def test_a_mix_with_errors_misses_and_a_run_not_made_is_not_judged(cached_run):
    cached_run.rows[-1].stats["errors"] = 1
    judged = benchreport.judge([cached_run])
    assert [(met, measured) for _, met, measured, _ in judged] == [(None, "not measured in this run")] * 4 + [
        (False, "p99 280.5 ms, 1 errors, 1500 req/s"),
        (None, "not measured in this run"),
    ]


def test_another_module_can_add_a_target():
    bare = benchreport.Target(
        "the floor within 10 % of Django's bare floor",
        False,
        lambda run: (True, "0.95"),
    )
    run = make_run(False, [Row("floor", "`/floor`", stats(2000), kind=FLOOR)], "x.md")
    assert [measured for _, _, measured, _ in benchreport.judge([run], [*benchreport.TARGETS, bare])][-1] == "0.95"


def test_the_uncached_report_shows_server_time_ratios_and_where_each_target_was_measured(cached_run, uncached_run):
    report = benchreport.render(uncached_run, [cached_run, uncached_run])
    lines = report.splitlines()
    assert lines[0] == "# Benchmark results"
    assert "load average at start 0.31, 0.50, 0.75 (1, 5, 15 min)" in lines[2]
    assert "gunicorn 4 workers × 2 threads" in lines[2]
    assert "page cache **off**" in lines[2]
    assert lines[4] == "| page | path | req/s | p50 ms | p99 ms | errors | ratio to floor | server ms |"
    assert "| floor | `/floor` | 2000 | 5.0 | 10.0 | 0 | 1.00 | 0.4 |" in lines
    assert "| feedback board | `/feedback/` | 150 | 5.0 | 10.0 | 0 | 0.075 | 12.2 |" in lines
    assert "| search, uncached | `/search/` | 30 | 5.0 | no answer | 0 | — | — |" in lines
    assert "## Targets" in lines
    assert (
        "| every staff page p99 ≤ 150 ms | highest 151.5 ms (case page (community worker)) | **missed** | this file |"
    ) in lines
    assert "| cached mix: p99 ≤ 300 ms and 0 errors | p99 280.5 ms, 0 errors, 1500 req/s | met | results.md |" in lines


def test_the_cached_report_has_no_server_time_column(cached_run):
    report = benchreport.render(cached_run, [cached_run])
    assert "| page | path | req/s | p50 ms | p99 ms | errors | ratio to floor |\n" in report
    assert "server ms" not in report
    assert "page cache on. The cached mix asks the public pages above at random, 200 connections for 60 s" in report
    assert "| cached mix | `<11 public pages at random>` | 1500 | 90.0 | 280.5 | 0 | — |" in report
    assert "| every staff page p99 ≤ 150 ms | not measured in this run | — | — |" in report


def test_output_paths_put_the_uncached_file_beside_the_cached_one():
    assert bench.output_paths("bench/results.md") == {
        True: Path("bench/results.md"),
        False: Path("bench/results-no-page-cache.md"),
    }


def test_only_one_of_the_single_mode_options():
    with pytest.raises(CommandError, match="not allowed with argument"):
        call_command("bench", "--no-page-cache", "--only-cached")


def test_rows_of_another_module_follow_the_floor(monkeypatch, tmp_path):
    """ROW_HOOKS: what another module measures in the same run lands right after the floor."""
    command = bench.Command()
    command.options = {**SETTINGS, "port": 8741}
    monkeypatch.setattr(bench.serve, "start_gunicorn", lambda *args, **kwargs: object())
    monkeypatch.setattr(bench.serve, "stop", lambda server: None)
    monkeypatch.setattr(
        bench.Command, "_page", lambda self, name, path, kind, *args, **kwargs: Row(name, path, stats(1), kind=kind)
    )
    monkeypatch.setattr(bench.Command, "_mix", lambda self, paths: Row("cached mix", str(paths), stats(1), kind=MIX))
    seen = []

    def bare_floor(command, cached):
        seen.append((command.base, cached))
        return [Row("bare floor", "`/`", stats(1), kind=OTHER)]

    monkeypatch.setattr(bench, "ROW_HOOKS", [bare_floor])
    run = command._run(True, [("floor", "/floor"), ("home", "/")], [], {}, tmp_path / "results.md")
    assert [(row.name, row.kind) for row in run.rows] == [
        ("floor", FLOOR),
        ("bare floor", OTHER),
        ("home", PUBLIC),
        ("cached mix", MIX),
    ]
    assert run.rows[-1].shown == "['/']"  # the floor is not in the mix
    assert seen == [("http://127.0.0.1:8741", True)]


def test_the_file_limit_is_raised_for_the_mix_or_the_command_says_why_not(monkeypatch):
    limits = {"now": (1024, 4096)}
    monkeypatch.setattr(bench.resource, "getrlimit", lambda which: limits["now"])
    monkeypatch.setattr(bench.resource, "setrlimit", lambda which, pair: limits.update(now=pair))
    assert bench.raise_file_limit(656) == 1024  # enough already: untouched
    assert limits["now"] == (1024, 4096)
    assert bench.raise_file_limit(2000) == 2000
    assert limits["now"] == (2000, 4096)
    with pytest.raises(CommandError, match="5000 open files are needed and the hard limit is 4096"):
        bench.raise_file_limit(5000)


def test_each_page_keeps_the_best_of_its_runs_and_the_mix_runs_once(monkeypatch):
    rates = iter([1.0, 900.0, 1200.0, 1.0, 700.0])  # warm-up, two runs; then the mix: warm-up, one run
    asked = []

    def fake_wrk(url, connections, seconds, threads=2, script=None, cookie=None):
        asked.append(seconds)
        return stats(next(rates))

    monkeypatch.setattr(bench, "run_wrk", fake_wrk)
    command = bench.Command()
    command.options = {**SETTINGS, "port": 8741}
    assert command.measure("http://127.0.0.1:8741/", 16)["rps"] == 1200.0
    assert command.measure("http://127.0.0.1:8741/", 200, seconds=60, repeat=1)["rps"] == 700.0
    assert asked == [2, 10, 10, 2, 60]
