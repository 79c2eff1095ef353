"""What the API says about each thing. Read-only; every relation is read from what the views
prefetched (queries.py), never fetched per row."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from newsroom.links import absolute


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


class LeadImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    alt = serializers.CharField()
    caption = serializers.CharField()
    credit = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uid", help_text="Permanent: kept across domains and dumps.")
    slug = serializers.CharField()
    headline = serializers.CharField()
    standfirst = serializers.CharField(help_text="Plain text.")
    body_html = serializers.CharField(source="body", help_text="Sanitized HTML (an allow-list).")
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

    @extend_schema_field(LeadImageSerializer(allow_null=True))
    def get_lead_image(self, article):
        if not article.lead_image:
            return None
        return {
            "url": absolute(article.lead_image.url),
            "alt": article.lead_image_alt,
            "caption": article.lead_image_caption,
            "credit": article.lead_image_credit,
        }


class ThemeSerializer(ThemeRefSerializer):
    description = serializers.CharField()
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
