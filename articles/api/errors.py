"""Every error under /api/v1/ is JSON: `{"detail": ..., "status": ..., "code": ...}`, with
`"parameter"` when a query parameter was at fault. Unknown addresses too (`not_found`)."""

from django.http import JsonResponse
from django.urls import Resolver404, resolve
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import exception_handler as drf_exception_handler


class ParameterError(exceptions.ValidationError):
    """A malformed query parameter: a 400 that names it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


class ErrorSerializer(serializers.Serializer):
    """What every 4xx answer of the API holds (for the OpenAPI document)."""

    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text='A stable word for programs, e.g. "not_found".')
    parameter = serializers.CharField(
        required=False, help_text="The query parameter at fault, when there is one."
    )


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ParameterError):
        body = {"detail": exc.message, "parameter": exc.parameter, "code": "invalid_parameter"}
    else:
        if isinstance(exc, exceptions.APIException):
            detail, codes = exc.detail, exc.get_codes()
        else:  # Django's Http404 or PermissionDenied, which DRF answered
            detail, codes = response.data.get("detail", ""), "error"
        body = {"detail": flatten(detail), "code": flatten(codes)}
    response.data = {"detail": body["detail"], "status": response.status_code, **body}
    return response


def flatten(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {flatten(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "; ".join(flatten(item) for item in value)
    return str(value)


class FirstRenderer(BaseContentNegotiation):
    """The API answers JSON whatever the Accept header says (ninjs is chosen by the article view
    itself, see views.py): a client asking for text/html gets JSON, not a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def error_response(status: int, code: str, detail: str, **extra) -> JsonResponse:
    body = {"detail": detail, "status": status, "code": code, **extra}
    return JsonResponse(body, status=status)


def not_found(request, rest=""):
    """Any address under /api/v1/ that names nothing: a JSON 404, with a hint for a missing
    slash."""
    detail = "Nothing here. The API's endpoints are listed at /api/v1/schema/ and /api/v1/docs/."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not_found":
            detail = f"Nothing here. Did you mean {request.path}/ ?"
    return error_response(404, "not_found", detail)
