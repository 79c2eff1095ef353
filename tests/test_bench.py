"""`make bench` (not run here: it needs wrk and minutes): its floor page and its report."""

from collections import Counter

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, resolve
from django.urls.exceptions import Resolver404
from reversion.models import Version

from benchmarks import bench, editing, postgres
from benchmarks.floor import FLOOR_PAGE, FLOOR_SIZE
from tests.factories import make_article
from workflow.models import AuditEvent

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


# The newsroom-under-editing row -------------------------------------------------------------


def test_readers_ask_for_pages_on_a_zipf_distribution_most_popular_first():
    picks = editing.zipf_picks(1003, 60_000, seed=3)
    assert picks == editing.zipf_picks(1003, 60_000, seed=3)  # the same draw every run
    assert min(picks) >= 0 and max(picks) < 1003
    counts = Counter(picks)
    assert counts[0] > counts[1] > counts[3] > counts[30]
    assert 1.7 < counts[0] / counts[1] < 2.3  # weight 1/rank: the first twice the second
    assert len(counts) > 700  # the long tail is read too
    paths = editing.reader_paths("/themes/migration/", ["/articles/a/", "/articles/b/"])
    assert paths == ["/", "/articles/", "/themes/migration/", "/articles/a/", "/articles/b/"]


def test_each_save_replaces_the_headline_version_marker():
    assert editing.version_of("Talks in Cairo") == 0
    once = editing.marked("Talks in Cairo", 17)
    assert once == "Talks in Cairo · v17"
    assert editing.version_of(once) == 17
    assert editing.marked(once, 18) == "Talks in Cairo · v18"


def test_every_fourth_edit_is_to_a_story_on_the_front_page():
    articles = {f"/articles/{n}/": n for n in range(1000)}
    editor = editing.Editor(articles, front=["/articles/1/", "/articles/2/", "/elsewhere/"])
    assert editor.front == ["/articles/1/", "/articles/2/"]  # only stories it may edit
    picks = [editor.pick(count) for count in range(40)]
    assert all(path in editor.front for path in picks[::4])
    assert all(path in articles for path in picks)
    assert len(set(picks)) > 20


def test_the_front_pages_stories_are_read_from_its_teasers():
    html = (
        '<h3 class="teaser-headline"><a href="/articles/lead/">Lead</a></h3>'
        '<p><a href="/articles/">All articles</a></p>'
        '<h3 class="teaser-headline"><a href="/articles/second/">Second</a></h3>'
    )
    assert editing.front_paths(html) == ["/articles/lead/", "/articles/second/"]


READS = [
    # sent (µs), page, status, X-Cache, the headlines it showed (zipf.lua's lines)
    "10000000\t/articles/a/\t200\thit\t/articles/a/=0 /articles/b/=0\n",
    "12500000\t/articles/a/\t200\tmiss\t/articles/a/=5\n",
    "13000000\t/\t200\thit\t/articles/a/=0 /articles/c/=0\n",  # a's v5 was saved at 12.0
    "13100000\t/articles/b/\t200\tmiss\t/articles/b/=0\n",  # b's save returned only at 13.2
    "13300000\t/articles/b/\t200\t-\t/articles/b/=7\n",
    "1330",  # cut short when wrk stopped
]
EDITS = [editing.Edit("/articles/a/", 5, 12.0), editing.Edit("/articles/b/", 7, 13.2)]


def test_reader_lines_are_parsed_and_a_line_cut_short_is_skipped():
    reads = editing.parse_reads(READS)
    assert len(reads) == 5
    assert reads[0].sent == 10.0 and reads[0].path == "/articles/a/" and reads[0].cache == "hit"
    assert reads[0].shown == [("/articles/a/", 0), ("/articles/b/", 0)]


def test_a_response_is_stale_when_it_shows_a_version_older_than_one_saved_before_it_was_sent():
    check = editing.check_reads(editing.parse_reads(READS), EDITS)
    assert check.responses == 5
    assert (check.hits, check.misses) == (2, 2)  # the one without X-Cache counts neither way
    assert check.hit_rate == 0.5
    assert check.checked == 6  # headlines of a and b; c was never edited
    assert check.stale == 1  # the front page at 13.0 still showing a's v0
    assert "/ sent at 13.000 showed /articles/a/ v0, v5 saved at 12.000" in check.examples[0]
    assert editing.check_reads(editing.parse_reads(READS[:2]), EDITS).stale == 0


def test_the_editing_row_prints_its_ratio_hit_rate_and_stale_count():
    check = editing.check_reads(editing.parse_reads(READS), EDITS)
    row = editing.EditingRow(
        result=bench.Result(550.0, 9.0, 40.0, errors=2),
        floor=bench.Result(1000.0, 2.0, 5.0),
        check=check,
        edits=30,
        pages=1003,
        duration=60,
        connections=8,
    )
    lines = editing.format_editing(row).splitlines()
    line = next(line for line in lines if line.startswith("newsroom under editing"))
    assert "550" in line and "1000" in line
    assert "0.55*" in line  # below the 0.6 target
    assert "50.0%" in line and " 30 " in line and line.endswith("1!")
    assert any("1003 pages" in line and "60 s" in line for line in lines)
    assert any("2 failed requests" in line for line in lines)
    row.result, row.check = bench.Result(700.0, 9.0, 40.0), editing.Check(responses=10)
    text = editing.format_editing(row)
    assert "0.70 " in text and "n/a" in text and "no X-Cache header" in text
    row.same_readers_floor = bench.Result(875.0, 2.0, 5.0)
    assert "same recording readers: 875 req/s; ratio to it 0.80" in editing.format_editing(row)


