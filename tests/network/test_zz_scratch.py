import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.conftest import signed_in, api_as
from tests.factories import NoteFactory, ClientFactory, MemberFactory
from circles import public_id


def test_probe(grace, alice, carol, as_alice):
    for n in (1, 20):
        for _ in range(n):
            NoteFactory(client=grace, author=alice)
        with CaptureQueriesContext(connection) as ctx:
            r = as_alice.get(f"/clients/{grace.public_id}/")
        print("PAGE", r.status_code, len(ctx.captured_queries))
        for q in ctx.captured_queries:
            print("   ", q["sql"][:150])
        with CaptureQueriesContext(connection) as ctx:
            r = as_alice.get("/clients/")
        print("MY", r.status_code, len(ctx.captured_queries))
        for q in ctx.captured_queries:
            print("   ", q["sql"][:150])
        api = api_as(alice)
        with CaptureQueriesContext(connection) as ctx:
            r = api.get(f"/api/v1/clients/{grace.public_id}/notes/")
        print("NOTES", r.status_code, len(ctx.captured_queries))
        for q in ctx.captured_queries:
            print("   ", q["sql"][:150])
        with CaptureQueriesContext(connection) as ctx:
            r = api.get(f"/api/v1/clients/")
        print("CLIENTS", r.status_code, len(ctx.captured_queries))
        for q in ctx.captured_queries:
            print("   ", q["sql"][:150])


def test_probe2(grace, alice, as_alice):
    api = api_as(alice)
    r = api.post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": "a\x00b\x01c"}, format="json")
    print("NUL api", r.status_code, r.data)
    r = as_alice.post(
        f"/clients/{grace.public_id}/notes/new/",
        {"text": "a\x00b\x01c", "kind": "update", "visibility": "circle"},
    )
    print("NUL page", r.status_code, r.content.decode()[-3000:] if r.status_code != 302 else r)
    r = as_alice.get("/clients/search/", {"q": "Gr\x00ace"})
    print("search NUL", r.status_code)
    r = as_alice.get(f"/clients/{grace.public_id}/", HTTP_USER_AGENT="x\x00y")
    print("UA NUL", r.status_code)
    for name in ["Isabella", "Robinson", "Lily Cole", "Danielle"]:
        print(name, public_id.looks_like(name))
    r = signed_in(alice).get("/api/docs/")
    print("DOCS", r.status_code, r.content.decode())
    r = api_as(alice).get("/healthz")
    print("HEALTH", r.status_code, r.content)
    from rest_framework.test import APIClient

    print(
        "anon", APIClient().get("/api/v1/clients/").status_code, APIClient().get("/api/schema/").status_code
    )
