"""What the API says about each thing. Read-only; every relation is read from what the views
prefetched (queries.py), never fetched per row."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from newsroom import editions
from newsroom.links import absolute

from ..renditions import renditions
from .queries import translation


class PageURLField(serializers.Field):
    """The public page's canonical, absolute address."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return absolute(obj.get_absolute_url())


PageURLField = extend_schema_field(OpenApiTypes.URI)(PageURLField)


class ThemeRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    iptc_code = serializers.CharField(help_text='IPTC Media Topic, e.g. "medtop:20001283"; or "".')
    url = PageURLField()


class PersonRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = PageURLField()


class OrganizationRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    url = PageURLField()


class QuoteSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The exact words.")
    capacity = serializers.CharField(help_text="The capacity the speaker spoke in.")
    person = PersonRefSerializer()


class CorrectionSerializer(serializers.Serializer):
    date = serializers.DateTimeField(source="published_at")
    wrong = serializers.CharField(help_text="What the article said before.")
    right = serializers.CharField(help_text="What it says now, and why.")


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Absolute. Originals are not published, only these.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    content_type = serializers.ChoiceField(choices=["image/webp", "image/jpeg", "image/png"])


class LeadImageSerializer(serializers.Serializer):
    alt = serializers.CharField()
    caption = serializers.CharField(help_text="This story's caption, or the library's.")
    credit = serializers.CharField()
    width = serializers.IntegerField(help_text="The original's width in pixels.")
    height = serializers.IntegerField(help_text="The original's height in pixels.")
    renditions = RenditionSerializer(
        many=True, help_text="In the original's shape, narrowest first: WebP, then JPEG or PNG."
    )


class TranslationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uid")
    slug = serializers.CharField()
    language = serializers.ChoiceField(choices=editions.CODES)
    headline = serializers.CharField()
    url = PageURLField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uid", help_text="Permanent: kept across domains and dumps.")
    slug = serializers.CharField()
    language = serializers.ChoiceField(
        choices=editions.CODES, help_text="Its edition: en (English) or ar (Arabic)."
    )
    translation = serializers.SerializerMethodField(
        help_text="The same story in the other edition, when published there: its original, "
        "or its translation."
    )
    headline = serializers.CharField()
    standfirst = serializers.CharField(help_text="Plain text.")
    body_html = serializers.CharField(
        source="rendered_body",
        help_text="Sanitized HTML (an allow-list), its library pictures as <figure>s with "
        "absolute addresses.",
    )
    body_text = serializers.CharField(help_text="The body as plain text.")
    dateline = serializers.CharField()
    byline = serializers.CharField()
    source = serializers.CharField()
    source_url = serializers.CharField(help_text='An address, or "".')
    published_at = serializers.DateTimeField()
    updated_at = serializers.SerializerMethodField(
        help_text="The last change readers can see: its publication, an edit or a correction."
    )
    url = PageURLField()
    themes = ThemeRefSerializer(many=True)
    people = PersonRefSerializer(many=True)
    organizations = OrganizationRefSerializer(many=True)
    quotes = QuoteSerializer(many=True)
    corrections = CorrectionSerializer(many=True, help_text="Published corrections, oldest first.")
    lead_image = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_updated_at(self, article):
        # A scheduled story edited before it went live was updated when it went live (as
        # ninjs's versioncreated): never before it was published.
        moments = [
            article.published_at,
            article.updated_at,
            *(c.published_at for c in article.corrections.all()),
        ]
        return serializers.DateTimeField().to_representation(max(moments))

    @extend_schema_field(TranslationSerializer(allow_null=True))
    def get_translation(self, article):
        other = translation(article)
        return None if other is None else TranslationSerializer(other).data

    @extend_schema_field(LeadImageSerializer(allow_null=True))
    def get_lead_image(self, article):
        picture = article.lead_picture
        if picture is None:
            return None
        made = [*renditions(picture, fmt="webp"), *renditions(picture, fmt="fallback")]
        return {
            "alt": picture.alt,
            "caption": article.lead_image_caption or picture.caption,
            "credit": picture.credit,
            "width": picture.width,
            "height": picture.height,
            "renditions": [
                {
                    "url": absolute(r.url),
                    "width": r.width,
                    "height": r.height,
                    "content_type": r.content_type,
                }
                for r in made
            ],
        }


class ThemeSerializer(ThemeRefSerializer):
    description = serializers.CharField()
    language = serializers.CharField(help_text='Its edition: "en" or "ar".')
    article_count = serializers.IntegerField(help_text="Published articles only.")


class RoleSerializer(serializers.Serializer):
    title = serializers.CharField()
    organization = OrganizationRefSerializer()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class PersonSerializer(PersonRefSerializer):
    honorific = serializers.CharField()
    bio = serializers.CharField()
    roles = RoleSerializer(many=True)
    article_count = serializers.IntegerField(help_text="Published articles that mention them.")


class OrganizationSerializer(OrganizationRefSerializer):
    kind = serializers.CharField()
    country = serializers.CharField()
    description = serializers.CharField()
    website = serializers.CharField(help_text='An address, or "".')
    parent = OrganizationRefSerializer(allow_null=True)
    article_count = serializers.IntegerField(help_text="Published articles that mention it.")


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uid")
    slug = serializers.CharField()
    headline = serializers.CharField()
    url = PageURLField()


class CorrectionWithArticleSerializer(CorrectionSerializer):
    article = ArticleRefSerializer()


class ThemeListSerializer(serializers.Serializer):
    results = ThemeSerializer(many=True)
