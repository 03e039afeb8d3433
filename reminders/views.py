"""Reminder pages: today's reminders with the digest as it is (or would be) emailed, and preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from network.http import AuthenticatedHttpRequest
from reminders import selectors, services
from reminders.email import digest_text
from reminders.models import ReminderPreference
from reminders.scan import plans_for


@require_GET
@login_required
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My reminders today, and the digest email as it was sent (or, before the scan, as it would be)."""
    user = request.user
    day = timezone.localdate()
    sent = selectors.digest_sent_today(user, day)
    reminders = selectors.reminders_today_for(user, day)
    if sent is not None:
        preview = sent.body
    else:
        plans = plans_for(reminders)
        preview = digest_text(user, plans[0].digest, day) if plans and plans[0].digest else ""
    return render(
        request,
        "reminders/today.html",
        {"reminders": reminders, "preview": preview, "sent": sent, "day": day},
    )


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            for choice in selectors.preferences_for(request.user):
                delivery = request.POST.get(choice.kind.name)
                if delivery and delivery != choice.delivery:
                    services.preference_set(actor=request.user, kind=choice.kind.name, delivery=delivery)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Your reminder choices are saved.")
            return redirect("reminders:preferences")
    return render(
        request,
        "reminders/preferences.html",
        {
            "choices": selectors.preferences_for(request.user),
            "deliveries": ReminderPreference.Delivery.choices,
            "portal": request.user.kind in selectors.PORTAL_KINDS,
        },
    )
