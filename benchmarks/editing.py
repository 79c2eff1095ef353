"""The newsroom-under-editing row of `make bench`: readers on the warm server while the desk saves.

Readers: wrk with benchmarks/zipf.lua, for a minute, on a Zipf mix of the 1,000 newest published
articles, the front page, /articles/ and the largest theme (most asked for first: front,
/articles/, the theme, then the articles newest first). Every save starts a new content
generation of the page cache, so this row is what readers get when pages are rendered again
after every edit, not only served from the cache.

Editor: a thread of the bench process, with Django set up on the servers' database and cache,
which every two seconds changes the headline of one of those articles (every fourth edit, one on
the front page) the way the desk does: ArticleAdmin.save_model and log_change in a transaction
inside reversion.create_revision, as the admin's change form under RevisionMiddleware does. So
the audit trail, the versions and the page cache's invalidation signals all run, which a raw
UPDATE would skip. Each save ends the headline with a version marker, " · v<n>", n the save's
start in milliseconds (so markers grow across runs too), and notes when the save returned.

Stale check: zipf.lua writes, for every response, the wall-clock time its request was sent and
the version marker of each headline it shows (an article page's own, and every teaser's). A
response is stale when it shows an article in an older version than one whose save had returned
before the request was sent. Every response is checked, not a sample: a Python checker sending
its own requests would add load of its own and see only what it sampled.
"""

import random
import re
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

ARTICLES = 1000
EDIT_EVERY_SECONDS = 2.0
FRONT_EVERY = 4  # every fourth edit is to a story on the front page
TARGET = 0.6  # ratio to the floor (issue 14)
MARKER = re.compile(r"\s*· v\d+\s*$")
TEASER_LINK = re.compile(r'class="teaser-headline"><a href="([^"]+)">')
LUA = Path(__file__).with_name("zipf.lua")


# The readers' mix ---------------------------------------------------------------------------


def zipf_picks(count: int, picks: int, seed: int = 14, exponent: float = 1.0) -> list[int]:
    """`picks` indices into `count` pages, page k (from 0) drawn with weight 1 / (k + 1)^s."""
    weights = accumulate(1 / (rank**exponent) for rank in range(1, count + 1))
    return random.Random(seed).choices(range(count), cum_weights=list(weights), k=picks)


def reader_paths(theme: str, articles: list[str]) -> list[str]:
    """The pages in order of popularity."""
    return ["/", "/articles/", theme, *articles]


# Headlines and their versions ---------------------------------------------------------------


def marked(headline: str, version: int) -> str:
    return f"{MARKER.sub('', headline)} · v{version}"


def version_of(headline: str) -> int:
    """The version marker a headline ends with; 0 for one never edited by the bench."""
    match = re.search(r"· v(\d+)\s*$", headline)
    return int(match.group(1)) if match else 0


@dataclass
class Edit:
    path: str
    version: int
    committed: float  # time.time() when the save returned


class Desk:
    """Saves a headline the way the desk's change form does, as a bench editor."""

    def __init__(self):
        from django.contrib import admin
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.test import RequestFactory

        from articles.models import Article
        from workflow.roles import EDITOR

        self.user, _ = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"is_staff": True}
        )
        self.user.groups.add(Group.objects.get(name=EDITOR))
        self.model_admin = admin.site._registry[Article]
        self.factory = RequestFactory()

    def save_headline(self, pk: int, version: int) -> None:
        import reversion
        from django.db import transaction

        from articles.models import Article

        article = Article.objects.get(pk=pk)  # loaded afresh, as the change form loads it
        request = self.factory.post(f"/admin/articles/article/{article.pk}/change/")
        request.user = self.user
        with reversion.create_revision():  # as RevisionMiddleware wraps the admin's request
            reversion.set_user(self.user)
            with transaction.atomic():  # as ModelAdmin.changeform_view does
                article.headline = marked(article.headline, version)
                self.model_admin.save_model(request, article, None, True)
                self.model_admin.log_change(
                    request, article, [{"changed": {"fields": ["Headline"]}}]
                )


