"""Build a synthetic archive for load tests: articles, people, organizations, themes, quotes.

    python manage.py seed_archive --articles 100000

Deterministic (the same --seed gives the same archive), bulk inserts, the search index filled by
the same triggers as real edits. It writes into a separate database (--database-url, by default
var/archive.sqlite3), never the site's own unless --into-site-database is given.
"""

import random
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from articles.models import Article, Quote, Theme, ThemedArticle
from articles.sanitize import html_to_text
from newsroom.settings import env
from people.models import Organization, Person, Role

ALIAS = "archive"
BATCH = 2000

THEMES = [
    "Child protection", "Human trafficking", "Migration", "Human rights", "Asylum",
    "Refugees", "Labour exploitation", "Border policy", "Smuggling", "Statelessness",
    "Forced marriage", "Child labour", "Detention", "Resettlement", "Climate migration",
    "Remittances", "Internal displacement", "Family reunification", "Domestic work",
    "Unaccompanied minors", "Sexual exploitation", "Organ trafficking", "Data and research",
    "Courts and prosecutions", "Civil society", "Funding", "Health", "Education",
    "Digital risks", "Return and reintegration", "Labour migration", "Diaspora",
    "Gender-based violence", "Sea crossings", "Desert routes", "Legal pathways",
    "Victim support", "Prevention", "Policy", "International cooperation",
]  # fmt: skip
FIRST = (
    "Amina Omar Youssef Laila Karim Nadia Samir Huda Tarek Mona Ali Fatima Hassan Salma Khaled "
    "Rania Ahmed Yasmin Mahmoud Dina Carlos Maria Scott Anna Peter Grace John Chloe Ibrahim Zainab"
).split()
LAST = (
    "Gabr Hassan El-Sayed Mansour Farouk Nasser Saleh Haddad Khalil Aziz Cruz Sanford Mensah "
    "Okafor Diallo Traore Benali Rahman Kamel Fathy Morsi Ghali Saad Zaki Adel Tawfik Lotfy Hamdy"
).split()
PLACES = (
    "Cairo Alexandria Aswan Khartoum Tripoli Tunis Amman Beirut Rabat Niamey Agadez Addis Ababa "
    "Nairobi Sanaa Geneva Brussels Athens Rome Valletta Lampedusa"
).split()
KINDS = [k for k, _ in Organization.Kind.choices]
ORG_WORDS = (
    "National Regional International Coordinating Independent Joint Arab African Mediterranean"
).split()
ORG_NOUNS = (
    "Council Committee Agency Office Institute Network Foundation Centre Commission Alliance"
).split()
TOPICS = (
    "Childhood Migration Trafficking Protection Labour Refugees Rights Justice Women Youth"
).split()
TITLES = (
    "Director|Chairperson|Chief of Mission|Minister|Spokesperson|Researcher|Programme Officer|"
    "Deputy Director|Head of Protection|Legal Adviser"
).split("|")
VERBS = (
    "warns|launches|calls for|reports on|hosts talks on|publishes study of|funds|questions|"
    "expands|reviews"
).split("|")
WORDS = (
    "children families officials report conference government protection response victims "
    "trafficking migration border court prosecution policy support shelter evidence research "
    "community partners funding programme rights survivors exploitation labour smuggling routes "
    "coordination prevention assistance health education recovery reintegration data agency "
    "ministry council committee network regional national international cooperation statement "
    "recommendations risk vulnerable groups services legal identification referral mechanism "
    "training judges police prosecutors social workers teachers the a of and in to for with on "
    "by from at said after before during across between new first annual increase decline"
).split()


class Command(BaseCommand):
    help = "Build a deterministic synthetic archive in a separate database, for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--database-url",
            default=f"sqlite:///{Path(settings.BASE_DIR) / 'var' / 'archive.sqlite3'}",
            help="Where to build it (default var/archive.sqlite3). It must be empty.",
        )
        parser.add_argument(
            "--into-site-database",
            action="store_true",
            help="Allow writing into the site's own database (DATABASE_URL).",
        )

    def handle(self, *args, articles, seed, database_url, into_site_database, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        config = env.database(database_url)
        if config["NAME"] == settings.DATABASES["default"]["NAME"] and not into_site_database:
            raise CommandError(
                "That is the site's own database. Pass --into-site-database if you mean it."
            )
        if config["ENGINE"].endswith("sqlite3"):
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        settings.DATABASES[ALIAS] = config
        connections.settings[ALIAS] = connections.configure_settings(
            {"default": dict(settings.DATABASES["default"]), ALIAS: config}
        )[ALIAS]
        call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
        if Article.objects.using(ALIAS).exists():
            raise CommandError(f"{database_url} already holds articles; start from an empty one.")
        if connections[ALIAS].vendor == "sqlite":
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=OFF")
        Archive(random.Random(seed), articles, self.stderr).build()
        # Table statistics, so the query planner knows a theme holds thousands of articles and a
        # person dozens (SQLite keeps none until asked; PostgreSQL's autovacuum would, later).
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"Built {articles} articles in {database_url}.")


