"""What the OpenAPI document says beyond what drf-spectacular reads from the views: the error
answers every operation may give, and ninjs."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from . import ninjs
from .errors import ErrorSerializer

JSON = "application/json"


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


ERRORS = {
    400: error("A malformed query parameter, named in `parameter`."),
    401: error("An unknown, malformed or revoked API key."),
    404: error("No such published item, or an invalid cursor."),
    429: error("Past the rate limit; `Retry-After` says in how many seconds to try again."),
}
NOT_ACCEPTABLE = error("An Accept header asking for a ninjs version that is not offered.")

NINJS_RESPONSE = OpenApiResponse(
    {
        "type": "object",
        "description": "An IPTC ninjs document (https://iptc.org/standards/ninjs/), 2.2 or 3.1, "
        "valid against IPTC's JSON Schema for that version.",
        "required": ["uri"],
        "properties": {"uri": {"type": "string"}},
        "additionalProperties": True,
    },
    description="IPTC ninjs.",
)

VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    enum=list(ninjs.SUPPORTED_VERSIONS),
    description=f"ninjs version (default {ninjs.DEFAULT_VERSION}). Any other value is a 400.",
)


def documented(ok, *more_codes):
    """`ok` (a serializer, or a {(status, media type): schema} dict) and every error answer."""
    responses = dict(ok) if isinstance(ok, dict) else {200: ok}
    for status, answer in ERRORS.items():
        media = [key for key in responses if isinstance(key, tuple)]
        if media:
            responses[(status, JSON)] = answer
        else:
            responses[status] = answer
    if 406 in more_codes:
        responses[(406, JSON)] = NOT_ACCEPTABLE
    return responses
