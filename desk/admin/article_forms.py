"""The article's change form: its fields, the quotes and corrections inside it, and the workflow
rules it enforces on the server whatever the browser sends."""

from django import forms

from articles.models import Article, Correction, Quote
from articles.text import DESCRIPTION_GUIDE, HEADLINE_GUIDE
from articles.uploads import ArticleUploadChecksMixin
from workflow import permissions

from .. import widgets
from .people import formfield_assuming_https, slug_taken_message


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ("article", "person", "text", "capacity", "order")
        error_messages = {
            "person": {
                "required": "Choose who said it. A quote without a person cannot be published; "
                "add them under People first if they are new."
            },
            "__all__": {
                "unique_together": "Two quotes in this article have the same position. "
                "Give each quote its own number."
            },
        }
        help_texts = {"article": "The story the quote appears in."}


class QuoteInline(widgets.StackedInline):
    model = Quote
    form = QuoteForm
    extra = 0
    fields = (("person", "capacity", "order"), "text")
    autocomplete_fields = ("person",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

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
            "published_at": "When the correction was made. Readers see this date under the story."
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
            "headline": "Plain words, no full stop. Shown on the page, in lists, feeds and "
            f"search results. Google News shows about {HEADLINE_GUIDE} characters: put what "
            "matters first.",
            "standfirst": "One or two sentences under the headline: what happened and why it "
            "matters. Also the summary in feeds and shared links; search engines show about "
            f"{DESCRIPTION_GUIDE} characters of it.",
            "social_headline": "Optional: the headline for shared links and search engines, "
            f"when the page's own is long. At most {HEADLINE_GUIDE} characters; empty uses "
            "the headline.",
            "social_description": "Optional: the line under a shared link. About "
            f"{DESCRIPTION_GUIDE} characters show; empty uses the standfirst.",
            "body": "The story. Links may go to http, https and mailto addresses only; anything "
            "else is removed on save.",
            "status": "Only “Published” is visible to readers, from the publication time on. "
            "“Unpublished” takes a story down without deleting it.",
            "source_url": "A link to the original statement or report, if there is one.",
            "organizations": "Every organization the story names.",
            "lead_picture": "Optional. Shown at the top of the story and when it is shared. "
            "Type to search the library by alt text, caption or credit; + uploads a new one.",
            "lead_image_caption": "Optional: a caption for this story. Empty uses the one in "
            "the library.",
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
                f"You may not move this article from "
                f"{permissions.STATE_LABELS[from_state].lower()} to "
                f"{permissions.STATE_LABELS[to_state].lower()}.",
            )
        return cleaned