class Editor(threading.Thread):
    """Edits one of `articles` (path -> primary key) every EDIT_EVERY_SECONDS until stopped."""

    def __init__(self, articles: dict, front: list[str], seed: int = 14):
        super().__init__(name="bench-editor", daemon=True)
        self.articles, self.front = articles, [path for path in front if path in articles]
        self.rng = random.Random(seed)
        self.edits: list[Edit] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()

    def pick(self, count: int) -> str:
        if self.front and count % FRONT_EVERY == 0:
            return self.rng.choice(self.front)
        return self.rng.choice(list(self.articles))

    def next_edit(self, start: float) -> float:
        return start + len(self.edits) * EDIT_EVERY_SECONDS

    def run(self):
        from django.db import connection

        desk, start = Desk(), time.monotonic()
        try:
            while not self.stopping.wait(self.next_edit(start) - time.monotonic()):
                path = self.pick(len(self.edits))
                version = int(time.time() * 1000)
                try:
                    desk.save_headline(self.articles[path], version)
                except Exception as error:  # noqa: BLE001 - reported in the table, not fatal
                    self.errors.append(f"{path}: {error!r}")
                    self.edits.append(Edit(path, 0, float("inf")))  # keeps the rhythm
                    continue
                self.edits.append(Edit(path, version, time.time()))
        finally:
            connection.close()

    def stop(self) -> list[Edit]:
        self.stopping.set()
        self.join(timeout=60)
        return [edit for edit in self.edits if edit.version]


# What readers were shown --------------------------------------------------------------------


@dataclass
class Read:
    sent: float  # seconds since the epoch
    path: str
    status: int
    cache: str  # the cache header (X-Cache unless named): "hit", "miss", "pass" or "-" (none)
    shown: list[tuple[str, int]]  # (article path, headline version) for each headline


def parse_reads(lines) -> list[Read]:
    """zipf.lua's lines: send time in µs, path, status, cache header, then path=version pairs."""
    reads = []
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 5:
            continue  # a line cut short when wrk stopped
        sent, path, status, cache, shown = parts
        pairs = [item.rpartition("=") for item in shown.split()]
        headlines = [(article, int(version)) for article, _, version in pairs]
        reads.append(Read(int(sent) / 1e6, path, int(status), cache.lower(), headlines))
    return reads


@dataclass
class Check:
    responses: int = 0
    hits: int = 0
    misses: int = 0
    checked: int = 0  # headlines of edited articles looked at
    stale: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def hit_rate(self) -> float | None:
        counted = self.hits + self.misses
        return self.hits / counted if counted else None


def check_reads(reads: list[Read], edits: list[Edit]) -> Check:
    """Count hits and misses, and every headline shown older than a version saved before the
    request was sent."""
    saved: dict[str, list[Edit]] = {}
    for edit in sorted(edits, key=lambda edit: edit.committed):
        saved.setdefault(edit.path, []).append(edit)
    moments = {path: [edit.committed for edit in history] for path, history in saved.items()}
    check = Check()
    for read in reads:
        check.responses += 1
        check.hits += read.cache == "hit"
        check.misses += read.cache == "miss"
        for path, version in read.shown:
            if path not in saved:
                continue
            check.checked += 1
            before = bisect_left(moments[path], read.sent)  # saves returned before it was sent
            if before and version < saved[path][before - 1].version:
                check.stale += 1
                if len(check.examples) < 3:
                    check.examples.append(
                        f"{read.path} sent at {read.sent:.3f} showed {path} v{version}, "
                        f"v{saved[path][before - 1].version} saved at "
                        f"{saved[path][before - 1].committed:.3f}"
                    )
    return check


# Running it and reporting --------------------------------------------------------------------


def candidates() -> dict[str, int]:
    """The articles readers read and the editor edits: the newest published, path -> key."""
    from articles.models import Article

    newest = Article.objects.published().newest_first()[:ARTICLES]
    return {article.get_absolute_url(): article.pk for article in newest.only("pk", "slug")}


def front_paths(front_page_html: str) -> list[str]:
    """The stories the front page shows (its teasers' links)."""
    return TEASER_LINK.findall(front_page_html)


def warm(base_url: str, paths: list[str]) -> None:
    """Ask for every page once before the clock starts, as the other rows do for theirs: the
    misses counted are then those the edits cause, not a cache filling for the first time."""
    import urllib.error
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path):
        try:
            with urllib.request.urlopen(base_url + path, timeout=60) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError:
            pass  # wrk counts the failures

    with ThreadPoolExecutor(max_workers=2) as pool:  # one request per gunicorn worker
        list(pool.map(fetch, paths))


def run_readers(
    url, paths, duration, connections, folder: Path, cache_header: str = "X-Cache"
) -> tuple[str, list[Read]]:
    """wrk's output and what each response showed; hits and misses read from `cache_header`."""
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("reads-*.tsv"):
        old.unlink()
    (folder / "paths.txt").write_text("\n".join(paths) + "\n")
    picks = zipf_picks(len(paths), 100_000)
    (folder / "picks.txt").write_text(" ".join(map(str, picks)) + "\n")
    command = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{duration}s", "--latency"]
    command += ["-s", str(LUA), url, "--", str(folder / "paths.txt"), str(folder / "picks.txt")]
    command += [str(folder / "reads-"), cache_header]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    reads = []
    for log in sorted(folder.glob("reads-*.tsv")):
        with log.open(encoding="utf-8") as lines:
            reads += parse_reads(lines)
    return done.stdout, reads


