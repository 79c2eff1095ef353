"""Which cached public pages each kind of edit makes stale (newsroom/invalidation/keys.py).

Pages carry the keys of every instance they show (the models in TRACKED) and of the lists they
show, which the views name:
- ARTICLES: the published articles in order (the front page, /articles/, the feeds, sitemaps and
  API lists), and the counts drawn from them; THEMES: which themes have stories, and how many;
  CORRECTIONS: the corrections feed; SEARCH: search results; PEOPLE, ORGANIZATIONS: the indexes;
- `keys.listing(Theme, pk)`, `keys.listing(Person, pk)`, `keys.listing(Organization, pk)`: a
  theme's stories, a person's quotes and stories, an organization's stories.

An edit changes the keys of what it touched, so every page showing it goes, and the keys of the
lists it may have joined or left (the lists it was on show it, and go with its own key):
- an article: its own key; if it is or was published (or scheduled), SEARCH, and when its status,
  publication time or edition changed (it appeared, went, was scheduled or moved in the order),
  also ARTICLES, THEMES, CORRECTIONS and the lists of its themes, the people it mentions or quotes
  and the organizations it mentions. A draft's edits change no public list. When it appears or
  goes, or is linked to another original, the stories it translates or that translate it (whose
  pages link to it only while it is published) change too;
- its themes, mentions and quotes: the article and, if it is published or scheduled, the list of
  the theme, person or organization, ARTICLES (lists filtered by them, in the API) and SEARCH;
- a correction: the article and CORRECTIONS; a theme, person or organization: itself, its index,
  SEARCH (names are search keywords), ARTICLES (the API filters lists by their slugs), and an
  organization's parent's list; a role: itself and
  the lists of its person and organization (their pages list roles), and both indexes.
A page that shows too much to list (a sitemap) has ALL, which every edit changes.

Scheduled publication needs no edit: no page is kept past the next scheduled moment
(newsroom/pagecache.py).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from newsroom.invalidation import keys
from people.models import Organization, Person, Role
from people.pagekeys import ORGANIZATIONS, PEOPLE

from .images import Image
from .models import Article, Correction, Quote, Theme, ThemedArticle

TRACKED = (Article, Theme, Quote, Correction, Image, Person, Organization, Role)
ARTICLES = "articles"
THEMES = "themes"
CORRECTIONS = "corrections"
SEARCH = "search"
MENTIONS = {Article.people.through: Person, Article.organizations.through: Organization}


def article_key(pk) -> str:
    return f"article:{pk}"


def lists_of(article_pk) -> list[str]:
    """The keys of the theme, person and organization lists an article is on (four queries)."""
    themes = ThemedArticle.objects.filter(content_object_id=article_pk).values_list("tag_id")
    people = Article.people.through.objects.filter(article_id=article_pk).values_list("person_id")
    quoted = Quote.objects.filter(article_id=article_pk).values_list("person_id")
    organizations = Article.organizations.through.objects.filter(article_id=article_pk)
    return [
        *(keys.listing(Theme, pk) for (pk,) in themes),
        *(keys.listing(Person, pk) for (pk,) in {*people, *quoted}),
        *(keys.listing(Organization, pk) for (pk,) in organizations.values_list("organization_id")),
    ]


@receiver(pre_save, sender=Article)
def note_place_in_lists(sender, instance, raw=False, **kwargs):
    """What decides where the article is listed, before this save (None: a new article)."""
    before = None
    if raw or not instance._state.adding:  # a fixture's row may exist already
        before = sender.objects.filter(pk=instance.pk)
        before = before.values_list("status", "published_at", "language", "translation_of").first()
    instance._listed_as = before


def is_public(article_pk) -> bool:
    """Published or scheduled: what readers see or will. Edits of other stories (drafts, in
    review) change no public list."""
    return Article.objects.filter(pk=article_pk, status=Article.Status.PUBLISHED).exists()


@receiver(post_save, sender=Article)
def article_saved(sender, instance, created, raw=False, **kwargs):
    names = [article_key(instance.pk)]
    before = getattr(instance, "_listed_as", None)
    now = (instance.status, instance.published_at, instance.language, instance.translation_of_id)
    if Article.Status.PUBLISHED in (now[0], before[0] if before else None):
        names.append(SEARCH)
        if before is None or before[:3] != now[:3]:
            names += [ARTICLES, THEMES, CORRECTIONS, *lists_of(instance.pk)]
    if before is None or before != now:
        names += translations_of(instance, before)
    keys.changed(*names)


def translations_of(article, before) -> list[str]:
    """The keys of the stories whose pages link to this one as their translation or original
    (a new story can have no translation yet)."""
    linked = {article.translation_of_id, before and before[3]} - {None}
    if before is not None:
        translations = Article.objects.filter(translation_of=article.pk)
        linked |= set(translations.values_list("pk", flat=True))
    return [article_key(pk) for pk in sorted(linked)]


@receiver(pre_delete, sender=Article)
def note_lists_before_deletion(sender, instance, **kwargs):
    """The lists it is on: its links to people and organizations go without a signal."""
    instance._lists_before_deletion = lists_of(instance.pk)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    lists = getattr(instance, "_lists_before_deletion", [])
    keys.changed(article_key(instance.pk), ARTICLES, THEMES, CORRECTIONS, SEARCH, *lists)


@receiver(post_save, sender=ThemedArticle)
@receiver(post_delete, sender=ThemedArticle)
def theme_link_changed(sender, instance, **kwargs):
    story = instance.content_object_id
    if is_public(story):
        keys.changed(
            article_key(story), keys.listing(Theme, instance.tag_id), ARTICLES, THEMES, SEARCH
        )
    else:
        keys.changed(article_key(story))


@receiver(post_save, sender=Quote)
@receiver(post_delete, sender=Quote)
def quote_changed(sender, instance, **kwargs):
    names = [keys.key_for(instance), article_key(instance.article_id)]
    if is_public(instance.article_id):
        names += [keys.listing(Person, instance.person_id), ARTICLES, SEARCH]
    keys.changed(*names)


@receiver(m2m_changed, sender=Article.people.through)
@receiver(m2m_changed, sender=Article.organizations.through)
def mentions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """People or organizations mentioned by an article (or articles mentioning one of them)."""
    mentioned = MENTIONS[sender]
    if action == "pre_clear":  # which ones are about to go: post_clear does not say
        if reverse:
            instance._cleared = set(instance.articles.values_list("pk", flat=True))
        else:
            related = instance.people if mentioned is Person else instance.organizations
            instance._cleared = set(related.values_list("pk", flat=True))
        return
    if not action.startswith("post_"):
        return
    pks = pk_set if action != "post_clear" else getattr(instance, "_cleared", set())
    if reverse:
        names = [*(article_key(pk) for pk in pks), keys.listing(mentioned, instance.pk)]
    elif instance.status == Article.Status.PUBLISHED:
        names = [article_key(instance.pk), *(keys.listing(mentioned, pk) for pk in pks)]
    else:
        names = [article_key(instance.pk)]
    if len(names) > 1:
        names += [ARTICLES, SEARCH]
    keys.changed(*names)


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def correction_changed(sender, instance, **kwargs):
    keys.changed(keys.key_for(instance), article_key(instance.article_id), CORRECTIONS)


@receiver(post_save, sender=Theme)
@receiver(post_delete, sender=Theme)
def theme_changed(sender, instance, **kwargs):
    # ARTICLES too: the API's lists filtered by its slug (an empty answer shows no instance).
    names = [keys.key_for(instance), keys.listing(Theme, instance.pk), THEMES, SEARCH, ARTICLES]
    keys.changed(*names)


@receiver(post_save, sender=Person)
@receiver(post_delete, sender=Person)
@receiver(post_save, sender=Organization)
@receiver(post_delete, sender=Organization)
def name_changed(sender, instance, **kwargs):
    index = PEOPLE if sender is Person else ORGANIZATIONS
    names = [keys.key_for(instance), keys.listing(sender, instance.pk), index, SEARCH, ARTICLES]
    if getattr(instance, "parent_id", None):  # listed on its parent's page
        names.append(keys.listing(Organization, instance.parent_id))
    keys.changed(*names)


@receiver(post_save, sender=Role)
@receiver(post_delete, sender=Role)
def role_changed(sender, instance, **kwargs):
    keys.changed(
        keys.key_for(instance),
        keys.listing(Person, instance.person_id),
        keys.listing(Organization, instance.organization_id),
        PEOPLE,
        ORGANIZATIONS,
    )


@receiver(post_save, sender=Image)
@receiver(post_delete, sender=Image)
def image_changed(sender, instance, **kwargs):
    keys.changed(keys.key_for(instance))


def start_tracking():
    keys.track(*TRACKED)
