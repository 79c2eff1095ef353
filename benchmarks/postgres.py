"""`make bench DB=postgres`: a PostgreSQL 15 of the bench's own, started the way .ci/run starts one.

The cluster is Debian's (installed when missing, created when missing, started if stopped). The
bench gets a role and a database of its own, `newsroom_bench`, with a password generated once into
var/bench/pg-password, so that nothing here touches the databases of CI or of anyone else on the
machine. The archive is seeded into it once and reused, like var/archive.sqlite3: a database that
holds the articles asked for is kept; one seeded part-way (an interrupted build) is dropped and
seeded again.
"""

import secrets
import shutil
import subprocess
import time
from pathlib import Path

NAME = "newsroom_bench"
HOST, PORT = "127.0.0.1", 5432
VERSION = "15"


def sh(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, text=True, **kwargs)  # noqa: S603 (our commands)


def psql_as_postgres(sql: str) -> None:
    """Run SQL as the cluster's superuser (the bench runs as root, as .ci/run does)."""
    sh(["su", "postgres", "-c", "psql -q -v ON_ERROR_STOP=1"], input=sql, capture_output=True)


def start_cluster() -> None:
    if not shutil.which("pg_ctlcluster"):
        print(f"Installing postgresql-{VERSION} (Debian's package)", flush=True)
        sh(["apt-get", "update", "-qq"])
        sh(["apt-get", "install", "-y", "-qq", f"postgresql-{VERSION}"], capture_output=True)
    clusters = sh(["pg_lsclusters", "-h"], capture_output=True).stdout.split("\n")
    if not any(line.split()[:2] == [VERSION, "main"] for line in clusters if line.strip()):
        sh(["pg_createcluster", VERSION, "main"], capture_output=True)
    subprocess.run(["pg_ctlcluster", VERSION, "main", "start"], capture_output=True)  # noqa: S603,S607
    for _ in range(30):
        ready = subprocess.run(["pg_isready", "-q", "-h", HOST, "-p", str(PORT)])  # noqa: S603,S607
        if ready.returncode == 0:
            return
        time.sleep(1)
    raise SystemExit(f"PostgreSQL did not start on {HOST}:{PORT}; see /var/log/postgresql/")


def password(folder: Path) -> str:
    """Generated once; local only (the server listens on 127.0.0.1)."""
    path = folder / "pg-password"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def url_for(secret: str) -> str:
    return f"postgres://{NAME}:{secret}@{HOST}:{PORT}/{NAME}"


def ensure_database(folder: Path) -> str:
    """Start the cluster, make sure the role (with its current password) and database exist,
    and return the database's URL."""
    start_cluster()
    secret = password(folder)
    # The name is ours and the password generated here: nothing from outside is interpolated.
    psql_as_postgres(
        f"""
        SELECT 'CREATE ROLE {NAME} LOGIN' WHERE NOT EXISTS
            (SELECT FROM pg_roles WHERE rolname = '{NAME}') \\gexec
        ALTER ROLE {NAME} LOGIN PASSWORD '{secret}';
        SELECT 'CREATE DATABASE {NAME} OWNER {NAME}' WHERE NOT EXISTS
            (SELECT FROM pg_database WHERE datname = '{NAME}') \\gexec
        """  # noqa: S608
    )
    return url_for(secret)


def article_count(url: str) -> int:
    """Articles the bench's database holds: 0 when it was never seeded (or never migrated)."""
    import psycopg

    with psycopg.connect(url) as connection:
        exists = connection.execute("SELECT to_regclass('articles_article')").fetchone()[0]
        if exists is None:
            return 0
        return connection.execute("SELECT count(*) FROM articles_article").fetchone()[0]


def recreate_database() -> None:
    psql_as_postgres(
        f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE);\nCREATE DATABASE {NAME} OWNER {NAME};\n"
    )


def ensure_archive(folder: Path, articles: int, seed) -> str:
    """The bench's database holding the archive, seeded (`seed(url, articles)`) unless it
    already holds the articles asked for; its URL."""
    url = ensure_database(folder)
    held = article_count(url)
    if held >= articles:
        print(f"Reusing the archive in PostgreSQL's {NAME} ({held} articles).", flush=True)
        return url
    if held:
        print(f"{NAME} holds {held} articles of {articles}: seeding it again.", flush=True)
        recreate_database()
    seed(url, articles)
    return url
