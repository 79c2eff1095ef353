"""The desk's screen for content API keys: create one (its full text is shown once, on the page
that follows, and never stored), see when each was last used, revoke."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from articles.models import APIKey

from .. import widgets

# The page after "Save": the key, once (desk/templates/desk/apikey_created.html).
SHOW_ONCE = "desk/apikey_created.html"


@admin.register(APIKey)
class APIKeyAdmin(widgets.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix")
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name",)
        return ("name", "prefix", "created_by", "created_at", "last_used_at", "revoked")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = ("prefix", "created_by", "created_at", "last_used_at")
        # Revoking is for good: a revoked key may have leaked.
        return (*fixed, "revoked") if obj.revoked else fixed

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            request.new_api_key = obj.set_new_secret()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("API key created"),
            "opts": self.opts,
            "key": obj,
            "full_key": request.new_api_key,
            "list_url": reverse(f"{self.admin_site.name}:articles_apikey_changelist"),
        }
        response = TemplateResponse(request, SHOW_ONCE, context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked=False).update(revoked=True)
        self.message_user(
            request, _("%(count)s key(s) revoked.") % {"count": count}, messages.SUCCESS
        )