class Archive:
    def __init__(self, rng, article_count, out):
        self.rng = rng
        self.article_count = article_count
        self.out = out
        # Realistic proportions for a specialist newsroom's archive.
        self.people_count = max(4, article_count // 30)
        self.org_count = max(4, article_count // 150)
        self.now = timezone.now()

    def save(self, model, rows):
        model.objects.using(ALIAS).bulk_create(rows, batch_size=BATCH)

    def build(self):
        with transaction.atomic(using=ALIAS):
            self.build_themes()
            self.build_organizations()
            self.build_people()
        progress = tqdm(total=self.article_count, desc="articles", unit="", file=self.out)
        for start in range(0, self.article_count, BATCH):
            with transaction.atomic(using=ALIAS):
                self.build_articles(start + 1, min(start + BATCH, self.article_count))
            progress.update(min(BATCH, self.article_count - start))
        progress.close()

    def build_themes(self):
        self.themes = [
            Theme(pk=i, name=name, slug=slugify(name), description=f"Coverage of {name.lower()}.")
            for i, name in enumerate(THEMES, 1)
        ]
        self.save(Theme, self.themes)

    def build_organizations(self):
        rng, orgs = self.rng, []
        for i in range(1, self.org_count + 1):
            name = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_NOUNS)} for {rng.choice(TOPICS)} {i}"
            orgs.append(
                Organization(
                    pk=i,
                    name=name,
                    slug=slugify(name),
                    short_name="".join(w[0] for w in name.split()[:-1]).upper() + str(i),
                    kind=rng.choice(KINDS),
                    country=rng.choice(PLACES),
                    # One in five belongs to an earlier one, so parents always exist first.
                    parent_id=rng.randint(1, i - 1) if i > 1 and rng.random() < 0.2 else None,
                )
            )
        self.organizations = orgs
        self.save(Organization, orgs)

    def build_people(self):
        rng, people, roles = self.rng, [], []
        for i in range(1, self.people_count + 1):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
            people.append(Person(pk=i, name=name, slug=slugify(name), bio=""))
            for order, org in enumerate(rng.sample(self.organizations, rng.randint(1, 2))):
                roles.append(
                    Role(person_id=i, organization_id=org.pk, title=rng.choice(TITLES), order=order)
                )
        self.people = people
        self.save(Person, people)
        self.save(Role, roles)

    def paragraph(self):
        words = self.rng.choices(WORDS, k=self.rng.randint(30, 60))
        return " ".join(words).capitalize() + "."

    def build_articles(self, first, last):
        rng = self.rng
        articles, themed, quotes = [], [], []
        people_links, org_links = [], []
        PeopleLink = Article.people.through
        OrgLink = Article.organizations.through
        for i in range(first, last + 1):
            org = rng.choice(self.organizations)
            headline = (
                f"{org.short_name} {rng.choice(VERBS)} {rng.choice(THEMES).lower()} "
                f"in {rng.choice(PLACES)}"
            )
            paragraphs = [self.paragraph() for _ in range(rng.randint(3, 6))]
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            chance = rng.random()
            if chance < 0.03:
                status, published_at = Article.Status.DRAFT, None
            elif chance < 0.05:
                status = Article.Status.PUBLISHED
                published_at = self.now + timedelta(hours=rng.randint(1, 24 * 30))
            else:
                status = Article.Status.PUBLISHED
                published_at = self.now - timedelta(minutes=rng.randint(1, 60 * 24 * 365 * 10))
            themes = rng.sample(self.themes, rng.randint(1, 3))
            people = rng.sample(self.people, rng.randint(0, 4))
            orgs = [org, *rng.sample(self.organizations, rng.randint(0, 2))]
            orgs = list({o.pk: o for o in orgs}.values())
            keywords = [t.name for t in themes] + [p.name for p in people]
            keywords += [f"{o.name} {o.short_name}" for o in orgs]
            articles.append(
                Article(
                    pk=i,
                    headline=headline,
                    slug=f"{slugify(headline)}-{i}",
                    standfirst=paragraphs[0][:300],
                    body=body,
                    body_text=html_to_text(body),
                    search_keywords=" ".join(keywords),
                    dateline=rng.choice(PLACES).upper(),
                    source="Newsroom archive",
                    status=status,
                    published_at=published_at,
                )
            )
            themed += [ThemedArticle(content_object_id=i, tag_id=t.pk) for t in themes]
            people_links += [PeopleLink(article_id=i, person_id=p.pk) for p in people]
            org_links += [OrgLink(article_id=i, organization_id=o.pk) for o in orgs]
            for order, person in enumerate(people[: rng.randint(0, 3)], 1):
                quotes.append(
                    Quote(
                        article_id=i,
                        person_id=person.pk,
                        text=self.paragraph(),
                        capacity=rng.choice(TITLES),
                        order=order,
                    )
                )
        self.save(Article, articles)
        self.save(ThemedArticle, themed)
        self.save(PeopleLink, people_links)
        self.save(OrgLink, org_links)
        self.save(Quote, quotes)
