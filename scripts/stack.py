"""The production layout in miniature, on 127.0.0.1: Varnish in front of two gunicorn app servers
that share one PostgreSQL 15 and one Redis 7, all from Debian's packages (README: "Running past one
machine: the stack").

    python scripts/stack.py start [part ...]   # make stack: everything, or only the parts named
    python scripts/stack.py stop [part ...]    # make stack-stop
    python scripts/stack.py status

Parts: redis, app-a, app-b, varnish (PostgreSQL is the machine's cluster: it is started when it is
down and never stopped; the stack's database stays). Every process started is recorded in
var/stack/<part>.pid and stopped by that pid only; a part whose recorded process is alive is not
started again, so `start` twice is one stack. Secrets are generated once into var/stack/ (mode
0600); var/stack/app-a.env and app-b.env hold each app server's exact environment, for
`manage.py` commands run "as" that server (the stack tests do). STACK_DATABASE=<name> runs the
same stack on another database (`make stack-load` does, on a seeded archive of its own).
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "stack"
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"
VARNISH_PORT, VARNISH_ADMIN_PORT, REDIS_PORT, POSTGRES_PORT = 6081, 6082, 6479, 5432
APPS = {"app-a": 8101, "app-b": 8102}
DATABASE = "newsroom_stack"  # STACK_DATABASE overrides it: database()
PARTS = ("redis", "app-a", "app-b", "varnish")
PACKAGES = {"varnishd": "varnish", "redis-server": "redis-server", "pg_ctlcluster": "postgresql-15"}
VMOD_XKEY = Path("/usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so")


def database() -> str:
    """The stack's database (and its role): newsroom_stack, which holds only the launch story
    (the stack tests rely on it), unless STACK_DATABASE names another, as `make stack-load` does
    for its seeded archive (scripts/stack_load.py). It goes into SQL: a plain name only."""
    name = os.environ.get("STACK_DATABASE") or DATABASE
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"stack: STACK_DATABASE={name!r} is not a plain PostgreSQL name")
    return name


def say(message: str) -> None:
    print(f"stack: {message}", flush=True)


# Secrets and the app servers' environment --------------------------------------------------


def secret(name: str, length: int = 32) -> str:
    """The secret var/stack/<name>, generated the first time it is asked for."""
    path = VAR / name
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(length) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def app_environment(part: str) -> dict:
    """What a real deployment sets, with this machine's addresses (README, the stack section)."""
    password, name = secret("postgres-password"), database()
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": secret("secret-key", 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://{name}:{password}@{HOST}:{POSTGRES_PORT}/{name}",
        "DATABASE_CONN_MAX_AGE": "60",
        "CACHE_URL": f"redis://{HOST}:{REDIS_PORT}/0",
        "SECURE_SSL_REDIRECT": "false",
        "SITE_URL": f"http://{HOST}:{VARNISH_PORT}",
        "HTTP_CACHE_PURGE_URLS": f"http://{HOST}:{VARNISH_PORT}/",
        "HTTP_CACHE_PURGE_SECRET": secret("purge-secret"),
        # Varnish appends the reader's address: the login lockout counts each reader apart.
        "TRUSTED_PROXY_HEADER": "X-Forwarded-For",
        "TRUSTED_PROXY_COUNT": "1",
        "NEWSROOM_APP_SERVER": part,
    }


def write_environment(part: str) -> dict:
    environment = app_environment(part)
    path = VAR / f"{part}.env"
    path.write_text("".join(f"{name}={value}\n" for name, value in environment.items()))
    path.chmod(0o600)
    return environment


# Processes, by recorded pid --------------------------------------------------------------------


