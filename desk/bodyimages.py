"""The library chooser behind the body editor's "Insert image" button (desk/static/desk/
prose-image.js): a small JSON search over the picture library, for staff who may view images.

    GET /admin/body-images/?q=cairo   the newest matching pictures (alt text, caption, credit)
    GET /admin/body-images/?id=12     one picture, for the editor's preview of a stored figure

Each result carries a small rendition to preview, never the original. One query for the list,
none per row (renditions need no query).
"""

from django.db.models import Q
from django.http import JsonResponse
from django.utils.translation import gettext as _

from articles.images import Image
from articles.renditions import rendition

RESULTS = 24
PREVIEW_WIDTH = 320
QUERY_MAX_LENGTH = 100


def body_images(request):
    if not request.user.has_perm("articles.view_image"):
        return JsonResponse({"error": _("You may not see the picture library.")}, status=403)
    images = Image.objects.all()
    if "id" in request.GET:
        wanted = request.GET["id"]
        if not wanted.isascii() or not wanted.isdigit() or len(wanted) > 18:
            return JsonResponse({"error": "id must be a picture's number."}, status=400)
        images = images.filter(pk=int(wanted))
    elif query := " ".join(request.GET.get("q", "").split())[:QUERY_MAX_LENGTH]:
        images = images.filter(
            Q(alt__icontains=query) | Q(caption__icontains=query) | Q(credit__icontains=query)
        )
    results = [_result(image) for image in images[:RESULTS]]
    return JsonResponse({"results": results}, headers={"Cache-Control": "private, no-store"})


def _result(image):
    preview = rendition(image, PREVIEW_WIDTH, fmt="webp")
    return {
        "id": image.pk,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "preview": {"url": preview.url, "width": preview.width, "height": preview.height},
    }
