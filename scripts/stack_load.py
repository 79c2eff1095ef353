"""`make stack-load`: the stack's load figure (README, "Running past one machine: the stack").

    .venv/bin/python -m scripts.stack_load [--duration 30] [--connections 8]

Readers (wrk with benchmarks/zipf.lua, the Zipf mix of the performance issue) for 30 seconds
while an editor saves a headline every 2 seconds (benchmarks/editing.py), first through Varnish,
then the same straight at app server A: requests per second, p50, p99, hit rate, edits, headlines
checked and stale ones (must be 0), side by side. No ratio: the app servers run the production
settings, which serve no framework floor.

1. Refuses to run while the stack is up: it needs the stack's ports.
2. Seeds the database newsroom_stack_load once (seed_archive, 5,000 articles) with the stack's
   role and password handling (STACK_DATABASE, scripts/stack.py), and reuses it after that. The
   stack's own newsroom_stack keeps only the launch story, which the stack tests rely on.
3. Starts the stack on it and measures in a child process with app server A's exact environment
   (var/stack/app-a.env), so the editor's saves purge Varnish as an edit made on A does. Hits and
   misses come from Varnish's X-Edge-Cache through it, from the app's X-Cache straight at A.
4. Stops that stack whatever happens, after emptying the page cache in Redis (the load
   database's pages must not be served by the next `make stack`), writes var/stack/app-*.env back
   as `make stack` has them, and prints the table.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from benchmarks import editing
from scripts import stack

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "var" / "stack-load"
DATABASE = "newsroom_stack_load"
ARTICLES = 5000
# What is measured, in this order: (row, port, the header that says hit or miss).
TARGETS = (
    ("through Varnish", stack.VARNISH_PORT, "X-Edge-Cache"),
    ("straight at app server A", stack.APPS["app-a"], "X-Cache"),
)


def say(message: str) -> None:
    print(f"stack-load: {message}", flush=True)


# The load database ---------------------------------------------------------------------------


def seeded_database() -> None:
    """newsroom_stack_load with ARTICLES articles: created by the stack's own code (role,
    password), seeded when empty, seeded again when a build was interrupted part-way."""
    from benchmarks.postgres import article_count

    stack.postgres()
    url = stack.app_environment("app-a")["DATABASE_URL"]
    held = article_count(url)
    if held >= ARTICLES:
        say(f"reusing {DATABASE} ({held} articles)")
        return
    if held:
        say(f"{DATABASE} holds {held} of {ARTICLES} articles: seeding it again")
        stack.psql(f"DROP DATABASE {DATABASE} WITH (FORCE)")
        stack.postgres()
    say(f"seeding {DATABASE} with {ARTICLES} articles (once)")
    command = [str(stack.PYTHON), "manage.py", "seed_archive", "--articles", str(ARTICLES)]
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    # Its closing line names the URL, password included: not for the terminal.
    stack.run(*command, "--database-url", url, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)


def empty_page_cache() -> None:
    """FLUSHDB on the stack's Redis (CACHE_URL's database 0), when it answers: the two databases'
    pages share its keys (the same paths)."""
    try:
        with socket.create_connection((stack.HOST, stack.REDIS_PORT), timeout=2) as connection:
            connection.sendall(b"FLUSHDB\r\n")
            connection.recv(16)
    except OSError:
        pass


def restore_environments() -> None:
    """var/stack/app-*.env as `make stack` writes them (its database, not the load one), for
    commands run "as" an app server."""
    del os.environ["STACK_DATABASE"]
    for part in stack.APPS:
        stack.write_environment(part)


# The measuring child -------------------------------------------------------------------------


def app_a_environment() -> dict:
    """var/stack/app-a.env, as `set -a; . var/stack/app-a.env` reads it."""
    lines = (stack.VAR / "app-a.env").read_text().splitlines()
    environment = dict(line.split("=", 1) for line in lines if "=" in line)
    return environment | {"DJANGO_SETTINGS_MODULE": "newsroom.settings.prod"}


def largest_theme() -> str:
    from django.db.models import Count

    from articles.models import Theme

    theme = Theme.objects.annotate(n=Count("themed_articles")).order_by("-n").first()
    return theme.get_absolute_url()


def measure(duration: int, connections: int, table: Path) -> None:
    """In the child, as app server A: each target's row, formatted into `table`."""
    import django

    django.setup()
    from benchmarks.bench import parse_wrk, quiet_logs

    quiet_logs(LOGS / "editor.log")
    theme, rows = largest_theme(), {}
    for name, port, header in TARGETS:
        say(f"{duration} s of readers and an editor, {name} (port {port})")
        folder = LOGS / name.split()[-1].lower()  # varnish, a
        rows[name] = editing.measure(
            f"http://{stack.HOST}:{port}",
            theme,
            duration=duration,
            connections=connections,
            folder=folder,
            parse=parse_wrk,
            cache_header=header,
        )
    table.write_text(format_table(rows) + "\n")


