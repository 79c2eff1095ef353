"""The desk's picture library: upload (checked, metadata stripped), search and filter, set the
focal point with a click, and never delete a picture a story still shows."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.images import Image
from articles.models import Article
from articles.renditions import rendition
from articles.uploads import ImageUploadChecksMixin

from .. import widgets

THUMBNAIL = (320, "4x3")  # a rendition make_all() makes anyway; shown at 80 pixels wide
PREVIEW_WIDTH = 960
NAMED_STORIES = 10  # in the refusal message; the rest are counted


def stories_using(image_ids):
    """{image id: [articles]} for the stories that show each image: as their lead picture, and
    inside their body once articles.bodyimages can say so."""
    ids = set(image_ids)
    using = {}
    for article in Article.objects.filter(lead_picture__in=ids).only(
        "pk", "headline", "lead_picture_id"
    ):
        using.setdefault(article.lead_picture_id, []).append(article)
    try:
        from articles.bodyimages import articles_using
    except ImportError:  # pictures in bodies are not stored yet
        return using
    for image_id, articles in articles_using(ids).items():
        known = {a.pk for a in using.get(image_id, [])}
        using.setdefault(image_id, []).extend(a for a in articles if a.pk not in known)
    return using


def use_counts():
    uses = Article.objects.filter(lead_picture=OuterRef("pk")).order_by().values("lead_picture")
    return Coalesce(Subquery(uses.annotate(n=Count("pk")).values("n")), 0)


class ImageForm(ImageUploadChecksMixin, forms.ModelForm):
    class Meta:
        model = Image
        fields = ("file", "alt", "caption", "credit", "source", "focal_x", "focal_y")
        # The checks with the clear messages (articles/uploads.py), not ImageField's generic one.
        field_classes = {"file": forms.FileField}
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "any", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "any", "min": 0, "max": 1}),
        }
        help_texts = {"focal_y": _("From the top (0) to the bottom (1). Empty: the centre.")}


@admin.register(Image)
class ImageAdmin(widgets.ModelAdmin):
    form = ImageForm
    list_display = ("thumbnail", "alt", "credit", "source", "created_at", "uses")
    list_display_links = ("thumbnail", "alt")
    list_filter = ("credit", ("created_at", admin.DateFieldListFilter))
    date_hierarchy = "created_at"
    search_fields = ("alt", "caption", "credit", "source")
    readonly_fields = ("focal_point_picker", "dimensions", "uploaded_by", "created_at")
    fieldsets = (
        (None, {"fields": ("file", "alt", "caption", "credit", "source")}),
        (
            _("Focal point"),
            {
                "fields": ("focal_point_picker", ("focal_x", "focal_y")),
                "description": _("Crops for teasers and shared links keep this point in view."),
            },
        ),
        (_("Record"), {"fields": ("dimensions", "uploaded_by", "created_at")}),
    )

    class Media:
        js = ("desk/focal-point.js",)
        css = {"all": ("desk/focal-point.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=use_counts())

    @admin.display(description=_("Picture"))
    def thumbnail(self, image):
        made = rendition(image, *THUMBNAIL)
        return format_html(
            '<img class="library-thumbnail" src="{}" width="80" height="{}" alt="">',
            made.url,
            round(80 * made.height / made.width),
        )

    @admin.display(description=_("Stories"), ordering="use_count")
    def uses(self, image):
        return image.use_count

    @admin.display(description=_("Size"))
    def dimensions(self, image):
        if not image.pk:
            return "—"
        return _("%(width)s × %(height)s pixels") % {"width": image.width, "height": image.height}

    @admin.display(description=_("Click the point to keep in view"))
    def focal_point_picker(self, image):
        if not image.pk or not image.file:
            return _("Save the picture first, then click on it here.")
        made = rendition(image, PREVIEW_WIDTH, fmt="fallback")
        x, y = image.focal_point
        return format_html(
            '<div class="focal-point" data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" width="{}" height="{}" alt="{}">'
            '<span class="focal-point-marker" aria-hidden="true"></span></div>',
            x,
            y,
            made.url,
            made.width,
            made.height,
            image.alt,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # Deleting: refused, with the list of stories, for any picture a story shows.

    def refuse_if_in_use(self, request, images):
        using = stories_using(image.pk for image in images)
        if not using:
            return False
        by_id = {image.pk: image for image in images}
        for image_id, articles in using.items():
            self.message_user(
                request, self.in_use_message(by_id[image_id], articles), messages.ERROR
            )
        return True

    def in_use_message(self, image, articles):
        named = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse(f"{self.admin_site.name}:articles_article_change", args=[a.pk]), a)
                for a in articles[:NAMED_STORIES]
            ),
        )
        more = len(articles) - NAMED_STORIES
        message = ngettext(
            "“{image}” was not deleted: {count} story shows it ({named}{more}). Choose another "
            "picture for it first.",
            "“{image}” was not deleted: {count} stories show it ({named}{more}). Choose another "
            "picture for them first.",
            len(articles),
        )
        return format_html(
            message,
            image=image,
            count=len(articles),
            named=named,
            more=_(" and %(more)s more") % {"more": more} if more > 0 else "",
        )

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        allowed = image is not None and self.has_delete_permission(request, image)
        if allowed and self.refuse_if_in_use(request, [image]):
            change = f"{self.admin_site.name}:articles_image_change"
            return HttpResponseRedirect(reverse(change, args=[image.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (type(self).delete_unused, name, description)
        return actions

    def delete_unused(self, request, queryset):
        """Django's bulk delete, after checking that no selected picture is in use."""
        if self.refuse_if_in_use(request, list(queryset)):
            return None  # back to the list, nothing deleted
        return delete_selected(self, request, queryset)