def recorded(part: str) -> int | None:
    """The pid recorded for `part`, if that process is still alive."""
    try:
        pid = int((VAR / f"{part}.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None
    return pid if alive(pid) else None


def stop(part: str) -> None:
    pid = recorded(part)
    if pid is None:
        (VAR / f"{part}.pid").unlink(missing_ok=True)
        return
    say(f"stopping {part} (pid {pid})")
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not alive(pid):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    (VAR / f"{part}.pid").unlink(missing_ok=True)


def alive(pid: int) -> bool:
    """Running, and not a zombie (a process that exited and that nobody has reaped yet)."""
    with contextlib.suppress(ChildProcessError):  # not this process's child: nothing to reap
        os.waitpid(pid, os.WNOHANG)
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def wait_for(what: str, check, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"stack: {what} did not answer within {seconds:.0f} s (see {VAR}/*.log)")


def http_status(port: int, path: str = "/healthz") -> int | None:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=2) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def run(*command: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, text=True, **options)  # noqa: S603


# The parts ---------------------------------------------------------------------------------------


def install_packages() -> None:
    """Debian's packages, installed when missing (as .ci/run does for PostgreSQL)."""
    missing = [package for command, package in PACKAGES.items() if not shutil.which(command)]
    if not VMOD_XKEY.exists():
        missing.append("varnish-modules")
    if missing:
        say(f"installing {' '.join(missing)} from Debian's packages")
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=environment)
        run("apt-get", "install", "-y", "-qq", *missing, env=environment, stdout=subprocess.DEVNULL)


def psql(sql: str, database: str = "postgres") -> str:
    command = ["su", "postgres", "-c", f"psql -qtAX -v ON_ERROR_STOP=1 -d {database}"]
    return run(*command, input=sql, capture_output=True).stdout.strip()


def postgres() -> bool:
    """The machine's PostgreSQL 15 cluster, running, with the stack's role and database. Whether
    the database is new (never migrated): only then is the launch story loaded."""
    clusters = run("pg_lsclusters", "-h", capture_output=True).stdout.split("\n")
    if not any(line.split()[:2] == ["15", "main"] for line in clusters if line):
        run("pg_createcluster", "15", "main", stdout=subprocess.DEVNULL)
    subprocess.run(  # noqa: S603 - "already running" is fine
        ["pg_ctlcluster", "15", "main", "start"],  # noqa: S607
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for("PostgreSQL", lambda: port_open(POSTGRES_PORT))
    password, name = secret("postgres-password"), database()
    # The name is checked by database() and the password a token_urlsafe: nothing to escape.
    if not psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{name}'"):  # noqa: S608
        psql(f"CREATE ROLE {name} LOGIN")
    psql(f"ALTER ROLE {name} PASSWORD '{password}'")
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):  # noqa: S608
        psql(f"CREATE DATABASE {name} OWNER {name}")
    return psql("SELECT to_regclass('django_migrations') IS NULL", name) == "t"


def prepare_database(new: bool) -> None:
    environment = write_environment("app-a")
    if not recorded("varnish"):
        # Nothing to purge yet (loading the launch story would try, and wait, for each object).
        environment["HTTP_CACHE_PURGE_URLS"] = ""
    manage = [str(PYTHON), "manage.py"]
    run(*manage, "migrate", "--no-input", "--verbosity", "0", cwd=ROOT, env=environment)
    if new:
        say("new database: loading the launch story")
        run(*manage, "loaddata", "conference", cwd=ROOT, env=environment)
    if static_files_outdated():
        say("collecting the static files (compressed once, about a minute)")
        run(*manage, "collectstatic", "--no-input", "--verbosity", "0", cwd=ROOT, env=environment)


