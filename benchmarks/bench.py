"""`make bench`: the public pages at 100,000 articles, measured against the framework floor.

    .venv/bin/python -m benchmarks.bench [--database sqlite|postgres] [--duration 5]

1. Builds the synthetic archive once (seed_archive; ~2 minutes), then reuses it; migrates it. On
   SQLite it is var/archive.sqlite3; with --database postgres (`make bench DB=postgres`) the
   database newsroom_bench of a PostgreSQL 15 it starts as .ci/run does (benchmarks/postgres.py).
2. Serves it with the production settings (benchmarks/settings.py: prod plus the floor page) under
   gunicorn, 2 sync workers, twice: page cache off (cold, every page rendered) on one port and on
   (warm, the production file cache, emptied first) on the next. Database connections persist
   (DATABASE_CONN_MAX_AGE=60, as .env.example recommends, unless the environment says otherwise).
3. Runs wrk against the floor (a bare Django view returning a fixed 20 KB page) and each page, cold
   and warm, and prints requests per second, p50 and p99 latency, the queries each page makes and
   its ratio to the floor measured in the same run, and the workers' peak memory (VmHWM).
4. The newsroom-under-editing row (benchmarks/editing.py): a minute of readers on the warm server
   while the desk saves a published article every 2 seconds; its ratio to the floor, the page
   cache's hit rate, and the responses that showed a headline older than one already saved.

Absolute figures vary with the machine and whatever else runs on it; the ratio is the figure. As a
shared machine's load drifts within a run, the floor is measured again just before each page, and
each page's ratios are to that measurement. The servers' request logs go to var/bench/*.log, and
so do the bench's own, so the terminal shows only progress and the tables.
"""

import argparse
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import editing, postgres

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "var" / "bench"
PYTHON = sys.executable
FLOOR_URL = "/bench/floor/"
# Ratio to the floor each page should reach (issue 7), uncached and cached.
TARGETS = {"article": 0.25, "search": 0.1}  # by the start of the page's name
DEFAULT_TARGET = 0.2
WARM_TARGET = 0.8


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int = 0


@dataclass
class Row:
    name: str
    path: str
    queries_cold: int | None = None
    queries_warm: int | None = None
    cold: Result | None = None
    warm: Result | None = None
    floor: Result | None = None  # measured just before this page
    notes: list[str] = field(default_factory=list)


# wrk output ---------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> Result:
    """requests/s and the 50% and 99% latencies from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    count = int(errors.group(1)) if errors else 0
    if socket:
        count += sum(int(n) for n in socket.groups())
    return Result(rps, p50, p99, count)


# The table ----------------------------------------------------------------------------------


def target_for(name: str) -> float:
    return next((t for key, t in TARGETS.items() if name.split()[0] == key), DEFAULT_TARGET)


def format_table(rows: list[Row], floor: Result, peak_rss_mb: float | None = None) -> str:
    """The report: one line per page, cold then warm, each with its ratio to the floor."""
    header = (
        f"{'page':<22} {'queries':>7} {'floor':>6} | {'cold req/s':>10} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'ratio':>6} {'target':>6} | {'warm req/s':>10} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'ratio':>6}"
    )
    rule = "-" * len(header)
    lines = [
        header,
        rule,
        f"{'floor (20 KB view)':<22} {0:>7} {'':>6} | {floor.requests_per_second:>10.0f} "
        f"{floor.p50_ms:>7.2f} {floor.p99_ms:>7.2f} {1:>6.2f} {'':>6} |",
    ]
    for row in rows:
        queries = f"{row.queries_cold}/{row.queries_warm}"
        base = row.floor or floor
        cells = [f"{row.name:<22} {queries:>7} {base.requests_per_second:>6.0f} |"]
        for result, target in ((row.cold, target_for(row.name)), (row.warm, WARM_TARGET)):
            if result is None:
                cells.append(f"{'-':>10} {'-':>7} {'-':>7} {'-':>6}")
                continue
            ratio = result.requests_per_second / base.requests_per_second
            mark = "" if ratio >= target else "*"
            text = (
                f"{result.requests_per_second:>10.0f} {result.p50_ms:>7.2f} "
                f"{result.p99_ms:>7.2f} {ratio:>5.2f}{mark or ' '}"
            )
            if result is row.cold:
                text += f" {target:>6.2f} |"
            cells.append(text)
        lines.append(" ".join(cells))
        lines += [f"{'':<22}   {note}" for note in row.notes]
    lines.append(rule)
    lines.append(
        "queries: cold/warm per request. floor: its req/s just before the page; ratio: the "
        f"page's req/s over it; * below target (cold: the target column, warm: {WARM_TARGET})."
    )
    if peak_rss_mb is not None:
        lines.append(f"workers' peak memory (VmHWM, largest of 4 workers): {peak_rss_mb:.0f} MB")
    return "\n".join(lines)


# Running it ---------------------------------------------------------------------------------


def cache_dir(archive_url: str) -> Path:
    """The page cache of the servers on this database: one per database, never another's pages."""
    return LOGS / f"cache-{archive_url.split(':')[0]}"


