"""The OpenAPI schema and the API docs page, served from our own static files (no CDN)."""

import re

from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

from sharing.services import goal_add
from tests.conftest import api_as, signed_in


def test_the_schema_renders(alice):
    response = api_as(alice).get("/api/schema/")

    assert response.status_code == 200
    schema = response.content.decode()
    assert schema.startswith("openapi: 3")
    for path in (
        "/api/v1/clients/:",
        "/api/v1/clients/{public_id}/:",
        "/api/v1/clients/{public_id}/members/:",
        "/api/v1/clients/{public_id}/members/{member_id}/:",
        "/api/v1/clients/{public_id}/notes/:",
        "/api/v1/clients/{public_id}/notes/{note_id}/:",
    ):
        assert path in schema


def test_the_schema_is_json_on_request(alice):
    response = api_as(alice).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/clients/" in response.json()["paths"]


def test_the_docs_page_uses_our_own_assets(alice):
    response = signed_in(alice).get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.startswith("/static/") and a.endswith("swagger-ui-bundle.js") for a in assets), assets
    assert any(a.startswith("/static/") and a.endswith(".css") for a in assets), assets
    assert not re.search(r"https?://", html)
    # …and the files are there to serve.
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset
    # The page's own script (settings and the schema's URL) is served by us too, CSP-friendly.
    script_urls = [a for a in re.findall(r'<script src="([^"]+)"', html) if not a.startswith("/static/")]
    scripts = "".join(signed_in(alice).get(u).content.decode() for u in script_urls) if script_urls else html
    assert "/api/schema/" in scripts
    assert not re.search(r"https?://", scripts)


def test_the_docs_page_has_nothing_inline_that_the_csp_would_block(alice):
    response = signed_in(alice).get("/api/docs/")
    assert "style-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_the_schema_and_docs_are_for_professionals(db):
    assert APIClient().get("/api/schema/").status_code == 403
    assert APIClient().get("/api/docs/").status_code == 403


def test_every_operation_documents_what_any_operation_can_answer(alice):
    # A bad token (401), not allowed (403), the database out of reach (503): `answers(...)` adds them.
    schema = api_as(alice).get("/api/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "503"} <= set(operation["responses"]), f"{method.upper()} {path}"


def test_lists_of_clients_and_notes_are_documented_as_pages(alice):
    schema = api_as(alice).get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/clients/", "/api/v1/clients/{public_id}/notes/"):
        ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        page = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[-1]]
        assert {"count", "next", "previous", "results"} <= set(page["properties"]), path


def test_a_huge_limit_or_offset_is_a_page_not_a_500(alice, grace):
    api = api_as(alice)
    huge = "9" * 30
    assert api.get("/api/v1/clients/", {"limit": huge}).status_code == 200
    response = api.get("/api/v1/clients/", {"offset": huge})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_api_url_that_matches_no_route_answers_json(alice, grace):
    response = api_as(alice).get(f"/api/v1/clients/{grace.public_id}/members/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_patch_that_must_change_something_says_so_in_the_schema(alice, grace):
    """Goals, actions and cards: each field of the PATCH is optional, but one is needed (`NonEmptyPatch`):
    the body is required and has at least one property, and an empty one is refused in words."""
    schema = api_as(alice).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/clients/{public_id}/plan/goals/{goal_id}/",
        "/api/v1/clients/{public_id}/plan/actions/{action_id}/",
        "/api/v1/clients/{public_id}/board/cards/{card_id}/",
    ):
        body = schema["paths"][path]["patch"]["requestBody"]
        assert body["required"] is True, path
        ref = body["content"]["application/json"]["schema"]["$ref"]
        assert schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["minProperties"] == 1, path

    goal = goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    response = api_as(alice).patch(
        f"/api/v1/clients/{grace.public_id}/plan/goals/{goal.pk}/",
        {},
        format="json",
        HTTP_IF_MATCH=f'"{goal.version}"',
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Nothing to change."]}
