"""The lead starts a plan from a template (or adds a template's goals to a plan that has some already)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from circles.selectors import client_get_for_user
from network.decorators import professional_required
from network.http import AuthenticatedHttpRequest
from sharing import selectors, services


@require_http_methods(["GET", "POST"])
@professional_required
def plan_from_template(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id, need="manage")
    templates = list(selectors.plan_templates_for(request.user))
    error = ""
    if request.method == "POST":
        try:
            template = selectors.plan_template_get_for(request.user, request.POST.get("template", ""))
        except Http404:
            error = "Choose one of the templates."
        else:
            try:
                goals = services.plan_from_template(
                    actor=request.user, client=record.client, template=template
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    f"Added {len(goals)} goals and {template.action_count} actions from “{template.name}”. "
                    f"Change their words into {record.client.given_name}'s own, and choose who does each action.",
                )
                return redirect(reverse("plan:plan", args=[record.client.public_id]) + f"#goal-{goals[0].pk}")
    goal_count = selectors.goal_count_for(record)
    return render(
        request,
        "sharing/plan/from_template.html",
        {"client": record.client, "templates": templates, "goal_count": goal_count, "error": error},
        status=400 if error else 200,
    )
