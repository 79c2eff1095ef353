"""The two editions in the desk's forms: which language a story or a quote is in, and the
translation links between them.

A translation is a link, not a copy (newsroom/editions.py): an Arabic story names its English
original, an Arabic quote the words as they were said. The models check the links (clean());
these helpers only offer sensible choices, labelled with each story's language so an editor never
has to guess which of two same-headline stories is which.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Quote
from people.models import Role


def article_label(article):
    """ "Headline (Arabic)": the story and its edition, in choosers and autocompletes."""
    return f"{article.headline or article.pk} ({article.get_language_display()})"


def quote_label(quote):
    """The words, who said them and the story's language, for a quote chooser."""
    words = Truncator(quote.text).chars(60)
    return f"“{words}”, {quote.person.name} ({quote.article.get_language_display()})"


@admin.display(description=_("language"), ordering="article__language")
def article_language(obj):
    """A list column: the language of the row's story (the list selects the article with it)."""
    article = obj.article
    return article.get_language_display() if article is not None else "—"


class EditionAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete, with each story's language beside its headline, and each role
    with the person who holds it ("Naela Gabr: Chairperson, NCCPIM&TIP"): a quote's role is
    picked among everyone's."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Article):
            result["text"] = article_label(obj)
        elif isinstance(obj, Role):
            result["text"] = f"{obj.person.name}: {obj}"
        return result


def is_autocomplete_for(request, field_name):
    """Whether this request is the article autocomplete of `field_name` (e.g. translation_of)."""
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("field_name") == field_name
    )


def originals_only(queryset):
    """Stories that may be translated: originals, never a translation (no chains)."""
    return queryset.filter(translation_of__isnull=True)


def original_quote_choices(*, language, person_id=None, article=None):
    """The quotes a quote in a story in `language` may translate: the same person's original
    words in the other language's stories; while nobody is chosen yet, the quotes of the story's
    other-language version (`article`: its original or its translations)."""
    originals = Quote.objects.filter(translation_of__isnull=True).exclude(
        article__language=language
    )
    if person_id:
        return originals.filter(person_id=person_id)
    if article is not None and (article.pk or article.translation_of_id):
        return originals.filter(article__in=Article.objects.filter(article.translation_ids()))
    return Quote.objects.none()


TRANSLATION_OF_HELP = _(
    "The original, when this story is its translation into the other edition's language: type "
    "to search the stories that are not translations themselves. Both pages then link to each "
    "other."
)
QUOTE_TRANSLATION_OF_HELP = _(
    "When these words are a translation: the quote with the words as they were said, by the same "
    "person, in a story in the other language. Until the person is chosen and saved, the quotes "
    "of the story's other-language version are offered."
)
