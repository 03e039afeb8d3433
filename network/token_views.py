"""A professional's own API tokens: make one (shown once), see when each was last used, revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from network import selectors, services
from network.decorators import professional_required
from network.forms import ApiTokenForm, add_service_errors
from network.http import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
@professional_required
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    # The new key is rendered into this one response (never stored, never redirected with): it cannot be
    # shown again, and the response is not cached (network.middleware.NoStoreMiddleware).
    return render(
        request,
        "network/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(request.user), "new_key": new_key},
    )


@require_POST
@professional_required
def api_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = selectors.api_token_of(request.user, token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"“{token.name}” has been revoked. Anything using it can no longer sign in.")
    return redirect("api_tokens:list")
