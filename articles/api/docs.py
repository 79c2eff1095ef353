"""The OpenAPI document and Swagger UI, self-hosted (drf-spectacular-sidecar's copy, no CDN).

The page runs under the site's Content-Security-Policy: its scripts are files from this site
(the start-up script too, from `?script`: drf-spectacular's split view), and it has no inline
style. Swagger UI's stylesheet draws its icons as data: images, allowed on this page alone."""

from csp.constants import SELF
from csp.decorators import csp_update
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from .auth import CountRefusedKeys

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{favicon}">
<link rel="stylesheet" href="{css}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{standalone}"></script>
<script src="{start}"></script>
</body>
</html>
"""


class SchemaView(CountRefusedKeys, SpectacularJSONAPIView):
    """/api/v1/schema/: the OpenAPI 3 document, as JSON."""


@method_decorator(csp_update({"img-src": [SELF, "data:"]}), name="dispatch")
class DocsView(CountRefusedKeys, SpectacularSwaggerSplitView):
    url_name = "api:schema"
    title = "Newsroom content API"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if request.GET.get("script") is not None:
            return super().get(request, *args, **kwargs)
        html = format_html(
            PAGE,
            title=self.title,
            favicon=self._swagger_ui_favicon(),
            css=self._swagger_ui_resource("swagger-ui.css"),
            bundle=self._swagger_ui_resource("swagger-ui-bundle.js"),
            standalone=self._swagger_ui_resource("swagger-ui-standalone-preset.js"),
            start=request.path + "?script=",
        )
        return HttpResponse(html)