def server_env(archive_url: str, port: int, page_cache: bool) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=archive_url,
        SECURE_SSL_REDIRECT="false",
        # Persistent connections, as production runs them (see .env.example).
        DATABASE_CONN_MAX_AGE=env.get("DATABASE_CONN_MAX_AGE") or "60",
        SITE_URL=f"http://127.0.0.1:{port}",
        BENCH_PAGE_CACHE="true" if page_cache else "false",
        CACHE_DIR=str(cache_dir(archive_url)),
    )
    return env


def run(command, env=None, **kwargs):
    print("$", " ".join(str(part) for part in command), flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603 (our commands)


def seed(url: str, articles: int) -> None:
    command = [PYTHON, "manage.py", "seed_archive", "--articles", str(articles)]
    run([*command, "--database-url", url])


def sqlite_archive(archive: Path, articles: int) -> str:
    url = f"sqlite:///{archive}"
    if not archive.exists():
        seed(url, articles)
    else:
        print(f"Reusing the archive in {archive} (delete it to rebuild).", flush=True)
    return url


def ensure_archive(database: str, archive: Path, articles: int) -> str:
    if database == "postgres":
        url = postgres.ensure_archive(LOGS, articles, seed)
    else:
        url = sqlite_archive(archive, articles)
    env = server_env(url, 0, True)
    run([PYTHON, "manage.py", "migrate", "--no-input", "--verbosity", "0"], env=env)
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"], env=env)
    return url


def quiet_logs(path: Path) -> None:
    """This process's log lines (its test client's requests, the editor's saves) go to a file,
    in the same JSON lines as the servers' logs, instead of the terminal."""
    from newsroom.logging import JSONFormatter

    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(JSONFormatter())
    logging.getLogger().handlers = [handler]


def start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "newsroom.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--worker-class",
        "sync",
    ]
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 (our command)
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{FLOOR_URL}", timeout=5):  # noqa: S310
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn on port {port} stopped; see {log}") from None
            time.sleep(0.5)
    raise SystemExit(f"gunicorn on port {port} did not answer; see {log}")


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def peak_rss_mb(pids: list[int]) -> float | None:
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks) if peaks else None


def wrk(port: int, path: str, duration: int, threads: int, connections: int) -> Result:
    url = f"http://127.0.0.1:{port}{path}"
    for _ in range(4):  # every worker renders (and caches) it once before the clock starts
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError:
            break  # wrk counts the failures, and the table says how many
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return parse_wrk(output)


