"""Who may do what to an article. The admin, the services and the public preview all ask here.

States: draft, in review, scheduled (published with a future publication time), published and
unpublished. Reporters move their own drafts into review (and back, to keep writing); editors make
every other move. Editing follows the same line: a reporter edits only their own drafts, an editor
anything.

An editor is whoever holds the model permission to change articles (articles.change_article): it
means "any article". Reporters do not hold it; they add articles (articles.add_article), submit
them (workflow.submit_article), and this module lets them change their own drafts.
"""

from django.utils.translation import gettext_noop

from articles.models import Article

DRAFT, REVIEW, SCHEDULED, PUBLISHED, UNPUBLISHED = (
    "draft",
    "review",
    "scheduled",
    "published",
    "unpublished",
)
# In English, as the versions' comments keep them; gettext() translates one for the reader.
STATE_LABELS = {
    DRAFT: gettext_noop("Draft"),
    REVIEW: gettext_noop("In review"),
    SCHEDULED: gettext_noop("Scheduled"),
    PUBLISHED: gettext_noop("Published"),
    UNPUBLISHED: gettext_noop("Unpublished"),
}


def state_of(status, published_at=None, *, article=None):
    """The workflow state of an article, or of a status and publication time about to be saved."""
    if article is not None:
        if article.is_scheduled:
            return SCHEDULED
        return article.status
    if status == Article.Status.PUBLISHED and published_at is not None:
        probe = Article(status=status, published_at=published_at)
        return SCHEDULED if probe.is_scheduled else PUBLISHED
    return status


def is_staff(user):
    return user.is_authenticated and user.is_active and user.is_staff


def is_editor(user):
    return is_staff(user) and user.has_perm("articles.change_article")


def is_author(user, article):
    return article.pk is not None and article.created_by_id == user.pk


def can_see(user, article):
    """Whether the admin lists the article for this user and the site previews it to them."""
    if is_editor(user):
        return True
    return (
        is_staff(user)
        and user.has_perm("articles.view_article")
        and (article.pk is None or is_author(user, article))
    )


def can_edit(user, article):
    """Whether the user may change the article's content (headline, body, quotes, mentions...)."""
    if is_editor(user):
        return True
    if not (is_staff(user) and user.has_perm("articles.add_article")):
        return False
    return article.pk is None or (
        is_author(user, article) and article.status == Article.Status.DRAFT
    )


def can_move(user, article, to_state):
    """Whether the user may move the article from its current state to `to_state`."""
    from_state = DRAFT if article.pk is None else state_of(None, article=article)
    if from_state == to_state:
        return can_edit(user, article)
    if not is_staff(user):
        return False
    if user.has_perm("workflow.publish_article"):
        return True  # editors and superusers: every move
    if not user.has_perm("workflow.submit_article"):
        return False
    mine = article.pk is None or is_author(user, article)
    return mine and (from_state, to_state) in {(DRAFT, REVIEW), (REVIEW, DRAFT)}


def allowed_states(user, article):
    """The states the user may leave the article in, its current one included if editable."""
    return [state for state in STATE_LABELS if can_move(user, article, state)]


class ArticleRulesBackend:
    """These rules as object permissions, for code that must not import the workflow.

    `user.has_perm("articles.view_article", article)` is can_see(); `"articles.change_article"`
    with an article is can_edit(). Listed in AUTHENTICATION_BACKENDS after ModelBackend, which
    answers every question without an object; this backend answers only those with an article.
    It authenticates no one.
    """

    RULES = {"articles.view_article": can_see, "articles.change_article": can_edit}

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        rule = self.RULES.get(perm)
        return bool(rule and isinstance(obj, Article) and rule(user, obj))
