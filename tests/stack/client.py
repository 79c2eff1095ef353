"""What the stack tests drive the stack with (`make stack`, scripts/stack.py): plain HTTP requests
that follow no redirect and keep no cookie (the production cookies are Secure, so a cookie jar
would not send them back over HTTP: the tests send the Cookie header themselves), `manage.py`
commands run with an app server's exact environment, varnishadm, and a read load.
"""

import http.client
import os
import re
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "stack"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"
VARNISH, APP_A, APP_B = 6081, 8101, 8102
SLUG = "nccpimtip-iom-hold-conference-on-addressing-child-trafficking"
ARTICLE = f"/articles/{SLUG}/"
# The launch story's article is on each of these (loaddata conference).
PAGES = (ARTICLE, "/", "/themes/migration/", "/feed/")


@dataclass
class Response:
    status: int
    headers: Message
    text: str

    def cookies(self) -> dict:
        """The cookies this response sets, by name."""
        found = {}
        for line in self.headers.get_all("Set-Cookie") or ():
            name, _, rest = line.partition("=")
            found[name.strip()] = rest.split(";")[0]
        return found


def request(port, path, method="GET", headers=None, body=None, timeout=10) -> Response:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, answer.msg, answer.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def pid(part: str) -> int | None:
    try:
        return int((VAR / f"{part}.pid").read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None


def why_not_up() -> str | None:
    """None when the stack answers; otherwise why the stack tests cannot run."""
    if not (VAR / "varnish.pid").exists():
        return "the stack is not running (no var/stack/varnish.pid): start it with `make stack`"
    try:
        status = request(VARNISH, "/healthz", timeout=3).status
    except OSError as error:
        return f"Varnish does not answer on {HOST}:{VARNISH} ({error}): `make stack`"
    if status != 200:
        return f"the stack is not healthy (/healthz through Varnish: {status})"
    return None


def environment(part: str) -> dict:
    """An app server's exact environment (var/stack/<part>.env, written by scripts/stack.py)."""
    lines = (VAR / f"{part}.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def shell(part: str, code: str, **options):
    """`manage.py shell -c code` as app server `part` would run it; a Popen when `wait=False`."""
    command = [PYTHON, "manage.py", "shell", "--no-imports", "-c", code]
    if not options.pop("wait", True):
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=environment(part), stdout=subprocess.PIPE, text=True
        )
    done = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=environment(part), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def stack(*arguments: str) -> None:
    subprocess.run([PYTHON, "scripts/stack.py", *arguments], cwd=ROOT, check=True, timeout=120)  # noqa: S603


def varnishadm(*arguments: str) -> str:
    command = ["varnishadm", f"-T{HOST}:6082", f"-S{VAR / 'varnish-admin-secret'}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def backend_health() -> dict:
    """{'app_a': 'healthy' or 'sick', ...} from varnishadm backend.list."""
    health = {}
    for line in varnishadm("backend.list").splitlines()[1:]:
        columns = line.split()
        if len(columns) >= 4:
            health[columns[0].split(".")[-1]] = columns[3]
    return health


def wait_until(check, seconds: float, step: float = 0.05) -> float | None:
    """Seconds until `check()` held, or None if it did not within `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(step)
    return None


def kill_app_server(part: str) -> None:
    """SIGKILL the whole app server, master and workers (its own process group): a machine lost."""
    os.killpg(pid(part), signal.SIGKILL)


# An editor, and signing in ------------------------------------------------------------------------


def create_editor(username: str, password: str) -> None:
    shell(
        "app-a",
        "from django.contrib.auth import get_user_model\n"
        f"user, _ = get_user_model().objects.get_or_create(username={username!r})\n"
        "user.is_staff = user.is_superuser = True\n"
        f"user.set_password({password!r})\n"
        "user.save()\n",
    )


def log_in(port: int, username: str, password: str) -> str:
    """Sign in through the admin's login form; the session id."""
    form = request(port, "/admin/login/")
    csrf = form.cookies()["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    fields = {"username": username, "password": password, "next": "/admin/"}
    body = urlencode({**fields, "csrfmiddlewaretoken": token})
    answer = request(
        port,
        "/admin/login/",
        method="POST",
        body=body,
        headers={
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert answer.status == 302, (answer.status, answer.text[:500])
    return answer.cookies()["sessionid"]


# Editing the launch story's headline as app server A ----------------------------------------------


SAVE = """
import threading, time
from articles.models import Article
article = Article.objects.get(slug={slug!r})
article.headline = {headline!r}
article.save()
print("committed", time.time(), flush=True)
# The purge runs in daemon threads after commit: let them finish before this process exits.
for thread in threading.enumerate():
    if thread.name == "purge":
        thread.join(10)
"""


def headline() -> str:
    code = f"from articles.models import Article as A\nprint(A.objects.get(slug={SLUG!r}).headline)"
    return shell("app-a", code).strip()


def save_headline(text: str, wait: bool = True):
    """Save the headline through the ORM as app server A; with wait=False, the running process
    (it prints "committed <unix time>" once the edit is committed)."""
    code = SAVE.format(slug=SLUG, headline=text)
    return shell("app-a", code, wait=wait)


# A read load --------------------------------------------------------------------------------------


@dataclass
class Load:
    """Readers requesting `paths` through `port` from `threads` threads until stopped."""

    port: int
    paths: tuple
    threads: int = 4
    statuses: dict = field(default_factory=dict)
    in_flight: int = 0
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    running: threading.Event = field(default_factory=threading.Event)

    def reader(self, number: int) -> None:
        while self.running.is_set():
            with self.lock:
                self.count += 1
                path = self.paths[self.count % len(self.paths)].format(n=self.count)
                self.in_flight += 1
            try:
                status = request(self.port, path, timeout=10).status
            except OSError as error:
                status = type(error).__name__
            with self.lock:
                self.in_flight -= 1
                self.statuses[status] = self.statuses.get(status, 0) + 1

    def __enter__(self):
        self.running.set()
        self.pool = ThreadPoolExecutor(self.threads)
        for number in range(self.threads):
            self.pool.submit(self.reader, number)
        return self

    def __exit__(self, *exc):
        self.running.clear()
        self.pool.shutdown(wait=True)

    @property
    def failed(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 200)
