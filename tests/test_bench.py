"""`make bench` (not run here: it needs wrk and minutes): its floor page and its report."""

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, resolve
from django.urls.exceptions import Resolver404

from benchmarks import bench
from benchmarks.floor import FLOOR_PAGE, FLOOR_SIZE

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8090/bench/floor/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.01ms    1.20ms  30.11ms   90.00%
    Req/Sec   570.12     40.00   650.00     70.00%
  Latency Distribution
     50%    6.80ms
     75%    7.20ms
     90%    8.00ms
     99%    1.20s
  5701 requests in 5.00s, 114.50MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   1140.20
Transfer/sec:     22.90MB
"""


@pytest.fixture
def floor_urls():
    clear_url_caches()
    import importlib

    import newsroom.urls

    with override_settings(BENCHMARK_FLOOR=True):
        importlib.reload(newsroom.urls)
        yield
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_the_floor_is_a_fixed_20_kb_page(client, floor_urls):
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert len(response.content) == FLOOR_SIZE == 20 * 1024
    assert response.content.decode() == FLOOR_PAGE
    assert response.content.startswith(b"<!doctype html>")


def test_the_floor_is_not_served_outside_the_benchmark():
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")


def test_wrk_output_is_read_into_requests_per_second_and_latencies():
    result = bench.parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == 1140.20
    assert result.p50_ms == 6.80
    assert result.p99_ms == 1200.0
    assert result.errors == 3


def test_the_table_gives_each_page_its_ratio_to_the_floor_and_marks_misses():
    floor = bench.Result(1000.0, 2.0, 5.0)
    article = bench.Row("article", "/articles/x/", queries_cold=8, queries_warm=0)
    article.cold = bench.Result(300.0, 6.0, 12.0)
    article.warm = bench.Result(950.0, 2.1, 5.5)
    search = bench.Row("search common word", "/search/?q=x", queries_cold=4, queries_warm=0)
    search.cold = bench.Result(50.0, 150.0, 400.0)
    search.warm = bench.Result(700.0, 2.5, 9.0)

    search.floor = bench.Result(500.0, 4.0, 10.0)  # the machine was busier for this one
    search.cold = bench.Result(25.0, 300.0, 800.0)
    search.warm = bench.Result(350.0, 5.0, 18.0)

    table = bench.format_table([article, search], floor, peak_rss_mb=97.4)
    lines = table.splitlines()
    article_line = next(line for line in lines if line.startswith("article "))
    assert "8/0" in article_line
    assert "0.30 " in article_line and "0.95 " in article_line
    assert "*" not in article_line
    search_line = next(line for line in lines if line.startswith("search"))
    assert "0.05*" in search_line  # below the 0.1 search target
    assert "0.70*" in search_line  # below the 0.8 cached target
    assert "0.10" in search_line  # its target
    assert any(line.startswith("floor (20 KB view)") and "1000" in line for line in lines)
    listing = bench.Row("articles page 1", "/articles/")
    assert bench.target_for(listing.name) == 0.2
    assert bench.target_for(article.name) == 0.25
    assert "97 MB" in table
