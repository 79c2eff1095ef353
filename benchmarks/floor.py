"""The framework floor: a bare Django view returning a fixed 20 KB page through the same
middleware as every other page. A public page's speed is measured as a fraction of this one's."""

from django.http import HttpResponse

FLOOR_SIZE = 20 * 1024
_LINE = "<p>The framework floor: a fixed page, no database, no template.</p>\n"
FLOOR_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>'
    "<body>\n" + _LINE * (FLOOR_SIZE // len(_LINE))
)
FLOOR_PAGE = (FLOOR_PAGE + " " * FLOOR_SIZE)[: FLOOR_SIZE - len("</body></html>\n")]
FLOOR_PAGE += "</body></html>\n"


def floor(request):
    return HttpResponse(FLOOR_PAGE)
