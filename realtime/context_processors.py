from django.http import HttpRequest

from realtime.selectors import unread_count


def notifications(request: HttpRequest) -> dict:
    """How many unread notifications the signed-in person has, for the menu."""
    user = getattr(request, "user", None)
    return {"unread_notifications": unread_count(user) if user is not None and user.is_authenticated else 0}
