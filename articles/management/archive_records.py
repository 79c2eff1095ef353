"""What seed_archive adds to its stories beside their words: the role each quoted person speaks
in, with the capacity readers see, and a correction on a few published stories, so the desk's
insights (quotes by organization and kind, corrections over time) have data at archive scale.

Kept apart from the command, as archive_arabic.py is, so that the command reads as what it
builds."""

from datetime import timedelta

from articles.models import Correction, Quote
from articles.quotes import capacity_in
from newsroom import editions

from . import archive_arabic as arabic

# Of the published stories, how many carry a correction.
CORRECTED = 0.02

WRONG = [
    "The story placed the meeting in {place}.",
    "The story gave the number of {noun} as {wrong}.",
    "The story said the report was published in {year}.",
]
RIGHT = [
    "The meeting was held in {place}.",
    "The number is {right}.",
    "It was published in {year}.",
]
WRONG_AR = [
    "ذكرت القصة أن الاجتماع عُقد في {place}.",
    "ذكرت القصة أن عدد {noun} بلغ {wrong}.",
    "ذكرت القصة أن التقرير صدر عام {year}.",
]
RIGHT_AR = [
    "عُقد الاجتماع في {place}.",
    "العدد الصحيح {right}.",
    "صدر التقرير عام {year}.",
]
NOUNS = ["children", "victims", "shelters", "prosecutions", "participants"]
NOUNS_AR = ["الأطفال", "الضحايا", "دور الإيواء", "الملاحقات القضائية", "المشاركين"]


class Speakers:
    """Each person's first role (the one their page lists first), and the capacity it gives a
    quote in each edition (articles.quotes.capacity_in words it), once per person and language."""

    def __init__(self, roles, organizations):
        by_pk = {organization.pk: organization for organization in organizations}
        self.roles = {}
        for role in roles:  # in their order: a person's first role comes first
            self.roles.setdefault(role.person_id, role)
            role.organization = by_pk[role.organization_id]
        self.capacities = {}

    def quote(self, story, order, person, words):
        role = self.roles[person.pk]
        key = (person.pk, story.language)
        if key not in self.capacities:
            self.capacities[key] = capacity_in(role, story.language)
        return Quote(
            article_id=story.pk,
            person_id=person.pk,
            role_id=role.pk,
            text=words,
            capacity=self.capacities[key],
            order=order,
        )


def correction(rng, story, now, places):
    """A correction on CORRECTED of the published stories, dated a few days after the story (and
    not after now: the archive's corrections are all public); None for the others."""
    if story.published_at is None or story.published_at > now or rng.random() >= CORRECTED:
        return None
    published_at = story.published_at + timedelta(hours=rng.randint(24, 24 * 6))
    if published_at > now:
        return None
    kind = rng.randrange(len(WRONG))
    in_arabic = story.language == editions.ARABIC
    wrong_place, right_place = rng.sample(arabic.PLACES if in_arabic else places, 2)
    wrong_number = rng.randint(10, 900)
    year = rng.randint(2015, 2025)
    values = {
        "place": wrong_place,
        "noun": rng.choice(NOUNS_AR if in_arabic else NOUNS),
        "wrong": wrong_number,
        "year": year,
    }
    wrong = (WRONG_AR if in_arabic else WRONG)[kind].format(**values)
    values.update(place=right_place, right=wrong_number + rng.randint(1, 90), year=year - 1)
    right = (RIGHT_AR if in_arabic else RIGHT)[kind].format(**values)
    return Correction(article_id=story.pk, published_at=published_at, wrong=wrong, right=right)
