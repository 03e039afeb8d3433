"""Shared pieces for the plan tests.

The cast is tests/conftest.py's: Alice leads Grace's circle (Early Help), Bob is in it (Early Help),
Carol is in it (Health), Charlie (Police) is outside it. Plans are built here through the services, so
that versions, history rows and events are what the app itself would make.
"""

import datetime
from html import unescape
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from circles.models import CircleMember
from realtime.models import Event
from sharing import services
from sharing.models import Action, Goal, PlanChange


def membership(client, user) -> CircleMember:
    return CircleMember.objects.get(client=client, user=user, until=None)


def plan_url(client) -> str:
    return f"/clients/{client.public_id}/plan/"


def api_url(client, rest: str = "") -> str:
    return f"/api/v1/clients/{client.public_id}/plan/{rest}"


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def events_of(client, type_: str) -> list[Event]:
    return list(Event.objects.filter(client=client, type=type_).order_by("seq"))


def changes_of(item: Goal | Action) -> list[PlanChange]:
    key = "goal" if isinstance(item, Goal) else "action"
    return list(PlanChange.objects.filter(**{key: item}).order_by("at", "pk"))


def fresh(item):
    return type(item).objects.get(pk=item.pk)


@pytest.fixture
def goal(grace, alice) -> Goal:
    return services.goal_add(
        actor=alice,
        client=grace,
        in_own_words="Keep our flat",
        success_looks_like="Rent paid on time for six months",
    )


@pytest.fixture
def action(goal, alice, grace, bob) -> Action:
    """An action under `goal`, for Bob to do."""
    return services.action_add(
        actor=alice, goal=goal, what="Call the housing officer", owner=membership(grace, bob)
    )


def build_plan(
    client, actor, *, goals: int, actions_each: int, owner: CircleMember | None = None
) -> list[Goal]:
    """A plan of `goals` goals with `actions_each` actions each, through the services."""
    made = []
    for g in range(goals):
        goal = services.goal_add(actor=actor, client=client, in_own_words=f"Goal {g}")
        for a in range(actions_each):
            services.action_add(
                actor=actor, goal=goal, what=f"Action {g}.{a}", owner=owner, due_on=days_from_today(a - 2)
            )
        made.append(goal)
    return made


# Reading pages.

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    """Collects the text inside one element (by id), and every <input>/<textarea>/<option selected>."""

    def __init__(self, element_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0
        self.found = False
        self.parts: list[str] = []
        self.inputs: list[dict[str, str]] = []
        self._textarea: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "input":
            self.inputs.append(attributes)
        elif tag == "textarea":
            self._textarea = {**attributes, "value": "", "type": "textarea"}
        if self.depth:
            if tag not in _VOID:
                self.depth += 1
        elif self.element_id and attributes.get("id") == self.element_id and not self.found:
            self.found = True
            if tag not in _VOID:
                self.depth = 1

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.inputs.append(self._textarea)
            self._textarea = None
        if self.depth and tag not in _VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data
        if self.depth:
            self.parts.append(data)


def element_text(html: str | bytes, element_id: str) -> str | None:
    """The text inside the element with this id (whitespace squashed), or None if there is none."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _Page(element_id)
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split()) if parser.found else None


def inputs(html: str | bytes) -> list[dict[str, str]]:
    """Every <input> and <textarea> on the page, as attribute dicts (a textarea's text is its value)."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _Page(None)
    parser.feed(html)
    parser.close()
    return parser.inputs


class _Form(HTMLParser):
    """What a browser would submit from the first <form> having `marker` among its attributes."""

    def __init__(self, marker: str, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.action = action
        self.inside = False
        self.done = False
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {name: (value if value is not None else "") for name, value in attrs}
        wanted = a.get("action") == self.action if self.action is not None else self.marker in a
        if tag == "form" and not self.done and not self.inside and wanted:
            self.inside = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside, self.done = False, True
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, self._first_option or "")
            self._select = None

    def handle_data(self, data):
        if self.inside and self._textarea:
            self.data[self._textarea] += data


def form_data(
    html: str | bytes, marker: str = "data-edit-form", *, action: str | None = None
) -> dict[str, str]:
    """The fields of the first form marked with `marker` (or posting to `action`), as a browser would post
    them unchanged."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _Form(marker, action)
    parser.feed(html)
    parser.close()
    assert parser.done, f"no <form {action or marker}> on the page"
    return parser.data


def page_text(response) -> str:
    """A response's HTML with entities decoded (an apostrophe is &#x27; in the markup)."""
    return unescape(response.content.decode())
