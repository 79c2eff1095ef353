"""The article's change form: its fields, the quotes and corrections inside it, and the workflow
rules it enforces on the server whatever the browser sends."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Correction, Quote
from articles.text import DESCRIPTION_GUIDE, HEADLINE_GUIDE
from articles.uploads import ArticleUploadChecksMixin
from newsroom.editions import CODES
from workflow import permissions

from .. import widgets
from . import editions
from .people import formfield_assuming_https, slug_taken_message


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = (
            "article",
            "person",
            "text",
            "capacity",
            "role",
            "order",
            "translation_of",
            "is_translation",
        )
        error_messages = {
            "person": {
                "required": _(
                    "Choose who said it. A quote without a person cannot be published; "
                    "add them under People first if they are new."
                )
            },
            "__all__": {
                "unique_together": _(
                    "Two quotes in this article have the same position. "
                    "Give each quote its own number."
                )
            },
        }
        help_texts = {
            "article": _("The story the quote appears in."),
            "translation_of": editions.QUOTE_TRANSLATION_OF_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        role = self.fields.get("role")
        if role is not None:  # its label names the organization: read with it
            role.queryset = role.queryset.select_related("organization")

    def clean(self):
        # The model says so too (Quote.clean), once the story is saved; a quote added with a new
        # story is checked here, against the story as the form holds it.
        cleaned = super().clean()
        original, article = cleaned.get("translation_of"), cleaned.get("article")
        same_language = (
            original is not None
            and article is not None
            and original.article.language == article.language
        )
        if same_language:
            self.add_error(
                "translation_of",
                _("The original words must be from a story in the other language."),
            )
        return cleaned


class InlineQuoteForm(QuoteForm):
    """A quote inside its article's form: the originals it may translate are the same person's
    words in the other language's stories (editions.original_quote_choices), for the person and
    language the form holds: as posted, or as stored."""

    parent_article = None  # set by QuoteInline.get_formset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("translation_of")
        if field is None:
            return
        language = self._posted("language", self.parent_article, "language", prefixed=False)
        person_id = self._posted("person", self.instance, "person_id")
        choices = editions.original_quote_choices(
            language=language if language in CODES else None,
            # A crafted id that is no number is the person field's error, not a query's.
            person_id=person_id if str(person_id).isdigit() else None,
            article=self.parent_article,
        )
        if self.instance.translation_of_id:  # the link it has stays choosable
            choices = choices | Quote.objects.filter(pk=self.instance.translation_of_id)
        field.queryset = choices.select_related("person", "article")
        field.label_from_instance = editions.quote_label

    def _posted(self, name, stored, attribute, prefixed=True):
        """A value as this request posts it (the article form's own fields are unprefixed), else
        as stored; None when neither says."""
        if self.is_bound:
            value = self.data.get(self.add_prefix(name) if prefixed else name)
            if value:
                return value
        return getattr(stored, attribute, None)


class QuoteInline(widgets.StackedInline):
    model = Quote
    form = InlineQuoteForm
    extra = 0
    fields = (
        ("person", "role", "capacity", "order"),
        "text",
        ("translation_of", "is_translation"),
    )
    autocomplete_fields = ("person", "role")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "role__organization")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"parent_article": obj})
        return formset

    # A reporter's quotes are theirs to change while the article is: their own draft.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_edit(request.user, obj)
        )


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = Correction
        fields = ("article", "published_at", "wrong", "right")
        help_texts = {
            "published_at": _(
                "When the correction was made. Readers see this date under the story."
            )
        }


class CorrectionInline(widgets.StackedInline):
    model = Correction
    form = CorrectionForm
    extra = 0
    fields = ("published_at", "wrong", "right", "created_by")
    readonly_fields = ("created_by",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class ArticleForm(ArticleUploadChecksMixin, forms.ModelForm):
    class Meta:
        model = Article
        formfield_callback = formfield_assuming_https
        fields = (
            "headline",
            "language",
            "translation_of",
            "slug",
            "standfirst",
            "body",
            "social_headline",
            "social_description",
            "status",
            "published_at",
            "themes",
            "people",
            "organizations",
            "dateline",
            "byline",
            "source",
            "source_url",
            "lead_picture",
            "lead_image_caption",
        )
        error_messages = slug_taken_message("article")
        # For editors, where the model has none (kept here to avoid a migration for wording).
        help_texts = {
            "headline": format_lazy(
                _(
                    "Plain words, no full stop. Shown on the page, in lists, feeds and search "
                    "results. Google News shows about {guide} characters: put what matters first."
                ),
                guide=HEADLINE_GUIDE,
            ),
            "standfirst": format_lazy(
                _(
                    "One or two sentences under the headline: what happened and why it matters. "
                    "Also the summary in feeds and shared links; search engines show about "
                    "{guide} characters of it."
                ),
                guide=DESCRIPTION_GUIDE,
            ),
            "social_headline": format_lazy(
                _(
                    "Optional: the headline for shared links and search engines, when the page's "
                    "own is long. At most {guide} characters; empty uses the headline."
                ),
                guide=HEADLINE_GUIDE,
            ),
            "social_description": format_lazy(
                _(
                    "Optional: the line under a shared link. About {guide} characters show; "
                    "empty uses the standfirst."
                ),
                guide=DESCRIPTION_GUIDE,
            ),
            "body": _(
                "The story. Links may go to http, https and mailto addresses only; anything "
                "else is removed on save."
            ),
            "status": _(
                "Only “Published” is visible to readers, from the publication time on. "
                "“Unpublished” takes a story down without deleting it."
            ),
            "source_url": _("A link to the original statement or report, if there is one."),
            "organizations": _("Every organization the story names."),
            "lead_picture": _(
                "Optional. Shown at the top of the story and when it is shared. "
                "Type to search the library by alt text, caption or credit; + uploads a new one."
            ),
            "lead_image_caption": _(
                "Optional: a caption for this story. Empty uses the one in the library."
            ),
            "translation_of": editions.TRANSLATION_OF_HELP,
        }

    # Set by ArticleAdmin.get_form: whose request this form serves.
    workflow_user = None

    # Where search engines cut each field: the writing aids (desk/static/desk/writing.js) count
    # its characters as the editor types and warn past it.
    length_guides = {
        "headline": HEADLINE_GUIDE,
        "standfirst": DESCRIPTION_GUIDE,
        "social_headline": HEADLINE_GUIDE,
        "social_description": DESCRIPTION_GUIDE,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, guide in self.length_guides.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-guide"] = guide
        language = self.fields.get("language")
        if language is not None:
            # A form posted without it (a script, an older page) keeps the story's language.
            language.required = False
        original = self.fields.get("translation_of")
        if original is not None:
            original.label_from_instance = editions.article_label
        status = self.fields.get("status")
        if status is not None and self.workflow_user is not None:
            # Offer only the states this person may leave the article in ("scheduled" is
            # "published" with a future time).
            allowed = permissions.allowed_states(self.workflow_user, self.instance)
            statuses = {
                Article.Status.PUBLISHED if state == permissions.SCHEDULED else state
                for state in allowed
            }
            statuses.add(self.instance.status)
            status.choices = [c for c in Article.Status.choices if c[0] in statuses]
            if not self.workflow_user.has_perm("workflow.publish_article"):
                status.help_text = (
                    "Choose “In review” when it is ready for an editor. Editors publish it."
                )

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language

    def clean(self):
        cleaned = super().clean()
        user = self.workflow_user
        if user is None or "status" not in cleaned:
            return cleaned
        # Checked here, on the server, whatever the form offered: a crafted POST cannot skip it.
        # self.instance still holds the stored values (the form copies its data in later).
        published_at = cleaned.get("published_at", self.instance.published_at)
        to_state = permissions.state_of(cleaned["status"], published_at)
        from_state = (
            permissions.state_of(None, article=self.instance)
            if self.instance.pk
            else permissions.DRAFT
        )
        if to_state != from_state and not permissions.can_move(user, self.instance, to_state):
            self.add_error(
                "status",
                _("You may not move this article from %(from)s to %(to)s.")
                % {
                    "from": gettext(permissions.STATE_LABELS[from_state]).lower(),
                    "to": gettext(permissions.STATE_LABELS[to_state]).lower(),
                },
            )
        return cleaned
