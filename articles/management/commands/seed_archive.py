"""Build a synthetic archive for load tests: articles, people, organizations, themes, quotes
(in their speakers' roles), corrections.

    python manage.py seed_archive --articles 100000 [--arabic 0.3]

Deterministic (the same --seed gives the same archive), bulk inserts, the search index filled by
the same triggers as real edits. It writes into a separate database (--database-url, by default
var/archive.sqlite3), never the site's own unless --into-site-database is given.

--arabic gives the Arabic edition a share of the stories: Arabic headlines, standfirsts, bodies
and quotes from the beat's Arabic word stock (articles/management/archive_arabic.py), on Arabic
themes, some with their vowels written, some the translations of English stories; people,
organizations and roles get their Arabic names. Without it the archive is the English one, the
same as before the editions (the Arabic choices draw on the random sequence only when asked).
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from articles.management import archive_arabic as arabic
from articles.management import archive_records as records
from articles.models import Article, Correction, Quote, Theme, ThemedArticle
from articles.sanitize import html_to_text
from newsroom import editions
from newsroom.settings import env
from people.models import Organization, Person, Role

ALIAS = "archive"
BATCH = 2000
# Of the Arabic stories, how many translate an English one (recent, published, not yet translated).
TRANSLATED = 0.4
TEN_YEARS = 60 * 24 * 365 * 10  # minutes

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
            "--arabic",
            type=float,
            default=0.0,
            metavar="SHARE",
            help="The share of the articles written in Arabic, from 0 (the default: none) to 1; "
            "e.g. 0.3.",
        )
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

    def handle(self, *args, articles, seed, arabic, database_url, into_site_database, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        if not 0 <= arabic <= 1:
            raise CommandError("--arabic is a share of the articles, from 0 to 1 (e.g. 0.3).")
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
        archive = Archive(random.Random(seed), articles, self.stderr, arabic=arabic)
        archive.build()
        # Table statistics, so the query planner knows a theme holds thousands of articles and a
        # person dozens (SQLite keeps none until asked; PostgreSQL's autovacuum would, later).
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("ANALYZE")
        in_arabic = f" ({archive.arabic_count} in Arabic)" if arabic else ""
        self.stdout.write(f"Built {articles} articles{in_arabic} in {database_url}.")


@dataclass
class Story:
    """One generated article and what it links to, before it becomes rows."""

    pk: int
    language: str
    headline: str
    paragraphs: list
    status: str
    published_at: object
    dateline: str
    source: str
    themes: list
    people: list
    organizations: list
    translation_of: int | None = None
    quotes: list = field(default_factory=list)  # (person, words), in their first role

    def keywords(self):
        names = [theme.name for theme in self.themes]
        if self.language == editions.ARABIC:  # either script finds them
            names += [f"{p.name_ar} {p.name}" for p in self.people]
            names += [f"{o.name_ar} {o.name} {o.short_name}" for o in self.organizations]
        else:
            names += [p.name for p in self.people]
            names += [f"{o.name} {o.short_name}" for o in self.organizations]
        return " ".join(names)

    def article(self):
        body = "".join(f"<p>{p}</p>" for p in self.paragraphs)
        return Article(
            pk=self.pk,
            language=self.language,
            translation_of_id=self.translation_of,
            headline=self.headline,
            slug=f"{slugify(self.headline, allow_unicode=True)}-{self.pk}",
            standfirst=self.paragraphs[0][:300],
            body=body,
            body_text=html_to_text(body),
            search_keywords=self.keywords(),
            dateline=self.dateline,
            source=self.source,
            status=self.status,
            published_at=self.published_at,
        )


class Archive:
    def __init__(self, rng, article_count, out, *, arabic=0.0):
        self.rng = rng
        self.article_count = article_count
        self.out = out
        self.arabic = arabic
        self.arabic_count = 0
        # Recent published English stories, not yet translated: what an Arabic story may translate.
        self.originals = []
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
            last = min(start + BATCH, self.article_count)
            with transaction.atomic(using=ALIAS):
                self.write([self.story(pk) for pk in range(start + 1, last + 1)])
            progress.update(last - start)
        progress.close()

    def build_themes(self):
        self.themes = [
            Theme(pk=i, name=name, slug=slugify(name), description=f"Coverage of {name.lower()}.")
            for i, name in enumerate(THEMES, 1)
        ]
        # The Arabic edition's own, in the same order: an English theme's pk + len(THEMES).
        self.arabic_themes = [
            Theme(
                pk=len(THEMES) + i,
                name=name,
                slug=slugify(name, allow_unicode=True),
                description=arabic.theme_description(name),
                language=editions.ARABIC,
            )
            for i, name in enumerate(arabic.THEMES if self.arabic else [], 1)
        ]
        self.save(Theme, self.themes + self.arabic_themes)

    def build_organizations(self):
        rng, orgs = self.rng, []
        for i in range(1, self.org_count + 1):
            word, noun, topic = rng.choice(ORG_WORDS), rng.choice(ORG_NOUNS), rng.choice(TOPICS)
            name = f"{word} {noun} for {topic} {i}"
            orgs.append(
                Organization(
                    pk=i,
                    name=name,
                    name_ar=arabic.organization_name(word, noun, topic, i) if self.arabic else "",
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
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name_ar = arabic.person_name(first, last, i) if self.arabic else ""
            name = f"{first} {last} {i}"
            people.append(Person(pk=i, name=name, name_ar=name_ar, slug=slugify(name), bio=""))
            for order, org in enumerate(rng.sample(self.organizations, rng.randint(1, 2))):
                title = rng.choice(TITLES)
                roles.append(
                    Role(
                        person_id=i,
                        organization_id=org.pk,
                        title=title,
                        title_ar=arabic.TITLES[title] if self.arabic else "",
                        order=order,
                    )
                )
        self.people = people
        self.save(Person, people)
        self.save(Role, roles)  # which gives them their ids, on both databases
        self.speakers = records.Speakers(roles, self.organizations)

    def paragraph(self):
        words = self.rng.choices(WORDS, k=self.rng.randint(30, 60))
        return " ".join(words).capitalize() + "."

    def publication(self):
        """A status and publication time: most published over ten years, a few drafts, a few
        scheduled within the month."""
        rng, chance = self.rng, self.rng.random()
        if chance < 0.03:
            return Article.Status.DRAFT, None
        if chance < 0.05:
            return Article.Status.PUBLISHED, self.now + timedelta(hours=rng.randint(1, 24 * 30))
        return Article.Status.PUBLISHED, self.now - timedelta(minutes=rng.randint(1, TEN_YEARS))

    def mentions(self, organization):
        """The people and organizations a story names: its main organization first."""
        rng = self.rng
        people = rng.sample(self.people, rng.randint(0, 4))
        orgs = [organization, *rng.sample(self.organizations, rng.randint(0, 2))]
        return people, list({o.pk: o for o in orgs}.values())

    def story(self, pk):
        if self.arabic and self.rng.random() < self.arabic:
            return self.arabic_story(pk)
        return self.english_story(pk)

    def english_story(self, pk):
        rng = self.rng
        org = rng.choice(self.organizations)
        headline = (
            f"{org.short_name} {rng.choice(VERBS)} {rng.choice(THEMES).lower()} "
            f"in {rng.choice(PLACES)}"
        )
        paragraphs = [self.paragraph() for _ in range(rng.randint(3, 6))]
        status, published_at = self.publication()
        themes = rng.sample(self.themes, rng.randint(1, 3))
        people, orgs = self.mentions(org)
        story = Story(
            pk, editions.ENGLISH, headline, paragraphs, status, published_at,
            rng.choice(PLACES).upper(), "Newsroom archive", themes, people, orgs,
        )  # fmt: skip
        quoted = people[: rng.randint(0, 3)]
        story.quotes = [(person, self.paragraph()) for person in quoted]
        if self.arabic and published_at is not None and published_at <= self.now:
            self.originals.append(story)
            if len(self.originals) > 2 * BATCH:
                del self.originals[:BATCH]
        return story

    def arabic_story(self, pk):
        """An Arabic story of its own, or (TRANSLATED of them) the translation of a recent English
        one: the same people, organizations and (Arabic) themes, published a little later."""
        rng = self.rng
        original = None
        if self.originals and rng.random() < TRANSLATED:
            original = self.originals.pop(rng.randrange(len(self.originals)))
        with_vowels = rng.random() < 0.25
        if original is None:
            org = rng.choice(self.organizations)
            themes = rng.sample(self.arabic_themes, rng.randint(1, 3))
            people, orgs = self.mentions(org)
            status, published_at = self.publication()
        else:
            org, orgs, people = original.organizations[0], original.organizations, original.people
            themes = [self.arabic_themes[theme.pk - 1] for theme in original.themes]
            status = original.status
            published_at = original.published_at + timedelta(minutes=rng.randint(30, 24 * 60))
        headline = arabic.headline(rng, org, themes[0].name, with_vowels=with_vowels)
        paragraphs = [
            arabic.paragraph(rng, with_vowels=with_vowels) for _ in range(rng.randint(3, 6))
        ]
        story = Story(
            pk, editions.ARABIC, headline, paragraphs, status, published_at,
            rng.choice(arabic.PLACES), arabic.SOURCE, themes, people, orgs,
            translation_of=original.pk if original else None,
        )  # fmt: skip
        quoted = people[: rng.randint(0, 3)]
        story.quotes = [(person, arabic.paragraph(rng)) for person in quoted]
        self.arabic_count += 1
        return story

    def write(self, stories):
        PeopleLink = Article.people.through
        OrgLink = Article.organizations.through
        articles, themed, quotes, people_links, org_links, corrections = [], [], [], [], [], []
        for story in stories:
            articles.append(story.article())
            themed += [ThemedArticle(content_object_id=story.pk, tag_id=t.pk) for t in story.themes]
            people_links += [PeopleLink(article_id=story.pk, person_id=p.pk) for p in story.people]
            org_links += [
                OrgLink(article_id=story.pk, organization_id=o.pk) for o in story.organizations
            ]
            quotes += [
                self.speakers.quote(story, order, person, words)
                for order, (person, words) in enumerate(story.quotes, 1)
            ]
            corrections.append(records.correction(self.rng, story, self.now, PLACES))
        self.save(Article, articles)
        self.save(ThemedArticle, themed)
        self.save(PeopleLink, people_links)
        self.save(OrgLink, org_links)
        self.save(Quote, quotes)
        self.save(Correction, list(filter(None, corrections)))
