"""The rich-text editor under the Content-Security-Policy, without weakening it.

django-prose-editor starts from an inline `<script type="importmap">`, which `script-src 'self'`
blocks: the editor then silently never starts. Tiptap (inside it) also injects a `<style>` element
on start, which `style-src 'self'` blocks. Both get the request's CSP nonce instead:

- the change form's media is re-wrapped with django-js-asset's `Media.from_media(..., nonce=...)`,
  so the import map (and every tag of the form's media) carries the nonce;
- the media gains an empty `<style data-tiptap-style nonce=...>`. Tiptap looks for that element
  before injecting its own and reuses it, so it injects nothing; the rules it would have injected
  come from a static stylesheet instead (`desk/static/desk/tiptap.css`).

Reading `request.csp_nonce` is what makes django-csp add the nonce to the response's header, so
only admin pages that render the editor ever carry one. Public pages must never read it: they are
cached (shared caches and a CDN), and a per-request nonce in a cached header would be wrong for
every later reader.
"""

from js_asset import Media
from js_asset.js import InlineStyle

TIPTAP_STYLE_SLOT = Media(
    css={
        "all": [
            InlineStyle("", **{"data-tiptap-style": True}),
            "desk/tiptap.css",
        ]
    }
)


class EditorUnderCSPMixin:
    """For a ModelAdmin whose form uses django-prose-editor: its change form works under the CSP."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(
            context["media"] + TIPTAP_STYLE_SLOT, nonce=request.csp_nonce
        )
        return super().render_change_form(request, context, *args, **kwargs)
