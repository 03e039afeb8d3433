from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import Origin, current_origin, current_request
from network.client_ip import request_client_ip
from network.text import clean_line

# Requests to these are API calls (the REST API, and FHIR reads), whichever way they are signed in.
API_PATHS = ("/api/", "/fhir/")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = Origin(
            ip_address=request_client_ip(request),
            user_agent=clean_line(request.META.get("HTTP_USER_AGENT", ""))[:300],
            via="api" if request.path.startswith(API_PATHS) else "web",
        )
        token = current_origin.set(origin)
        request_token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(request_token)
            current_origin.reset(token)