def pick_pages() -> list[Row]:
    """Typical pages of the archive, and what each costs in queries cold and warm."""
    import django

    django.setup()
    quiet_logs(LOGS / "bench.log")
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Theme
    from articles.views import PAGE_SIZE
    from people.models import Person

    published = Article.objects.published().newest_first()
    article = published[500]
    theme = Theme.objects.annotate(n=Count("themed_articles")).order_by("-n").first()
    person = Person.objects.order_by("pk")[Person.objects.count() // 2]
    last_page = (published.count() + PAGE_SIZE - 1) // PAGE_SIZE
    rows = [
        Row("article", article.get_absolute_url()),
        Row("front", "/"),
        Row("theme", theme.get_absolute_url()),
        Row("person", person.get_absolute_url()),
        Row("articles page 1", "/articles/"),
        Row(f"articles page {last_page}", f"/articles/?page={last_page}"),
        Row("search 2 words", "/search/?q=trafficking+cairo"),
        Row("search common word", "/search/?q=children"),
        Row("search phrase", "/search/?q=%22human+trafficking%22"),
    ]
    client = Client()
    for row in rows:
        settings.PUBLIC_PAGE_CACHE = False
        with CaptureQueriesContext(connection) as cold:
            assert client.get(row.path).status_code == 200, row.path
        # Read at once: the captured list is a view of the connection's log, which a new
        # connection (the next request's) empties.
        row.queries_cold = len(cold)
        settings.PUBLIC_PAGE_CACHE = True
        cache.clear()
        client.get(row.path)
        with CaptureQueriesContext(connection) as warm:
            client.get(row.path)
        row.queries_warm = len(warm)
    return rows


def database_line(url: str) -> str:
    from django.db import connection

    version = ".".join(map(str, connection.get_database_version()))
    where = url.rsplit("/", 1)[-1] if connection.vendor == "postgresql" else url.split("///")[-1]
    age = os.environ["DATABASE_CONN_MAX_AGE"]
    return f"database: {connection.display_name} {version} ({where}), DATABASE_CONN_MAX_AGE={age}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--archive", type=Path, default=ROOT / "var" / "archive.sqlite3")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--editing-duration", type=int, default=60, help="seconds of editing")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8090, help="cold server; warm is port + 1")
    args = parser.parse_args(argv)

    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench installs it).")
    LOGS.mkdir(parents=True, exist_ok=True)
    url = ensure_archive(args.database, args.archive.resolve(), args.articles)
    cold_port, warm_port = args.port, args.port + 1

    os.environ.update(server_env(url, cold_port, False))
    sys.path.insert(0, str(ROOT))
    rows = pick_pages()
    database = database_line(url)
    print(database, flush=True)
    shutil.rmtree(cache_dir(url), ignore_errors=True)  # the warm server starts with no pages

    servers = []
    try:
        cold_env, warm_env = server_env(url, cold_port, False), server_env(url, warm_port, True)
        servers.append(start_server(cold_env, cold_port, LOGS / "gunicorn-cold.log"))
        servers.append(start_server(warm_env, warm_port, LOGS / "gunicorn-warm.log"))
        measure = {"duration": args.duration, "threads": args.threads}
        measure["connections"] = args.connections
        print(f"Measuring: wrk {measure}, pages {[row.path for row in rows]}", flush=True)
        for row in rows:
            row.floor = wrk(cold_port, FLOOR_URL, **measure)
            row.cold = wrk(cold_port, row.path, **measure)
            row.warm = wrk(warm_port, row.path, **measure)
            for result in (row.cold, row.warm):
                if result.errors:
                    row.notes.append(f"{result.errors} failed requests")
        print(f"Measuring the newsroom under editing ({args.editing_duration} s)", flush=True)
        theme = next(row.path for row in rows if row.name == "theme")
        edited = editing.measure(
            f"http://127.0.0.1:{warm_port}",
            theme,
            floor=wrk(cold_port, FLOOR_URL, **measure),
            duration=args.editing_duration,
            connections=args.connections,
            folder=LOGS / "editing",
            parse=parse_wrk,
            floor_path=FLOOR_URL,
        )
        pids = [pid for server in servers for pid in worker_pids(server)]
        memory = peak_rss_mb(pids)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)

    print()
    print(database)
    floors = sorted((row.floor for row in rows), key=lambda result: result.requests_per_second)
    print(format_table(rows, floors[len(floors) // 2], memory))
    low, high = floors[0].requests_per_second, floors[-1].requests_per_second
    print(f"the floor (median above) ranged from {low:.0f} to {high:.0f} req/s during the run")
    print()
    print(editing.format_editing(edited))


if __name__ == "__main__":
    main()
