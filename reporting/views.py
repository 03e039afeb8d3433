"""The dashboard's pages: an organisation's figures, a partnership's, each table as CSV, and the agency
admin's page for agreeing to partnerships. Thin: the form reads the filters, selectors check and count.

An organisation's figures for the last 3, 6 or 12 months come from a snapshot at most an hour old
(reporting.snapshots, refreshed every 10 minutes by a task); two dates, and a partnership's figures, are
worked out on every load.
"""

import csv
from collections.abc import Iterator
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from network.decorators import professional_required
from network.http import AuthenticatedHttpRequest
from network.svg import bar_chart
from reporting import access, selectors, services
from reporting.forms import FiltersForm
from reporting.selectors import Scope
from reporting.tables import Published


@require_GET
@professional_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An agency manager's organisation; a partnership lead is sent to their partnership (or chooses one)."""
    if access.may_see_partnership_figures(request.user):
        led = list(selectors.partnerships_led_by(request.user))
        if len(led) == 1:
            return redirect("reporting:partnership", partnership_id=led[0].pk)
        return render(request, "reporting/partnerships_led.html", {"partnerships": led})
    scope = selectors.organisation_scope(request.user)
    return _page(request, scope, csv_url=reverse("reporting:dashboard_csv", args=["TABLE"]))


@require_GET
@professional_required
def partnership(request: AuthenticatedHttpRequest, partnership_id: int) -> HttpResponse:
    scope = selectors.partnership_scope(request.user, partnership_id)
    return _page(request, scope, csv_url=reverse("reporting:partnership_csv", args=[partnership_id, "TABLE"]))


def _form(request: AuthenticatedHttpRequest, scope: Scope) -> FiltersForm:
    return FiltersForm(
        request.GET,
        teams=list(scope.teams),
        organisations=list(scope.organisations) if scope.protect else None,
    )


def _page(request: AuthenticatedHttpRequest, scope: Scope, *, csv_url: str) -> HttpResponse:
    form = _form(request, scope)
    if not form.is_valid():
        return render(
            request, "reporting/dashboard.html", {"scope": scope, "form": form, "tables": []}, status=400
        )
    result = selectors.dashboard(scope, chosen=form.cleaned_data)
    services.snapshot_keep(result)
    selection, tables = result.selection, result.tables
    services.dashboard_viewed(actor=request.user, selection=selection, partnership=scope.partnership)
    query = request.GET.urlencode()
    charts = [
        {
            "table": table,
            "svg": bar_chart(
                table.bars, chart_id=f"chart-{table.key}", title=table.title, description=table.reading
            ),
            "csv": csv_url.replace("TABLE", table.key) + (f"?{query}" if query else ""),
        }
        for table in tables
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "scope": scope,
            "form": form,
            "selection": selection,
            "charts": charts,
            "as_at": result.worked_out_at if result.from_snapshot else None,
        },
    )


@require_GET
@professional_required
def dashboard_csv(request: AuthenticatedHttpRequest, table: str) -> HttpResponse:
    return _csv(request, selectors.organisation_scope(request.user), table)


@require_GET
@professional_required
def partnership_csv(request: AuthenticatedHttpRequest, partnership_id: int, table: str) -> HttpResponse:
    return _csv(request, selectors.partnership_scope(request.user, partnership_id), table)


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, value: str) -> str:
        return value


def _csv(request: AuthenticatedHttpRequest, scope: Scope, key: str) -> HttpResponse:
    form = _form(request, scope)
    if not form.is_valid():
        return HttpResponse(
            " ".join(str(message) for errors in form.errors.values() for message in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    result = selectors.dashboard(scope, chosen=form.cleaned_data)
    services.snapshot_keep(result)
    selection, tables = result.selection, result.tables
    found = next((t for t in tables if t.key == key), None)
    if found is None:
        raise Http404("No such table")
    services.dashboard_downloaded(
        actor=request.user, selection=selection, partnership=scope.partnership, table=key
    )
    response = StreamingHttpResponse(_lines(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{key}-{selection.period.start}-{selection.period.end}.csv"'
    )
    # A streamed answer is an HttpResponseBase like any other; the decorators' types name HttpResponse.
    return cast(HttpResponse, response)


def _lines(table: Published) -> Iterator[str]:
    writer = csv.writer(_Line())
    for row in table.csv_rows():
        # Spreadsheet programs run cells that start with these as formulas; a leading ' keeps them text.
        yield writer.writerow(["'" + v if v[:1] in ("=", "+", "-", "@") else v for v in row])


@require_http_methods(["GET", "POST"])
@professional_required
def partnerships(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An agency admin sees every partnership and agrees (or stops agreeing) for their organisation."""
    agreements = selectors.partnerships_for_admin(request.user)
    if request.method == "POST":
        chosen = selectors.partnership_get(request.POST.get("partnership", ""))
        join = request.POST.get("agree") == "yes"
        try:
            if join:
                services.partnership_join(actor=request.user, partnership=chosen)
            else:
                services.partnership_leave(actor=request.user, partnership=chosen)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Your organisation's figures are now in “{chosen.name}”."
                if join
                else f"Your organisation's figures are no longer in “{chosen.name}”.",
            )
        return redirect("reporting:partnerships")
    return render(request, "reporting/partnerships.html", {"agreements": agreements})