def format_table(rows: dict) -> str:
    """The rows (name -> editing.EditingRow) side by side, and what they measured."""
    header = (
        f"{'':<26} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'hit rate':>8} {'edits':>5} "
        f"{'checked':>8} {'stale':>5}"
    )
    lines = [header]
    for name, row in rows.items():
        rate = row.check.hit_rate
        lines.append(
            f"{name:<26} {row.result.requests_per_second:>7.0f} {row.result.p50_ms:>7.2f} "
            f"{row.result.p99_ms:>7.2f} {'n/a' if rate is None else f'{rate:.1%}':>8} "
            f"{row.edits:>5} {row.check.checked:>8} "
            f"{row.check.stale:>5}{'' if row.check.stale == 0 else '!'}"
        )
    first = next(iter(rows.values()))
    lines.append(
        f"{first.duration} s of wrk each, {first.connections} connections, a Zipf mix of "
        f"{first.pages} pages (each asked for once first); an edit every "
        f"{editing.EDIT_EVERY_SECONDS:g} s saved as app server A saves it (purging Varnish)."
    )
    for name, row in rows.items():
        notes = [f"{row.check.responses} responses"]
        notes += [f"{row.result.errors} failed requests"] if row.result.errors else []
        notes += [f"stale: {example}" for example in row.check.examples]
        notes += [f"editor error: {error}" for error in row.errors[:3]]
        lines.append(f"{name}: {'; '.join(notes)}")
    return "\n".join(lines)


# The run -------------------------------------------------------------------------------------


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per target")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's table
    args = parser.parse_args(argv)
    if args.measure:
        measure(args.duration, args.connections, args.measure)
        return
    up = [part for part in stack.PARTS if stack.recorded(part)]
    if up:
        raise SystemExit(
            f"stack-load: the stack is up ({', '.join(up)}): it needs the same ports. "
            "Stop it first (make stack-stop)."
        )
    if not shutil.which("wrk"):
        raise SystemExit("stack-load: wrk is missing: apt-get install -y wrk")
    os.environ["STACK_DATABASE"] = DATABASE  # for scripts/stack.py, here and in its children
    LOGS.mkdir(parents=True, exist_ok=True)
    table = LOGS / "table.txt"
    table.unlink(missing_ok=True)
    seeded_database()
    try:
        stack.main(["start"])
        empty_page_cache()
        child = [str(stack.PYTHON), "-m", "scripts.stack_load", "--measure", str(table)]
        child += ["--duration", str(args.duration), "--connections", str(args.connections)]
        subprocess.run(child, cwd=ROOT, env=app_a_environment(), check=True)  # noqa: S603
    finally:
        empty_page_cache()
        stack.main(["stop"])
        restore_environments()
    print()
    print(table.read_text(), end="")


if __name__ == "__main__":
    main(sys.argv[1:])