def static_files_outdated() -> bool:
    """Whether collectstatic has work to do: no manifest yet, or a source newer than it (the
    project's static folder, or the installed packages: the admin's files)."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [ROOT / ".venv" / ".installed", *(ROOT / "newsroom" / "static").rglob("*")]
    built = manifest.stat().st_mtime
    return any(source.stat().st_mtime > built for source in sources if source.exists())


def port_open(port: int) -> bool:
    with socket.socket() as connection:
        connection.settimeout(0.5)
        return connection.connect_ex((HOST, port)) == 0


def redis_answers() -> bool:
    try:
        with socket.create_connection((HOST, REDIS_PORT), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis() -> None:
    data = VAR / "redis"
    data.mkdir(parents=True, exist_ok=True)
    config = data / "redis.conf"
    config.write_text(
        f"bind {HOST}\nport {REDIS_PORT}\nprotected-mode yes\ndaemonize yes\n"
        f"pidfile {VAR / 'redis.pid'}\nlogfile {VAR / 'redis.log'}\ndir {data}\n"
        "save 60 1000\nappendonly no\nmaxmemory 256mb\nmaxmemory-policy allkeys-lru\n"
    )
    run("redis-server", str(config))
    wait_for("Redis", redis_answers)


def start_app(part: str) -> None:
    port = APPS[part]
    log = (VAR / f"{part}.log").open("ab")
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "newsroom.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={os.environ.get('WEB_CONCURRENCY', '2')}",
        "--timeout=30",
        "--graceful-timeout=5",
        f"--access-logfile={VAR / f'{part}.access.log'}",
    ]
    # Its own session: its pid is its process group, so the tests can kill the whole server.
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=ROOT,
        env=write_environment(part),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    (VAR / f"{part}.pid").write_text(f"{process.pid}\n")
    wait_for(f"{part} on port {port}", lambda: http_status(port) == 200)


def start_varnish() -> None:
    vcl = (ROOT / "deploy" / "varnish" / "newsroom.vcl").read_text()
    for name, value in {
        "@@APP_A_PORT@@": APPS["app-a"],
        "@@APP_B_PORT@@": APPS["app-b"],
        "@@PURGE_SECRET@@": secret("purge-secret"),
    }.items():
        vcl = vcl.replace(name, str(value))
    compiled = VAR / "newsroom.vcl"
    compiled.write_text(vcl)
    # It holds the purge secret: readable by varnishd's own unprivileged user, nobody else.
    compiled.chmod(0o640)
    if os.geteuid() == 0:
        shutil.chown(compiled, group="varnish")
    secret("varnish-admin-secret")
    run(
        "varnishd",
        f"-a{HOST}:{VARNISH_PORT}",
        f"-T{HOST}:{VARNISH_ADMIN_PORT}",
        f"-S{VAR / 'varnish-admin-secret'}",
        f"-f{compiled}",
        f"-n{VAR / 'varnish'}",
        f"-P{VAR / 'varnish.pid'}",
        "-smalloc,256m",
        stdout=(VAR / "varnish.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    wait_for("Varnish", lambda: http_status(VARNISH_PORT) == 200)


STARTERS = {"redis": start_redis, "app-a": lambda: start_app("app-a")}
STARTERS |= {"app-b": lambda: start_app("app-b"), "varnish": start_varnish}


def start(parts) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    if set(parts) == set(PARTS):
        install_packages()
        prepare_database(postgres())
    for part in parts:
        if recorded(part):
            say(f"{part} is already running (pid {recorded(part)})")
            continue
        say(f"starting {part}")
        STARTERS[part]()
    status()


def status() -> None:
    addresses = {
        "varnish": f"http://{HOST}:{VARNISH_PORT}/  (admin {HOST}:{VARNISH_ADMIN_PORT})",
        "app-a": f"http://{HOST}:{APPS['app-a']}/",
        "app-b": f"http://{HOST}:{APPS['app-b']}/",
        "redis": f"redis://{HOST}:{REDIS_PORT}/0",
    }
    for part in PARTS:
        pid = recorded(part)
        print(f"  {part:8} {'pid ' + str(pid) if pid else 'stopped':11} {addresses[part]}")
    name = database()
    print(f"  {'postgres':8} {'cluster':11} postgres://{name}@{HOST}:{POSTGRES_PORT}/{name}")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in ("start", "stop", "status"):
        raise SystemExit(__doc__)
    parts = argv[1:] or list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise SystemExit(f"stack: unknown part {', '.join(sorted(unknown))}; parts: {PARTS}")
    if argv[0] == "start":
        start(parts)
    elif argv[0] == "stop":
        for part in reversed(parts):
            stop(part)
    else:
        status()


if __name__ == "__main__":
    main(sys.argv[1:])