def measure(
    base_url,
    theme,
    *,
    duration,
    connections,
    folder,
    parse,
    floor=None,
    floor_path=None,
    cache_header="X-Cache",
) -> "EditingRow":
    """Readers for `duration` seconds on base_url while the editor edits; `parse` reads wrk's
    output into a bench.Result. With `floor_path`, the floor is also measured through these same
    readers (their Lua records every response, which costs wrk CPU on a 2-core machine), for a
    ratio in which the client's own cost is the same on both sides. Without a `floor` (the
    stack's app servers serve none), the row has no ratio. Hits and misses are read from
    `cache_header`: X-Edge-Cache through Varnish."""
    import urllib.request

    articles = candidates()
    with urllib.request.urlopen(base_url + "/", timeout=60) as response:  # noqa: S310
        front = front_paths(response.read().decode())
    paths = reader_paths(theme, list(articles))
    warm(base_url, paths)
    same_readers = None
    if floor_path:
        floor_output, _ = run_readers(
            base_url, [floor_path], min(duration, 10), connections, folder / "floor"
        )
        same_readers = parse(floor_output)
    editor = Editor(articles, front)
    editor.start()
    try:
        output, reads = run_readers(base_url, paths, duration, connections, folder, cache_header)
    finally:
        edits = editor.stop()
    saves = "".join(f"{edit.committed:.6f}\t{edit.path}\t{edit.version}\n" for edit in edits)
    (folder / "edits.tsv").write_text(saves)  # beside the reads, for a second look
    check = check_reads(reads, edits)
    row = EditingRow(parse(output), floor, check, len(edits), len(paths), duration, connections)
    row.errors = editor.errors
    row.same_readers_floor = same_readers
    return row


@dataclass
class EditingRow:
    result: object  # bench.Result of the readers
    floor: object  # bench.Result of the floor just before (None: not measured, no ratio)
    check: Check
    edits: int
    pages: int
    duration: int
    connections: int
    errors: list[str] = field(default_factory=list)
    same_readers_floor: object = None  # bench.Result of the floor through the same Lua readers


def format_editing(row: EditingRow) -> str:
    ratio = row.result.requests_per_second / row.floor.requests_per_second
    rate = row.check.hit_rate
    header = (
        f"{'':<22} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'floor':>6} {'ratio':>6} "
        f"{'target':>6} | {'hit rate':>8} {'edits':>5} {'checked':>8} {'stale':>5}"
    )
    line = (
        f"{'newsroom under editing':<22} {row.result.requests_per_second:>7.0f} "
        f"{row.result.p50_ms:>7.2f} {row.result.p99_ms:>7.2f} "
        f"{row.floor.requests_per_second:>6.0f} {ratio:>5.2f}{' ' if ratio >= TARGET else '*'} "
        f"{TARGET:>6.2f} | {'n/a' if rate is None else f'{rate:.1%}':>8} {row.edits:>5} "
        f"{row.check.checked:>8} {row.check.stale:>5}{'' if row.check.stale == 0 else '!'}"
    )
    lines = [header, line]
    if row.same_readers_floor is not None:
        same = row.same_readers_floor.requests_per_second
        fair = row.result.requests_per_second / same
        lines.append(
            f"{'':<22} the floor through the same recording readers: {same:.0f} req/s; "
            f"ratio to it {fair:.2f}{'' if fair >= TARGET else ' (below the target)'}"
        )
    lines += [
        f"{'':<22} {row.duration} s of wrk, {row.connections} connections, on a Zipf mix of "
        f"{row.pages} pages (warm server, each asked for once first); an edit every "
        f"{EDIT_EVERY_SECONDS:g} s through the desk's save.",
        f"{'':<22} {row.check.responses} responses; stale: headlines older than a save "
        "returned before the request was sent (must be 0).",
    ]
    if rate is None:
        lines.append(f"{'':<22} hit rate n/a: the responses carry no X-Cache header.")
    if row.result.errors:
        lines.append(f"{'':<22} {row.result.errors} failed requests")
    lines += [f"{'':<22} stale: {example}" for example in row.check.examples]
    lines += [f"{'':<22} editor error: {error}" for error in row.errors[:3]]
    return "\n".join(lines)