@pytest.mark.django_db
def test_the_editor_saves_as_the_desk_does_and_readers_see_it_at_once(
    client, django_capture_on_commit_callbacks
):
    article = make_article(headline="Talks in Cairo")
    assert "Talks in Cairo</h1>" in client.get(article.get_absolute_url()).text  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        editing.Desk().save_headline(article.pk, 42)
    article.refresh_from_db()
    assert article.headline == "Talks in Cairo · v42"
    assert Version.objects.get_for_object(article).count() == 1
    assert AuditEvent.objects.filter(article=article, action=AuditEvent.Action.EDITED).exists()
    assert article.last_edited_by.username == "bench-editor"
    assert "Talks in Cairo · v42</h1>" in client.get(article.get_absolute_url()).text


def test_each_database_has_its_own_page_cache_and_postgres_password(tmp_path):
    sqlite = bench.cache_dir("sqlite:////tmp/archive.sqlite3")
    assert sqlite != bench.cache_dir("postgres://u:p@127.0.0.1:5432/newsroom_bench")
    secret = postgres.password(tmp_path)
    assert len(secret) >= 24 and postgres.password(tmp_path) == secret  # generated once
    assert (tmp_path / "pg-password").stat().st_mode & 0o077 == 0
    assert postgres.url_for(secret).endswith(f":{secret}@127.0.0.1:5432/newsroom_bench")


# The stack's load figure (make stack-load, scripts/stack_load.py) ----------------------------


def test_readers_read_hits_and_misses_from_the_header_they_are_given(tmp_path, monkeypatch):
    commands = []

    def fake_wrk(command, **options):
        commands.append(command)
        (tmp_path / "reads-1.tsv").write_text("10000000\t/\t200\tHIT\t/articles/a/=3\n")
        return type("Done", (), {"stdout": WRK_OUTPUT})()

    monkeypatch.setattr("subprocess.run", fake_wrk)
    output, reads = editing.run_readers("http://127.0.0.1:6081", ["/"], 1, 2, tmp_path)
    assert commands[0][-1] == "X-Cache"  # zipf.lua's default: the app's own header
    assert output == WRK_OUTPUT and reads[0].cache == "hit"
    editing.run_readers("http://127.0.0.1:6081", ["/"], 1, 2, tmp_path, "X-Edge-Cache")
    assert commands[1][-2:] == [str(tmp_path / "reads-"), "X-Edge-Cache"]
    assert "args[4]" in editing.LUA.read_text()


def test_the_stack_load_table_puts_both_rows_side_by_side_with_no_ratio():
    from scripts import stack_load

    check = editing.check_reads(editing.parse_reads(READS), EDITS)
    row = editing.EditingRow(bench.Result(7000.0, 0.7, 130.0), None, check, 15, 1003, 30, 8)
    calm = editing.EditingRow(
        bench.Result(775.0, 8.4, 36.0, errors=2), None, editing.Check(responses=9), 16, 1003, 30, 8
    )
    table = stack_load.format_table({"through Varnish": row, "straight at app server A": calm})
    lines = table.splitlines()
    assert "ratio" not in lines[0] and "hit rate" in lines[0] and "stale" in lines[0]
    varnish = next(line for line in lines if line.startswith("through Varnish "))
    assert "7000" in varnish and "50.0%" in varnish and varnish.endswith("1!")
    at_a = next(line for line in lines if line.startswith("straight at app server A "))
    assert "775" in at_a and "n/a" in at_a and at_a.endswith(" 0")
    assert any("30 s of wrk each" in line and "1003 pages" in line for line in lines)
    assert "straight at app server A: 9 responses; 2 failed requests" in table
    assert "stale: / sent at 13.000" in table


def test_the_stack_runs_on_another_database_only_when_asked(monkeypatch):
    from scripts import stack

    monkeypatch.setattr(stack, "secret", lambda name, length=32: "pw")
    monkeypatch.delenv("STACK_DATABASE", raising=False)
    assert stack.database() == "newsroom_stack"
    assert stack.app_environment("app-a")["DATABASE_URL"].endswith("@127.0.0.1:5432/newsroom_stack")
    monkeypatch.setenv("STACK_DATABASE", "newsroom_stack_load")
    url = stack.app_environment("app-a")["DATABASE_URL"]
    assert url == "postgres://newsroom_stack_load:pw@127.0.0.1:5432/newsroom_stack_load"
    monkeypatch.setenv("STACK_DATABASE", "x; DROP DATABASE newsroom_stack")
    with pytest.raises(SystemExit, match="not a plain PostgreSQL name"):
        stack.database()


def test_the_load_figure_refuses_to_run_while_the_stack_is_up(monkeypatch):
    from scripts import stack, stack_load

    monkeypatch.setattr(stack, "recorded", lambda part: 4242 if part == "varnish" else None)
    monkeypatch.setattr(stack_load, "seeded_database", lambda: pytest.fail("seeded anyway"))
    with pytest.raises(SystemExit, match=r"the stack is up \(varnish\).*make stack-stop"):
        stack_load.main([])
